from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import SEED, needs_corpus

from reportlint.cli import main

BAD = "把制造业作为高质量发展的 硬支撑,扎实推进新型工业化。\n"
GOOD = "今年经济运行总体平稳，稳中有进。\n"


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture
def files(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text(BAD, encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    return bad, good


def test_exit_codes(files, tmp_path) -> None:
    bad, good = files
    assert run("check", str(good)).exit_code == 0
    assert run("check", str(bad)).exit_code == 1
    assert run("check", "--exit-zero", str(bad)).exit_code == 0
    r = run("check", str(tmp_path / "missing.txt"))
    assert r.exit_code == 2
    assert "missing.txt: 文件或目录不存在" in r.output
    assert "Traceback" not in r.output


def test_input_errors_are_one_line_and_exit_2(tmp_path) -> None:
    binary = tmp_path / "img.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    r = run("check", str(binary))
    assert r.exit_code == 2 and "二进制文件（PNG 图片），不是文本" in r.output
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    r = run("check", str(empty_dir))
    assert r.exit_code == 2 and "目录中没有 .txt、.md、.docx 或 .pdf 文件" in r.output


def test_empty_file_is_a_warning_not_an_error(tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    r = run("check", str(empty))
    assert r.exit_code == 0
    assert "空文件" in r.output


def test_usage_errors_exit_2_with_suggestion(files) -> None:
    bad, _ = files
    r = run("check", "--select", "PUNKT", str(bad))
    assert r.exit_code == 2
    assert "unknown rule or prefix 'PUNKT'" in r.output and "did you mean" in r.output
    assert run("check", "--format", "xml", str(bad)).exit_code == 2
    assert run("rule", "NOPE999").exit_code == 2


def test_select_and_ignore(files) -> None:
    bad, _ = files
    out = json.loads(run("check", "--format", "json", "--select", "PUNCT001", str(bad)).output)
    assert {f["code"] for f in out["findings"]} == {"PUNCT001"}
    out = json.loads(run("check", "--format", "json", "--ignore", "PUNCT001", str(bad)).output)
    assert "PUNCT001" not in {f["code"] for f in out["findings"]}
    assert "PUNCT002" in {f["code"] for f in out["findings"]}


def test_config_file_is_used_and_cli_wins(files, tmp_path) -> None:
    bad, _ = files
    (tmp_path / "reportlint.toml").write_text('ignore = ["PUNCT002"]\nlang = "en"\n', encoding="utf-8")
    out = json.loads(run("check", "--format", "json", str(bad)).output)
    assert {f["code"] for f in out["findings"]} == {"PUNCT001"}
    assert out["findings"][0]["message"].startswith("stray space")
    out = json.loads(
        run("check", "--format", "json", "--lang", "zh", "--select", "PUNCT002", str(bad)).output
    )
    assert {f["code"] for f in out["findings"]} == {"PUNCT002"}
    assert "半角" in out["findings"][0]["message"]
    (tmp_path / "reportlint.toml").write_text("colour = 1\n", encoding="utf-8")
    r = run("check", str(bad))
    assert r.exit_code == 2 and "unknown key 'colour'" in r.output


def test_json_schema(files) -> None:
    bad, _ = files
    r = run("check", "--format", "json", str(bad))
    data = json.loads(r.output)
    assert data["schema"] == 2
    assert data["tool"]["name"] == "reportlint" and data["tool"]["version"]
    assert data["files"] == [
        {"path": str(bad), "encoding": "utf-8", "chars": len(BAD), "findings": 2, "hidden": {}, "error": None}
    ]
    assert data["hidden"] == {} and data["unused_suppressions"] == []
    keys = {
        "path",
        "code",
        "name",
        "severity",
        "message",
        "line",
        "column",
        "end_line",
        "end_column",
        "offset",
        "end_offset",
        "excerpt",
        "related",
        "fingerprint",
        "fix",
        "confidence",
    }
    text = BAD
    for f in data["findings"]:
        assert set(f) == keys
        assert f["severity"] in ("error", "warning", "info")
        assert text[f["offset"] : f["end_offset"]] == f["excerpt"]
        assert f["column"] == f["offset"] + 1 and f["end_column"] == f["end_offset"] + 1
        assert f["fix"] is None or set(f["fix"]) == {"message", "safe", "edits"}
        assert len(f["fingerprint"]) >= 16
    space = next(f for f in data["findings"] if f["code"] == "PUNCT001")
    edit = {"line": 1, "column": 13, "end_line": 1, "end_column": 14, "offset": 12, "end_offset": 13}
    assert space["fix"] == {"message": "删除空格", "safe": True, "edits": [{**edit, "replacement": ""}]}
    assert (space["line"], space["column"], space["end_column"]) == (1, 13, 14)


def test_stdin_and_gbk_stdin() -> None:
    r = run("check", "--format", "json", "-", input=BAD.encode("utf-8"))
    assert r.exit_code == 1
    assert json.loads(r.output)["files"][0]["path"] == "<stdin>"
    r = run("check", "--format", "json", "-", input=(BAD * 4).encode("gb18030"))
    assert json.loads(r.output)["files"][0]["encoding"] == "gb18030"


def test_text_output_shows_location_and_summary(files) -> None:
    bad, _ = files
    r = run("check", str(bad), "--no-color")
    assert f"{bad}:1:13 PUNCT001" in r.output
    assert "2 处问题" in r.output and "每万字符" in r.output
    r = run("check", str(bad), "--no-color", "--lang", "en")
    assert "stray space between Chinese characters" in r.output and "2 findings" in r.output


def test_rules_and_rule_commands() -> None:
    r = run("rules")
    assert r.exit_code == 0 and "PUNCT001" in r.output and "stray-space" in r.output
    r = run("rule", "PUNCT001")
    assert r.exit_code == 0 and "## Why is this bad?" in r.output
    assert run("rule", "stray-space").exit_code == 0


def test_module_entry_point(files) -> None:
    bad, _ = files
    p = subprocess.run([sys.executable, "-m", "reportlint", "check", str(bad)], capture_output=True)
    assert p.returncode == 1 and b"PUNCT001" in p.stdout


@needs_corpus()
def test_seed_layout_and_punct_findings() -> None:
    r = run("check", "--format", "json", "--select", "PUNCT,LAYOUT", str(SEED))
    data = json.loads(r.output)
    got = {(f["code"], f["line"]) for f in data["findings"]}
    expected = {
        ("LAYOUT002", 3),
        ("LAYOUT002", 89),  # （上接第一版） / （下转第三版）
        ("LAYOUT003", 9),
        ("LAYOUT003", 37),
        ("LAYOUT003", 61),  # broken paragraphs
        ("LAYOUT001", 39),  # 要 闻
        ("LAYOUT004", 77),  # 面发展。
        ("LAYOUT005", 29),  # ** markers
        ("PUNCT001", 73),
        ("PUNCT001", 81),
        ("PUNCT001", 85),  # stray spaces
        ("PUNCT002", 9),  # 8个(省)控
    }
    assert got == expected
