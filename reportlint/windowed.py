"""Check a large document in windows, so that memory stays bounded whatever the file size.

A Document's derived views (paragraphs, sentences, words, numbers, the DUP index)
cost about 200 bytes per character of text (a 10 MB file took 724 MiB as one
Document). A text longer than ``WINDOW_CHARS`` characters (``REPORTLINT_WINDOW_CHARS``
in the environment overrides it; ``0`` turns windowing off) is checked piece by piece,
and the whole-file Document keeps only its text and line index (for output and fixes):

- The text is cut into *cores* of at most the window size, at a line break (at a
  blank line when there is one in the second half of the window), so every paragraph
  lies whole in one core. Only a single line longer than the window is cut inside:
  after the last sentence end in the second half of the window, failing that at the
  window size.
- Each core is checked with *context* on both sides: whole lines, at least
  ``CONTEXT_LINES`` non-blank ones and ``CONTEXT_CHARS`` characters (a quarter of the
  window when that is less), never more than the window size. A Document is built
  for core plus context, every rule runs on it, and a finding is kept only when it
  starts inside the core. Each position belongs to exactly one core, so a finding near
  a cut is neither lost nor reported twice, and rules that look at neighbouring
  paragraphs see them. The window's Document and all its views are freed before the
  next one is built.
- Findings are moved to the whole file's offsets, lines and columns, with their
  related locations and fixes. Window Documents carry the number of lines before
  them (``Document.line_offset``), so line numbers quoted in messages are the file's.
  Findings are deduplicated by (code, start, end), as ``check_document`` does.
- DUP001 also streams over the whole file (``ParagraphCopies``): every paragraph unit
  (DUP's logical paragraph with DUP's normalised key, ``_dup.units_of``) goes into an
  index of key hash → first unit, with its offsets (about 25 bytes per paragraph plus
  a dictionary entry per distinct paragraph, never the text). A paragraph seen before,
  in any earlier window, is a copy of the first one; consecutive copies are one
  finding, as in DUP001. The windows' own DUP001 findings are merged in: on the same
  paragraphs the streamed finding wins (it names the first copy in the file); a
  window's finding that covers more (a run that starts with a near-copy) replaces the
  streamed ones inside it.

Limited to one window (core plus context) in windowed mode:

- DUP002 near-copies and DUP003 shared passages (and the bigram statistics DUP003
  weighs passages with); whether a paragraph is a copy, which DUP004 and DUP005 use
  to skip it; DUP001 runs that start with a near-copy, or mix near-copies in, when
  their original is in an earlier window (the streaming index knows exact and
  normalised copies; a near-copy is compared only with the paragraph that continues
  an open run);
- NUM003: values compared within one window; NUM002: a numbering sequence is
  followed within one window (a window starting mid-sequence reports nothing, so a
  skip across a cut can be missed); NUM001: the items of an announced list are
  counted up to the end of the context;
- TYPO003's "string used again in the document" (a term the author means) counts
  uses within the window;
- LAYOUT rules and PUNCT003 see at most the context around a paragraph (8 lines and
  20,000 characters at least);
- the cross-file search (``check_many``) leaves out files checked in windows;
- a line longer than the window is checked in pieces: a rule that needs the whole
  paragraph (a quote opened in one piece and closed in the next, a sentence repeated
  across pieces) sees the pieces.

Windows are checked one after the other. The two-core split of ``check_document``
(``reportlint.split``) is made once for the whole file, not per window (a fork per window
cost more than it saved): a child process takes the TYPO family through every window while
this process takes the other families through them.

Documents no longer than the window are checked as before (one Document, same findings).
"""

from __future__ import annotations

import bisect
import os
import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from reportlint import engine
from reportlint.document import CLOSERS, SENTENCE_END, WHITESPACE, Document
from reportlint.finding import Finding, Fix, Msg, Related, Span
from reportlint.registry import Rule

WINDOW_CHARS = 1_000_000  # characters of text checked at once (a 3 MB Chinese UTF-8 file)
CONTEXT_CHARS = 20_000  # characters of context on each side of a window, at least …
CONTEXT_LINES = 8  # … and this many non-blank lines
ENV = "REPORTLINT_WINDOW_CHARS"

