"""LAYOUT and PUNCT on text nobody tuned on: recall on injected defects, and findings on clean text.

    python bench/layout.py                 # 100 defects of each LAYOUT and PUNCT kind per part
    python bench/layout.py --quick         # 25 of each
    python bench/layout.py --list 40       # print up to 40 clean-text findings per corpus for reading

1. Recall: defects of every LAYOUT and PUNCT kind of ``bench/inject.py`` (orphan
   fragments of 4-20 characters with every realisation, breaks after commas and inside
   names, across blank lines and furniture, generated column headers, bylines, page
   numbers and web widgets, ...) are injected into copies of the TEST reports (033-073),
   one LAYOUT and one PUNCT defect per copy, and into the TUNE reports beside them.
   Only the LAYOUT and PUNCT rules run. Recall per kind and per realisation.
2. Clean text: LAYOUT and PUNCT findings per 10,000 characters on the news of 2025 and
   the test reports (and the tune part beside them), each finding listed for reading with
   ``--list``. The national reports (033+) carry real line-break debris from the wiki
   pages they were taken from, so LAYOUT findings there are mostly true; they are
   listed, not scored.

Writes bench/results/layout.json.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.accuracy import evaluate
from bench.common import (
    console,
    family,
    lint_texts,
    meta,
    news_files,
    pct,
    per_10k,
    report_files,
    require_corpus,
    snippet,
    write_result,
)
from bench.inject import KINDS, inject

SELECT = ["LAYOUT", "PUNCT"]
TARGETS = {"orphan_tail": 0.9, "broken_paragraph": 0.95, "page_header": 0.95}


def make_copies(reports: list[tuple[str, str]], per_kind: int, rng: random.Random) -> list:
    """Copies of the reports, each with one LAYOUT and one PUNCT defect, until every kind has per_kind."""
    kinds = {fam: [k for k, v in KINDS.items() if v.family == fam] for fam in SELECT}
    need = {k: per_kind for ks in kinds.values() for k in ks}
    stalls: Counter[str] = Counter()
    copies = []
    while any(n > 0 and stalls[k] < 50 for k, n in need.items()):
        pick = []
        for fam in SELECT:
            open_ = [k for k in kinds[fam] if need[k] > 0 and stalls[k] < 50]
            if open_:
                pick.append(max(open_, key=lambda k: (need[k], rng.random())))
        name, text = rng.choice(reports)
        out = inject(text, pick, rng)
        placed = {inj.kind for inj in out.injections}
        for k in pick:
            if k in placed:
                need[k] -= 1
            else:
                stalls[k] += 1
        if out.injections:
            copies.append((name, out))
    return copies


# LAYOUT004 without its repeated-tail evidence: bench/inject.py cuts every orphan tail from a
# sentence of the same text, so that evidence finds all of them, while a real tail whose sentence
# start was deleted repeats nothing. The recall on the words alone is reported beside.
WORDS_ONLY = {"LAYOUT004": {"repeats": False}}


def recall(part: str, per_kind: int, seed: int) -> dict:
    reports = [(f.name, f.read_text(encoding="utf-8")) for f in report_files(part)]
    baseline = lint_texts(reports, SELECT)
    copies = make_copies(reports, per_kind, random.Random(seed))
    findings = lint_texts([(f"{name}#{j}", out.text) for j, (name, out) in enumerate(copies)], SELECT)
    res = evaluate(copies, findings, baseline)
    # orphan tails judged on their words alone (the same copies, numbered anew)
    orphans = [c for c in copies if any(i.kind == "orphan_tail" for i in c[1].injections)]
    texts = [(f"{name}#{k}", out.text) for k, (name, out) in enumerate(orphans)]
    words = lint_texts(texts, SELECT, WORDS_ONLY)
    words_res = evaluate(orphans, words, lint_texts(reports, SELECT, WORDS_ONLY))
    return {k: v for k, v in res["by_kind"].items() if v["family"] in SELECT} | {
        "_other_new_findings": res["other_new_findings"],
        "_orphan_words_only": words_res["by_kind"]["orphan_tail"]["recall"],
    }


def clean(files: list[Path], listing: int) -> dict:
    items = [(f.name, f.read_text(encoding="utf-8")) for f in files]
    found = lint_texts(items, SELECT)
    chars = sum(len(t) for _, t in items)
    texts = dict(items)
    fams = Counter(family(f.code) for fs in found.values() for f in fs)
    codes = Counter(f.code for fs in found.values() for f in fs)
    listed = [
        {
            "code": f.code,
            "where": f"{path}:{f.span.line}",
            "snippet": snippet(texts[path], f.span.start, f.span.end),
            "message": f.message.zh,
        }
        for path, fs in found.items()
        for f in fs
    ]
    return {
        "files": len(items),
        "chars": chars,
        "per_10k": {fam: per_10k(fams[fam], chars) for fam in SELECT},
        "by_code": dict(sorted(codes.items())),
        "findings": listed if listing else listed[:0],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="25 defects per kind instead of 100")
    ap.add_argument("--per-kind", type=int, help="defects injected per kind and part")
    ap.add_argument("--seed", type=int, default=20240305)
    ap.add_argument(
        "--list", type=int, default=0, metavar="N", help="print up to N clean findings per corpus"
    )
    ap.add_argument(
        "--misses", type=int, default=0, metavar="N", help="print N missed defects per kind and part"
    )
    args = ap.parse_args(argv)
    con = console()
    if not require_corpus(con, "layout"):
        return 0
    per_kind = args.per_kind or (25 if args.quick else 100)
    t0 = time.perf_counter()
    from rich.table import Table

    rec = {part: recall(part, per_kind, args.seed) for part in ("test", "tune")}
    t = Table(title=f"Recall on injected LAYOUT/PUNCT defects ({per_kind} per kind; test = reports 033-073)")
    for col in ("kind", "test n", "test recall", "tune recall", "target", "by realisation on test (found/n)"):
        t.add_column(col, overflow="fold", justify="left" if col.startswith(("kind", "by")) else "right")
    for kind in (k for k, v in KINDS.items() if v.family in SELECT):
        r, u = rec["test"][kind], rec["tune"][kind]
        reals = ", ".join(f"{k} {v['detected']}/{v['n']}" for k, v in r["realisations"].items())
        target = TARGETS.get(kind)
        t.add_row(kind, str(r["n"]), pct(r["recall"]), pct(u["recall"]), pct(target) if target else "", reals)
    con.print(t)
    con.print(
        "orphan_tail on the words alone (without the repeated-tail evidence; every injected tail "
        f"repeats its source sentence): test {pct(rec['test']['_orphan_words_only'])}, "
        f"tune {pct(rec['tune']['_orphan_words_only'])}"
    )
    for part in ("test", "tune"):
        other = rec[part]["_other_new_findings"]
        if other:
            con.print(
                f"new findings away from the defects ({part}): "
                + ", ".join(f"{c}×{n}" for c, n in other.items())
            )
    if args.misses:
        # the tune part's misses are the ones to learn from; the test part's only measure
        for part in ("tune", "test"):
            for kind in (k for k, v in KINDS.items() if v.family in SELECT):
                for m in rec[part][kind]["misses"][: args.misses]:
                    con.print(
                        f"  [dim]{part}: missed {kind}/{m['realisation']}[/] {m['context']}  ({m['detail']})"
                    )

    corpora = {
        "news 2025 (test)": news_files("test"),
        "reports 033-073 (test)": report_files("test"),
        "news to 2024-12 (tune)": news_files("tune"),
        "reports 001-031 (tune)": report_files("tune"),
    }
    cl = {name: clean(files, args.list) for name, files in corpora.items()}
    t = Table(
        title="Clean text: findings per 10,000 characters (targets, news 2025: LAYOUT <= 0.05, PUNCT <= 0.1)"
    )
    for col in ("corpus", "chars", "LAYOUT", "PUNCT", "by rule"):
        t.add_column(col, justify="left" if col in ("corpus", "by rule") else "right", overflow="fold")
    for name, r in cl.items():
        by = ", ".join(f"{c}×{n}" for c, n in r["by_code"].items())
        t.add_row(
            name, f"{r['chars']:,}", f"{r['per_10k']['LAYOUT']:.3f}", f"{r['per_10k']['PUNCT']:.3f}", by
        )
    con.print(t)
    if args.list:
        for name, r in cl.items():
            con.print(f"[bold]{name}[/]: {len(r['findings'])} findings")
            for f in r["findings"][: args.list]:
                con.print(f"  {f['code']} {f['where']} {f['snippet']}  [dim]{f['message']}[/]")
    for part in rec:
        for r in rec[part].values():
            if isinstance(r, dict) and "misses" in r:
                r["misses"] = r["misses"][:50]
    path = write_result(
        "layout.json", {"meta": meta(per_kind=per_kind, seed=args.seed), "recall": rec, "clean": cl}
    )
    con.print(f"[dim]{time.perf_counter() - t0:.0f} s; results in {path}[/]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
