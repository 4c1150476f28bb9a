"""LAYOUT and PUNCT rules grow linearly with their input (ratios within one run, never absolute times)."""

from __future__ import annotations

import gc
import time

import pytest

from reportlint.document import Document
from reportlint.registry import load_rules

BASE = 2000  # units at 1x; 2x and 4x are timed too
MAX_GROWTH = 8.0  # 4x input: linear ~4, quadratic ~16
FLOOR = 0.1  # seconds: below this at 4x the timing is noise, nothing to compare


def _text(case: str, n: int) -> str:
    if case == "opener-line":
        return "（" * n + "\n" + "】" * n + "\n"
    return {
        "short-lines": "推进。\n",
        "open-bold": "**一 ",
        "open-underline": "__一 ",
        "wrong-closers": "（（（（》",
        "spaced-quotes": "“一 一”。",
        "stray-spaces": "推进 发展，",
    }[case] * n


def _time(cls, doc: Document) -> float:
    best = float("inf")
    for _ in range(3):
        gc.collect()
        gc.disable()  # a collection in one run and not in another is noise, not growth
        try:
            t0 = time.perf_counter()
            for _f in cls().check(doc):
                pass
            best = min(best, time.perf_counter() - t0)
        finally:
            gc.enable()
    return best


CASES = [
    "short-lines",
    "open-bold",
    "open-underline",
    "wrong-closers",
    "opener-line",
    "spaced-quotes",
    "stray-spaces",
]
RULES = {c: r for c, r in load_rules().items() if c.startswith(("LAYOUT", "PUNCT"))}


@pytest.mark.parametrize("case", CASES)
def test_layout_and_punct_rules_are_linear(case: str) -> None:
    docs = {k: Document.from_text(_text(case, BASE * k)) for k in (1, 2, 4)}
    for d in docs.values():
        _ = d.paragraphs, d.masks
    slow = []
    for code, cls in RULES.items():
        _time(cls, Document.from_text(_text(case, 10)))  # data loaded once, outside the timings
        t1, t2, t4 = (_time(cls, docs[k]) for k in (1, 2, 4))
        if t4 > FLOOR and t4 / max(t1, 1e-6) > MAX_GROWTH:
            slow.append(f"{code}: {t1:.3f} s, {t2:.3f} s, {t4:.3f} s at 1x/2x/4x")
    assert not slow, f"super-linear on {case!r}: " + "; ".join(slow)
