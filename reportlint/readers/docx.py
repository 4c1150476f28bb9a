"""Word (.docx): one text line per Word paragraph, with a map back to paragraph and offset.

The body is read in document order: paragraphs, the paragraphs of table cells (each
merged cell once), content controls, and the text boxes anchored in a paragraph
(after that paragraph). Headers, footers, footnotes and comments are not read. A
paragraph's text is what Word shows: runs, hyperlinks, field results and tracked
insertions, with tabs as ``\\t`` and manual line breaks as ``\\n`` (so a line broken
by hand mid-sentence is seen as the broken paragraph it prints as); tracked
deletions and field codes are left out. For a paragraph without tracked changes
the text is exactly python-docx's ``Paragraph.text``, so ``offset`` indexes it.

``doc.meta["source_map"]`` has one entry per Word paragraph:
``(start, end, location)``, where ``start``/``end`` are offsets into ``doc.text``
and ``location`` says where the paragraph is: ``{"part": "body", "paragraph": i}``
(``i`` indexes python-docx's ``Document.paragraphs``), ``{"part": "table",
"table": t, "row": r, "cell": c, "paragraph": i}`` or ``{"part": "textbox",
"textbox": n, "paragraph": i}``.
"""

from __future__ import annotations

import bisect
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reportlint.document import Document
from reportlint.errors import InputError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# Containers inside a paragraph whose runs are shown; deletions and moved-away text are not.
_INLINE_CONTAINERS = {
    w(t) for t in ("hyperlink", "ins", "smartTag", "fldSimple", "customXml", "moveTo", "dir", "bdo")
}
_SKIPPED_INLINE = {w(t) for t in ("del", "moveFrom")}
_BLOCK_CONTAINERS = {w("customXml")}

INSTALL_HINT = "reading .docx files needs python-docx: pip install 'reportlint[docx]'"


def import_docx() -> Any:
    """The python-docx package, or an InputError-ready message when it is missing."""
    try:
        import docx
    except ImportError:
        return None
    return docx


@dataclass
class Piece:
    """One run's share of a paragraph's text."""

    run: Any  # the w:r element
    start: int  # offset of the run's text in the paragraph's text
    text: str


@dataclass
class WordParagraph:
    element: Any  # the w:p element
    location: dict[str, Any]
    pieces: list[Piece] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


# ----------------------------------------------------------------------------- run text
def run_content(r: Any) -> Iterator[tuple[Any, str]]:
    """(child element, the text it shows) for each child of a w:r, in order."""
    for child in r:
        tag = child.tag
        if tag == w("t"):
            yield child, child.text or ""
        elif tag in (w("tab"), w("ptab")):
            yield child, "\t"
        elif tag == w("br"):
            kind = child.get(w("type"))
            yield child, "\n" if kind in (None, "textWrapping") else ""
        elif tag == w("cr"):
            yield child, "\n"
        elif tag == w("noBreakHyphen"):
            yield child, "-"
        elif tag == w("rPr"):
            continue
        else:
            yield child, ""  # drawings, field characters, instrText, delText, marks …


def run_text(r: Any) -> str:
    return "".join(t for _, t in run_content(r))


def paragraph_pieces(p: Any) -> list[Piece]:
    pieces: list[Piece] = []
    pos = 0

    def visit(parent: Any) -> None:
        nonlocal pos
        for child in parent:
            tag = child.tag
            if tag == w("r"):
                t = run_text(child)
                pieces.append(Piece(child, pos, t))
                pos += len(t)
            elif tag in _INLINE_CONTAINERS:
                visit(child)
            elif tag == w("sdt"):
                content = child.find(w("sdtContent"))
                if content is not None:
                    visit(content)
            elif tag in _SKIPPED_INLINE:
                continue

    visit(p)
    return pieces


# ----------------------------------------------------------------------------- document walk
def _textboxes(p: Any) -> list[Any]:
    """The text box contents anchored in paragraph ``p`` (not those of nested paragraphs,
    and not the VML fallback copy Word writes beside the DrawingML one)."""
    out = []
    for box in p.iter(w("txbxContent")):
        anc = box.getparent()
        fallback = False
        owner = None
        while anc is not None:
            if anc.tag == f"{{{MC}}}Fallback":
                fallback = True
            if anc.tag == w("p"):
                owner = anc
                break
            anc = anc.getparent()
        if owner is p and not fallback:
            out.append(box)
    return out


