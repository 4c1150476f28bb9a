"""Errors never look like success; output to a file; pipes; fixes where nothing can be written."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportlint.cli import main

BAD = "把制造业作为高质量发展的 硬支撑,扎实推进新型工业化。\n"
ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture
def bad(tmp_path) -> Path:
    f = tmp_path / "bad.txt"
    f.write_text(BAD, encoding="utf-8")
    return f


# ----------------------------------------------------------------------------- failed files in every format
def test_a_missing_file_is_not_reported_as_clean(tmp_path) -> None:
    r = run("check", "--isolated", "--no-color", str(tmp_path / "nosuch.txt"))
    assert r.exit_code == 2
    assert "未发现问题" not in r.stdout
    assert "nosuch.txt: 未能检查: 文件或目录不存在" in r.stdout
    assert "1 个文件未能检查" in r.stdout
    en = run("check", "--isolated", "--no-color", "--lang", "en", str(tmp_path / "nosuch.txt")).stdout
    assert "No findings" not in en and "1 file(s) could not be checked" in en
    assert "nosuch.txt: not checked: no such file or directory" in en


def test_failed_files_in_json_junit_sarif_github_gitlab(tmp_path, bad) -> None:
    missing = str(tmp_path / "nosuch.txt")
    data = json.loads(run("check", "--isolated", "--format", "json", str(bad), missing).stdout)
    files = {f["path"]: f for f in data["files"]}
    assert files[missing]["error"] == "no such file or directory" and files[str(bad)]["error"] is None

    junit = run("check", "--isolated", "--format", "junit", missing).stdout
    root = ET.fromstring(junit.split("\n", 1)[1])
    assert root.get("errors") == "1" and root.get("tests") == "1"
    (case,) = root.iter("testcase")
    assert case.find("error") is not None and "no such file" in case.find("error").get("message")

    sarif = json.loads(run("check", "--isolated", "--format", "sarif", str(bad), missing).stdout)
    (inv,) = sarif["runs"][0]["invocations"]
    assert inv["executionSuccessful"] is False
    (note,) = inv["toolExecutionNotifications"]
    assert note["level"] == "error" and "no such file" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("nosuch.txt")
    ok = json.loads(run("check", "--isolated", "--format", "sarif", str(bad)).stdout)
    assert ok["runs"][0]["invocations"][0]["executionSuccessful"] is True

    gh = run("check", "--isolated", "--format", "github", missing).stdout
    assert gh.startswith("::error file=") and "no such file" in gh
    gl = json.loads(run("check", "--isolated", "--format", "gitlab", missing).stdout)
    assert gl[0]["check_name"] == "reportlint-input-error" and gl[0]["severity"] == "critical"


def test_a_bad_file_in_a_folder_is_listed_and_the_others_checked(tmp_path, bad) -> None:
    (tmp_path / "img.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    r = run("check", "--isolated", "--format", "json", str(tmp_path))
    assert r.exit_code == 1  # a file skipped inside a folder is a warning, the findings count
    data = json.loads(r.stdout)
    errors = {Path(f["path"]).name: f["error"] for f in data["files"]}
    assert "binary" in errors["img.txt"] and errors["bad.txt"] is None


# ----------------------------------------------------------------------------- pipes and -o
def test_a_closed_pipe_ends_quietly_with_the_usual_status(tmp_path) -> None:
    f = tmp_path / "many.txt"
    f.write_text(BAD * 3000, encoding="utf-8")  # far more output than a pipe buffer holds
    p = subprocess.run(
        f"{sys.executable} -m reportlint check --isolated --format concise {f} | head -1; "
        'echo "status=${PIPESTATUS[0]}"',
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    lines = p.stdout.splitlines()
    assert len(lines) == 2 and "PUNCT001" in lines[0]
    assert lines[1] == "status=1"  # findings: 1, as without the pipe
    assert p.stderr == ""  # no traceback, no "Exception ignored"


@pytest.mark.parametrize("fmt", ["text", "json", "concise", "sarif", "github", "gitlab", "junit", "html"])
def test_output_file_for_every_format(tmp_path, bad, fmt) -> None:
    out = tmp_path / "out" / f"report.{fmt}"
    out.parent.mkdir()
    r = run("check", "--isolated", "--format", fmt, "-o", str(out), str(bad))
    assert r.exit_code == 1 and r.stdout == ""
    shown = run("check", "--isolated", "--format", fmt, "--no-color", str(bad)).stdout
    assert out.read_text(encoding="utf-8") == shown
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left
    if fmt == "text":
        assert "\x1b[" not in out.read_text(encoding="utf-8")  # no colour codes in a file


def test_output_file_refuses_an_input_and_takes_diff_and_statistics(tmp_path, bad) -> None:
    before = bad.read_bytes()
    r = run("check", "--isolated", "-o", str(bad), str(bad))
    assert r.exit_code == 2 and "is one of the files being read" in r.output
    assert bad.read_bytes() == before
    diff = tmp_path / "fix.diff"
    assert run("check", "--isolated", "--diff", "-o", str(diff), str(bad)).exit_code == 1
    assert diff.read_text(encoding="utf-8").startswith("--- a/") and bad.read_bytes() == before
    stats = tmp_path / "stats.txt"
    run("check", "--isolated", "--statistics", "-o", str(stats), str(bad))
    assert "PUNCT001" in stats.read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- fixes that cannot be written
def test_fix_on_standard_input_says_why_and_diff_works(tmp_path) -> None:
    r = run("check", "--isolated", "--fix", "-", input=BAD)
    assert r.exit_code == 2 and "标准输入无法写回" in r.stderr
    r = run("check", "--isolated", "--lang", "en", "--fix", "-", input=BAD)
    assert r.exit_code == 2 and "standard input cannot be written back" in r.stderr
    r = run("check", "--isolated", "--diff", "-", input=BAD)
    assert r.exit_code == 1 and "-把制造业作为高质量发展的 硬支撑,扎实" in r.stdout
    assert "+把制造业作为高质量发展的硬支撑，扎实" in r.stdout


def test_fix_on_word_and_pdf_says_why(tmp_path) -> None:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph(BAD.strip())
    f = tmp_path / "r.docx"
    d.save(str(f))
    before = f.read_bytes()
    for flag in ("--fix", "--diff"):
        r = run("check", "--isolated", flag, str(f))
        assert r.exit_code == 2 and "--fix --annotate out.docx" in r.stderr, r.output
    assert f.read_bytes() == before
    pytest.importorskip("pdfminer")
    from test_pdf import make_pdf

    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(make_pdf([[(72, 700, BAD.strip(), 0)]]))
    r = run("check", "--isolated", "--fix", str(pdf))
    assert r.exit_code == 2 and "PDF 校样不能修改" in r.stderr


def test_unsafe_fixes_without_fix_is_an_error(bad) -> None:
    r = run("check", "--isolated", "--unsafe-fixes", str(bad))
    assert r.exit_code == 2 and "--unsafe-fixes applies only with --fix or --diff" in r.output


def test_every_input_message_has_its_chinese_form() -> None:
    """Each English input message (with made-up details) is shown in Chinese by default, keeps
    its details, and stays English with --lang en."""
    from reportlint.errors import _ZH, localize

    examples = {
        r"binary file \((.+)\), not text": "binary file (a BMP image), not text",
        r"not valid UTF-8 \(byte (0x[0-9a-f]+) at offset (\d+)\); no other encoding fits": (
            "not valid UTF-8 (byte 0xff at offset 12); no other encoding fits"
        ),
        r"not valid UTF-8 \(byte (0x[0-9a-f]+) at offset (\d+)\)": "not valid UTF-8 (byte 0xc3 at offset 7)",
    }
    for en, _zh in _ZH:
        msg = examples.get(en) or re.sub(
            r"\\(.)", r"\1", en.replace("(\\S+)", "UTF-16").replace("(.+)", "X 1")
        )
        shown = localize(f"dir/a: b.txt: {msg}", "zh")
        assert shown.startswith("dir/a: b.txt: "), (en, shown)
        body = shown.removeprefix("dir/a: b.txt: ")
        assert re.search("[\u4e00-\u9fff]", body) and not body.startswith(msg.split()[0]), (en, shown)
        for detail in re.findall(r"0x[0-9a-f]+|\d+|UTF-16|X 1", msg):
            assert detail in shown, (en, shown)
        assert localize(msg, "en") == msg
    assert localize("something new went wrong", "zh") == "something new went wrong"
