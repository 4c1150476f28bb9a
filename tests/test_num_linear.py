"""The NUM rules and the number reader stay linear on hostile input.

Each case builds one input at 1x and 4x its size and times the number reader and every NUM
rule on both, in the same run. A linear pass grows about 4x; a quadratic one about 16x. The
bound (8x) is generous so machine noise does not fail the test; no absolute time is asserted.
"""

from __future__ import annotations

import time

import pytest

from reportlint.document import Document
from reportlint.numbers import parse_numbers
from reportlint.registry import load_rules


def _values(n: int) -> str:
    # Distinct values of one indicator, so nothing groups them away.
    return "二、2024年重点工作\n" + "".join(f"生产总值增长{i % 97 + 1}.{i % 7}%，" for i in range(n))


CASES = {
    # NUM002's level stack: every （一） opens a level (770 s on 131,072 lines before).
    "numbering-lines": lambda n: "（一）\n" * n,
    "numbering-inline": lambda n: "；（1）" * n,
    "runin-items": lambda n: "。一是" * n,
    # NUM004: 分别 repeated on one line (315 s on 390 KB before).
    "respectively": lambda n: "分别为1、" * n,
    # NUM001: an inline list before a count, a colon list, announced headings.
    "inline-count": lambda n: "甲、乙3个" * n,
    "colon-list": lambda n: "三个原则：甲、乙、" * n,
    "announced-headings": lambda n: "五个方面：\n（一）甲\n" * n,
    # NUM003: one long sentence of values in a plan section.
    "values": _values,
    # NUM005: parts of a total and changes with no sentence end.
    "parts": lambda n: "其中5家，" * n,
    "from-to": lambda n: "由1亿元到2亿元，增长5%，" * n,
    # The number reader: ordinals and ranges.
    "ordinals": lambda n: "第一" * n,
}
BASE = 600
MAX_GROWTH = 8.0


def _time(fn, repeat: int = 2) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _run_all(text: str) -> float:
    rules = [cls() for code, cls in load_rules().items() if code.startswith("NUM")]

    def work() -> None:
        doc = Document.from_text(text)
        parse_numbers(doc)
        for r in rules:
            for _ in r.check(doc):
                pass

    return _time(work)


@pytest.mark.parametrize("name", list(CASES))
def test_num_rules_grow_linearly(name: str) -> None:
    make = CASES[name]
    _run_all(make(BASE // 4))  # warm caches and imports
    small = _run_all(make(BASE))
    big = _run_all(make(4 * BASE))
    # Below a millisecond the ratio is noise; a quadratic pass is far above that at 4x.
    growth = big / max(small, 1e-3)
    assert growth < MAX_GROWTH, f"{name}: {small:.4f} s -> {big:.4f} s ({growth:.1f}x for 4x input)"
