"""Accuracy: recall on defects injected into real reports, and false alarms on clean text.

    python bench/accuracy.py             # full run (about 40 defects of each kind)
    python bench/accuracy.py --quick     # a smaller run, under a minute

Writes bench/results/accuracy.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import importlib
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    CSC,
    FAMILIES,
    console,
    family,
    lint_texts,
    load_reports,
    load_tsv,
    meta,
    overlaps,
    pct,
    per_10k,
    registered_rules,
    report_part,
    require_corpus,
    snippet,
    spans_of,
    write_result,
)
from bench.inject import KINDS, Injected, inject, is_han

WINDOW = 2  # characters of slack around a defect's recorded location
NEAR = 10  # a finding this close to a defect is a side effect of it, not a new false alarm
# Spelling-check sets: (file, description). Only the correct side (target) is used here.
CSC_SETS = [
    ("xuexiqiangguo_clean_dev.tsv", "学习强国, all correct"),
    ("ecspell_odw_test.tsv", "ECSpell official documents, targets"),
    ("ecspell_law_test.tsv", "ECSpell law, targets"),
    ("ecspell_med_test.tsv", "ECSpell medical, targets"),
    ("cscd_ns_dev.tsv", "CSCD-NS, targets"),
]


# --------------------------------------------------------------------------- injection


def make_copies(
    reports: list[tuple[str, str]], per_kind: int, rng: random.Random
) -> list[tuple[str, Injected]]:
    """Copies of random reports, each with up to one defect per family, well apart."""
    need = dict.fromkeys(KINDS, per_kind)
    stalls: Counter[str] = Counter()
    copies: list[tuple[str, Injected]] = []
    while True:
        kinds = []
        for fam in FAMILIES:
            open_ = [k for k in KINDS if KINDS[k].family == fam and need[k] > 0 and stalls[k] < 40]
            if open_:
                kinds.append(max(open_, key=lambda k: (need[k], rng.random())))
        if not kinds:
            return copies
        name, text = rng.choice(reports)
        out = inject(text, kinds, rng)
        placed = {inj.kind for inj in out.injections}
        for k in kinds:
            if k in placed:
                need[k] -= 1
            else:
                stalls[k] += 1
        if out.injections:
            copies.append((name, out))


def _original_key(out: Injected, f) -> tuple[str, int, int] | None:
    s, e = f.span.start, f.span.end
    os_ = out.to_original(s)
    if e > s:
        last = out.to_original(e - 1)
        oe = None if last is None else last + 1
    else:
        oe = os_
    if os_ is None or oe is None:
        return None
    return f.code, os_, oe


def evaluate(copies, findings, baseline) -> dict:
    """Match findings to injected defects; count recall per family, kind and realisation."""
    base_keys = {name: {(f.code, f.span.start, f.span.end) for f in fs} for name, fs in baseline.items()}
    kinds: dict[str, dict] = {
        k: {
            "family": v.family,
            "accept": list(v.families),
            "n": 0,
            "detected": 0,
            "detected_by": Counter(),
            "realisations": defaultdict(lambda: [0, 0]),
            "misses": [],
        }
        for k, v in KINDS.items()
    }
    other_new: Counter[str] = Counter()  # new findings away from every injected defect
    other_near: Counter[str] = Counter()  # at a defect, but not of a family that counts for it
    for j, (name, out) in enumerate(copies):
        fresh = [f for f in findings.get(f"{name}#{j}", []) if _original_key(out, f) not in base_keys[name]]
        used = set()
        for inj in out.injections:
            rec = kinds[inj.kind]
            hits = [
                (i, f)
                for i, f in enumerate(fresh)
                if family(f.code) in inj.accept and any(overlaps(s, inj.span, WINDOW) for s in spans_of(f))
            ]
            rec["n"] += 1
            rec["realisations"][inj.realisation][0] += 1
            if hits:
                rec["detected"] += 1
                rec["realisations"][inj.realisation][1] += 1
                used.update(i for i, _ in hits)
                rec["detected_by"].update({f.code for _, f in hits})
            else:
                rec["misses"].append(
                    {
                        "file": name,
                        "realisation": inj.realisation,
                        "detail": inj.detail,
                        "context": snippet(out.text, inj.start, inj.end),
                    }
                )
        for i, f in enumerate(fresh):
            if i in used:
                continue
            near = any(overlaps(sp, inj.span, NEAR) for inj in out.injections for sp in spans_of(f))
            (other_near if near else other_new)[f.code] += 1
    by_family = {}
    for fam in FAMILIES:
        ks = [r for r in kinds.values() if r["family"] == fam]
        n = sum(r["n"] for r in ks)
        d = sum(r["detected"] for r in ks)
        by_family[fam] = {"n": n, "detected": d, "recall": d / n if n else None}
    for r in kinds.values():
        r["recall"] = r["detected"] / r["n"] if r["n"] else None
        r["detected_by"] = dict(r["detected_by"].most_common())
        r["realisations"] = {k: {"n": v[0], "detected": v[1]} for k, v in sorted(r["realisations"].items())}
    return {
        "by_family": by_family,
        "by_kind": kinds,
        "copies": len(copies),
        "other_findings_at_defects": dict(other_near.most_common()),
        "other_new_findings": dict(other_new.most_common()),
    }


# --------------------------------------------------------------------------- clean text

_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}


def restore_fullwidth(s: str) -> str:
    """Undo a data set's half-width normalisation in Chinese text (not in 3,000 or 10:30)."""
    chars = list(s)
    for i, c in enumerate(chars):
        if c in _HALF_TO_FULL:
            left = chars[i - 1] if i else ""
            right = chars[i + 1] if i + 1 < len(chars) else ""
            if not (left.isascii() and left.isalnum() and right.isascii() and right.isalnum()):
                chars[i] = _HALF_TO_FULL[c]
    s = "".join(chars)
    s = re.sub(
        r"\(([^()]*)\)", lambda m: f"（{m.group(1)}）" if any(is_han(c) for c in m.group(1)) else m.group(), s
    )
    return re.sub(r'"([^"]*)"', r"“\1”", s)