_NONBLANK = re.compile(f"[^{re.escape(WHITESPACE)}\n]")
_SENTENCE_CUT = re.compile(f"[{re.escape(SENTENCE_END)}]+[{re.escape(CLOSERS)}]*")


def window_chars() -> int:
    """The window size: ``REPORTLINT_WINDOW_CHARS`` when set to a number, else ``WINDOW_CHARS``."""
    raw = os.environ.get(ENV, "").strip().replace("_", "")
    if raw.isdigit():
        return int(raw)
    return WINDOW_CHARS


def needs_windows(doc: Document, size: int | None = None) -> bool:
    """Is the document checked in windows (its text longer than the window)?"""
    size = window_chars() if size is None else size
    return size > 0 and len(doc.text) > size


# ----------------------------------------------------------------------------- planning


@dataclass(frozen=True, slots=True)
class Window:
    """A core [start, end) that owns the findings starting in it, checked as [ctx_start, ctx_end)."""

    start: int
    end: int
    ctx_start: int
    ctx_end: int


def plan_windows(text: str, size: int, context: int | None = None) -> list[Window]:
    """Cut ``text`` into cores of at most ``size`` characters with context around each."""
    if size <= 0:
        raise ValueError("window size must be positive")
    want = min(CONTEXT_CHARS, max(1, size // 4)) if context is None else context
    n = len(text)
    cuts = [0]
    while n - cuts[-1] > size:
        cuts.append(_cut(text, cuts[-1], cuts[-1] + size))
    cuts.append(n)
    out = []
    for a, b in pairwise(cuts):
        out.append(Window(a, b, _context_start(text, a, want, size), _context_end(text, b, want, size)))
    return out


def _cut(text: str, lo: int, hi: int) -> int:
    """Where a core that starts at ``lo`` ends, at most at ``hi`` (> lo)."""
    half = lo + (hi - lo) // 2
    i = text.rfind("\n\n", half, hi)
    if i != -1:
        return i + 2
    i = text.rfind("\n", lo, hi)
    if i != -1:
        return i + 1
    # one line longer than the window: after the last sentence end in its second half
    best = -1
    for m in _SENTENCE_CUT.finditer(text, half, hi):
        best = m.end()
    return best if best > lo else hi


def _context_start(text: str, pos: int, want: int, cap: int) -> int:
    """Whole lines before ``pos``: ``CONTEXT_LINES`` non-blank ones and ``want`` characters,
    no more than ``cap`` characters."""
    limit = max(0, pos - cap)
    s, lines = pos, 0
    while s > limit:
        nl = text.rfind("\n", limit, s - 1)
        prev = limit if nl == -1 else nl + 1
        if _NONBLANK.search(text, prev, s):
            lines += 1
        s = prev
        if lines >= CONTEXT_LINES and pos - s >= want:
            break
    return s


def _context_end(text: str, pos: int, want: int, cap: int) -> int:
    """Whole lines after ``pos``, as ``_context_start``."""
    limit = min(len(text), pos + cap)
    t, lines = pos, 0
    while t < limit:
        nl = text.find("\n", t, limit)
        nxt = limit if nl == -1 else nl + 1
        if _NONBLANK.search(text, t, nxt):
            lines += 1
        t = nxt
        if lines >= CONTEXT_LINES and t - pos >= want:
            break
    return t


# ----------------------------------------------------------------------------- checking


def window_document(doc: Document, w: Window) -> Document:
    """A Document of the window's text; its line numbers are the whole file's."""
    text = doc.text[w.ctx_start : w.ctx_end]
    line_offset = bisect.bisect_right(doc.line_starts, w.ctx_start) - 1
    kw = dict(
        path=doc.path,
        text=text,
        encoding=doc.encoding,
        bom=doc.bom,
        newline=doc.newline,
        kind=doc.kind,
        line_offset=line_offset,
    )
    if doc.kind == "md":  # Markdown paragraphs are the reader's blocks: keep those inside
        meta: dict = {"format": "md"}
        source = doc.meta.get("source")
        if isinstance(source, str) and len(source) == len(doc.text):
            meta["source"] = source[w.ctx_start : w.ctx_end]
        meta["blocks"] = [
            (s - w.ctx_start, e - w.ctx_start, kind)
            for s, e, kind in doc.meta.get("blocks", ())
            if w.ctx_start <= s and e <= w.ctx_end
        ]
        return type(doc)(meta=meta, **kw)
    return Document(**kw)


def check_windowed(
    doc: Document, rules: Iterable[Rule], size: int | None = None, context: int | None = None
) -> list[Finding]:
    """The findings of ``rules`` on ``doc``, checked window by window (see the module docstring)."""
    rules = list(rules)
    size = window_chars() if size is None else size
    windows = plan_windows(doc.text, size, context)
    dup = next((r for r in rules if r.code == "DUP001" and hasattr(r, "_params")), None)
    copies = ParagraphCopies(doc, dup) if dup is not None else None
    found: dict[tuple, Finding] = {}
    window_copies: list[Finding] = []  # DUP001 of the windows, merged with the streaming ones
    kept: dict[str, int] = {}  # findings kept per rule, up to the cap
    more: dict[str, Finding] = {}  # code -> the first finding beyond the cap: the rule stops there
    for k, w in enumerate(windows):
        last = k == len(windows) - 1
        wdoc = window_document(doc, w)
        for rule in rules:
            if rule.code in more:
                continue
            for f in rule.check(wdoc):
                start = f.span.start + w.ctx_start
                if not (w.start <= start < w.end or (last and start == w.end)):
                    continue  # another window's core: that window reports it
                g = _to_whole(f, doc, w.ctx_start)
                if rule is dup:
                    window_copies.append(g)
                elif kept.get(g.code, 0) < engine.MAX_FINDINGS_PER_RULE:
                    kept[g.code] = kept.get(g.code, 0) + 1
                    found.setdefault((g.code, g.span.start, g.span.end), g)
                else:
                    more[g.code] = g
                    break
        if copies is not None:
            copies.feed(wdoc, w)
        # Free the views now: clearing them also breaks the one cycle (the DUP units point back
        # at their document), so reference counting frees it all without a full collection.
        wdoc.__dict__.clear()
        del wdoc
    if copies is not None:
        for f in merge_copies(window_copies, copies.finish()):
            found.setdefault((f.code, f.span.start, f.span.end), f)
    for first in more.values():
        g = engine.more_of(first)
        found.setdefault((g.code, g.span.start, g.span.end), g)
    return sorted(found.values(), key=Finding.sort_key)


def merge_copies(in_window: list[Finding], streamed: list[Finding]) -> list[Finding]:
    """DUP001 findings of the windows and of the streaming index, each copied paragraph once.

    The streaming index relates every copy to the first one in the file, so it wins over
    a window's finding on the same paragraphs; a window's finding is kept when no streamed
    finding overlaps it, or when it covers more than those that do (a run that starts with
    a near-copy, which only a window finds), which are then dropped.
    """
    streamed = sorted(streamed, key=lambda f: f.span.start)
    starts = [f.span.start for f in streamed]
    dropped: set[int] = set()
    out: list[Finding] = []
    for w in in_window:
        s, e = w.span.start, w.span.end
        i = bisect.bisect_right(starts, s) - 1
        if i >= 0 and streamed[i].span.end <= s:
            i += 1
        i = max(i, 0)
        hit = []
        while i < len(streamed) and streamed[i].span.start < e:
            if streamed[i].span.end > s:
                hit.append(i)
            i += 1
        if len(hit) == 1 and (streamed[hit[0]].span.start, streamed[hit[0]].span.end) == (s, e):
            continue  # the same paragraphs: the streamed one names the first copy in the file
        if all(s <= streamed[j].span.start and streamed[j].span.end <= e for j in hit):
            out.append(w)
            dropped.update(hit)
    out.extend(f for j, f in enumerate(streamed) if j not in dropped)
    return out


def _to_whole(f: Finding, doc: Document, base: int) -> Finding:
    """The finding of a window Document, moved to the whole document's offsets and lines."""
    f.span = _span(doc, f.span, base)
    f.related = [
        Related(_span(doc, r.span, base), r.message) if r.span.path == doc.path else r for r in f.related
    ]
    if f.fix is not None:
        f.fix = f.fix.shifted(base)
    return f


def _span(doc: Document, span: Span, base: int) -> Span:
    return doc.span(span.start + base, span.end + base)


# ----------------------------------------------------------------------------- DUP001, streaming


class ParagraphCopies:
    """DUP001 in windowed mode: paragraphs that repeat an earlier paragraph anywhere in the file.

    The units (DUP's logical paragraphs, ``_dup.units_of``, with DUP's normalised key)
    that each window owns are fed in file order and numbered. Per unit the index keeps
    the hash of its key, its offsets and a few flags (25 bytes); per distinct key long
    enough to count (``min_chars``, not a heading) the number of its first unit. A unit
    whose key was seen before repeats the first unit with that key; a copy of the unit
    after the previous copy's original extends the run (also a near-copy, or a heading,
    as DUP001's runs do), and a repeated heading just before a run joins it. Each run is
    one finding, related to the first copy, with DUP001's messages and fix. A 64-bit hash
    match is confirmed against the text of the earlier unit when that is one paragraph.

    Unlike DUP001 on one Document, a run does not start with a near-copy (only exact
    and normalised copies start one) and a near-copy is compared only with the next
    paragraph of the run's original.
    """

    _SINGLE, _EXACT, _TAKEN, _HEADING, _NEAR = 1, 2, 4, 8, 16

    def __init__(self, doc: Document, rule: Rule) -> None:
        self.doc = doc
        self.rule = rule
        self.params = rule._params()  # type: ignore[attr-defined]
        self.first: dict[int, int] = {}  # hash of key -> number of its first unit
        self.hashes = array("q")
        self.starts = array("q")
        self.ends = array("q")
        self.flags = bytearray()
        self.run: list[tuple[int, int]] = []  # (unit, its original), the open run
        self.findings: list[Finding] = []

    def feed(self, wdoc: Document, w: Window) -> None:
        """Take in the units of the window ``w`` (checked as ``wdoc``) that start in its core."""
        from reportlint.rules._dup import units_of

        base = w.ctx_start
        for u in units_of(wdoc):
            start = base + u.start
            if not w.start <= start < w.end:
                continue
            g = len(self.hashes)
            h = hash(u.key) if u.key else 0
            self.hashes.append(h)
            self.starts.append(start)
            self.ends.append(base + u.end)
            self.flags.append(
                (self._SINGLE if len(u.paras) == 1 else 0) | (self._HEADING if u.heading else 0)
            )
            if not u.key:
                self._close()
                continue
            if self.run:
                lg, lo = self.run[-1]
                o = lo + 1
                if lg + 1 == g and o < self.run[0][0]:
                    if self.hashes[o] == h and self._same(o, u.key):
                        self._take(g, o, u.text)
                        continue
                    if self._near(o, u.key, u.heading):
                        self.flags[g] |= self._TAKEN | self._NEAR
                        self.run.append((g, o))
                        continue
            self._close()
            if len(u.key) < self.params.dup_min or u.heading:
                continue
            o = self.first.get(h)
            if o is None or not self._same(o, u.key):
                self.first.setdefault(h, g)
                continue
            # repeated headings or short lines just before the block join it
            back: list[tuple[int, int]] = []
            pg, po = g - 1, o - 1
            while (
                pg > o
                and po >= 0
                and self.hashes[pg]
                and self.hashes[pg] == self.hashes[po]
                and not self.flags[pg] & self._TAKEN
                and self._same_units(pg, po)
            ):
                back.append((pg, po))
                pg, po = pg - 1, po - 1
            for pg, po in reversed(back):
                self._take(pg, po, self._text(pg) if self.flags[pg] & self._SINGLE else None)
            self._take(g, o, u.text)

    def finish(self) -> list[Finding]:
        self._close()
        return self.findings

    # -- helpers
    def _text(self, i: int) -> str:
        return self.doc.text[self.starts[i] : self.ends[i]]

    def _same(self, o: int, key: str) -> bool:
        """Confirm a hash match against the text of unit ``o``, when it is one paragraph."""
        if not self.flags[o] & self._SINGLE:
            return True
        from reportlint.rules._dup import normalize

        return normalize(self._text(o)) == key

    def _same_units(self, a: int, b: int) -> bool:
        """Confirm that units ``a`` and ``b`` (equal hashes) have equal keys, when both are one paragraph."""
        if not self.flags[a] & self.flags[b] & self._SINGLE:
            return True
        from reportlint.rules._dup import normalize

        return normalize(self._text(a)) == normalize(self._text(b))

    def _near(self, o: int, key: str, heading: bool) -> bool:
        """Is a unit with ``key`` a near-copy of unit ``o`` (DUP's near score, DUP001's threshold)?"""
        if heading or self.flags[o] & self._HEADING or not self.flags[o] & self._SINGLE:
            return False
        from reportlint.rules._dup import normalize

        p = self.params
        okey = normalize(self._text(o))
        la, lb = len(okey), len(key)
        cutoff = p.near_threshold * 100
        if min(la, lb) < p.near_min or 200.0 * min(la, lb) / (la + lb) < cutoff:
            return False
        from rapidfuzz import fuzz

        return bool(fuzz.ratio(okey, key, score_cutoff=cutoff))

    def _take(self, g: int, o: int, text: str | None) -> None:
        flags = self.flags
        flags[g] |= self._TAKEN
        if flags[g] & flags[o] & self._SINGLE and self._text(o) == text:
            flags[g] |= self._EXACT
        self.run.append((g, o))

    def _close(self) -> None:
        if self.run:
            self.findings.append(self._report(self.run))
            self.run = []

    def _report(self, run: list[tuple[int, int]]) -> Finding:
        from reportlint.rules._dup import delete_copy_message, delete_range

        doc, flags = self.doc, self.flags
        g0, o0 = run[0]
        g1, o1 = run[-1]
        start, end = self.starts[g0], self.ends[g1]
        ostart, oend = self.starts[o0], self.ends[o1]
        n = len(run)
        a, b = doc.line_col(ostart)[0], doc.line_col(oend)[0]
        if n == 1:
            lines, lines_en = (f"第{a}行", f"line {a}") if a == b else (f"第{a}—{b}行", f"lines {a}-{b}")
            zh, en = f"本段与{lines}的段落重复", f"this paragraph repeats the one at {lines_en}"
        else:
            zh = f"连续{n}段与第{a}—{b}行的{n}段重复（整段重复）"
            en = f"these {n} paragraphs repeat the {n} at lines {a}-{b} (a repeated block)"
        near = sum(1 for g, _ in run if flags[g] & self._NEAR)
        exact = all(flags[g] & self._EXACT for g, _ in run)
        if near:
            zh += f"，其中{near}段略有改动"
            en += f"; {near} of them with small edits"
        elif any(flags[g] & flags[o] & self._SINGLE and not flags[g] & self._EXACT for g, o in run):
            zh += "（仅空白、标点或格式不同）"
            en += " (differing only in spaces, punctuation or markup)"
        text = doc.text
        adjacent = all(
            not _NONBLANK.search(text, self.ends[x], self.starts[y]) for (x, _), (y, _) in pairwise(run)
        )
        s, e = delete_range(doc, start, end)
        label = Msg("首次出现" if n == 1 else "首次出现的段落", "first occurrence")
        return self.rule.finding(
            doc,
            start,
            end,
            zh=zh,
            en=en,
            related=[(doc.span(ostart, oend), label)],
            fix=Fix("", safe=exact and adjacent, start=s, end=e, message=delete_copy_message(n)),
        )


def iter_windows(doc: Document, size: int | None = None) -> Iterator[Document]:
    """The window Documents of ``doc`` one after the other (for tools and tests)."""
    for w in plan_windows(doc.text, window_chars() if size is None else size):
        yield window_document(doc, w)
