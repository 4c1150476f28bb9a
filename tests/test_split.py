"""The two-core split of one document's rules: same findings, safe fallbacks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reportlint import split
from reportlint.config import Config
from reportlint.document import Document
from reportlint.engine import build_rules, check_document

SAMPLE = Path(__file__).parent / "data" / "sample_report.txt"
can_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


def _findings(monkeypatch: pytest.MonkeyPatch, forked: bool) -> list[tuple]:
    monkeypatch.setattr(split, "usable_cpus", lambda: 2)
    if forked:
        monkeypatch.delenv("REPORTLINT_NO_FORK", raising=False)
    else:
        monkeypatch.setenv("REPORTLINT_NO_FORK", "1")
    text = SAMPLE.read_text(encoding="utf-8") + "\n全年完成统计、参事、档案、志志、气象等各项工作。\n"
    doc = Document.from_text(text, path="sample.txt")
    return [
        (f.code, f.span.start, f.span.end, f.message.zh, f.fix.replacement if f.fix else None)
        for f in check_document(doc, build_rules(Config()))
    ]


@can_fork
def test_split_gives_the_same_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(split, "SPLIT_MIN_CHARS", 10)
    monkeypatch.setattr(split.threading, "active_count", lambda: 1)  # the test runner's threads
    calls = []
    real = split.run_split
    monkeypatch.setattr(split, "run_split", lambda h, li, *idle: calls.append(1) or real(h, li, *idle))
    forked = _findings(monkeypatch, forked=True)
    assert calls, "the document was split"
    assert forked == _findings(monkeypatch, forked=False)
    assert any(code.startswith("TYPO") for code, *_ in forked)
    assert any(not code.startswith("TYPO") for code, *_ in forked)


@can_fork
def test_a_failing_child_falls_back_to_this_process() -> None:
    parent = os.getpid()

    def heavy() -> list[str]:
        if os.getpid() != parent:
            raise RuntimeError("child trouble")
        return ["heavy"]

    assert split.run_split(heavy, lambda: ["light"]) == ["heavy", "light"]


@can_fork
def test_an_error_in_a_rule_surfaces_as_without_the_split() -> None:
    def heavy() -> list[str]:
        raise ValueError("a rule's bug")

    with pytest.raises(ValueError, match="a rule's bug"):
        split.run_split(heavy, lambda: ["light"])


def test_when_not_to_split(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REPORTLINT_NO_FORK", raising=False)
    monkeypatch.setattr(split, "usable_cpus", lambda: 2)
    monkeypatch.setattr(split.threading, "active_count", lambda: 1)
    codes = ["TYPO001", "PUNCT001"]
    assert split.should_split(50_000, codes) == hasattr(os, "fork")
    assert not split.should_split(100, codes)  # short text
    assert not split.should_split(50_000, ["TYPO001"])  # nothing to run beside it
    assert not split.should_split(50_000, ["PUNCT001"])
    monkeypatch.setenv("REPORTLINT_NO_FORK", "1")
    assert not split.should_split(50_000, codes)
    monkeypatch.delenv("REPORTLINT_NO_FORK")
    monkeypatch.setattr(split, "usable_cpus", lambda: 1)
    assert not split.should_split(50_000, codes)


@can_fork
def test_split_before_the_rules_are_built_gives_the_same_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlint.engine import check_configured

    monkeypatch.setattr(split, "usable_cpus", lambda: 2)
    monkeypatch.setattr(split, "SPLIT_MIN_CHARS", 10)
    monkeypatch.setattr(split.threading, "active_count", lambda: 1)
    monkeypatch.delenv("REPORTLINT_NO_FORK", raising=False)
    calls = []
    real = split.run_split
    monkeypatch.setattr(split, "run_split", lambda h, li, *idle: calls.append(1) or real(h, li, *idle))
    text = SAMPLE.read_text(encoding="utf-8") + "\n全年完成统计、参事、档案、志志、气象等各项工作。\n"
    for config in (Config(), Config(ignore=("PUNCT002",)), Config(select=("TYPO", "NUM001"))):
        doc = Document.from_text(text, path="sample.txt")
        split_run = check_configured(doc, config)
        plain = check_document(
            Document.from_text(text, path="sample.txt"), build_rules(config), split_ok=False
        )
        assert [(f.code, f.span.start, f.span.end, f.message.zh) for f in split_run] == [
            (f.code, f.span.start, f.span.end, f.message.zh) for f in plain
        ]
    assert len(calls) == 3


@can_fork
def test_the_parent_works_while_it_waits() -> None:
    parent = os.getpid()
    done: list[int] = []
    assert split.run_split(lambda: ["heavy"], lambda: ["light"], lambda: done.append(os.getpid())) == [
        "heavy",
        "light",
    ]
    assert done == [parent]  # called once, in this process
    assert split.run_split(lambda: ["heavy"], lambda: ["light"], lambda: 1 / 0) == ["heavy", "light"]
