"""Regular-expression and algorithmic safety: every rule on 1 MB of hostile input.

    python bench/adversarial.py            # 1 MB inputs, every rule
    python bench/adversarial.py --quick    # 256 KB inputs

For each rule and input it times the rule alone (in-process, the Document already
built) at a quarter of the size and at full size, and prints the time and the growth
ratio. A linear rule grows about 4x; a quadratic one about 16x. The run fails (exit 1)
when a rule takes longer than the generous bound or grows super-linearly, so it can
be used as a check outside the unit tests (timings never go in tests).

    python bench/adversarial.py --cli      # whole processes on hostile files and options

``--cli`` runs ``bench/hostile.py``: Markdown built to be slow, paragraph shapes that were
quadratic, findings without end, zip and Flate bombs, devices and huge or deep config
files, ``-j 64``, options that name an input as the output.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlint.document import Document
from reportlint.registry import load_rules

BOUND_SECONDS = 30.0
MAX_GROWTH = 9.0  # 4x input: linear ~4, n log n ~4.5, quadratic ~16


def inputs(size: int) -> dict[str, str]:
    def fill(unit: str) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    return {
        "one-han": fill("一"),
        "han-space": fill("一 "),
        "commas": fill("，"),
        "ascii-commas": fill(","),
        "open-quotes": fill("“"),
        "open-parens": fill("（"),
        "book-titles": fill("《"),
        "digits": fill("1"),
        "decimal": fill("1."),
        "spaces": fill(" "),
        "newlines": fill("一\n"),
        "blank-lines": fill("\n"),
        "stars": fill("*"),
        "doubled": fill("志志"),
        "numbering": fill("（一）"),
        "count-words": fill("五个方面"),
        "latin": fill("and "),
        "sentence": fill("推进高质量发展。"),
        # one short sentence a line: LAYOUT004 once looked back over every earlier paragraph
        "short-lines": fill("推进。\n"),
        # emphasis openers that never close: the lazy closer search of LAYOUT005
        "open-bold": fill("**一 "),
        "open-underline": fill("__一 "),
        # openers of one kind closed by another: PUNCT003's search down its stack
        "wrong-closers": fill("（（（（》"),
        # a line of openers, then a line of unmatched closers of another kind (PUNCT003's look-ahead)
        "opener-line": fill("（")[: size // 2] + "\n" + fill("】")[: size // 2],
        # quoted halves separated by spaces: PUNCT001 tested every space against every quote
        "spaced-quotes": fill("“一 一”。"),
        **line_inputs(fill),
        **num_inputs(size, fill),
    }


_SHARED_ENDS = [
    f"{w}发展的。"
    for w in (
        "产业",
        "社会",
        "健康",
        "区域",
        "开放",
        "稳定",
        "协调",
        "可持续",
        "共享",
        "高质量",
        "文化",
        "创新",
    )
]


def line_inputs(fill) -> dict[str, str]:
    """Many short paragraphs: the shapes that made paragraph-by-paragraph rules quadratic."""
    return {
        "item-lines": fill("一是加快发展。\n"),
        "heading-lines": fill("一、总体要求\n"),
        "repeat-lines": fill("经济运行总体平稳。\n"),
        "quote-lines": fill("“\n"),
        "count-lines": fill("做好三个方面工作：\n"),
        "percent-lines": fill("增长5%。\n"),
        # distinct short lines sharing their last characters: LAYOUT004's search for the sentence
        # a tail was cut from once walked every sentence end with the same last three characters
        "shared-end-lines": "".join(_SHARED_ENDS[i % 12] + "\n" for i in range(len(fill("一")) // 7 + 1)),
        # ... and each after a longer sentence that ends the same way (a tail found many times)
        "tail-pairs": "".join(
            f"我们推动{_SHARED_ENDS[i % 12]}\n{_SHARED_ENDS[i % 12]}\n"
            for i in range(len(fill("一")) // 20 + 1)
        ),
    }


def num_inputs(size: int, fill) -> dict[str, str]:
    """Inputs aimed at the NUM rules' list, stack and sentence walks (see tests/test_num_linear.py)."""
    values = "".join(f"生产总值增长{i % 97 + 1}.{i % 7}%，" for i in range(size // 10 + 1))
    return {
        "numbering-lines": fill("（一）\n"),
        "numbering-inline": fill("；（1）"),
        "runin-items": fill("。一是"),
        "respectively": fill("分别为1、"),
        "inline-count": fill("甲、乙3个"),
        "colon-list": fill("三个原则：甲、乙、"),
        "announced-headings": fill("五个方面：\n（一）甲\n"),
        "values": ("二、2024年重点工作\n" + values)[:size],
        "parts": fill("其中5家，"),
        "from-to": fill("由1亿元到2亿元，增长5%，"),
        "ordinals": fill("第一"),
    }


def time_rule(cls, doc: Document) -> float:
    rule = cls()
    t0 = time.perf_counter()
    for _ in rule.check(doc):
        pass
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="256 KB inputs instead of 1 MB")
    ap.add_argument("--rule", action="append", help="only these rule codes (prefixes)")
    ap.add_argument("--verbose", "-v", action="store_true", help="print every measurement as it is made")
    ap.add_argument(
        "--cli", action="store_true", help="whole processes on hostile files and options (bench/hostile.py)"
    )
    args = ap.parse_args()
    if args.cli:
        import hostile

        return hostile.main(["--quick"] if args.quick else [])
    size = 256 * 1024 if args.quick else 1024 * 1024
    rules = {c: r for c, r in load_rules().items() if not args.rule or c.startswith(tuple(args.rule))}
    small_inputs, big_inputs = inputs(size // 4), inputs(size)
    table = Table(title=f"rule time on hostile inputs ({size // 1024} KB; growth = time(4x)/time(1x))")
    table.add_column("input")
    worst: dict[str, tuple[float, float]] = {}
    failures = []
    rows = []
    for name in big_inputs:
        small_doc = Document.from_text(small_inputs[name])
        big_doc = Document.from_text(big_inputs[name])
        for d in (small_doc, big_doc):
            _ = d.paragraphs, d.sentences, d.masks
        row = [name]
        for code, cls in rules.items():
            t_small = time_rule(cls, small_doc)
            t_big = time_rule(cls, big_doc)
            growth = t_big / t_small if t_small > 0.02 else 0.0
            prev = worst.get(code, (0.0, 0.0))
            worst[code] = (max(prev[0], t_big), max(prev[1], growth))
            if t_big > BOUND_SECONDS or (t_big > 0.5 and growth > MAX_GROWTH):
                failures.append(f"{code} on {name}: {t_big:.2f} s, growth {growth:.1f}x")
            row.append((code, t_big, growth))
            if args.verbose or t_big > 1.0:
                print(f"{name:12s} {code:10s} {t_small:8.3f} s {t_big:8.3f} s", flush=True)
        rows.append(row)
    table.add_column("slowest rule")
    table.add_column("seconds", justify="right")
    table.add_column("growth", justify="right")
    for row in rows:
        name, cells = row[0], row[1:]
        code, t_big, growth = max(cells, key=lambda c: c[1])
        table.add_row(name, code, f"{t_big:.3f}", f"{growth:.1f}x" if growth else "-")
    console = Console()
    console.print(table)
    summary = Table(title="worst case per rule")
    for col in ("rule", "max seconds", "max growth"):
        summary.add_column(col)
    for code, (t, g) in sorted(worst.items()):
        summary.add_row(code, f"{t:.3f}", f"{g:.1f}x" if g else "-")
    console.print(summary)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "adversarial.json").write_text(
        json.dumps({"size": size, "worst": worst, "failures": failures}, indent=1), encoding="utf-8"
    )
    for f in failures:
        console.print(f"[red]too slow: {f}[/red]")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