def clean_rates(items: list[tuple[str, str]], findings: dict[str, list]) -> dict:
    chars = sum(len(t) for _, t in items)
    fams = Counter(family(f.code) for fs in findings.values() for f in fs)
    codes = Counter(f.code for fs in findings.values() for f in fs)
    return {
        "documents": len(items),
        "chars": chars,
        "findings": sum(fams.values()),
        "per_10k": per_10k(sum(fams.values()), chars),
        "by_family": {fam: {"findings": fams[fam], "per_10k": per_10k(fams[fam], chars)} for fam in FAMILIES},
        "by_code": dict(sorted(codes.items())),
    }


def top_snippets(items: list[tuple[str, str]], findings: dict[str, list], n: int = 20) -> list[dict]:
    """The most frequent flagged snippets, taken in turn from each rule so one rule can't fill the list."""
    texts = dict(items)
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for path, fs in findings.items():
        for f in fs:
            groups[(f.code, f.excerpt)].append((path, f))
    per_code: dict[str, list] = defaultdict(list)
    for (code, _), hits in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        per_code[code].append(hits)
    order = sorted(per_code, key=lambda c: -sum(len(h) for h in per_code[c]))
    out: list[dict] = []
    while len(out) < n and any(per_code[c] for c in order):
        for code in order:
            if per_code[code] and len(out) < n:
                hits = per_code[code].pop(0)
                path, f = hits[0]
                out.append(
                    {
                        "code": code,
                        "count": len(hits),
                        "path": path,
                        "line": f.span.line,
                        "message": f.message.zh,
                        "message_en": f.message.en,
                        "snippet": snippet(texts[path], f.span.start, f.span.end),
                    }
                )
    return out


def load_csc_sentences(limit: int | None) -> dict[str, dict]:
    sets = {}
    for fname, desc in CSC_SETS:
        path = CSC / fname
        if not path.is_file():
            continue
        pairs = load_tsv(path)
        seen, sents = set(), []
        for _, tgt in pairs:
            if tgt.strip() and tgt not in seen:
                seen.add(tgt)
                sents.append(tgt)
        half = sum(s.count(",") for s in sents)
        full = sum(s.count("，") for s in sents)
        normalised = half > full
        if normalised:
            sents = [restore_fullwidth(s) for s in sents]
        sets[fname] = {"description": desc, "sentences": sents[:limit], "halfwidth_restored": normalised}
    return sets


# --------------------------------------------------------------------------- bench/csc.py


