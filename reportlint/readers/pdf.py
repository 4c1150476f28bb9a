"""PDF proofs: text in reading order, paragraphs rebuilt from lines, page furniture recognised.

Text is extracted with pdfminer.six, whose layout analysis gives the lines of each
page in reading order with their positions. From them the reader rebuilds what an
editor reads:

- Lines are joined into paragraphs: a line continues the paragraph above when that
  line runs to the right edge of its column and this one is not indented (Chinese
  paragraphs open with an indent). Chinese text is joined without a space; the
  spaces that the layout analysis infers between two Chinese characters (from
  justified spacing) are dropped, while real space glyphs are kept.
- Page numbers (``3``, ``- 3 -``, ``第 3 页``, ``3/12``) at the top or bottom of a
  page are recognised and left out (kept in ``meta["furniture"]``).
- A line repeated at the top (or bottom) of several pages is a running header
  (footer). It stays in the text, on its own line, between the pages: where it
  splits a paragraph, that is what copying the text out of the proof produces,
  and LAYOUT001 reports it (continuation markers such as （下转第三版） likewise
  stay for LAYOUT002). Where no such line stands between two pages, a paragraph
  that runs on over the page break is joined.

``doc.meta["source_map"]`` maps each stretch of text back to its page:
``(start, end, {"page": n})`` with 1-based page numbers.
"""

from __future__ import annotations

import bisect
import io
import logging
import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from reportlint.document import Document, is_han
from reportlint.errors import InputError

INSTALL_HINT = "reading PDF files needs pdfminer.six: pip install 'reportlint[pdf]'"

PAGE_NUMBER_RE = re.compile(
    r"^(?:[-—–－·•\s]*\d{1,4}[-—–－·•\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$",
    re.I,
)
_CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』—…·"


# CJK fonts map many glyphs to radical code points (U+2E80-U+2FDF) in their ToUnicode
# tables, so a PDF's "一" or "马" comes out as the Kangxi radical ⼀ or the radical ⻢.
# Kangxi radicals have compatibility decompositions; the radicals supplement does not,
# so its full-form characters are listed (from Unicode's EquivalentUnifiedIdeograph.txt).
_RADICALS = dict(
    zip(
        "⺁⺄⺅⺆⺉⺊⺌⺒⺓⺔⺕⺖⺗⺘⺙⺛⺜⺝⺞⺟⺠⺡⺢⺣⺤⺦⺧⺨⺩⺪⺫⺬⺭⺮⺯⺰⺱⺲⺳⺷⺹⺺⺻⺼⺽⺾⻁⻂⻃⻄⻅⻆⻈⻉⻊⻋⻌"
        "⻐⻑⻒⻓⻔⻕⻖⻗⻘⻙⻚⻛⻜⻝⻟⻠⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
        "厂乙亻冂刂卜小巳幺彑彐忄心扌攵旡日月歺母民氵氺灬爫丬牛犭王疋目示礻竹糹纟罓罒网羊耂肀聿肉臼艹虎衤覀西见角讠贝足车辶"
        "钅長镸长门阜阝雨青韦页风飞食飠饣马骨鬼鱼鸟卤麦黄黾齐齿龙龟",
        strict=True,
    )
)


def _unradical(text: str) -> str:
    """Radical code points from a font's ToUnicode table, as the characters they stand for."""
    if not any("\u2e80" <= c <= "\u2fdf" for c in text):
        return text
    return "".join(
        _RADICALS.get(c, c)
        if c < "\u2f00"
        else unicodedata.normalize("NFKC", c)
        if "\u2f00" <= c <= "\u2fdf"
        else c
        for c in text
    )


def _wide(ch: str) -> bool:
    return bool(ch) and (is_han(ch) or ch in _CJK_PUNCT or "\uff00" <= ch <= "\uffef")


@dataclass
class Line:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    em: float
    role: str = "body"  # body, header, footer, number
    left: float = 0.0  # the left and right edges of the line's column
    right: float = 0.0


@dataclass
class Block:
    page: int
    lines: list[Line] = field(default_factory=list)
    role: str = "body"


