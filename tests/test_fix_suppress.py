"""Fixes: what the user accepted is never fixed, and the JSON fix is a list of edits anyone can apply."""

from __future__ import annotations

import html
import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, SEED, needs_corpus

from reportlint.cli import main

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "sample_report.txt"

# Two stray spaces, a half-width comma and a broken paragraph, each with a safe fix.
TEXT = (
    "今年经济运行总体平稳，稳中有进。坚持扶持大企业 与培育中小企业两手抓，形成发展合力。\n\n"
    "把制造业作为核心竞争力 的强支撑,扎实推进新型工业化。健全领导分包、季度观\n\n"
    "摩、定期调度等机制，加快推进重点领域项目建设。\n"
)


def run(*args: str, cwd: Path | None = None, input: str | bytes | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args), input=input)
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, list(args), input=input)
    finally:
        os.chdir(old)


def findings(path: Path, *extra: str, cwd: Path | None = None) -> dict:
    return json.loads(run("check", "--isolated", "--format", "json", *extra, str(path), cwd=cwd).stdout)


@pytest.fixture
def report(tmp_path) -> Path:
    f = tmp_path / "report.txt"
    f.write_text(TEXT, encoding="utf-8")
    return f


def _codes_lines(data: dict) -> list[tuple[str, int]]:
    return [(f["code"], f["line"]) for f in data["findings"]]


# ----------------------------------------------------------------------------- suppressions hold while fixing
def test_an_accepted_finding_is_not_fixed_and_stays_hidden_after_fix(report: Path) -> None:
    assert ("PUNCT001", 1) in _codes_lines(findings(report))
    r = run("accept", "--isolated", "--line", "1", "--code", "PUNCT001", "report.txt", cwd=report.parent)
    assert r.exit_code == 0, r.output
    assert "1 finding(s) accepted" in r.output
    r = run("check", "--isolated", "--fix", "--no-color", "report.txt", cwd=report.parent)
    text = report.read_text(encoding="utf-8")
    assert "扶持大企业 与培育" in text  # the accepted space, byte for byte
    assert "核心竞争力的强支撑，扎实" in text and "季度观摩" in text  # the others are fixed
    assert "PUNCT001" not in r.stdout  # the report after fixing hides it again
    assert "另有 1 处已接受/基线" in r.stdout
    assert "已修复 3 处" in r.stderr
    data = findings(report, cwd=report.parent)
    assert data["findings"] == [] and data["hidden"] == {"accepted": 1}


def test_an_accepted_finding_next_to_a_fix_stays_accepted(tmp_path) -> None:
    """A fix right beside an accepted space changes the text its fingerprint hashes;
    the accepted space must still not be fixed in a later round or shown after."""
    f = tmp_path / "r.txt"
    f.write_text("坚持扶持大企业 与培育,中小企业两手抓，形成发展合力。\n", encoding="utf-8")
    assert run("accept", "--isolated", "--code", "PUNCT001", "r.txt", cwd=tmp_path).exit_code == 0
    r = run("check", "--isolated", "--fix", "r.txt", cwd=tmp_path)
    assert f.read_text(encoding="utf-8") == "坚持扶持大企业 与培育，中小企业两手抓，形成发展合力。\n"
    assert "PUNCT001" not in r.stdout and r.exit_code == 0, r.output


def test_a_baselined_file_is_left_byte_for_byte(report: Path) -> None:
    before = report.read_bytes()
    r = run("baseline", "create", "--isolated", "-o", "base.json", "report.txt", cwd=report.parent)
    assert r.exit_code == 0, r.output
    r = run("check", "--isolated", "--fix", "--baseline", "base.json", "report.txt", cwd=report.parent)
    assert r.exit_code == 0, r.output
    assert report.read_bytes() == before
    r = run("check", "--isolated", "--diff", "--baseline", "base.json", "report.txt", cwd=report.parent)
    assert r.stdout == "" and r.exit_code == 0


def test_inline_disabled_markdown_is_not_fixed(tmp_path) -> None:
    md = tmp_path / "r.md"
    md.write_text(
        "# 报告\n\n<!-- reportlint-disable PUNCT -->\n稳中有进,质效提升。\n<!-- reportlint-enable -->\n\n"
        "稳中有进,质效提升。\n\n<!-- reportlint-disable-next-line PUNCT002 -->\n稳中有进,质效提升。\n",
        encoding="utf-8",
    )
    r = run("check", "--isolated", "--fix", str(md))
    lines = md.read_text(encoding="utf-8").splitlines()
    assert lines[3] == "稳中有进,质效提升。" and lines[9] == "稳中有进,质效提升。"  # disabled: unchanged
    assert lines[6] == "稳中有进，质效提升。"  # the other one is fixed
    assert r.exit_code == 0 and "另有 2 处已接受/基线" in r.stdout


def test_ignored_rules_are_not_fixed(report: Path) -> None:
    run("check", "--isolated", "--fix", "--ignore", "PUNCT001,LAYOUT003", str(report))
    text = report.read_text(encoding="utf-8")
    assert "大企业 与培育" in text and "核心竞争力 的强支撑，扎实" in text and "季度观\n\n摩" in text


