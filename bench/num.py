"""NUM family: findings on clean text for both parts of the split, recall on injected defects.

    python bench/num.py               # clean text of both parts, 40 defects per NUM kind in test reports
    python bench/num.py --quick       # 12 defects per kind, every finding still listed
    python bench/num.py --recall-part tune   # injected recall on the tune reports instead

Clean text: every NUM finding (all severities, default settings) on the reports and the news
of each part (tune: reports 001-031 and news up to 2024-12; test: reports 033-073 and news of
2025), per 10,000 characters, and each finding listed with its context for a person to read.
Injected defects: copies of the reports of one part (default test), one NUM defect per copy
(bench/inject.py, independent of reportlint), recall by kind and realisation, and the other
new findings in the copies. Writes bench/results/num.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    console,
    meta,
    news_files,
    overlaps,
    pct,
    per_10k,
    report_files,
    require_corpus,
    snippet,
    spans_of,
    write_result,
)
from bench.inject import KINDS, inject

WINDOW = 2  # slack around a defect's recorded location, as in accuracy.py
NEAR = 10  # a finding this close to a defect is a side effect of it
NUM_KINDS = [k for k, v in KINDS.items() if v.family == "NUM"]


def lint(items: list[tuple[str, str]]) -> dict[str, list]:
    """NUM findings for each (name, text), each its own document, default NUM settings."""
    from reportlint.config import Config
    from reportlint.document import Document
    from reportlint.engine import run

    docs = [Document.from_text(text, path=name) for name, text in items]
    return run(docs, Config(select=("NUM",), cross_file=False)) if docs else {}


def read(paths: list[Path]) -> list[tuple[str, str]]:
    return [(p.name, p.read_text(encoding="utf-8")) for p in paths]


# --------------------------------------------------------------------------- clean text


def clean(items: list[tuple[str, str]]) -> dict:
    found = lint(items)
    texts = dict(items)
    chars = sum(len(t) for _, t in items)
    listed = []
    for name, fs in found.items():
        for f in fs:
            listed.append(
                {
                    "code": f.code,
                    "severity": f.severity.value,
                    "file": name,
                    "line": f.span.line,
                    "snippet": snippet(texts[name], f.span.start, f.span.end, 24),
                    "message": f.message.zh,
                    "related": [snippet(texts[name], r.span.start, r.span.end, 6) for r in f.related[:6]],
                }
            )
    codes = Counter(x["code"] for x in listed)
    return {
        "documents": len(items),
        "chars": chars,
        "findings": len(listed),
        "per_10k": per_10k(len(listed), chars),
        "by_code": dict(sorted(codes.items())),
        "listed": listed,
    }


# --------------------------------------------------------------------------- injected defects


def recall(reports: list[tuple[str, str]], per_kind: int, seed: int) -> dict:
    """One NUM defect per copy; a finding of the NUM family over the defect (±2) detects it."""
    rng = random.Random(seed)
    copies: list[tuple[str, object]] = []
    for kind in NUM_KINDS:
        placed = tries = 0
        while placed < per_kind and tries < per_kind * 30:
            tries += 1
            name, text = rng.choice(reports)
            out = inject(text, [kind], rng)
            if out.injections:
                copies.append((name, out))
                placed += 1
    base = lint(reports)
    base_keys = {name: {(f.code, f.span.start, f.span.end) for f in fs} for name, fs in base.items()}
    found = lint([(f"{name}#{j}", out.text) for j, (name, out) in enumerate(copies)])
    kinds: dict[str, dict] = {
        k: {"n": 0, "detected": 0, "by": Counter(), "realisations": defaultdict(lambda: [0, 0]), "misses": []}
        for k in NUM_KINDS
    }
    others: Counter[str] = Counter()
    other_list = []
    for j, (name, out) in enumerate(copies):
        fresh = []
        for f in found.get(f"{name}#{j}", []):
            s = out.to_original(f.span.start)
            e = out.to_original(f.span.end - 1) if f.span.end > f.span.start else s
            key = None if s is None or e is None else (f.code, s, e + 1 if f.span.end > f.span.start else s)
            if key not in base_keys[name]:
                fresh.append(f)
        for inj in out.injections:
            rec = kinds[inj.kind]
            hits = [f for f in fresh if any(overlaps(sp, inj.span, WINDOW) for sp in spans_of(f))]
            rec["n"] += 1
            rec["realisations"][inj.realisation][0] += 1
            if hits:
                rec["detected"] += 1
                rec["realisations"][inj.realisation][1] += 1
                rec["by"].update({f.code for f in hits})
            else:
                rec["misses"].append(
                    {
                        "file": name,
                        "realisation": inj.realisation,
                        "detail": inj.detail,
                        "context": snippet(out.text, inj.start, inj.end, 30),
                    }
                )
            for f in fresh:
                if f in hits or any(overlaps(sp, inj.span, NEAR) for sp in spans_of(f)):
                    continue
                others[f.code] += 1
                other_list.append(
                    {"file": name, "code": f.code, "snippet": snippet(out.text, f.span.start, f.span.end, 24)}
                )
    for rec in kinds.values():
        rec["recall"] = rec["detected"] / rec["n"] if rec["n"] else None
        rec["by"] = dict(rec["by"].most_common())
        rec["realisations"] = {
            k: {"n": v[0], "detected": v[1]} for k, v in sorted(rec["realisations"].items())
        }
    return {
        "copies": len(copies),
        "by_kind": kinds,
        "other_new_findings": dict(others.most_common()),
        "other_new_listed": other_list,
    }


# --------------------------------------------------------------------------- printing


def print_clean(con, res: dict, limit: int | None) -> None:
    from rich.table import Table

    t = Table(title="NUM findings on clean text (default settings, all severities)")
    for col in ("part", "corpus", "docs", "chars", "findings", "per 10k", "by code"):
        t.add_column(col, justify="right" if col in ("docs", "chars", "findings", "per 10k") else "left")
    for key, r in res.items():
        part, corpus = key.split(":")
        by = ", ".join(f"{c}×{n}" for c, n in r["by_code"].items()) or "–"
        t.add_row(
            part,
            corpus,
            str(r["documents"]),
            f"{r['chars']:,}",
            str(r["findings"]),
            f"{r['per_10k']:.3f}",
            by,
        )
    con.print(t)
    for key, r in res.items():
        if not r["listed"]:
            continue
        con.print(f"[bold]{key}[/]: every finding")
        for x in r["listed"][:limit]:
            con.print(f"  {x['code']} {x['file']}:{x['line']} {x['snippet']}  [dim]{x['message']}[/]")
        if limit is not None and len(r["listed"]) > limit:
            con.print(f"  … {len(r['listed']) - limit} more in bench/results/num.json")


def print_recall(con, part: str, r: dict, misses: int) -> None:
    from rich.table import Table

    t = Table(
        title=f"Recall on NUM defects injected into {part} reports ({r['copies']} copies, ±{WINDOW} chars)"
    )
    for col in ("kind", "n", "detected", "recall", "by realisation (detected/n)", "found by"):
        t.add_column(col, justify="right" if col in ("n", "detected", "recall") else "left", overflow="fold")
    for kind, rec in r["by_kind"].items():
        reals = ", ".join(f"{k} {v['detected']}/{v['n']}" for k, v in rec["realisations"].items())
        by = ", ".join(f"{c}×{n}" for c, n in rec["by"].items()) or "–"
        t.add_row(kind, str(rec["n"]), str(rec["detected"]), pct(rec["recall"]), reals, by)
    con.print(t)
    if r["other_new_findings"]:
        con.print(
            "Other new findings in the copies, away from the defect: "
            + ", ".join(f"{c}×{n}" for c, n in r["other_new_findings"].items())
        )
        for x in r["other_new_listed"][:misses]:
            con.print(f"  {x['code']} {x['file']} {x['snippet']}")
    for kind, rec in r["by_kind"].items():
        for m in rec["misses"][:misses]:
            con.print(f"  [dim]missed {kind}/{m['realisation']}[/] {m['context']}  ({m['detail']})")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="12 defects per kind instead of 40")
    ap.add_argument("--per-kind", type=int, help="defects injected per NUM kind")
    ap.add_argument("--seed", type=int, default=20240305, help="random seed (default 20240305)")
    ap.add_argument("--recall-part", choices=("test", "tune"), default="test", help="reports to inject into")
    ap.add_argument("--no-news", action="store_true", help="clean reports only (the news takes a minute)")
    ap.add_argument("--no-recall", action="store_true", help="clean text only")
    ap.add_argument("--list", type=int, default=None, metavar="N", help="list at most N findings per corpus")
    ap.add_argument("--misses", type=int, default=0, metavar="N", help="print N missed defects per kind")
    args = ap.parse_args(argv)
    con = console()
    if not require_corpus(con, "num"):
        return 0
    per_kind = args.per_kind or (12 if args.quick else 40)
    t0 = time.perf_counter()
    res_clean = {}
    for part in ("tune", "test"):
        res_clean[f"{part}:reports"] = clean(read(report_files(part)))
        if not args.no_news:
            res_clean[f"{part}:news"] = clean(read(news_files(part)))
    print_clean(con, res_clean, args.list)
    res_recall = None
    if not args.no_recall:
        res_recall = recall(read(report_files(args.recall_part)), per_kind, args.seed)
        print_recall(con, args.recall_part, res_recall, args.misses)
    secs = time.perf_counter() - t0
    path = write_result(
        "num.json",
        {
            "meta": meta(
                quick=args.quick,
                seed=args.seed,
                per_kind=per_kind,
                recall_part=args.recall_part,
                seconds=secs,
            ),
            "clean": res_clean,
            "injected": res_recall,
        },
    )
    con.print(f"[dim]{secs:.1f} s; results in {path}[/]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