def _line_text(line: Any) -> str:
    """A pdfminer text line's characters; inferred spaces between Chinese characters dropped."""
    from pdfminer.layout import LTAnno, LTChar

    items = [(c.get_text(), isinstance(c, LTAnno)) for c in line if isinstance(c, (LTChar, LTAnno))]
    out: list[str] = []
    for k, (t, virtual) in enumerate(items):
        if virtual:
            if t == "\n":
                continue
            before = out[-1][-1:] if out else ""
            after = next((x for x, v in items[k + 1 :] if not v), "")[:1]
            if not before or not after or _wide(before) or _wide(after):
                continue  # justification space beside Chinese text, or at an edge
        out.append(t)
    return _unradical("".join(out).rstrip("\n"))


def _page_lines(page: Any, number: int) -> list[Line]:
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    lines: list[Line] = []

    def visit(obj: Any) -> None:
        for el in obj:
            if isinstance(el, LTTextLine):
                text = _line_text(el)
                if not text.strip():
                    continue
                widths = [c.width for c in el if isinstance(c, LTChar) and _wide(c.get_text())]
                em = statistics.median(widths) if widths else max(el.height, 1.0)
                lines.append(Line(number, text.strip(), el.x0, el.y0, el.x1, el.y1, em))
            elif isinstance(el, LTTextContainer):
                visit(el)

    visit(page)
    return lines


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _mark_furniture(pages: list[list[Line]]) -> list[dict[str, Any]]:
    """Set ``role`` on page numbers and running headers/footers; return the numbers dropped."""
    dropped: list[dict[str, Any]] = []
    tops: dict[str, int] = {}
    bottoms: dict[str, int] = {}
    edges: list[tuple[Line | None, Line | None]] = []
    for lines in pages:
        if not lines:
            edges.append((None, None))
            continue
        top = max(lines, key=lambda ln: ln.y1)
        bottom = min(lines, key=lambda ln: ln.y0)
        edges.append((top, bottom))
        tops[_norm(top.text)] = tops.get(_norm(top.text), 0) + 1
        if bottom is not top:
            bottoms[_norm(bottom.text)] = bottoms.get(_norm(bottom.text), 0) + 1
    several = len([p for p in pages if p]) >= 2
    for top, bottom in edges:
        for ln, counts, role in ((top, tops, "header"), (bottom, bottoms, "footer")):
            if ln is None or ln.role != "body":
                continue
            if PAGE_NUMBER_RE.match(ln.text):
                ln.role = "number"
                dropped.append({"page": ln.page, "text": ln.text})
            elif several and counts.get(_norm(ln.text), 0) >= 2:
                ln.role = role
    # A page number may sit just inside a running header or footer.
    for lines in pages:
        body = [ln for ln in lines if ln.role == "body"]
        for pick in (max, min):
            if not body:
                break
            ln = pick(body, key=lambda x: x.y1)
            if (
                PAGE_NUMBER_RE.match(ln.text)
                and len(ln.text) <= 12
                and any(x.role in ("header", "footer") for x in lines)
            ):
                ln.role = "number"
                dropped.append({"page": ln.page, "text": ln.text})
                body.remove(ln)
    return dropped


def _set_columns(lines: list[Line]) -> None:
    """Each body line's column edges: the extremes of the lines that share its column."""
    body = [ln for ln in lines if ln.role == "body"]
    for ln in body:
        mates = [
            m for m in body if m.x0 < ln.x1 and m.x1 > ln.x0 and abs(m.x0 - ln.x0) < 6 * max(ln.em, m.em)
        ]
        ln.left = min(m.x0 for m in mates)
        ln.right = max(m.x1 for m in mates)


def _continues(a: Line, b: Line, same_page: bool) -> bool:
    """Line ``b`` carries on the paragraph that line ``a`` belongs to."""
    em = max(a.em, b.em, 1.0)
    full = a.x1 >= a.right - 1.2 * em
    indented = b.x0 > b.left + 0.8 * em
    if not full or indented:
        return False
    if same_page:
        below = 0 <= a.y0 - b.y1 < 1.6 * max(a.y1 - a.y0, b.y1 - b.y0)
        next_column = b.y1 > a.y0 and b.x0 >= a.x1 - em  # flows to the top of the next column
        return below or next_column
    return True


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return " "
    return ""


