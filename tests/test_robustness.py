"""Every kind of bad input gets one clear line and the right exit code, never a traceback."""

from __future__ import annotations

import builtins
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportlint.cli import main
from reportlint.errors import InputError

GOOD = "今年经济运行总体平稳，稳中有进。\n"


def run(*args: str):
    """The command with its messages in English (the needles below; the Chinese default of the
    same messages is tested in test_errors_output)."""
    if args and args[0] == "check" and "--lang" not in args:
        args = ("check", "--lang", "en", *args[1:])
    return CliRunner().invoke(main, list(args))


def one_line_error(r, *needles: str) -> None:
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    lines = [ln for ln in r.output.splitlines() if ln.startswith("reportlint:")]
    assert lines, r.output
    for n in needles:
        assert any(n in ln for ln in lines), (n, r.output)


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "binary file (a PNG image)"),
        ("archive.txt", b"PK\x03\x04" + b"\x00" * 64, "zip archive"),
        ("nul.txt", "正文".encode() + b"\x00\x00\x00" + "正文".encode(), "NUL bytes"),
        ("invalid.txt", "正文内容".encode() + b"\xc3\x28\xa0\xa1" + "正文".encode(), "not valid UTF-8"),
        ("pdf.txt", b"%PDF-1.7\n...", "a PDF file"),
    ],
)
def test_binary_and_invalid_files(tmp_path, name, data, needle) -> None:
    f = tmp_path / name
    f.write_bytes(data)
    one_line_error(run("check", str(f)), str(f), needle)


def test_docx_renamed_to_txt(tmp_path) -> None:
    import zipfile

    f = tmp_path / "report.txt"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    one_line_error(run("check", str(f)), "zip archive")


def test_mixed_encodings_in_one_file(tmp_path) -> None:
    f = tmp_path / "mixed.txt"
    f.write_bytes("第一段是UTF-8编码。\n".encode() * 20 + "第二段是GBK编码。\n".encode("gbk") * 20)
    r = run("check", str(f))
    # either a clean refusal or a decoding that keeps the UTF-8 part readable: never a crash
    assert r.exit_code in (0, 1, 2) and "Traceback" not in r.output
    if r.exit_code == 2:
        one_line_error(r, str(f))


def test_missing_path_and_empty_directory(tmp_path) -> None:
    one_line_error(run("check", str(tmp_path / "nope.txt")), "no such file or directory")
    d = tmp_path / "empty"
    d.mkdir()
    one_line_error(run("check", str(d)), "directory holds no")


