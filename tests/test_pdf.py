"""PDF proofs: reading order, paragraphs rebuilt from lines, page furniture, page-aware findings."""

from __future__ import annotations

import base64
import html
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED, needs_corpus

from reportlint.cli import main
from reportlint.config import Config
from reportlint.engine import run
from reportlint.errors import InputError
from reportlint.readers import read_path, source_location

pytest.importorskip("pdfminer", reason="pdfminer.six is not installed (pip install -e '.[dev]')")


# ----------------------------------------------------------------------------- a tiny PDF writer
def make_pdf(
    pages: list[list[tuple[float, float, str, float]]], width: int = 595, height: int = 842, size: int = 12
) -> bytes:
    """A PDF whose pages hold lines of text: (x, y, text, character spacing), y from the bottom.

    The font is Adobe's STSong-Light with the UniGB-UCS2-H encoding, which every PDF
    reader knows without the font being embedded, so no font file is needed.
    """
    objs: list[bytes] = []

    def add(body: str | bytes) -> int:
        objs.append(body.encode("ascii") if isinstance(body, str) else body)
        return len(objs)

    catalog = add(b"")
    pages_id = add(b"")
    font = add(b"")
    desc = add(
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>"
    )
    cid = add(
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
        f"<< /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor {desc} 0 R /DW 1000 >>"
    )
    objs[font - 1] = (
        f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        f"/DescendantFonts [{cid} 0 R] >>"
    ).encode("ascii")
    kids = []
    for lines in pages:
        ops = [
            f"BT /F1 {size} Tf {spacing} Tc 1 0 0 1 {x:.1f} {y:.1f} Tm "
            f"<{text.encode('utf-16-be').hex()}> Tj ET"
            for x, y, text, spacing in lines
        ]
        stream = "\n".join(ops).encode("ascii")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        kids.append(
            add(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {width} {height}] "
                f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>"
            )
        )
    objs[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode("ascii")
    refs = " ".join(f"{k} 0 R" for k in kids)
    objs[pages_id - 1] = f"<< /Type /Pages /Kids [{refs}] /Count {len(kids)} >>".encode("ascii")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref)
    return bytes(out)


def typeset(
    paragraphs: list[str],
    header: str | None = None,
    per_line: int = 28,
    lines_per_page: int = 24,
    numbers: bool = True,
    size: int = 12,
    height: int = 842,
) -> list[list[tuple]]:
    """Lines of ``per_line`` characters, each paragraph's first line indented by two; pages with an
    optional running header at the top and a page number at the bottom."""
    left = 72
    lines = []
    for text in paragraphs:
        rest, first = text, True
        while rest:
            n = per_line - (2 if first else 0)
            lines.append((left + (2 * size if first else 0), rest[:n]))
            rest, first = rest[n:], False
    pages = []
    for start in range(0, len(lines), lines_per_page):
        page: list[tuple] = []
        if header:
            page.append((left + 12 * size, height - 40, header, 0))
        for k, (x, t) in enumerate(lines[start : start + lines_per_page]):
            page.append((x, height - 80 - k * size * 1.6, t, 0))
        if numbers:
            page.append((290, 30, f"- {len(pages) + 1} -", 0))
        pages.append(page)
    return pages


PARAS = [
    "（一）持续扩大有效投资。树牢项目为王理念，扎实推进一批省市重点项目，增强发展后劲，厚植发展优势。",
    "强化重大项目支撑。健全领导分包、季度观摩、定期调度等机制，加快推进交通、能源、水利等重点领域项目"
    "建设，力争形成更多实物工作量。打造综合交通枢纽，建设完善市城区至周边市县的快速通道，持续抓好重点"
    "基础设施建设，着力构建内畅外联的综合交通体系。提升能源保障水平，建成一批重点工程，增强储气库调配"
    "能力，提升电网安全稳定运行水平。",
    "加快新型基础设施建设。围绕加快形成新质生产力，扎实推进千兆光网建设，实现乡镇以上区域网络连续覆盖。",
    "（下转第三版）",
]


def write(tmp_path, name: str, pages) -> str:
    f = tmp_path / name
    f.write_bytes(make_pdf(pages))
    return str(f)


