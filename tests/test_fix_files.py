"""``--fix`` keeps the file as it was apart from the fixed spans.

Links, owner, mode, encoding, byte order and each line's ending survive; a read-only
file is not written; nothing is left behind; a file that cannot be written is reported
while the rest of the report is still printed.
"""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportlint.cli import main

# One stray space (PUNCT001, a safe fix) in a line of otherwise clean text.
BAD = "今年全市经济运行稳中有进，主要指标 好于预期。"
GOOD = "今年全市经济运行稳中有进，主要指标好于预期。"
CLEAN = "全年新增城镇就业四万多人，居民收入稳步增长。"
ARGS = ["check", "--fix", "--select", "PUNCT001", "--format", "json"]


def fix(*paths: Path):
    return CliRunner().invoke(main, [*ARGS, *map(str, paths)])


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if "reportlint" in p.name]


def test_symlink_target_is_written_and_link_kept(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_text(BAD + "\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target.name)
    r = fix(link)
    assert r.exit_code == 0, r.output
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == GOOD + "\n"


def test_hard_links_stay_one_file(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text(BAD + "\n", encoding="utf-8")
    b = tmp_path / "b.txt"
    os.link(a, b)
    inode = a.stat().st_ino
    assert fix(a).exit_code == 0
    assert a.stat().st_ino == inode and a.stat().st_nlink == 2
    assert b.read_text(encoding="utf-8") == GOOD + "\n"


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's owner needs root")
def test_owner_group_and_mode_kept(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_text(BAD + "\n", encoding="utf-8")
    os.chown(f, 1234, 5678)
    os.chmod(f, 0o664)
    assert fix(f).exit_code == 0
    st = f.stat()
    assert (st.st_uid, st.st_gid, st.st_mode & 0o777) == (1234, 5678, 0o664)
    assert f.read_text(encoding="utf-8") == GOOD + "\n"


def test_read_only_file_not_written(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_text(BAD + "\n", encoding="utf-8")
    f.chmod(0o444)
    r = fix(f)
    assert r.exit_code == 2
    assert "文件只读，未修复" in r.output
    assert f.read_text(encoding="utf-8") == BAD + "\n"
    assert json.loads(r.stdout)["findings"], "the report is still printed"


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (b"", "utf-16-le"),
    ],
)
def test_encoding_and_byte_order_kept(tmp_path: Path, bom: bytes, encoding: str) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(bom + (CLEAN + "\n" + BAD + "\n").encode(encoding))
    assert fix(f).exit_code == 0
    assert f.read_bytes() == bom + (CLEAN + "\n" + GOOD + "\n").encode(encoding)


def test_each_line_ending_kept_when_mixed(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(f"{CLEAN}\r\n{BAD}\n{CLEAN}\r{CLEAN}\r\n{BAD}\n".encode())
    assert fix(f).exit_code == 0
    assert f.read_bytes() == f"{CLEAN}\r\n{GOOD}\n{CLEAN}\r{CLEAN}\r\n{GOOD}\n".encode()


def test_mixed_endings_kept_when_a_fix_joins_lines(tmp_path: Path) -> None:
    # A paragraph broken in two (LAYOUT003): the join keeps the ending after the second half.
    head = "强化重大项目支撑。健全领导分包、季度观"
    tail = "摩、定期调度等机制，加快推进重点领域项目建设。"
    f = tmp_path / "r.txt"
    f.write_bytes(f"{CLEAN}\r\n{head}\n\n{tail}\r\n{CLEAN}\n".encode())
    r = CliRunner().invoke(main, ["check", "--fix", "--select", "LAYOUT003", str(f)])
    assert r.exit_code == 0, r.output
    out = f.read_bytes().decode()
    assert head + tail in out.replace("\r", "").replace("\n", "")
    assert out.startswith(CLEAN + "\r\n") and out.endswith("\r\n" + CLEAN + "\n")


def test_nothing_left_behind(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_text(BAD + "\n", encoding="utf-8")
    assert fix(f).exit_code == 0
    assert leftovers(tmp_path) == []


def test_long_file_name(tmp_path: Path) -> None:
    name = "报" * 80 + ".txt"  # 244 bytes: no room for a temporary name built from it
    assert len(name.encode()) == 244
    f = tmp_path / name
    f.write_text(BAD + "\n", encoding="utf-8")
    assert fix(f).exit_code == 0
    assert f.read_text(encoding="utf-8") == GOOD + "\n"
    assert leftovers(tmp_path) == []


def test_long_output_file_name(tmp_path: Path) -> None:
    """-o writes through the same short temporary name as --fix."""
    f = tmp_path / "r.txt"
    f.write_text(BAD + "\n", encoding="utf-8")
    out = tmp_path / ("报" * 78 + ".json")  # 239 bytes
    r = CliRunner().invoke(main, ["check", "--format", "json", "-o", str(out), str(f)])
    assert r.exit_code == 1, r.output
    assert json.loads(out.read_text(encoding="utf-8"))["findings"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f.name, out.name])


def test_long_baseline_and_lexicon_file_names(tmp_path: Path) -> None:
    """baseline create and learn write through the same short temporary name as --fix."""
    f = tmp_path / "r.txt"
    f.write_text(BAD + "\n", encoding="utf-8")
    base = tmp_path / ("基" * 80 + ".json")  # 245 bytes
    r = CliRunner().invoke(main, ["baseline", "create", "-o", str(base), str(f)])
    assert r.exit_code == 0, r.output
    assert json.loads(base.read_text(encoding="utf-8"))["findings"]
    lex = tmp_path / ("词" * 80 + ".txt")
    r = CliRunner().invoke(main, ["learn", "-o", str(lex), str(f)])
    assert r.exit_code == 0, r.output
    assert lex.read_text(encoding="utf-8").startswith("#")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([f.name, base.name, lex.name])


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_reports_and_prints(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    f = folder / "r.txt"
    f.write_text(BAD + "\n", encoding="utf-8")
    folder.chmod(0o555)
    try:
        r = fix(f)
    finally:
        folder.chmod(0o755)
    assert r.exit_code == 2
    assert "cannot write" in r.output
    assert f.read_text(encoding="utf-8") == BAD + "\n"


def test_write_failure_is_one_line_per_file(tmp_path: Path, monkeypatch) -> None:
    """Whatever the system refuses (here: the rename), the file is reported and kept."""
    import reportlint.fixer as fixer

    def refuse(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(fixer.os, "replace", refuse)
    bad, good = tmp_path / "a.txt", tmp_path / "b.txt"
    bad.write_text(BAD + "\n", encoding="utf-8")
    good.write_text(CLEAN + "\n", encoding="utf-8")
    r = fix(bad, good)
    assert r.exit_code == 2
    assert "无法写入修复后的文件" in r.output and "Traceback" not in r.output
    assert bad.read_text(encoding="utf-8") == BAD + "\n"
    assert leftovers(tmp_path) == []
    assert json.loads(r.stdout)["files"], "the report is still printed"
