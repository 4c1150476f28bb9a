"""The parsed document every rule reads: text, paragraphs, sentences, masked spans.

A Document is built once per file. Offsets are code-point offsets into ``text``
(line endings normalised to ``\\n``); line and column are derived on demand.
Rules never re-split the text: they use ``paragraphs`` and ``sentences`` and
the derived, lazily computed views below.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field
from functools import cached_property

from reportlint._fastinit import fast_init
from reportlint.finding import Span

# --------------------------------------------------------------------------- characters

_HAN_RANGES = (
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # Unified Ideographs
    (0xF900, 0xFAFF),  # Compatibility Ideographs
    (0x20000, 0x2FA1F),  # Extensions B-F, compatibility supplement
    (0x30000, 0x323AF),  # Extensions G-H
)
HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\U00030000-\U000323af"
HAN_RE = re.compile(f"[{HAN_CLASS}]")


def is_han(ch: str) -> bool:
    """True for a Chinese character (CJK ideograph, including astral extensions)."""
    if len(ch) != 1:
        return False
    o = ord(ch)
    if 0x4E00 <= o <= 0x9FFF:  # the main block: most characters asked about
        return True
    return any(lo <= o <= hi for lo, hi in _HAN_RANGES)


# Punctuation that ends a sentence, and what may trail it (closing quotes/brackets).
SENTENCE_END = "。！？!?；;…"
CLOSERS = "”’」』）)》〉】〕]"
# Punctuation that may properly end a paragraph.
PARAGRAPH_END = "。！？!?；;…：:" + CLOSERS + "—"
WHITESPACE = " \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"

_SENTENCE_RE = re.compile(
    f"[^{re.escape(SENTENCE_END)}]*(?:[{re.escape(SENTENCE_END)}]+[{re.escape(CLOSERS)}]*|$)"
)

# Spans that rules must not read as prose.
_MASK_PATTERNS: dict[str, re.Pattern[str]] = {
    "url": re.compile(r"(?:https?://|ftp://|www\.)[^\s\u3000，。；！？、“”（）《》]+", re.I),
    "email": re.compile(
        r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+"
    ),
}
# Document numbers such as 国发〔2024〕1号, 豫政〔2023〕12号, 京政办发[2022]3号: the bracketed year
# and number, and before it up to three Chinese characters ending in 发办函字令文规 (``_docnos``).
_DOCNO_CORE_RE = re.compile(r"[〔\[［【]\d{4}[〕\]］】]\d+号")
_DOCNO_ISSUER_END = frozenset("发办函字令文规")
# Cheap tests that a text can hold no match of a mask pattern: a URL needs one of these
# (case aside), an e-mail address an @.
_URL_HINTS = ("http", "ftp://", "www.")


def _docnos(text: str) -> list[tuple[int, int]]:
    """The spans ``(?:[Han]{1,3}[发办函字令文规])?[〔[［【]\\d{4}[〕]］】]\\d+号`` finds, found from the
    bracketed part (rare) instead of trying the optional prefix at every character: before each
    bracket the longest run of one to three Chinese characters followed by an issuer's last
    character, never reaching into the previous match (the leftmost start the regex takes)."""
    out: list[tuple[int, int]] = []
    last = 0
    for m in _DOCNO_CORE_RE.finditer(text):
        b = m.start()
        s = b
        if b - 2 >= last and text[b - 1] in _DOCNO_ISSUER_END:
            lo = max(b - 4, last)
            j = b - 1
            while j > lo and is_han(text[j - 1]):
                j -= 1
            if j < b - 1:
                s = j
        out.append((s, m.end()))
        last = m.end()
    return out


# Headings: numbered lines, or short lines with no sentence punctuation.
HEADING_NUMBER_RE = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[章节部分篇条]"
    r"|[一二三四五六七八九十百]+[、.．]"
    r"|[（(][一二三四五六七八九十百]+[）)]"
    r"|\d{1,3}[、.．](?!\d)"
    r"|[（(]\d{1,3}[）)]"
    r"|[①-⑳])"
)


_SENTENCE_MARK_RE = re.compile("[。！？]")
_CLAUSE_MARK_RE = re.compile("[。！？；，、]")


@fast_init
@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph: a non-blank line, without its leading/trailing whitespace."""

    index: int
    start: int
    end: int
    text: str
    line: int

    @property
    def is_numbered_heading(self) -> bool:
        # (the length first: most paragraphs are longer, and the rules ask this of each many times)
        t = self.text
        return len(t) <= 40 and HEADING_NUMBER_RE.match(t) is not None and _SENTENCE_MARK_RE.search(t) is None

    @property
    def is_heading(self) -> bool:
        """A title-like line: numbered heading, or short with no sentence punctuation."""
        t = self.text
        if len(t) > 40:
            return False  # (neither a numbered heading nor a short line)
        if self.is_numbered_heading:
            return True
        return _CLAUSE_MARK_RE.search(t) is None


@fast_init
@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int


_NEWLINE_RE = re.compile(r"\r\n|\r|\n")
_ENDING_CODE = {"\r\n": "R", "\r": "r", "\n": "n"}
ENDING_OF_CODE = {v: k for k, v in _ENDING_CODE.items()}


def newline_style(text: str) -> tuple[str, str | None]:
    """The text's line ending, and the ending of every line when the file mixes them.

    Returns (newline, endings): ``newline`` is the ending the text uses (CRLF when it
    has any); ``endings`` is ``None`` unless the text mixes endings, else one code per
    line break (``R`` CRLF, ``r`` CR, ``n`` LF) so ``--fix`` can write each back as it was.
    """
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    newline = "\r\n" if crlf else ("\r" if cr else "\n")
    if (crlf > 0) + (cr > 0) + (lf > 0) <= 1:
        return newline, None
    return newline, "".join(_ENDING_CODE[m.group()] for m in _NEWLINE_RE.finditer(text))