# ----------------------------------------------------------------------------- tests
def test_proof_with_running_header_gives_page_aware_findings(tmp_path) -> None:
    # 5 lines on page 1, so the long second paragraph runs on over the page break
    path = write(tmp_path, "proof.pdf", typeset(PARAS, header="要 闻", lines_per_page=5))
    doc = read_path(path)
    assert doc.kind == "pdf" and doc.meta["pages"] >= 2
    lines = doc.text.splitlines()
    # the running header stays only where it splits a paragraph (page 1 to 2); elsewhere it
    # is left out with the page numbers
    assert lines.count("要 闻") == 1 and lines[0] == PARAS[0]
    assert {"page": 1, "text": "要 闻"} in doc.meta["furniture"]
    assert PARAS[0] in lines and PARAS[2] in lines  # paragraphs rebuilt from their lines
    assert "- 1 -" not in doc.text and {"page": 1, "text": "- 1 -"} in doc.meta["furniture"]
    found = run([doc], Config(select=("LAYOUT",)))[doc.path]
    got = sorted((f.code, source_location(doc, f.span.start)["page"], f.excerpt) for f in found)
    header_pages = [p for c, p, _ in got if c == "LAYOUT001"]
    assert header_pages == [2]  # the header that splits the paragraph, not the other pages' ones
    assert ("LAYOUT003", 1) in [(c, p) for c, p, _ in got]
    assert ("LAYOUT002", doc.meta["pages"], "（下转第三版）") in got

    res = CliRunner().invoke(main, ["check", path, "--isolated", "--format", "json", "--select", "LAYOUT"])
    data = json.loads(res.stdout)
    assert data["files"][0]["format"] == "pdf" and data["files"][0]["pages"] == doc.meta["pages"]
    assert sorted(x["page"] for x in data["findings"] if x["code"] == "LAYOUT001") == [2]
    assert all("page" in x for x in data["findings"])
    broken = next(x for x in data["findings"] if x["code"] == "LAYOUT003")
    assert broken["related"][0]["page"] == 2  # the paragraph continues on page 2
    res = CliRunner().invoke(main, ["check", path, "--isolated", "--format", "html"])
    assert "第 2 页" in res.stdout and "格式 pdf" in res.stdout


def test_paragraph_over_a_page_break_without_furniture_is_joined(tmp_path) -> None:
    path = write(tmp_path, "plain.pdf", typeset(PARAS[:3], lines_per_page=5))
    doc = read_path(path)
    assert doc.text.splitlines() == PARAS[:3]
    assert run([doc], Config(select=("LAYOUT",)))[doc.path] == []
    start = doc.text.index(PARAS[1])
    assert source_location(doc, start)["page"] == 1
    assert source_location(doc, start + len(PARAS[1]) - 1)["page"] == 2


def test_justification_gaps_are_not_spaces_but_real_spaces_are(tmp_path) -> None:
    height = 842
    pages = [
        [
            (72, height - 80, "今年经济运行总体平稳，主要指标好于预期。", 4),  # wide, justified spacing
            (96, height - 100, "把制造业作为核心竞争力 的强支撑，推进新型工业化。", 0),  # a real space glyph
        ]
    ]
    doc = read_path(write(tmp_path, "j.pdf", pages))
    assert doc.text.splitlines()[0] == "今年经济运行总体平稳，主要指标好于预期。"
    found = run([doc], Config(select=("PUNCT001",)))[doc.path]
    assert [(f.span.line, f.span.column) for f in found] == [(2, 12)]


def test_two_columns_are_read_in_order(tmp_path) -> None:
    height = 842
    col = [
        (72, "第一栏第一行文字，"),
        (72, "第一栏第二行文字。"),
        (320, "第二栏第一行文字，"),
        (320, "第二栏第二行文字。"),
    ]
    pages = [[(x, height - 80 - (k % 2) * 19.2, t, 0) for k, (x, t) in enumerate(col)]]
    doc = read_path(write(tmp_path, "cols.pdf", pages))
    text = doc.text.replace("\n", "")
    assert text.index("第一栏第二行") < text.index("第二栏第一行")