def run_csc_module(limit: int | None) -> dict:
    """Delegate the spelling-check sets (precision/recall of TYPO) to bench/csc.py when it exists.

    Uses its ``SETS`` and ``evaluate(path, rules, limit)`` with the default TYPO selection.
    """
    try:
        mod = importlib.import_module("bench.csc")
    except ModuleNotFoundError as e:
        if e.name in ("bench.csc", "bench"):
            return {"status": "missing", "note": "bench/csc.py is not there yet"}
        return {"status": "error", "error": repr(e)}
    evaluate_set = getattr(mod, "evaluate", None)
    sets = getattr(mod, "SETS", None)
    if not callable(evaluate_set) or not isinstance(sets, dict):
        return {"status": "error", "error": "bench/csc.py has no SETS and evaluate(path, rules, limit)"}
    from bench.common import make_config
    from reportlint.engine import build_rules

    out = {}
    try:
        rules = build_rules(make_config(["TYPO"]))
        for name, fname in sets.items():
            if (CSC / fname).is_file():
                r = evaluate_set(CSC / fname, rules, limit)
                out[name] = {k: v for k, v in r.items() if k != "examples"}
    except Exception as e:  # the helper's module is not ours to debug here: report and go on
        return {"status": "error", "error": f"{type(e).__name__}: {e}"}
    return {"status": "ok", "setting": "default TYPO rules", "limit": limit, "sets": out}


# --------------------------------------------------------------------------- printing


