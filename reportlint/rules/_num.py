"""Shared helpers for the NUM rules: enumeration items, clause spans, cached per document."""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

from reportlint._fastinit import fast_init
from reportlint.document import Document
from reportlint.numbers import (
    HEADING_RANK,
    RUNIN_STYLES,
    leading_marker,
    normalize_digits,
    normalized_text,
    runin_markers,
)

_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

CLAUSE_END = "，,。；;：:！!？?"
SENTENCE_END = "。；;！!？?"


@fast_init
@dataclass(frozen=True, slots=True)
class Item:
    """One enumeration marker in the document: ``（二）`` heading, ``三是`` run-in, …"""

    style: str
    value: int
    start: int  # the marker's span in doc.text
    end: int
    para: int  # paragraph index
    leading: bool  # the paragraph starts with it

    @property
    def is_heading(self) -> bool:
        return self.leading and self.style in HEADING_RANK

    @property
    def rank(self) -> int:
        return HEADING_RANK.get(self.style, 99)


def cached(doc: Document, key: str, build):
    entry = _CACHE.get(doc)
    if entry is None:
        entry = {}
        _CACHE[doc] = entry
    if key not in entry:
        entry[key] = build(doc)
    return entry[key]


def items(doc: Document) -> list[Item]:
    """Every enumeration marker, in document order."""
    return cached(doc, "items", _build_items)


def _build_items(doc: Document) -> list[Item]:
    out: list[Item] = []
    text = normalized_text(doc)  # (normalised once for the document, not again per paragraph)
    for p in doc.paragraphs:
        t = text[p.start : p.end]
        lead = leading_marker(t, p.start, normalized=True)
        if lead is not None and not doc.is_masked(lead.start, lead.end):
            out.append(Item(lead.style, lead.value, lead.start, lead.end, p.index, True))
        for m in runin_markers(t, p.start, normalized=True):
            if lead is not None and m.start < lead.end:
                continue
            if doc.is_masked(m.start, m.end):
                continue
            out.append(Item(m.style, m.value, m.start, m.end, p.index, False))
    return out


def item_title_span(doc: Document, it: Item, limit: int = 30) -> tuple[int, int]:
    """The item's marker and its first clause (``（一）持续扩大有效投资。``), for related spans."""
    text = doc.text
    p = doc.paragraphs[it.para]
    stop = CLAUSE_END if not it.leading else SENTENCE_END + "，,"
    e = it.end
    hard = min(p.end, it.end + limit)
    while e < hard and text[e] not in stop:
        e += 1
    if e < p.end and text[e] in "。":
        e += 1
    return it.start, max(e, it.end)


def is_runin(it: Item) -> bool:
    return it.style in RUNIN_STYLES or not it.leading


_YEAR_RE = re.compile(r"(?:19|20)\d{2}(?=年)")


def top_headings(doc: Document) -> list[tuple[Item, str, set[int]]]:
    """Top-level headings (``一、2025年工作回顾``): item, digit-normalised text, years named."""

    def build(d: Document) -> list[tuple[Item, str, set[int]]]:
        out = []
        for it in items(d):
            if it.is_heading and it.rank <= 1:
                t = d.paragraphs[it.para].text
                if len(t) <= 50:
                    t = normalize_digits(t)
                    out.append((it, t, {int(y) for y in _YEAR_RE.findall(t)}))
        return out

    return cached(doc, "top-headings", build)


def plan_year(doc: Document) -> int | None:
    """The report's own year: the latest single year a top-level heading names."""
    singles = [next(iter(ys)) for _, _, ys in top_headings(doc) if len(ys) == 1]
    return max(singles) if singles else None


_QUOTE_RE = re.compile(r"“[^”]*”")


def quote_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTE_RE.finditer(text)]


CLAUSE_BOUNDARY = "，,。；;：:！!？?"


# How far back a clause is looked for: no list of terms or subjects is longer. Bounding the
# walk keeps rules linear on text without punctuation.
CLAUSE_LIMIT = 240


def clause_start(text: str, at: int, floor: int = 0, limit: int = CLAUSE_LIMIT) -> int:
    """Where the clause ending at ``at`` begins: back to a boundary mark outside brackets.

    At most ``limit`` characters back: a clause that starts further away is cut there
    (callers that need its true start check for ``at - limit``).
    """
    floor = max(floor, at - limit)
    i = at - 1
    depth = 0
    while i >= floor:
        c = text[i]
        if c in "）)”》":
            depth += 1
        elif c in "（(“《":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and c in CLAUSE_BOUNDARY:
            break
        i -= 1
    return i + 1


HAN_CHAR_RE = re.compile("[\u4e00-\u9fff]")  # one character of the main CJK block


def is_title(p) -> bool:
    """A title line: a heading, or a short line without sentence punctuation that has words
    (a news item's title), not page debris such as a lone ``2`` or ``M``."""
    return p.is_numbered_heading or (p.is_heading and len(HAN_CHAR_RE.findall(p.text)) >= 4)


# How a document states its own year near its start: a title (2024年政府工作报告, 2026年北京市
# 政府工作报告), a date line (——2026年1月25日在…会议上, 2024年3月5日), a 时间：2026-02-02 line.
_TITLE_YEAR_RE = re.compile(
    r"^(?P<y>(?:19|20)\d{2})年[^，。；]{0,24}?(?:工作报告|报告|讲话|公报|纲要|计划|白皮书)$"
)
_DATE_LINE_RE = re.compile(
    r"^[—－\-]{0,2}\s*[（(]?(?P<y>(?:19|20)\d{2})年\d{1,2}月\d{1,2}日"
    r"|^时间[:：]\s*(?P<y2>(?:19|20)\d{2})-\d{1,2}-\d{1,2}"
)
_HEAD_LINES = 8


def document_year(doc: Document) -> int | None:
    """The document's own year as its first lines state it, or None: never guessed from content."""

    def build(d: Document) -> int | None:
        for p in d.paragraphs[:_HEAD_LINES]:
            t = normalize_digits(p.text).strip(" \u3000")
            m = _TITLE_YEAR_RE.match(t) or _DATE_LINE_RE.match(t)
            if m:
                return int(m.group("y") or m.group("y2"))
        return None

    return cached(doc, "document-year", build)