def test_bad_pdfs_are_clear_errors(tmp_path, monkeypatch) -> None:
    f = tmp_path / "x.pdf"
    f.write_bytes("不是 PDF".encode())
    with pytest.raises(InputError, match="not a PDF file"):
        read_path(str(f))
    f.write_bytes(b"%PDF-1.4\nbroken")
    with pytest.raises(InputError, match="cannot read the PDF"):
        read_path(str(f))
    empty = write(tmp_path, "empty.pdf", [[]])
    with pytest.raises(InputError, match="no text layer") as e:
        read_path(empty)
    assert e.value.warning
    good = write(tmp_path, "good.pdf", typeset(PARAS[:1]))
    monkeypatch.setitem(sys.modules, "pdfminer.high_level", None)
    with pytest.raises(InputError, match=r"pip install 'reportlint\[pdf\]'") as e:
        read_path(good)
    assert e.value.warning


@needs_corpus()
def test_seed_typeset_as_a_newspaper_proof(tmp_path) -> None:
    paras = [ln.strip() for ln in SEED.read_text(encoding="utf-8").splitlines() if ln.strip()][:12]
    path = write(tmp_path, "seed.pdf", typeset(paras, header="要 闻", per_line=34, lines_per_page=30))
    doc = read_path(path)
    assert doc.meta["pages"] > 3
    found = run([doc], Config())[doc.path]
    pages = {source_location(doc, f.span.start)["page"] for f in found}
    assert len(pages) > 1
    headers = [f for f in found if f.code == "LAYOUT001"]
    assert headers and all(doc.text[f.span.start : f.span.end] == "要 闻" for f in headers)
    # every header reported splits a paragraph, and that break is reported too
    assert len([f for f in found if f.code == "LAYOUT003"]) >= len(headers)
    assert any(f.code == "LAYOUT002" and f.excerpt == "（上接第一版）" for f in found)


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="headless Chromium is not installed")
@needs_corpus()
def test_proof_printed_by_chromium(tmp_path) -> None:
    """A PDF from a real typesetter: embedded CJK font subsets, justified lines, header and
    page-number templates. Its font maps some characters to radical code points (⼀ for 一)."""
    from test_html import Chromium

    paras = [ln.strip() for ln in SEED.read_text(encoding="utf-8").splitlines() if ln.strip()][:14]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    page = tmp_path / "proof.html"
    page.write_text(
        "<!doctype html><meta charset=utf-8><style>body{font:15px/1.7 serif}"
        f"p{{text-indent:2em;text-align:justify;margin:0}}</style>{body}",
        encoding="utf-8",
    )
    browser = Chromium()
    try:
        browser.open(page.as_uri())
        data = browser.send(
            "Page.printToPDF",
            {
                "displayHeaderFooter": True,
                "marginTop": 0.8,
                "marginBottom": 0.8,
                "headerTemplate": "<div style='font-size:12px;width:100%;text-align:center'>要 闻</div>",
                "footerTemplate": "<div style='font-size:10px;width:100%;text-align:center'>"
                "<span class=pageNumber></span></div>",
            },
        )["data"]
    finally:
        browser.close()
    pdf = tmp_path / "proof.pdf"
    pdf.write_bytes(base64.b64decode(data))
    doc = read_path(str(pdf))
    assert doc.meta["pages"] >= 2
    assert not any("\u2e80" <= c <= "\u2fdf" for c in doc.text)  # radicals mapped back
    found = run([doc], Config(select=("LAYOUT",)))[doc.path]
    codes = {(f.code, source_location(doc, f.span.start)["page"]) for f in found}
    assert ("LAYOUT002", 1) in codes  # （上接第一版）, though the font wrote 第⼀版
    for f in found:
        if f.code == "LAYOUT001":  # a header is reported only where a paragraph runs on past it
            assert doc.text[f.span.start : f.span.end] == "要 闻"
            assert any(g.code == "LAYOUT003" and g.span.end <= f.span.start for g in found)
    joined = doc.text.replace("\n要 闻\n", "").replace("\n", "")
    assert joined == "".join(paras)  # every character, in reading order, nothing else
