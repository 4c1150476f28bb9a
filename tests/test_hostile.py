"""Hostile input: bounded memory, no super-linear path, one clear line for every refusal.

Timings are compared as ratios within one test (a 4x input may take at most a generous
multiple of the 1x time), never against a clock; sizes are small so the suite stays fast.
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from click.testing import CliRunner

from reportlint import engine
from reportlint.cli import main
from reportlint.config import Config
from reportlint.document import Document
from reportlint.engine import build_rules, check_document
from reportlint.errors import InputError
from reportlint.readers.md import markdown_document


def growth(make, sizes=(4000, 16000), repeat: int = 3) -> float:
    """time(make(4x)) / time(make(1x)), each the best of ``repeat`` runs."""
    times = []
    for n in sizes:
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            make(n)
            best = min(best, time.perf_counter() - t0)
        times.append(max(best, 1e-4))
    return times[1] / times[0]


# --------------------------------------------------------------------------- findings cap


def test_findings_of_one_rule_are_capped_and_counted(monkeypatch) -> None:
    monkeypatch.setattr(engine, "MAX_FINDINGS_PER_RULE", 5)
    doc = Document.from_text("（" * 40 + "\n")
    found = check_document(doc, build_rules(Config(select=("PUNCT003",))))
    assert len(found) == 6
    assert "从此处起还有同类问题未逐条列出" in found[-1].message.zh
    assert "more findings of this rule are not listed" in found[-1].message.en


def test_windowed_check_caps_too(monkeypatch) -> None:
    monkeypatch.setattr(engine, "MAX_FINDINGS_PER_RULE", 5)  # one cap, read where it is set
    monkeypatch.setenv("REPORTLINT_WINDOW_CHARS", "200")
    doc = Document.from_text(("（" * 30 + "\n") * 20)
    found = check_document(doc, build_rules(Config(select=("PUNCT003",))))
    assert len(found) == 6 and "more findings" in found[-1].message.en
    assert "5 per rule" in found[-1].message.en


# --------------------------------------------------------------------------- Markdown


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "[" * n + "中文内容。\n",
        lambda n: "[a](" * (n // 4) + "\n",
        lambda n: "[" * (n // 8) + "a" + "](b)" * (n // 8) + "\n",
        lambda n: "`` ` " * (n // 5) + "\n",
        lambda n: "[a](<" * (n // 5) + "\n",
        lambda n: "| a | b |\n|---|---|\n| " + "`x|" * (n // 3) + " |\n",
    ],
    ids=["brackets", "open-links", "nested-links", "backticks", "angle-links", "table-code"],
)
def test_markdown_reading_is_linear(make) -> None:
    assert growth(lambda n: markdown_document(make(n))) < 9


def test_many_disable_markers_are_linear() -> None:
    from reportlint.suppress import inline_regions, inline_suppressed

    def run(n: int) -> None:
        src = "".join(
            f"<!-- reportlint-disable TYPO00{i % 5 + 1} X{i} -->\n段落 {i}。\n" for i in range(n // 40)
        )
        doc = markdown_document(src)
        findings = check_document(doc, build_rules(Config(select=("PUNCT001",))))
        inline_suppressed(findings, inline_regions(doc))

    assert growth(run, sizes=(40_000, 160_000), repeat=1) < 9


def test_inline_regions_hide_what_they_name() -> None:
    from reportlint.suppress import inline_regions, inline_suppressed

    src = (
        "开头 有空格。\n\n<!-- reportlint-disable PUNCT -->\n\n中间 有空格。\n\n"
        "<!-- reportlint-enable PUNCT -->\n\n结尾 有空格。\n\n"
        "<!-- reportlint-disable-next-line PUNCT001 -->\n末行 有空格。\n"
    )
    doc = markdown_document(src)
    findings = check_document(doc, build_rules(Config(select=("PUNCT001",))))
    hidden = inline_suppressed(findings, inline_regions(doc))
    pairs = zip(findings, hidden, strict=True)
    shown = [doc.text[f.span.start - 2 : f.span.start] for f, h in pairs if not h]
    assert shown == ["开头", "结尾"]


def test_deep_markdown_lists_are_read() -> None:
    src = "".join("  " * i + f"- 第{i}层列表的内容，经济运行总体平稳。\n" for i in range(12))
    doc = markdown_document(src)
    assert len(doc.paragraphs) == 12 and not doc.meta.get("warnings")


def test_markdown_deeper_than_the_limit_is_plain_text_with_a_warning() -> None:
    src = ">" * 300 + " 引用 内容。\n"
    doc = markdown_document(src)
    assert doc.meta["warnings"][0][1].startswith("Markdown nested more than")
    found = check_document(doc, build_rules(Config(select=("PUNCT001",))))
    assert [f.code for f in found] == ["PUNCT001"]


# --------------------------------------------------------------------------- bombs


def docx_bytes(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_docx_zip_bomb_is_refused(tmp_path, monkeypatch) -> None:
    pytest.importorskip("docx")
    import reportlint.readers.docx as rdocx

    monkeypatch.setattr(rdocx, "MAX_UNZIPPED", 1 << 20)
    f = tmp_path / "bomb.docx"
    f.write_bytes(docx_bytes({"[Content_Types].xml": b"<x/>", "word/document.xml": b" " * (2 << 20)}))
    with pytest.raises(InputError, match="zip bomb"):
        rdocx.read_docx(f.read_bytes(), str(f))
    r = CliRunner().invoke(main, ["check", str(f)])
    assert r.exit_code == 2 and "zip bomb" in r.output and "Traceback" not in r.output


def test_docx_compression_ratio_bomb_is_refused(tmp_path) -> None:
    pytest.importorskip("docx")
    from reportlint.readers.docx import check_zip_sizes

    data = docx_bytes({"word/document.xml": b"\0" * (16 << 20)})  # ~1000:1
    with pytest.raises(InputError, match="zip bomb"):
        check_zip_sizes(data, "bomb.docx")


def pdf_with_stream(content: bytes) -> bytes:
    import zlib

    stream = zlib.compress(content, 9)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_pdf_flate_bomb_is_refused(tmp_path, monkeypatch) -> None:
    pytest.importorskip("pdfminer")
    import reportlint.readers.pdf as rpdf

    monkeypatch.setattr(rpdf, "MAX_INFLATED", 1 << 20)
    data = pdf_with_stream(b" " * (4 << 20))
    with pytest.raises(InputError, match="decompression bomb"):
        rpdf.read_pdf(data, "bomb.pdf")
    # the budget is per document and pdfminer's own zlib is restored afterwards
    import pdfminer.pdftypes as pdftypes

    assert pdftypes.zlib.__name__ == "zlib"


# --------------------------------------------------------------------------- signals


def test_ctrl_c_with_workers_ends_with_130_and_one_line(tmp_path) -> None:
    import os
    import signal
    import subprocess
    import sys

    text = "今年全市经济运行稳中有进，主要指标 好于预期。\n" * 3000
    for i in range(12):
        (tmp_path / f"r{i}.txt").write_text(text, encoding="utf-8")
    p = subprocess.Popen(
        [sys.executable, "-m", "reportlint", "check", "-j", "2", "--no-cross-file", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    time.sleep(2.5)
    os.killpg(p.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    _, err = p.communicate(timeout=60)  # a guard against hanging, not a timing
    assert p.returncode == 130
    assert err.decode().strip() == "reportlint: interrupted"


def test_ctrl_c_during_a_split_check_of_one_file_ends_with_130_and_one_line(tmp_path) -> None:
    import os
    import signal
    import subprocess
    import sys

    f = tmp_path / "big.txt"
    f.write_text("今年全市经济运行稳中有进，主要指标 好于预期，志志。\n" * 20000, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "REPORTLINT_NO_FORK"}
    p = subprocess.Popen(
        [sys.executable, "-m", "reportlint", "check", str(f)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env=env,
    )
    time.sleep(1.5)  # the early child forked, the check under way
    os.killpg(p.pid, signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130
    assert err.decode().strip() == "reportlint: interrupted"
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):
        os.killpg(p.pid, 0)  # no process of the group is left


def test_ctrl_c_while_the_command_loads_is_one_line(monkeypatch, capsys) -> None:
    import builtins

    from reportlint import launch

    real = builtins.__import__

    def interrupted(name, *args, **kwargs):
        if name == "reportlint.cli":
            raise KeyboardInterrupt
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", interrupted)
    with pytest.raises(SystemExit) as e:
        launch.main()
    assert e.value.code == 130
    assert capsys.readouterr().err == "reportlint: interrupted\n"


def test_the_script_enters_through_the_launcher() -> None:
    import tomllib
    from pathlib import Path

    meta = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["scripts"]["reportlint"] == "reportlint.launch:main"


# --------------------------------------------------------------------------- side files


def one_line(r, text: str) -> None:
    assert r.exit_code == 2, r.output
    assert text in r.output and "Traceback" not in r.output


def test_fifo_or_device_as_lexicon_or_baseline_is_refused(tmp_path) -> None:
    import os

    report = tmp_path / "r.txt"
    report.write_text("今年经济运行总体平稳。\n", encoding="utf-8")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    (tmp_path / "reportlint.toml").write_text(f'lexicon = ["{fifo}"]\n', encoding="utf-8")
    one_line(CliRunner().invoke(main, ["check", str(report)]), "not a regular file")
    (tmp_path / "reportlint.toml").write_text('lexicon = ["/dev/zero"]\n', encoding="utf-8")
    one_line(CliRunner().invoke(main, ["check", str(report)]), "not a regular file")
    (tmp_path / "reportlint.toml").unlink()
    one_line(CliRunner().invoke(main, ["check", "--baseline", str(fifo), str(report)]), "not a regular file")


def test_huge_or_deep_config_is_refused(tmp_path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("今年经济运行总体平稳。\n", encoding="utf-8")
    cfg = tmp_path / "reportlint.toml"
    cfg.write_text("# padding\n" * 200_000, encoding="utf-8")  # 2 MB
    one_line(CliRunner().invoke(main, ["check", str(report)]), "more than the 1.0 MiB allowed")
    cfg.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    one_line(CliRunner().invoke(main, ["check", str(report)]), "nested too deeply")


@pytest.mark.parametrize("size", ["99999999999999999999999GB", "2048GB", str(1 << 50)])
def test_absurd_max_file_size_is_a_usage_error(tmp_path, size: str) -> None:
    report = tmp_path / "r.txt"
    report.write_text("今年经济运行总体平稳。\n", encoding="utf-8")
    value = size if not size.isdigit() else int(size)
    (tmp_path / "reportlint.toml").write_text(
        f"max-file-size = {value!r}\n".replace("'", '"'), encoding="utf-8"
    )
    one_line(CliRunner().invoke(main, ["check", str(report)]), "largest size allowed")


def test_config_above_the_repository_root_is_not_used(tmp_path) -> None:
    (tmp_path / "reportlint.toml").write_text('select = ["NUM"]\n', encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    report = repo / "r.txt"
    report.write_text("今年经济运行 总体平稳。\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["check", "--format", "concise", str(report)])
    assert "PUNCT001" in r.output  # the outer config (NUM only) would hide it


def test_many_jobs_use_one_worker_per_core(tmp_path) -> None:
    for i in range(3):
        (tmp_path / f"r{i}.txt").write_text("今年经济运行总体平稳。\n", encoding="utf-8")
    from reportlint.split import usable_cpus

    many = usable_cpus() + 62  # more than this machine has, whatever it has
    r = CliRunner().invoke(main, ["check", "-j", str(many), str(tmp_path)])
    assert r.exit_code == 0
    assert f"-j {many}: using" in r.output and "one per available core" in r.output


# --------------------------------------------------------------------------- outputs


def test_outputs_never_overwrite_inputs_or_other_files(tmp_path) -> None:
    report = tmp_path / "a.txt"
    report.write_text("今年经济运行 总体平稳。\n", encoding="utf-8")
    before = report.read_bytes()
    invoke = CliRunner().invoke
    one_line(invoke(main, ["baseline", "create", str(report), "-o", str(report)]), "files being read")
    one_line(invoke(main, ["learn", str(tmp_path), "-o", str(tmp_path / "lex.txt")]), "folder being read")
    notes = tmp_path / "notes.json"
    notes.write_text('{"mine": true}\n', encoding="utf-8")
    one_line(
        invoke(main, ["check", str(report), "--format", "json", "-o", str(notes)]),
        "not written by reportlint",
    )
    one_line(invoke(main, ["baseline", "create", str(report), "-o", str(notes)]), "not written by reportlint")
    assert report.read_bytes() == before and notes.read_text(encoding="utf-8") == '{"mine": true}\n'
    assert not (tmp_path / "lex.txt").exists()
    # reportlint's own outputs may be written again; --force writes anyway
    out = tmp_path / "out" / "report.json"
    out.parent.mkdir()
    for _ in range(2):
        assert invoke(main, ["check", str(report), "--format", "json", "-o", str(out)]).exit_code == 1
    base = tmp_path / "out" / "base.json"
    for _ in range(2):
        assert invoke(main, ["baseline", "create", str(report), "-o", str(base)]).exit_code == 0
    r = invoke(main, ["check", str(report), "--format", "json", "-o", str(notes), "--force"])
    assert r.exit_code == 1 and '"findings"' in notes.read_text(encoding="utf-8")


def test_annotate_does_not_replace_an_unrelated_word_file(tmp_path) -> None:
    docx = pytest.importorskip("docx")
    src = tmp_path / "r.docx"
    d = docx.Document()
    d.add_paragraph("今年经济运行 总体平稳。")
    d.save(src)
    other = tmp_path / "other.docx"
    d2 = docx.Document()
    d2.add_paragraph("别人的文件。")
    d2.save(other)
    before = other.read_bytes()
    one_line(
        CliRunner().invoke(main, ["check", str(src), "--annotate", str(other)]), "not written by reportlint"
    )
    assert other.read_bytes() == before
    out = tmp_path / "annotated.docx"
    for _ in range(2):  # its own annotated copy may be written again
        assert CliRunner().invoke(main, ["check", str(src), "--annotate", str(out)]).exit_code == 1


# --------------------------------------------------------------------------- closed streams, names


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "gitlab", "junit", "concise", "html"])
def test_file_names_that_are_not_utf8_keep_every_format_valid(tmp_path, fmt: str) -> None:
    import json
    import os
    import subprocess
    import sys
    import xml.etree.ElementTree as ET

    name = os.fsencode(str(tmp_path)) + b"/\xff\xfe\xb0.txt"
    with open(name, "wb") as fh:
        fh.write("今年经济运行 总体平稳。\n".encode())
    p = subprocess.run(
        [sys.executable, "-m", "reportlint", "check", "--format", fmt, str(tmp_path)], capture_output=True
    )
    assert p.returncode == 1, p.stderr
    out = p.stdout.decode("utf-8")  # valid UTF-8
    shown = out.replace("\\\\", "\\").replace("%FF%FE%B0", "\\xff\\xfe\\xb0")  # JSON, SARIF URIs
    assert "\\xff\\xfe\\xb0.txt" in shown
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(out)
    if fmt == "junit":
        ET.fromstring(out)


def test_fix_writes_the_real_file_of_an_escaped_name(tmp_path) -> None:
    import os

    name = os.fsencode(str(tmp_path)) + b"/\xff.txt"
    with open(name, "wb") as fh:
        fh.write("今年经济运行 总体平稳。\n".encode())
    r = CliRunner().invoke(main, ["check", "--fix", str(tmp_path)])
    assert r.exit_code == 0
    with open(name, "rb") as fh:
        assert fh.read().decode() == "今年经济运行总体平稳。\n"


@pytest.mark.parametrize(
    ("shell", "message"),
    [
        ("{cmd} > /dev/full", "No space left on device"),
        ("{cmd} >&-", "standard output is closed"),
        ("{cmd} - <&-", "标准输入已关闭"),
    ],
)
def test_closed_or_full_streams_are_one_line_and_exit_2(tmp_path, shell: str, message: str) -> None:
    import shlex
    import subprocess
    import sys

    if "/dev/full" in shell and not __import__("os").path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    f = tmp_path / "r.txt"
    f.write_text("今年经济运行 总体平稳。\n", encoding="utf-8")
    cmd = f"{shlex.quote(sys.executable)} -m reportlint check"
    if "<&-" not in shell:
        cmd += f" {shlex.quote(str(f))}"
    p = subprocess.run(["bash", "-c", shell.format(cmd=cmd)], capture_output=True, text=True)
    assert p.returncode == 2
    assert message in p.stderr and "Traceback" not in p.stderr and "internal error" not in p.stderr