# ----------------------------------------------------------------------------- the fix format
# Applies every fix edit of a JSON report to one file (safe ones, or all): independent of reportlint.
APPLY = r"""
import json, sys
data = json.load(open(sys.argv[1], encoding="utf-8"))
text = open(sys.argv[2], encoding="utf-8").read()
ok = lambda f: f["path"] == sys.argv[2] and f["fix"] and (f["fix"]["safe"] or sys.argv[3] == "unsafe")
edits = [e for f in data["findings"] if ok(f) for e in f["fix"]["edits"]]
for e in sorted(edits, key=lambda e: e["offset"], reverse=True):
    text = text[: e["offset"]] + e["replacement"] + text[e["end_offset"] :]
sys.stdout.write(text)
"""


def _json_applied_equals_fix(sources: list[Path], tmp_path: Path, unsafe: bool, *extra: str) -> None:
    """Copies of ``sources`` in one folder: the edits of one JSON report, applied by APPLY, give
    each file exactly what ``--fix`` (``--unsafe-fixes``) then writes."""
    folder = tmp_path / ("unsafe" if unsafe else "safe")
    folder.mkdir()
    copies = [folder / src.name for src in sources]
    for src, f in zip(sources, copies, strict=True):
        shutil.copyfile(src, f)  # not the read-only mode of the corpus
    report = tmp_path / "report.json"
    report.write_text(
        run("check", "--no-cross-file", *extra, "--format", "json", *map(str, copies)).stdout, "utf-8"
    )
    mode = "unsafe" if unsafe else "safe"
    applied = [
        subprocess.run(
            [sys.executable, "-c", APPLY, str(report), str(f), mode], capture_output=True, check=True
        ).stdout.decode("utf-8")
        for f in copies
    ]
    run(
        "check",
        "--no-cross-file",
        *extra,
        "--fix",
        *(["--unsafe-fixes"] if unsafe else []),
        *map(str, copies),
    )
    changed = 0
    for src, f, want in zip(sources, copies, applied, strict=True):
        assert want == f.read_text(encoding="utf-8"), src.name
        changed += want != src.read_text(encoding="utf-8")
    assert changed  # the comparison is about files that fixes do change


@pytest.mark.parametrize("unsafe", [False, True])
def test_json_edits_applied_by_a_ten_line_script_give_what_fix_gives(tmp_path, unsafe) -> None:
    assert len(APPLY.strip().splitlines()) <= 10
    # The fixture's cases repeat one another's sentences: once joined, a second round of
    # --fix would delete the repeats (DUP001), which no single report can show.
    fixture = DATA.parent / "fixtures" / "LAYOUT003.txt"
    _json_applied_equals_fix([SAMPLE, fixture], tmp_path, unsafe, "--ignore", "DUP")


@needs_corpus()
def test_json_edits_give_what_fix_gives_on_the_seed_and_every_shared_report(tmp_path) -> None:
    sources = [SEED, *sorted((CORPUS / "reports").glob("*.txt"))]
    assert len(sources) > 30
    _json_applied_equals_fix(sources, tmp_path, unsafe=False)
    _json_applied_equals_fix([SEED], tmp_path, unsafe=True)


def test_layout003_fix_joins_the_halves_instead_of_deleting_a_character(report: Path) -> None:
    data = findings(report)
    text = report.read_text(encoding="utf-8")
    (broken,) = [f for f in data["findings"] if f["code"] == "LAYOUT003"]
    assert broken["excerpt"] == "观"
    (edit,) = broken["fix"]["edits"]
    assert edit["offset"] == broken["end_offset"]  # after the last character, not on it
    assert text[edit["offset"] : edit["end_offset"]] == "\n\n" and edit["replacement"] == ""
    assert (edit["line"], edit["end_line"], edit["end_column"]) == (3, 5, 1)
    assert broken["fix"]["message"] == "与下段合并"
    out = run("check", "--isolated", "--no-color", str(report)).stdout
    assert "可自动修复：与下段合并" in out and "建议删除" not in out


def test_header_fix_covers_what_is_removed_and_no_two_fixes_overlap(tmp_path) -> None:
    f = tmp_path / "r.txt"
    shutil.copy(SAMPLE, f)
    data = findings(f)
    text = f.read_text(encoding="utf-8")
    by_code = {x["code"]: x for x in data["findings"]}
    header = by_code["LAYOUT001"]  # 综 合, between the halves of a broken paragraph
    assert header["fix"] is None  # its removal is part of joining the paragraph
    joined = next(x for x in data["findings"] if x["code"] == "LAYOUT003" and x["excerpt"] == "范")
    (edit,) = joined["fix"]["edits"]
    assert text[edit["offset"] : edit["end_offset"]] == "\n\n综 合\n\n"
    assert joined["fix"]["message"] == "与下段合并（删去中间的“综 合”）"
    marker = next(x for x in data["findings"] if x["code"] == "LAYOUT002")
    (edit,) = marker["fix"]["edits"]
    assert text[edit["offset"] : edit["end_offset"]] == "（上接第二版）\n\n"  # the line and its blank line
    sarif = json.loads(run("check", "--isolated", "--format", "sarif", str(f)).stdout)
    deleted = [
        rep["deletedRegion"]
        for res in sarif["runs"][0]["results"]
        for fix in res.get("fixes", [])
        for change in fix["artifactChanges"]
        for rep in change["replacements"]
    ]
    regions = sorted((d["charOffset"], d["charOffset"] + d["charLength"]) for d in deleted)
    assert regions and all(a[1] <= b[0] for a, b in itertools.pairwise(regions))  # no overlap