def _blocks(pages: list[list[Line]], dropped: list[dict[str, Any]]) -> list[Block]:
    """Paragraphs in reading order, with running headers and footers where they split one.

    At a page break, the footer of one page and the header of the next stay in the text
    only when a paragraph runs on over the break (that is the debris a copy of the text
    carries); elsewhere they are left out like page numbers.
    """
    blocks: list[Block] = []
    last_body: Line | None = None
    pending: list[Line] = []  # footers of the previous page and headers of this one
    for lines in pages:
        pending += [ln for ln in lines if ln.role == "header"]
        for ln in (x for x in lines if x.role == "body"):
            prev = blocks[-1] if blocks else None
            same_page = last_body is not None and last_body.page == ln.page
            runs_on = prev is not None and last_body is not None and _continues(last_body, ln, same_page)
            if pending:
                if runs_on:
                    blocks.extend(Block(f.page, [f], f.role) for f in pending)
                    runs_on = False  # the halves stay apart, with the furniture between them
                else:
                    dropped.extend({"page": f.page, "text": f.text} for f in pending)
                pending = []
            if runs_on and prev is not None:
                prev.lines.append(ln)
            else:
                blocks.append(Block(ln.page, [ln]))
            last_body = ln
        pending += [ln for ln in lines if ln.role == "footer"]
    dropped.extend({"page": f.page, "text": f.text} for f in pending)
    dropped.sort(key=lambda d: d["page"])
    return blocks


def read_pdf(data: bytes, path: str) -> Document:
    """A Document of the PDF's text, one paragraph per line, with ``meta["source_map"]``."""
    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams
    except ImportError:
        raise InputError(path, INSTALL_HINT, warning=True) from None
    if not data.startswith(b"%PDF"):
        raise InputError(path, "not a PDF file (it does not start with %PDF)")
    pages: list[list[Line]] = []
    log = logging.getLogger("pdfminer")
    level = log.level
    log.setLevel(logging.ERROR)  # pdfminer warns about every font detail it cannot parse
    try:
        for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams()), start=1):
            pages.append(_page_lines(page, number))
    except Exception as e:  # pdfminer raises many kinds of errors on damaged or locked files
        name = type(e).__name__
        if "Password" in name or "Encrypt" in name:
            raise InputError(path, "the PDF is encrypted; remove the password first") from None
        raise InputError(path, f"cannot read the PDF ({name}: {e})") from None
    finally:
        log.setLevel(level)
    if not any(pages):
        raise InputError(
            path, "the PDF has no text layer (a scanned image?); run OCR on it first", warning=True
        )
    dropped = _mark_furniture(pages)
    for lines in pages:
        _set_columns(lines)

    blocks = _blocks(pages, dropped)

    parts: list[str] = []
    source_map: list[tuple[int, int, dict[str, Any]]] = []
    pos = 0
    for bi, block in enumerate(blocks):
        if bi:
            parts.append("\n")
            pos += 1
        prev_text = ""
        for ln in block.lines:
            sep = _join(prev_text, ln.text) if prev_text else ""
            parts.append(sep + ln.text)
            start = pos + len(sep)
            pos = start + len(ln.text)
            if source_map and source_map[-1][2]["page"] == ln.page and source_map[-1][1] >= start - 1:
                s0, _, loc = source_map[-1]
                source_map[-1] = (s0, pos, loc)
            else:
                source_map.append((start, pos, {"page": ln.page}))
            prev_text = ln.text
    text = "".join(parts) + "\n"
    doc = Document(path=path, text=text, encoding="utf-8", kind="pdf")
    doc.meta["format"] = "pdf"
    doc.meta["pages"] = len(pages)
    doc.meta["source_map"] = source_map
    doc.meta["source_starts"] = [s for s, _, _ in source_map]
    doc.meta["furniture"] = dropped
    return doc


def page_of(doc: Document, offset: int) -> int | None:
    """The 1-based page number of a text offset."""
    smap = doc.meta.get("source_map")
    if not smap:
        return None
    starts = doc.meta.get("source_starts") or [s for s, _, _ in smap]
    i = max(0, bisect.bisect_right(starts, offset) - 1)
    return int(smap[i][2]["page"])
