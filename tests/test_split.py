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


@pytest.fixture
def forkable(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A process that may fork for the split: two cores, no other thread, no opt-out."""
    monkeypatch.setattr(split, "usable_cpus", lambda: 2)
    monkeypatch.setattr(split.threading, "active_count", lambda: 1)
    monkeypatch.delenv("REPORTLINT_NO_FORK", raising=False)
    return monkeypatch


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
    monkeypatch.setattr(
        split, "run_split", lambda h, li, *idle, **kw: calls.append(1) or real(h, li, *idle, **kw)
    )
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
@pytest.mark.parametrize("early", [False, True], ids=["child forked late", "early child"])
def test_the_split_gives_the_same_findings_as_one_process(forkable: pytest.MonkeyPatch, early: bool) -> None:
    """The split as check_configured makes it (before the rules are built), with a child forked
    then or one forked early (split.start_early) that takes its order through a pipe."""
    from reportlint.engine import check_configured, preload_heavy

    forkable.setattr(split, "SPLIT_MIN_CHARS", 10)
    sent = []
    real = split._send_order
    forkable.setattr(split, "_send_order", lambda order: sent.append(real(order)) or sent[-1])
    text = SAMPLE.read_text(encoding="utf-8") + "\n全年完成统计、参事、档案、志志、气象等各项工作。\n"
    configs = (
        Config(),
        Config(ignore=("PUNCT002",)),
        Config(select=("TYPO", "NUM001", "PUNCT"), typo_level="review"),
    )
    for config in configs:
        if early:
            split.start_early(preload_heavy)
        try:
            got = check_configured(Document.from_text(text, path="sample.txt"), config)
        finally:
            split.dismiss_early()
        plain = check_document(
            Document.from_text(text, path="sample.txt"), build_rules(config), split_ok=False
        )
        assert [(f.code, f.span.start, f.span.end, f.message.zh, f.confidence) for f in got] == [
            (f.code, f.span.start, f.span.end, f.message.zh, f.confidence) for f in plain
        ]
        assert any(f.code.startswith("TYPO") for f in got)
    assert [s is not None for s in sent] == [early] * len(configs)  # each check split, as asked


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


# -- the early child (split.start_early) ------------------------------------------------


def _boom() -> list[str]:
    raise RuntimeError("the early child's trouble")


def _pid_list() -> list[int]:
    return [os.getpid()]


@can_fork
def test_the_early_child_does_the_heavy_half(forkable: pytest.MonkeyPatch) -> None:
    split.start_early(lambda: None)
    try:
        got = split.run_split(lambda: ["here"], lambda: ["light"], order=(_pid_list, ()))
    finally:
        split.dismiss_early()
    assert got[1] == "light" and isinstance(got[0], int) and got[0] != os.getpid()
    assert split._early is None  # used once, then gone


@can_fork
def test_a_failing_early_child_falls_back_to_this_process(forkable: pytest.MonkeyPatch) -> None:
    split.start_early(lambda: 1 / 0)  # a failed preload is only a lost head start
    assert split.run_split(lambda: ["heavy"], lambda: ["light"], order=(_boom, ())) == ["heavy", "light"]


@can_fork
def test_an_order_too_large_for_the_pipe_goes_to_a_child_forked_late(forkable: pytest.MonkeyPatch) -> None:
    split.start_early(lambda: None)
    early = split._early
    assert early is not None
    big = "字" * (early.room + 1)
    assert split.run_split(lambda: [len(big)], lambda: ["light"], order=(len, (big,))) == [len(big), "light"]
    assert split._early is None
    with pytest.raises(ChildProcessError):
        os.waitpid(early.pid, 0)  # the unused early child was stopped and reaped


@can_fork
def test_an_unused_early_child_is_stopped_at_once(forkable: pytest.MonkeyPatch) -> None:
    import time

    split.start_early(lambda: time.sleep(30))
    early = split._early
    assert early is not None
    t = time.monotonic()
    split.dismiss_early()
    assert time.monotonic() - t < 10  # not waiting for the sleep
    with pytest.raises(ChildProcessError):
        os.waitpid(early.pid, 0)
    split.dismiss_early()  # twice is harmless


def test_no_early_child_where_the_split_may_not_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTLINT_NO_FORK", "1")
    split.start_early(lambda: None)
    assert split._early is None
    # no child took the order: the heavy half is the closure's, not the order's pid list
    assert split.run_split(lambda: ["heavy"], lambda: ["light"], order=(_pid_list, ())) == ["heavy", "light"]


@can_fork
def test_a_check_of_one_file_gives_the_same_output_with_the_early_child(tmp_path: Path) -> None:
    """The command as run (the launcher forks the child before click is loaded, guessing the
    file from the arguments; the options then use it, leave it unused or stop it), against
    the same command in one process: the same output, exit code and written files."""
    import subprocess
    import sys

    text = SAMPLE.read_text(encoding="utf-8") * 3 + "\n全年完成统计、参事、档案、志志、气象等各项工作。\n"
    f = tmp_path / "report.txt"
    f.write_text(text, encoding="utf-8")
    cases = [
        (["--format", "json", str(f)], 1),  # the child takes the TYPO rules
        (["--select", "PUNCT,LAYOUT", str(f)], 1),  # nothing for the child: it is stopped
        (["--select", "TYPO", "--format", "json", str(f)], 1),  # all for one process: no split
        (["--format", "json", "-o", str(tmp_path / "out-{}.json"), str(f)], 1),  # output to a file
        (["--no-such-option", str(f)], 2),  # a usage error after the fork
        ([str(f), str(tmp_path / "missing.txt")], 2),  # two paths: no early child
    ]
    for args, code in cases:
        out = {}
        for fork in ("", "1"):
            env = {k: v for k, v in os.environ.items() if k != "REPORTLINT_NO_FORK"}
            if fork:
                env["REPORTLINT_NO_FORK"] = fork
            argv = [a.replace("{}", fork or "0") for a in args]
            run = subprocess.run(
                [sys.executable, "-m", "reportlint", "check", *argv],
                capture_output=True,
                text=True,
                env=env,
                timeout=120,
            )
            assert run.returncode == code, (args, run.stderr)
            written = tmp_path / f"out-{fork or '0'}.json"
            out[fork] = (
                run.stdout,
                run.stderr,
                written.read_text(encoding="utf-8") if written.exists() else "",
            )
        assert out[""] == out["1"], args
    first = subprocess.run(
        [sys.executable, "-m", "reportlint", "check", "--format", "json", str(f)],
        capture_output=True,
        text=True,
    )
    assert "TYPO001" in first.stdout and "PUNCT" in first.stdout
