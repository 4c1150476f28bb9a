"""bench/clean.py counts findings per family on files checked one by one, news in pieces."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.clean import measure, pieces


def test_pieces_cut_by_lines_and_keep_every_character() -> None:
    text = "".join(f"第{i}行。\n" for i in range(7))
    got = pieces(text, 3)
    assert [first for first, _ in got] == [0, 3, 6]
    assert "".join(p for _, p in got) == text
    assert pieces(text, None) == [(0, text)]


def test_measure_counts_by_family_and_lists_where(tmp_path: Path) -> None:
    clean = tmp_path / "a.txt"
    clean.write_text("今年全市经济运行稳中有进，主要指标好于预期。\n", encoding="utf-8")
    spaced = tmp_path / "b.txt"
    spaced.write_text("今年全市经济运行稳中有进，主要指标 好于预期。\n", encoding="utf-8")
    r = measure([clean, spaced], None)
    assert r["files"] == 2
    assert r["chars"] == len(clean.read_text(encoding="utf-8")) + len(spaced.read_text(encoding="utf-8"))
    assert r["findings"]["PUNCT"] == 1
    assert sum(r["findings"].values()) == 1
    assert r["listed"][0].startswith("b.txt:1:")
    # a piece keeps the line numbers of the whole file
    spaced.write_text("第一段没有问题。\n" * 4 + "主要指标 好于预期。\n", encoding="utf-8")
    r = measure([spaced], None, piece_lines=2)
    assert r["listed"] and r["listed"][0].startswith("b.txt:5:")
