"""Findings on clean text, every family at default settings, on both parts of the split.

    python bench/clean.py            # reports and news of both parts (~2 min)
    python bench/clean.py --quick    # the first 500,000 characters of each news part

Each file is checked on its own (as `reportlint check FILE` does; no cross-file comparison), and
the findings are counted per family per 10,000 characters. A news file holds a month of broadcasts
(about 65 lines a day) with no mark between days, and an item broadcast on two days is a real repeat
in such a file but not in any one broadcast: news is checked in pieces of 60 lines.
The tune part (reports 001-031, news to 2024-12) is what rules and thresholds were chosen on; the
test part (reports 033-073, news of 2025) was only measured.
Writes bench/results/clean.json, which lists every finding's code and place.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    FAMILIES,
    console,
    family,
    make_config,
    meta,
    news_files,
    per_10k,
    report_files,
    require_corpus,
    write_result,
)

QUICK_NEWS_CHARS = 500_000
NEWS_PIECE_LINES = 60  # about one day's broadcast


def pieces(text: str, lines: int | None) -> list[tuple[int, str]]:
    """(first line number - 1, text) of each piece of ``lines`` lines, or the whole text."""
    if lines is None:
        return [(0, text)]
    all_lines = text.splitlines(keepends=True)
    return [(i, "".join(all_lines[i : i + lines])) for i in range(0, len(all_lines), lines)]


def measure(files: list[Path], limit: int | None, piece_lines: int | None = None) -> dict:
    """Check each file alone; count findings by family and code."""
    from reportlint.document import Document
    from reportlint.engine import build_rules, check_document

    rules = build_rules(make_config(None))
    chars = 0
    by_family: Counter[str] = Counter()
    by_code: Counter[str] = Counter()
    listed: list[str] = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        if limit is not None:
            if chars >= limit:
                break
            text = text[: limit - chars]
        chars += len(text)
        for first, piece in pieces(text, piece_lines):
            doc = Document.from_text(piece, path=f.name)
            for fd in check_document(doc, rules, split_ok=False):
                by_family[family(fd.code)] += 1
                by_code[fd.code] += 1
                line, col = doc.line_col(fd.span.start)
                where = f"{f.name}:{first + line}:{col}"
                listed.append(f"{where} {fd.code} {piece[fd.span.start : fd.span.end][:30]}")
    return {
        "files": len(files),
        "chars": chars,
        "per_10k": {fam: per_10k(by_family[fam], chars) for fam in FAMILIES},
        "findings": {fam: by_family[fam] for fam in FAMILIES},
        "by_code": dict(sorted(by_code.items())),
        "listed": listed,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help=f"the first {QUICK_NEWS_CHARS:,} characters of news")
    args = ap.parse_args(argv)
    con = console()
    if not require_corpus(con, "clean"):
        return 0
    t0 = time.perf_counter()
    limit = QUICK_NEWS_CHARS if args.quick else None
    rows = {}
    for part in ("tune", "test"):
        rows[f"reports ({part})"] = measure(report_files(part), None)
        rows[f"news ({part})"] = measure(news_files(part), limit, NEWS_PIECE_LINES)

    from rich.table import Table

    table = Table(title="Findings per 10,000 characters of clean text, default settings")
    table.add_column("corpus")
    table.add_column("chars", justify="right")
    for fam in FAMILIES:
        table.add_column(fam, justify="right")
    for name, r in rows.items():
        table.add_row(name, f"{r['chars']:,}", *(f"{r['per_10k'][fam]:.3f}" for fam in FAMILIES))
    con.print(table)
    for name, r in rows.items():
        con.print(f"{name}: " + ", ".join(f"{c} {n}" for c, n in r["by_code"].items()))
    path = write_result("clean.json", {"meta": meta(quick=args.quick), "rows": rows})
    con.print(f"[dim]{time.perf_counter() - t0:.1f} s; every finding listed in {path}[/]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