def print_report(con, res: dict, show_misses: int) -> None:
    from rich.table import Table

    rules = res["rules"]
    inj = res["injected"]
    t = Table(title=f"Recall on injected defects ({inj['copies']} report copies, window ±{WINDOW} chars)")
    for col in ("family", "rules now", "injected", "detected", "recall"):
        t.add_column(col, justify="right" if col in ("injected", "detected", "recall") else "left")
    for fam in FAMILIES:
        r = inj["by_family"][fam]
        built = ", ".join(rules.get(fam, [])) or "[yellow]none yet[/]"
        t.add_row(fam, built, str(r["n"]), str(r["detected"]), pct(r["recall"]))
    con.print(t)

    t = Table(title="Recall by kind of defect")
    for col in ("kind", "family", "n", "recall", "detected by", "by realisation (detected/n)"):
        t.add_column(col, justify="right" if col in ("n", "recall") else "left", overflow="fold")
    for kind, r in inj["by_kind"].items():
        by = ", ".join(f"{c}×{n}" for c, n in r["detected_by"].items()) or "–"
        reals = ", ".join(f"{k} {v['detected']}/{v['n']}" for k, v in r["realisations"].items())
        fam = r["family"] + ("" if len(r["accept"]) == 1 else f" (or {'/'.join(r['accept'][1:])})")
        t.add_row(kind, fam, str(r["n"]), pct(r["recall"]), by, reals)
    con.print(t)
    for key, what in (
        ("other_findings_at_defects", "at an injected defect (±10 chars), of another family"),
        ("other_new_findings", "new in the copies, away from every injected defect"),
    ):
        if inj[key]:
            con.print(f"Other findings {what}: " + ", ".join(f"{c}×{n}" for c, n in inj[key].items()))
    if show_misses:
        for kind, r in inj["by_kind"].items():
            for m in r["misses"][:show_misses]:
                con.print(f"  [dim]missed {kind}/{m['realisation']}[/] {m['context']}  ({m['detail']})")

    t = Table(title="False alarms on clean text: findings per 10,000 characters")
    for col in ("corpus", "docs", "chars", *FAMILIES, "all"):
        t.add_column(col, justify="left" if col == "corpus" else "right")
    for name, r in res["clean"].items():
        label = name + (" *" if r.get("halfwidth_restored") else "")
        t.add_row(
            label,
            str(r["documents"]),
            f"{r['chars']:,}",
            *(f"{r['by_family'][f]['per_10k']:.2f}" for f in FAMILIES),
            f"{r['per_10k']:.2f}",
        )
    con.print(t)
    if any(r.get("halfwidth_restored") for r in res["clean"].values()):
        con.print(
            "* the set's publisher converted its punctuation to half-width; "
            "it was turned back to full-width before checking"
        )

    for key, title in (("reports", "clean reports"), ("csc", "clean spelling-check sentences")):
        top = res["top_snippets"][key]
        t = Table(title=f"Top {len(top)} flagged snippets in {title} (most frequent, rules in turn)")
        for col in ("code", "×", "where", "snippet", "message"):
            t.add_column(col, overflow="fold", justify="right" if col == "×" else "left")
        for s in top:
            t.add_row(s["code"], str(s["count"]), f"{s['path']}:{s['line']}", s["snippet"], s["message"])
        con.print(t)

    csc = res["csc_module"]
    if csc["status"] == "ok":
        t = Table(title=f"Spelling-check sets via bench/csc.py ({csc['setting']}; sentence level)")
        for col in (
            "set",
            "sentences",
            "with errors",
            "strict P",
            "R",
            "F1",
            "lenient P",
            "R ",
            "F1 ",
            "false alarms",
        ):
            t.add_column(col, justify="left" if col == "set" else "right")
        for name, r in csc["sets"].items():
            s_, le = r["strict"], r["lenient"]
            fa = r.get("false_alarm_rate")
            t.add_row(
                name,
                str(r["sentences"]),
                str(r["with_errors"]),
                *(f"{x[k]:.3f}" for x in (s_, le) for k in ("precision", "recall", "f1")),
                pct(fa),
            )
        con.print(t)
    elif csc["status"] == "missing":
        con.print(
            "[yellow]Spelling-check sets: bench/csc.py is missing, so no CSC precision/recall table.[/]"
        )
    elif csc["status"] == "error":
        con.print(f"[red]Spelling-check sets: bench/csc.py failed: {csc['error']}[/]")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer defects and sentences (under a minute)")
    ap.add_argument("--per-kind", type=int, help="defects injected per kind (default 40, quick 6)")
    ap.add_argument("--seed", type=int, default=20240305, help="random seed (default 20240305)")
    ap.add_argument(
        "--select", help="rules to run, comma-separated codes or prefixes (default: the defaults)"
    )
    ap.add_argument("--csc-limit", type=int, help="sentences per spelling-check set (default all, quick 150)")
    ap.add_argument("--misses", type=int, default=0, metavar="N", help="print N missed defects per kind")
    ap.add_argument("--no-csc-module", action="store_true", help="do not call bench/csc.py")
    ap.add_argument(
        "--part",
        choices=("all", "tune", "test"),
        default="all",
        help="which reports: the tune part (001-031), the test part (033-073) or all (default)",
    )
    args = ap.parse_args(argv)
    con = console()
    if not require_corpus(con, "accuracy"):
        return 0
    per_kind = args.per_kind or (6 if args.quick else 40)
    csc_limit = args.csc_limit or (150 if args.quick else None)
    select = [s for s in re.split(r"[,\s]+", args.select) if s] if args.select else None
    t0 = time.perf_counter()
    timings = {}

    reports = load_reports()
    if args.part != "all":
        reports = [(n, t) for n, t in reports if report_part(n) == args.part]
    if args.quick:  # every third report: provincial and national ones alike
        reports = reports[::3]
    baseline = lint_texts(reports, select)
    timings["baseline_s"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    copies = make_copies(reports, per_kind, random.Random(args.seed))
    timings["inject_s"] = time.perf_counter() - t1
    t1 = time.perf_counter()
    findings = lint_texts([(f"{name}#{j}", out.text) for j, (name, out) in enumerate(copies)], select)
    timings["lint_copies_s"] = time.perf_counter() - t1
    injected = evaluate(copies, findings, baseline)

    t1 = time.perf_counter()
    clean = {"reports": clean_rates(reports, baseline)}
    csc_items: list[tuple[str, str]] = []
    csc_findings: dict[str, list] = {}
    for fname, info in load_csc_sentences(csc_limit).items():
        items = [(f"{fname}:{i + 1}", s) for i, s in enumerate(info["sentences"])]
        fs = lint_texts(items, select)
        clean[fname] = clean_rates(items, fs) | {"halfwidth_restored": info["halfwidth_restored"]}
        csc_items += items
        csc_findings.update(fs)
    timings["clean_s"] = time.perf_counter() - t1

    t1 = time.perf_counter()
    csc_module = {"status": "skipped"} if args.no_csc_module else run_csc_module(csc_limit)
    timings["csc_module_s"] = time.perf_counter() - t1
    timings["total_s"] = time.perf_counter() - t0

    res = {
        "meta": meta(
            quick=args.quick,
            part=args.part,
            seed=args.seed,
            per_kind=per_kind,
            window=WINDOW,
            select=select,
            timings={k: round(v, 2) for k, v in timings.items()},
        ),
        "rules": registered_rules(),
        "injected": injected,
        "clean": clean,
        "top_snippets": {
            "reports": top_snippets(reports, baseline),
            "csc": top_snippets(csc_items, csc_findings),
        },
        "csc_module": csc_module,
    }
    print_report(con, res, args.misses)
    path = write_result("accuracy.json" if args.part == "all" else f"accuracy_{args.part}.json", res)
    con.print(f"[dim]{timings['total_s']:.1f} s; results in {path}[/]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