@needs_corpus()
def test_seed_fixes_say_what_they_do_and_never_overlap() -> None:
    data = json.loads(run("check", "--format", "json", str(SEED)).stdout)
    by = {(x["code"], x["line"]): x for x in data["findings"]}
    assert by[("LAYOUT003", 37)]["fix"]["message"] == "与下段合并（删去中间的“要 闻”）"
    assert by[("LAYOUT001", 39)]["fix"] is None  # inside the LAYOUT003 join: no overlapping fix
    assert by[("DUP001", 73)]["fix"]["message"] == "删除重复的2段"  # the first print, out of place
    edits = [e for x in data["findings"] if x["fix"] for e in x["fix"]["edits"]]
    spans = sorted((e["offset"], e["end_offset"]) for e in edits)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


@pytest.mark.parametrize(
    ("fmt", "want"),
    [
        ("text", "可自动修复：与下段合并（删去中间的“综 合”）"),
        ("html", "可自动修复：与下段合并（删去中间的“综 合”）"),
        ("sarif", "与下段合并（删去中间的“综 合”）"),
        ("gitlab", "（可自动修复：与下段合并（删去中间的“综 合”））"),
        ("json", "与下段合并（删去中间的“综 合”）"),
    ],
)
def test_every_format_says_what_the_fix_does(tmp_path, fmt, want) -> None:
    f = tmp_path / "r.txt"
    shutil.copy(SAMPLE, f)
    out = run("check", "--isolated", "--no-color", "--format", fmt, str(f)).stdout
    assert want in out and "建议删除" not in out
    en = run("check", "--isolated", "--no-color", "--lang", "en", "--format", fmt, str(f)).stdout
    en = html.unescape(en)
    assert "join with the next paragraph (dropping '综 合' between)" in en


# ----------------------------------------------------------------------------- accept, prune, unused
def test_accept_one_finding_by_fingerprint_and_prune_stale_entries(report: Path) -> None:
    data = findings(report)
    target = next(x for x in data["findings"] if x["code"] == "PUNCT002")
    fp = target["fingerprint"]
    r = run("accept", "--isolated", "--fingerprint", fp, "--reason", "引文", "report.txt", cwd=report.parent)
    assert r.exit_code == 0 and "1 finding(s) accepted" in r.output, r.output
    after = findings(report, cwd=report.parent)
    assert "PUNCT002" not in {x["code"] for x in after["findings"]} and len(after["findings"]) == 3
    assert after["hidden"] == {"accepted": 1} and after["unused_suppressions"] == []
    # nothing matches: a clear error, not a silent no-op
    r = run("accept", "--isolated", "--line", "99", "report.txt", cwd=report.parent)
    assert r.exit_code == 2 and "no current finding matches" in r.output
    # the text is corrected: the entry is stale, listed in JSON, then pruned
    report.write_text(TEXT.replace("强支撑,", "强支撑，"), encoding="utf-8")
    stale = findings(report, cwd=report.parent)["unused_suppressions"]
    assert [(u["code"], u["path"], u["fingerprint"]) for u in stale] == [
        ("PUNCT002", "report.txt", target["fingerprint"])
    ]
    r = run("check", "--isolated", "--show-unused-suppressions", "report.txt", cwd=report.parent)
    assert r.exit_code == 1 and "unused accepted finding PUNCT002" in r.output
    r = run("accept", "--isolated", "--prune", "report.txt", cwd=report.parent)
    assert r.exit_code == 0 and "1 stale entry(ies) removed" in r.output, r.output
    assert "PUNCT002" not in (report.parent / "reportlint-accepted.toml").read_text(encoding="utf-8")
    assert findings(report, cwd=report.parent)["unused_suppressions"] == []


def test_unused_entries_of_files_not_checked_are_not_reported(tmp_path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("把制造业作为核心竞争力 的强支撑。\n", encoding="utf-8")
    b.write_text("今年经济运行总体平稳，稳中有进。\n", encoding="utf-8")
    assert run("accept", "--isolated", "a.txt", cwd=tmp_path).exit_code == 0
    assert findings(b, cwd=tmp_path)["unused_suppressions"] == []  # a.txt was not checked
    assert findings(a, "--select", "TYPO", cwd=tmp_path)["unused_suppressions"] == []  # PUNCT did not run