def test_empty_and_whitespace_only_files_warn(tmp_path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\u3000\n\n", encoding="utf-8")
    r = run("check", str(tmp_path / "empty.txt"), str(tmp_path / "blank.txt"))
    assert r.exit_code == 0
    assert "empty file" in r.output and "only whitespace" in r.output


def test_unreadable_file(tmp_path, monkeypatch) -> None:
    f = tmp_path / "secret.txt"
    f.write_text(GOOD, encoding="utf-8")
    real_open = builtins.open

    def guarded(path, *a, **k):
        if str(path) == str(f):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *a, **k)

    monkeypatch.setattr(builtins, "open", guarded)
    one_line_error(run("check", str(f)), "permission denied")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_and_device_files(tmp_path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    one_line_error(run("check", str(fifo)), "not a regular file")  # and it does not block
    if Path("/dev/null").exists():
        one_line_error(run("check", "/dev/null"), "not a regular file")


def test_symlink_loops(tmp_path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.symlink_to(b)
    b.symlink_to(a)
    one_line_error(run("check", str(a)), "a.txt")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "ok.txt").write_text(GOOD, encoding="utf-8")
    (folder / "loop").symlink_to(folder)  # a directory that contains itself
    r = run("check", str(folder))
    assert r.exit_code == 0, r.output


def test_bad_file_in_a_folder_is_skipped_with_a_warning(tmp_path) -> None:
    (tmp_path / "ok.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    r = run("check", str(tmp_path))
    assert r.exit_code == 0, r.output
    assert "broken.txt" in r.output and "skipped" in r.output


def test_file_over_the_size_limit(tmp_path) -> None:
    f = tmp_path / "huge.txt"
    with open(f, "wb") as fh:  # a sparse 100 MB file: the size check needs no reading
        fh.truncate(100 * 1024 * 1024)
    one_line_error(run("check", str(f)), "larger than the maximum")
    (tmp_path / "reportlint.toml").write_text('max-file-size = "1KB"\n', encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text(GOOD * 100, encoding="utf-8")
    one_line_error(run("check", str(small)), "file is 4.8 KiB, larger than the maximum of 1.0 KiB")
    (tmp_path / "reportlint.toml").write_text("max-file-size = 4899\n", encoding="utf-8")
    one_line_error(run("check", str(small)), "file is 4,900 bytes, larger than the maximum of 4,899 bytes")


def test_long_single_line_and_long_paragraph(tmp_path) -> None:
    f = tmp_path / "line.txt"
    f.write_text(("推进高质量发展，" * 60000) + "\n", encoding="utf-8")  # one 480,000-character line
    r = run("check", "--format", "json", str(f))
    assert r.exit_code in (0, 1)
    json.loads(r.output)


def test_paths_in_output_are_the_ones_given(tmp_path) -> None:
    (tmp_path / "r.txt").write_text("稳中有进,质效提升。\n", encoding="utf-8")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        out = json.loads(run("check", "--format", "json", "r.txt").output)
    finally:
        os.chdir(old)
    assert {f["path"] for f in out["findings"]} == {"r.txt"}
    assert str(tmp_path) not in json.dumps(out)


def test_no_network_at_run_time(tmp_path, monkeypatch) -> None:
    def refuse(*a, **k):
        raise AssertionError("reportlint tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    sample = Path(__file__).parent / "data" / "sample_report.txt"
    r = run("check", "--format", "json", str(sample))
    assert r.exit_code == 1 and "Traceback" not in r.output
    json.loads(r.output)


def test_config_is_data_not_code(tmp_path) -> None:
    marker = tmp_path / "pwned"
    (tmp_path / "reportlint.toml").write_text(
        f"select = [\"__import__('os').system('touch {marker}')\"]\n", encoding="utf-8"
    )
    (tmp_path / "r.txt").write_text(GOOD, encoding="utf-8")
    one_line_error(run("check", str(tmp_path / "r.txt")), "unknown rule")
    assert not marker.exists()


# --------------------------------------------------------------------------- fix safety


def test_crash_before_rename_leaves_the_original(tmp_path, monkeypatch) -> None:
    from reportlint.fixer import write_atomic
    from reportlint.readers import read_path

    f = tmp_path / "r.txt"
    original = "稳中有进,质效提升。\n"
    f.write_text(original, encoding="utf-8")
    doc = read_path(str(f))

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(InputError, match="cannot write the fixed file"):
        write_atomic(doc, "稳中有进，质效提升。\n")
    assert f.read_text(encoding="utf-8") == original
    assert [p.name for p in tmp_path.iterdir()] == ["r.txt"]


KILL_SCRIPT = """
import os, sys, time
import reportlint.fixer as fx
real_fsync = os.fsync
def slow_fsync(fd):
    print("writing", flush=True)
    time.sleep(30)
fx.os.fsync = slow_fsync
sys.argv = ["reportlint", "check", "--fix", sys.argv[1]]
from reportlint.cli import main
from reportlint.errors import InputError
main()
"""


def test_killed_mid_write_leaves_the_original(tmp_path) -> None:
    f = tmp_path / "r.txt"
    original = ("稳中有进,质效提升。\n" * 50).encode()
    f.write_bytes(original)
    p = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(f)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert p.stdout is not None
    deadline = time.time() + 60
    line = b""
    while time.time() < deadline and b"writing" not in line:
        line = p.stdout.readline()
        if not line and p.poll() is not None:
            break
    assert b"writing" in line, p.stderr.read() if p.stderr else ""
    p.send_signal(signal.SIGKILL)
    p.wait()
    assert f.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["r.txt"], "nothing left behind"