@dataclass(eq=False)
class Document:
    path: str
    text: str
    encoding: str = "utf-8"
    bom: bool = False
    newline: str = "\n"
    kind: str = "txt"
    # Extra per-format location data (e.g. Word paragraph index), keyed by reader.
    meta: dict = field(default_factory=dict)
    # Lines of the file before ``text`` when the text is a window cut from a larger file
    # (see ``reportlint.windowed``): line numbers are those of the whole file.
    line_offset: int = 0

    def __getstate__(self) -> dict:
        """Pickle only the fields, not the cached views: worker processes send documents back."""
        names = {f.name for f in dataclasses.fields(self)}
        return {k: v for k, v in self.__dict__.items() if k in names}

    def drop_views(self) -> None:
        """Forget the cached views (paragraphs, sentences, words, …), keep the fields: what a
        worker process sends back. They are built again if asked for."""
        keep = self.__getstate__()
        self.__dict__.clear()
        self.__dict__.update(keep)

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    @classmethod
    def from_text(cls, text: str, path: str = "<string>", **kw) -> Document:
        newline, endings = newline_style(text)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        doc = cls(path=path, text=text, newline=newline, **kw)
        if endings is not None:
            doc.meta["line_endings"] = endings
        return doc

    # ------------------------------------------------------------------ positions
    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        find = self.text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        return starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and 1-based column (in code points) of an offset."""
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1 + self.line_offset, offset - self.line_starts[line] + 1

    def span(self, start: int, end: int) -> Span:
        line, col = self.line_col(start)
        end_line, end_col = self.line_col(end)
        return Span(self.path, start, end, line, col, end_line, end_col)

    def line_text(self, line: int) -> str:
        starts = self.line_starts
        line -= self.line_offset
        s = starts[line - 1]
        e = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[s:e]

    @property
    def chars(self) -> int:
        return len(self.text)

    # ------------------------------------------------------------------ structure
    @cached_property
    def paragraphs(self) -> list[Paragraph]:
        out: list[Paragraph] = []
        text = self.text
        for lineno, ls in enumerate(self.line_starts, start=1 + self.line_offset):
            le = text.find("\n", ls)
            if le == -1:
                le = len(text)
            s, e = ls, le
            while s < e and text[s] in WHITESPACE:
                s += 1
            while e > s and text[e - 1] in WHITESPACE:
                e -= 1
            if s < e:
                out.append(Paragraph(len(out), s, e, text[s:e], lineno))
        return out

    @cached_property
    def sentences(self) -> list[Sentence]:
        out: list[Sentence] = []
        add = out.append
        for p in self.paragraphs:
            base, index = p.start, p.index
            for m in _SENTENCE_RE.finditer(p.text):
                s, e = m.span()
                if s == e:
                    continue
                raw = m.group()
                stripped = raw.strip(WHITESPACE)
                if not stripped:
                    continue
                if len(stripped) != e - s:  # (most sentences have no space at either end)
                    s += len(raw) - len(raw.lstrip(WHITESPACE))
                add(Sentence(base + s, base + s + len(stripped), stripped, index))
        return out

    @cached_property
    def _sentence_index(self) -> dict[int, list[Sentence]]:
        idx: dict[int, list[Sentence]] = {}
        for s in self.sentences:
            idx.setdefault(s.paragraph, []).append(s)
        return idx

    def paragraph_sentences(self, index: int) -> list[Sentence]:
        return self._sentence_index.get(index, [])

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [p.start for p in self.paragraphs]

    def paragraph_at(self, offset: int) -> Paragraph | None:
        i = bisect.bisect_right(self._paragraph_starts, offset) - 1
        if i >= 0 and self.paragraphs[i].start <= offset <= self.paragraphs[i].end:
            return self.paragraphs[i]
        return None

    # ------------------------------------------------------------------ derived views
    @cached_property
    def numbers(self) -> list:
        """Every number in the text, parsed once (see ``reportlint.numbers``)."""
        from reportlint.numbers import parse_numbers

        return parse_numbers(self)

    @cached_property
    def words(self) -> list:
        """The text segmented into words, once (see ``reportlint.lexicon``)."""
        from reportlint.lexicon import segment_document

        return segment_document(self)

    # ------------------------------------------------------------------ masks
    @cached_property
    def masks(self) -> list[tuple[int, int, str]]:
        """Sorted (start, end, kind) spans that are not prose: URLs, e-mails, document numbers."""
        text = self.text
        spans = []
        if "@" in text:
            spans += [(m.start(), m.end(), "email") for m in _MASK_PATTERNS["email"].finditer(text)]
        low = text.lower()
        if any(h in low for h in _URL_HINTS):
            spans += [(m.start(), m.end(), "url") for m in _MASK_PATTERNS["url"].finditer(text)]
        spans += [(s, e, "docno") for s, e in _docnos(text)]
        spans.sort()
        return spans

    @cached_property
    def _mask_starts(self) -> list[int]:
        return [s for s, _, _ in self.masks]

    def is_masked(self, start: int, end: int | None = None) -> bool:
        """True when [start, end) overlaps a masked span."""
        end = start + 1 if end is None else end
        i = bisect.bisect_right(self._mask_starts, end - 1) - 1
        while i >= 0:
            s, e, _ = self.masks[i]
            if e > start:
                return True
            if s < start - 2000:  # masks are short; stop scanning far back
                break
            i -= 1
        return False