class _Walker:
    def __init__(self) -> None:
        self.tables = 0
        self.textboxes = 0
        self.out: list[WordParagraph] = []

    def body(self, body: Any) -> None:
        index = 0
        for child in body:
            if child.tag == w("p"):
                self.paragraph(child, {"part": "body", "paragraph": index})
                index += 1
            else:
                self.block(child, {"part": "body"})

    def block(self, el: Any, where: dict[str, Any]) -> None:
        tag = el.tag
        if tag == w("tbl"):
            self.table(el)
        elif tag == w("sdt"):
            content = el.find(w("sdtContent"))
            if content is not None:
                self.container(content, {"part": "control"})
        elif tag in _BLOCK_CONTAINERS:
            self.container(el, where)

    def container(self, el: Any, where: dict[str, Any]) -> None:
        index = 0
        for child in el:
            if child.tag == w("p"):
                self.paragraph(child, {**where, "paragraph": index})
                index += 1
            else:
                self.block(child, where)

    def table(self, tbl: Any) -> None:
        t = self.tables
        self.tables += 1
        for r, tr in enumerate(tbl.iterchildren(w("tr"))):
            for c, tc in enumerate(tr.iterchildren(w("tc"))):
                if _continues_vertical_merge(tc):
                    continue
                self.container(tc, {"part": "table", "table": t, "row": r, "cell": c})

    def paragraph(self, p: Any, where: dict[str, Any]) -> None:
        self.out.append(WordParagraph(p, where, paragraph_pieces(p)))
        for box in _textboxes(p):
            n = self.textboxes
            self.textboxes += 1
            self.container(box, {"part": "textbox", "textbox": n})


def _continues_vertical_merge(tc: Any) -> bool:
    tcpr = tc.find(w("tcPr"))
    if tcpr is None:
        return False
    vm = tcpr.find(w("vMerge"))
    return vm is not None and vm.get(w("val")) in (None, "continue")


def word_paragraphs(document: Any) -> list[WordParagraph]:
    """Every paragraph read from a python-docx Document, in reading order."""
    walker = _Walker()
    walker.body(document.element.body)
    return walker.out


# ----------------------------------------------------------------------------- reader
def open_docx(data: bytes, path: str) -> Any:
    docx = import_docx()
    if docx is None:
        raise InputError(path, INSTALL_HINT, warning=True)
    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise InputError(path, f"not a valid .docx file ({type(e).__name__}: {e})") from None
    except Exception as e:  # lxml syntax errors and the like in a damaged file
        raise InputError(path, f"cannot read the Word file ({type(e).__name__}: {e})") from None


def read_docx(data: bytes, path: str) -> Document:
    """A Document with one line per Word paragraph and ``meta["source_map"]``."""
    if not data.startswith(b"PK"):
        raise InputError(path, "not a .docx file (not a zip archive; an old .doc file?)")
    wd = open_docx(data, path)
    paragraphs = word_paragraphs(wd)
    parts: list[str] = []
    source_map: list[tuple[int, int, dict[str, Any]]] = []
    pos = 0
    for wp in paragraphs:
        t = wp.text.replace("\r", "\n")
        source_map.append((pos, pos + len(t), wp.location))
        parts.append(t)
        pos += len(t) + 1
    text = "\n".join(parts) + ("\n" if parts else "")
    doc = Document(path=path, text=text, encoding="utf-8", kind="docx")
    doc.meta["format"] = "docx"
    doc.meta["source_map"] = source_map
    doc.meta["source_starts"] = [s for s, _, _ in source_map]
    return doc


def segment_at(doc: Document, offset: int) -> int:
    """Index into ``meta["source_map"]`` of the entry holding ``offset``."""
    starts = doc.meta.get("source_starts")
    if starts is None or len(starts) != len(doc.meta["source_map"]):
        starts = [s for s, _, _ in doc.meta["source_map"]]
    return max(0, bisect.bisect_right(starts, offset) - 1)


def locate(doc: Document, start: int, end: int | None = None) -> dict[str, Any]:
    """``{"docx": {...paragraph location..., "offset": k, "end_offset": k2}}`` for a span.

    ``end_offset`` is given when the span ends in the same Word paragraph; otherwise
    ``end_paragraph`` locates where it ends.
    """
    smap = doc.meta.get("source_map")
    if not smap:
        return {}
    i = segment_at(doc, start)
    s, e, where = smap[i]
    loc: dict[str, Any] = {**where, "offset": min(start, e) - s}
    if end is not None:
        j = segment_at(doc, max(start, end - 1)) if end > start else i
        if j == i:
            loc["end_offset"] = min(end, e) - s
        else:
            s2, e2, where2 = smap[j]
            loc["end_paragraph"] = {**where2, "end_offset": min(end, e2) - s2}
    return {"docx": loc}
