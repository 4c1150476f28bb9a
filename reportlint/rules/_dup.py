"""Shared machinery of the DUP rules: normalised keys, hashed seeds, candidate pairs, runs.

Nothing here compares every paragraph with every other. Each paragraph gets a
*key* (its letters, digits and Chinese characters, case- and width-folded, with
whitespace, punctuation and markup dropped) and a few *seeds* (12-character
windows of the key that start at a clause boundary). Paragraphs with equal keys
are copies; paragraphs that share seeds are the only candidate pairs, and only
those are compared with rapidfuzz (with a score cutoff) or extended into shared
passages. Seeds that occur in many paragraphs (set formulae) are dropped from
the index, so the work stays linear in the size of the text. Shorter splices are
found apart: the whole sentences that end a paragraph are looked up in an index of
every sentence of the document (see ``_tail_splices``).

A *unit* is a logical paragraph: a paragraph together with the pieces that a
page break cut off from it (judged by the LAYOUT helpers), without the page
debris between, so that a copy split by a page break still matches.

The analysis of one document is computed once and shared by DUP001-DUP003
(cached per document and parameters); the analysis across documents is cached
for the last set of documents.
"""

from __future__ import annotations

import bisect
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import accumulate, chain
from typing import TYPE_CHECKING, NamedTuple

from reportlint.document import CLOSERS, SENTENCE_END, Document, Paragraph
from reportlint.finding import Msg
from reportlint.rules._layout import break_evidence, is_debris

if TYPE_CHECKING:  # the lexicon module is imported only where a rule needs it
    from reportlint.lexicon import Lexicon

# ----------------------------------------------------------------------------- keys

ALNUM_RE = re.compile(r"[^\W_]+")
_ALNUM_SPLIT_RE = re.compile(r"([^\W_]+)")  # split: [gap, token, gap, token, …, gap]
_WIDTH = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(*r)}

SEED = 12  # characters of key in one seed
ANCHOR = 8  # characters of key at each end of a paragraph, for near-copies
SHORT = 6  # characters of key in the extra windows of a short paragraph, for near-copies
BACKGROUND_CHARS = 200_000  # characters of a document sampled for bigram frequencies
MAX_POSTING = 8  # a seed found in more paragraphs than this is a set formula
SERIES = 3  # texts of one document linked by likeness, this many: a series on one frame


_FULLWIDTH_RE = re.compile("[\uff10-\uff5a]+")


def _narrow(m: re.Match[str]) -> str:
    return m.group().translate(_WIDTH)


def fold(text: str) -> str:
    """Lower-case and width-folded text of the same length as ``text``."""
    out = text.lower()
    if _FULLWIDTH_RE.search(out):
        out = _FULLWIDTH_RE.sub(
            _narrow, out
        )  # (only the full-width runs: translate looks up every character)
    if len(out) != len(text):  # a rare letter whose lower case is longer
        out = "".join((c.lower().translate(_WIDTH) or c)[0] for c in text)
    return out


def folded_text(doc: Document) -> str | None:
    """``fold(doc.text)`` when a slice of it is the fold of the slice, else None (cached).

    That holds when every character lowers to one character on its own: no character whose
    lower case is longer, and no capital sigma (whose lower case depends on its neighbours)."""
    cache = _cache(doc)
    if "folded" not in cache:
        t = doc.text
        cache["folded"] = fold(t) if "Σ" not in t and len(t.lower()) == len(t) else None
    return cache["folded"]


def normalize(text: str) -> str:
    """The comparison key of a text: letters, digits and Chinese characters only, folded."""
    return "".join(ALNUM_RE.findall(fold(text)))


# ----------------------------------------------------------------------------- units


def key_offsets(text: str, folded: str | None = None) -> tuple[str, list[int], list[int]]:
    """The key of ``text`` and, for each clause token (a run of letters, digits, Han), where it
    starts in the key and in ``text``: the tokens and the gaps between them come from one split.
    ``folded``: ``fold(text)``, if known."""
    parts = _ALNUM_SPLIT_RE.split(fold(text) if folded is None else folded)  # [gap, token, …, gap]
    toks = parts[1::2]
    kst = [0, *accumulate(map(len, toks))][:-1] if toks else []
    return "".join(toks), kst, list(accumulate(map(len, parts)))[0:-1:2]


class Unit:
    """A logical paragraph: one or more physical paragraphs joined across page breaks."""

    __slots__ = ("_raw", "doc", "heading", "key", "kst", "n", "paras", "segs", "text")

    def __init__(self, doc: Document, n: int, paras: list[Paragraph], folded: str | None = None) -> None:
        """``folded``: ``folded_text(doc)``, if known (the paragraphs' folds are slices of it)."""
        self.doc = doc
        self.n = n
        self.paras = paras
        if len(paras) == 1:  # (most units: one paragraph)
            p = paras[0]
            self.text = p.text
            self.segs = [(0, p.start)]
            self.heading = _is_heading(p)
            fold_of = None if folded is None else folded[p.start : p.end]
        else:
            self.text = "".join(p.text for p in paras)
            segs, off = [], 0
            for p in paras:
                segs.append((off, p.start))
                off += len(p.text)
            self.segs = segs
            self.heading = False
            fold_of = None if folded is None else "".join(folded[p.start : p.end] for p in paras)
        self.key, self.kst, self._raw = key_offsets(self.text, fold_of)

    # -- positions
    @property
    def start(self) -> int:
        return self.paras[0].start

    @property
    def end(self) -> int:
        return self.paras[-1].end

    @property
    def line(self) -> int:
        return self.paras[0].line

    @property
    def end_line(self) -> int:
        return self.paras[-1].line

    def doc_offset(self, i: int) -> int:
        """Document offset of an offset into ``self.text`` (an end offset maps to the end)."""
        k = bisect.bisect_right(self.segs, (i, float("inf"))) - 1
        off, start = self.segs[k]
        return start + (i - off)

    def doc_end(self, i: int) -> int:
        """Document offset of an exclusive end offset into ``self.text``."""
        return self.doc_offset(i - 1) + 1 if i > 0 else self.start

    @property
    def tokens(self) -> tuple[list[int], list[int]]:
        """(key offsets, text offsets) of each clause token: a run of letters/digits/Han."""
        return self.kst, self._raw

    def text_offset(self, x: int) -> int:
        """Offset into ``self.text`` of key offset ``x``."""
        kst, rst = self.tokens
        k = bisect.bisect_right(kst, x) - 1
        return rst[k] + (x - kst[k])

    def text_end(self, x: int) -> int:
        """Offset into ``self.text`` just after key offset ``x - 1``."""
        return self.text_offset(x - 1) + 1

    def label(self) -> str:
        return f"{self.line}" if self.line == self.end_line else f"{self.line}-{self.end_line}"

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Unit({self.doc.path}:{self.line} {self.text[:12]!r})"


_CLAUSE_PUNCT_RE = re.compile(r"[。！？；，、,;!?]|\.(?!\d)")


def _is_heading(p: Paragraph) -> bool:
    """A title or numbered heading: repeats legitimately (`（一）总体要求`)."""
    if p.is_numbered_heading:
        return True
    return len(p.text) <= 40 and not _CLAUSE_PUNCT_RE.search(p.text)


def _cache(doc: Document) -> dict:
    """Per-document cache of this module, kept on the document itself so that it goes away
    with it (a module-level weak dictionary would keep every document alive: units point
    back at their document)."""
    return doc.__dict__.setdefault("_dup_cache", {})


def units_of(doc: Document) -> list[Unit]:
    """The document's logical paragraphs, without page debris (cached)."""
    got = _cache(doc).get("units")
    if got is not None:
        return got
    paras = doc.paragraphs
    folded = folded_text(doc)
    units: list[Unit] = []
    k = 0
    while k < len(paras):
        p = paras[k]
        if is_debris(p):
            k += 1
            continue
        group = [p]
        while True:
            nxt = _continuation(doc, group[-1].index)
            if nxt is None:
                break
            group.append(paras[nxt])
        units.append(Unit(doc, len(units), group, folded))
        k = group[-1].index + 1
    _cache(doc)["units"] = units
    return units


def _continuation(doc: Document, k: int) -> int | None:
    """Index of the paragraph that continues paragraph k across a page break, if any."""
    paras = doc.paragraphs
    for q in paras[k + 1 : k + 4]:
        if is_debris(q):
            continue
        return q.index if break_evidence(paras[k], q) else None
    return None


# ----------------------------------------------------------------------------- results


class Params(NamedTuple):
    """Thresholds of one analysis (each rule passes its own options, defaults for the rest)."""

    dup_min: int = 20  # key characters for a paragraph to count as a copy by itself
    near_threshold: float = 0.85  # similarity (rapidfuzz ratio / 100) of near-copies
    near_min: int = 20
    passage_min: int = 50  # key characters of a shared passage
    boilerplate_docs: int = 4  # across files: text found in this many files is a template
    cross_dup_min: int = 50  # across files: key characters of a copied paragraph
    cross_passage_min: int = 100  # across files: key characters of a copied passage
    tail_min: int = 10  # key characters of whole sentences shared at the end of a paragraph


# Plain classes rather than dataclasses: they cost nothing at import.


class Copy:
    """``unit`` repeats ``other`` (earlier): kind is exact, normalised or near."""

    __slots__ = ("kind", "other", "score", "unit")

    def __init__(self, unit: Unit, other: Unit, kind: str, score: float = 100.0) -> None:
        self.unit, self.other, self.kind, self.score = unit, other, kind, score


class Run:
    """Consecutive copies of consecutive paragraphs: one repeated block."""

    __slots__ = ("copies", "misplaced")

    def __init__(self, copies: list[Copy]) -> None:
        self.copies = copies
        self.misplaced = False  # the copies are the earlier block, found out of place

    @property
    def kinds(self) -> set[str]:
        return {c.kind for c in self.copies}

    @property
    def is_near(self) -> bool:
        """Only near-copies: reported as DUP002; anything else as DUP001."""
        return self.kinds == {"near"}

    @property
    def first(self) -> Unit:
        return self.copies[0].unit

    @property
    def last(self) -> Unit:
        return self.copies[-1].unit


class Passage:
    """A passage of ``unit`` (text offsets) that also stands in ``other``.

    ``how``: "whole" (it is all of one paragraph), "fit" (it fits ``unit`` worse),
    "order" (across files: ``unit`` is in the later file).
    """

    __slots__ = ("chars", "end", "fit", "how", "oend", "ostart", "other", "start", "unit")

    def __init__(
        self,
        unit: Unit,
        start: int,
        end: int,
        other: Unit,
        ostart: int,
        oend: int,
        chars: int,
        how: str,
        fit: tuple[float, float] = (0.0, 0.0),
    ) -> None:
        self.unit, self.start, self.end = unit, start, end
        self.other, self.ostart, self.oend = other, ostart, oend
        self.chars, self.how, self.fit = chars, how, fit


class Analysis:
    __slots__ = ("copies", "passages", "runs")

    def __init__(self) -> None:
        self.runs: list[Run] = []
        self.passages: list[Passage] = []
        self.copies: dict[int, Copy] = {}  # id(unit) -> copy

    def is_copy(self, unit: Unit) -> bool:
        return id(unit) in self.copies


# ----------------------------------------------------------------------------- matching


def _fwd(a: str, i: int, b: str, j: int) -> int:
    """Length of the common prefix of a[i:] and b[j:]."""
    n, la, lb = 0, len(a), len(b)
    step = 32
    while i + n + step <= la and j + n + step <= lb and a[i + n : i + n + step] == b[j + n : j + n + step]:
        n += step
    while i + n < la and j + n < lb and a[i + n] == b[j + n]:
        n += 1
    return n


def _back(a: str, i: int, b: str, j: int) -> int:
    """Length of the common suffix of a[:i] and b[:j]."""
    n = 0
    step = 32
    while i - n - step >= 0 and j - n - step >= 0 and a[i - n - step : i - n] == b[j - n - step : j - n]:
        n += step
    while i - n > 0 and j - n > 0 and a[i - n - 1] == b[j - n - 1]:
        n += 1
    return n


def _near_score(a: Unit, b: Unit, p: Params) -> float:
    la, lb = len(a.key), len(b.key)
    if min(la, lb) < p.near_min or a.heading or b.heading:
        return 0.0
    cutoff = p.near_threshold * 100
    if 200.0 * min(la, lb) / (la + lb) < cutoff:
        return 0.0
    from rapidfuzz import fuzz  # imported on first use: most runs never get here

    return fuzz.ratio(a.key, b.key, score_cutoff=cutoff)


def _allowed(a: Unit, b: Unit, cross: bool) -> bool:
    """May ``b`` (later) be reported as repeating ``a``?"""
    return (a.doc is not b.doc) if cross else (a.doc is b.doc and a.n < b.n)


def _order(u: Unit, docidx: dict[int, int]) -> tuple[int, int]:
    return docidx[id(u.doc)], u.n


def analyse(groups: Sequence[list[Unit]], p: Params, cross: bool = False) -> Analysis:
    """Find copies, runs and shared passages in the units of one document (``cross`` false)
    or between the documents of ``groups`` (``cross`` true; only pairs across documents)."""
    res = Analysis()
    docidx = {id(g[0].doc): i for i, g in enumerate(groups) if g}
    allunits = [u for g in groups for u in g]
    if cross:  # copying between files is only worth a finding at a larger size
        p = p._replace(
            dup_min=max(p.dup_min, p.cross_dup_min),
            near_min=max(p.near_min, p.cross_dup_min),
            passage_min=max(p.passage_min, p.cross_passage_min),
        )
    template = max(p.boilerplate_docs, 3)  # across files: text in this many files is a template

    # 1. exact and normalised copies: equal keys.
    by_key: dict[str, list[Unit]] = defaultdict(list)
    for u in allunits:
        if len(u.key) >= p.dup_min and not u.heading:
            by_key[u.key].append(u)
    clusters = _UnionFind()
    for members in by_key.values():
        if len(members) < 2:
            continue
        for u in members[1:]:
            clusters.union(id(members[0]), id(u))
            if cross and any(v.doc is u.doc for v in members[: members.index(u)]):
                continue  # a copy inside its own document: check() reports it
            res.copies[id(u)] = Copy(u, members[0], _kind(members[0], u))

    # 2. seeds of the units that are not copies: candidate pairs. Only seeds found twice or
    # more make pairs: they are counted first, and only those get a posting list.
    index: dict[str, list[tuple[Unit, int]]] = defaultdict(list)
    anchors: dict[str, list[Unit]] = defaultdict(list)
    low = min(p.passage_min, p.near_min)
    seeded: list[tuple[Unit, list[int], list[str]]] = []
    for u in allunits:
        key = u.key
        if len(key) < low or id(u) in res.copies:
            continue
        if len(key) >= SEED:
            last = len(key) - SEED
            starts = [s for s in u.kst if s <= last]
            seeded.append((u, starts, [key[s : s + SEED] for s in starts]))
        if len(key) >= p.near_min and not u.heading:
            anchors["^" + key[:ANCHOR]].append(u)
            anchors["$" + key[-ANCHOR:]].append(u)
            if len(key) < 4 * SEED:  # a short paragraph: also short windows at each clause edge
                ends = [*u.kst[1:], len(key)]
                for s in u.kst:
                    anchors[key[s : s + SHORT]].append(u)
                for e in ends:
                    anchors[key[max(0, e - SHORT) : e]].append(u)

    times = Counter(chain.from_iterable(seeds for _, _, seeds in seeded))
    for u, starts, seeds in seeded:
        for seed, s in zip(seeds, starts, strict=True):
            if times[seed] > 1:
                index[seed].append((u, s))
    pairs: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    units_by_id: dict[int, Unit] = {}
    common: set[str] = set()  # seeds of set formulae
    for seed, posting in index.items():
        if len(posting) < 2:
            continue
        if cross:
            ndocs = len({id(u.doc) for u, _ in posting})
            if ndocs >= template or len(posting) > 4 * MAX_POSTING:
                common.add(seed)
                continue
            if ndocs < 2:
                continue
        elif len(posting) > MAX_POSTING:
            continue
        for x in range(len(posting)):
            ua, sa = posting[x]
            for y in range(x + 1, len(posting)):
                ub, sb = posting[y]
                if ua is ub or (cross and ua.doc is ub.doc):
                    continue
                units_by_id[id(ua)] = ua
                units_by_id[id(ub)] = ub
                pairs[(id(ua), id(ub))].append((sa, sb))
    near_pairs: set[tuple[int, int]] = set(pairs)
    for posting_u in anchors.values():
        if not 2 <= len(posting_u) <= MAX_POSTING * (4 if cross else 1):
            continue
        for x in range(len(posting_u)):
            for y in range(x + 1, len(posting_u)):
                ua, ub = posting_u[x], posting_u[y]
                if cross and ua.doc is ub.doc:
                    continue
                units_by_id[id(ua)] = ua
                units_by_id[id(ub)] = ub
                near_pairs.add((id(ua), id(ub)))

    # 3. near-copies among candidate pairs.
    best: dict[int, Copy] = {}
    near_with: dict[int, set[int]] = defaultdict(set)  # units found alike, both ways
    for ia, ib in near_pairs:
        ua, ub = units_by_id[ia], units_by_id[ib]
        if _order(ub, docidx) < _order(ua, docidx):
            ua, ub = ub, ua
        if not _allowed(ua, ub, cross):
            continue
        score = _near_score(ua, ub, p)
        if not score:
            continue
        clusters.union(ia, ib)
        near_with[ia].add(ib)
        near_with[ib].add(ia)
        have = best.get(id(ub))
        # equal scores: the earliest paragraph, whatever order the pairs come in
        if (
            have is None
            or score > have.score
            or (score == have.score and _order(ua, docidx) < _order(have.other, docidx))
        ):
            best[id(ub)] = Copy(ub, ua, "near", score)
    if not cross:
        # Three or more paragraphs of one document of different text, linked by likeness, are a
        # series built on one frame (会见…的X总统Y, 第N号主席令说，《X法》…): each says something
        # new, none is a copy. A pasted paragraph stands twice (an edited paste beside an exact
        # copy is still two texts); exact copies are reported by their own step.
        for uid in [uid for uid in best if _in_series(uid, near_with, units_by_id)]:
            del best[uid]
    # Two paragraphs on one frame with other names in it are alike (and linked so for the series
    # test above) but no copy; tested last, on the few pairs left.
    for uid in [uid for uid, c in best.items() if _name_frame(c.other.text, c.unit.text)]:
        del best[uid]
    for uid, c in best.items():
        res.copies.setdefault(uid, c)
    if cross:  # a paragraph found (nearly) alike in many files is a set formula
        docs_of: dict[int, set[int]] = defaultdict(set)
        for u in allunits:
            if clusters.known(id(u)):
                docs_of[clusters.find(id(u))].add(id(u.doc))
        for uid in [uid for uid in res.copies if len(docs_of[clusters.find(uid)]) >= template]:
            del res.copies[uid]

    # 4. runs of copies.
    res.runs = _runs(groups, res.copies, p, cross)

    # 5. shared passages between paragraphs that are not copies of each other.
    bg: dict[int, tuple[Counter, int]] = {}
    for (ia, ib), seeds in pairs.items():
        ua, ub = units_by_id[ia], units_by_id[ib]
        if ia in res.copies or ib in res.copies or (cross and clusters.known(ia) and clusters.same(ia, ib)):
            continue
        if _order(ub, docidx) < _order(ua, docidx):
            ua, ub = ub, ua
            seeds = [(sb, sa) for sa, sb in seeds]
        for m in _matches(ua, ub, seeds, p):
            if cross and _mostly_common(ub, m[2], m[3], common):
                continue
            psg = _passage(ua, ub, m, p, cross, bg)
            if psg is not None:
                res.passages.append(psg)
    if not cross and p.tail_min < p.passage_min:
        res.passages.extend(_tail_splices(allunits, res, p, bg))
    res.passages.sort(key=lambda x: (_order(x.unit, docidx), x.start))
    if not cross:  # 6. a block printed twice is reported where it stands out of place
        for run in res.runs:
            if _misplaced_original(run, res.passages, bg):
                _swap(run, res.copies)
    return res


# Figures, in digits or Chinese numerals: a paragraph pasted again with its figures changed is
# still the same text to the series test below.
_FIGURES_RE = re.compile("[0-9０-９.．%％零〇一二三四五六七八九十百千万亿两]+")


_NAME_TAGS = ("ns", "nr", "nt", "nz")  # the lexicon's tags of places, people, bodies and other names
FOREIGN_NAME = 0.6  # mean transliteration score (ln ratio) of the characters of a foreign name
_TIMES_OF_DAY = frozenset(
    ["凌晨", "早上", "上午", "中午", "下午", "傍晚", "晚上", "晚", "夜间", "当天", "当晚"]
)
# Offices of state, after the country of their holder.
_OFFICE_RE = re.compile("副?(?:总统|总理|首相|国王|女王|王储|埃米尔|外长|外交部长|议长|大使|元首)")


def _name_frame(a: str, b: str) -> bool:
    """Two paragraphs on one frame with other names in it (…会见来华访问的挪威首相斯特勒。 /
    …会见来华访问的西班牙首相桑切斯。): every difference between them, word by word, is one name
    put for another, or figures (dates), and one at least is a name. Each says something new;
    an edited paste changes words and figures, not names."""
    from difflib import SequenceMatcher

    from rapidfuzz.distance import Levenshtein

    from reportlint.lexicon import get_lexicon

    lex = get_lexicon()
    wa, wb = lex.cut(a), lex.cut(b)
    names = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        x, y = "".join(ALNUM_RE.findall("".join(wa[i1:i2]))), "".join(ALNUM_RE.findall("".join(wb[j1:j2])))
        if not (x or y) or (_FIGURES_RE.fullmatch(x or "0") and _FIGURES_RE.fullmatch(y or "0")):
            continue  # marks or figures only
        if x in _TIMES_OF_DAY and y in _TIMES_OF_DAY:
            continue  # 7日上午 / 7日下午: a time, as figures are
        office = i2 < len(wa) and j2 < len(wb) and wa[i2] == wb[j2] and _OFFICE_RE.fullmatch(wa[i2])
        if not (x and y and (office or (_name_like(x, lex) and _name_like(y, lex)))):
            return False
        if len(x) > 1 and len(y) > 1 and Levenshtein.distance(x, y) < 2:
            return False  # one character of a name changed (李家超 / 李家发): an edit, not another name
        names += 1  # a name, or the country before an office (刚果（金）总统 / 几内亚总统)
    return names > 0


PERSON_NAME_FREQ = 10  # a surname and more this rare in the lexicon is a name (黄明), not a word (黄金)


def _name_like(s: str, lex: Lexicon) -> bool:
    """A name: a place, person or body of the lexicon, words the lexicon tags as names only, a
    country's one-character abbreviation (中厄双方), or a foreign name's transliteration."""
    if lex.tag(s).startswith(_NAME_TAGS):
        return True
    from reportlint.lexicon import surnames

    if 2 <= len(s) <= 4 and s[0] in surnames() and lex.freq(s) < PERSON_NAME_FREQ:
        return True  # a Chinese person's name: a surname and a given name that is no common word
    words = [s[a:b] for a, b in lex.route(s)[1]]
    if len(words) > 1 and all(lex.tag(w).startswith(_NAME_TAGS) for w in words):
        return True
    from reportlint.lm import get_lm

    lm = get_lm()
    if lm.foreign is None or lm.abbrev is None:
        return False
    ids = [lm.char_id(c) for c in s]
    if len(s) == 1:
        return bool(lm.abbrev[ids[0]])
    return sum(float(lm.foreign[i]) for i in ids) / len(ids) >= FOREIGN_NAME


def _in_series(uid: int, near_with: dict[int, set[int]], units: dict[int, Unit]) -> bool:
    """Whether the paragraphs linked to the unit by likeness, directly or through others, hold
    three different texts or more, figures aside (the same paragraph pasted three times with
    other figures, X X′ X″, is no series)."""
    seen, todo, keys = {uid}, [uid], set()
    while todo and len(keys) < SERIES:
        x = todo.pop()
        keys.add(_FIGURES_RE.sub("", units[x].key))
        for y in near_with[x]:
            if y not in seen:
                seen.add(y)
                todo.append(y)
    return len(keys) >= SERIES


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        self.parent.setdefault(ra, ra)
        self.parent.setdefault(rb, rb)
        if ra != rb:
            self.parent[rb] = ra

    def known(self, x: int) -> bool:
        return x in self.parent

    def same(self, a: int, b: int) -> bool:
        return self.find(a) == self.find(b)


def _mostly_common(u: Unit, k0: int, k1: int, common: set[str]) -> bool:
    """Are most seeds of the key range [k0, k1) set formulae found in many files?"""
    key = u.key
    starts = [s for s in u.kst if k0 <= s <= k1 - SEED]
    if not starts:
        return False
    hits = sum(key[s : s + SEED] in common for s in starts)
    return hits * 2 > len(starts)


def _kind(first: Unit, copy: Unit) -> str:
    return "exact" if first.text == copy.text else "normalised"


def _runs(groups: Sequence[list[Unit]], copies: dict[int, Copy], p: Params, cross: bool) -> list[Run]:
    runs: list[Run] = []
    used: set[int] = set()
    for units in groups:
        for u in units:
            c = copies.get(id(u))
            if c is None or id(u) in used:
                continue
            run = [c]
            first_u = u
            # forward: the next paragraph repeats the paragraph after the original
            while True:
                nu = _next(run[-1].unit)
                no = _next(run[-1].other)
                if nu is None or no is None or id(nu) in used:
                    break
                if not cross and no.n >= first_u.n:
                    break  # the original block would run into its copy
                step = _step(nu, no, copies, p)
                if step is None:
                    break
                run.append(step)
            # backward: a repeated heading or short line just before the block
            while True:
                pu = _prev(run[0].unit)
                po = _prev(run[0].other)
                if pu is None or po is None or id(pu) in used or id(pu) in copies:
                    break
                if not cross and pu.n <= run[-1].other.n:
                    break
                if not pu.key or pu.key != po.key:
                    break
                run.insert(0, Copy(pu, po, _kind(po, pu)))
            for c2 in run:
                used.add(id(c2.unit))
            runs.append(Run(run))
    return runs


PLACE_MARGIN = 0.1  # how much better a block's copy must fit its surroundings to be the original
PLACE_MIN_CHARS = 200  # blocks shorter than this say too little about where they belong
PLACE_REACH = 2  # paragraphs on each side that make a block's surroundings
FRAGMENT = 20  # a paragraph this short right after a block is a fragment a misprint left


def _misplaced_original(run: Run, passages: list[Passage], bg: dict) -> bool:
    """Whether the earlier of two far-apart copies of a block is the one out of place (a
    section printed twice, its first print inside another section): the text around it is
    damaged, as a misprint leaves it (the paragraph before or after holds a passage pasted
    from elsewhere, or the paragraph after is a fragment of at most ``FRAGMENT`` characters),
    and the later copy fits the paragraphs around it (bigram cosine, weighted by idf) clearly
    better. Adjacent copies and short blocks keep the usual order: the later copy is the repeat.
    (Context alone is not enough: a copy pasted at a random place fits it better than its
    original fits its own about once in a hundred.)"""
    first, last = run.copies[0], run.copies[-1]
    if first.other.doc is not first.unit.doc or sum(len(c.unit.key) for c in run.copies) < PLACE_MIN_CHARS:
        return False
    orig = (first.other.n, last.other.n)
    copy = (first.unit.n, last.unit.n)
    if copy[0] - orig[1] <= PLACE_REACH:
        return False  # next to each other: the surroundings are shared
    units = units_of(first.unit.doc)
    around = {orig[0] - 1, orig[1] + 1}
    after = units[orig[1] + 1] if orig[1] + 1 < len(units) else None
    damaged = any(x.unit.n in around and x.unit.doc is first.unit.doc for x in passages) or (
        after is not None and 0 < len(after.key) <= FRAGMENT and not after.heading
    )
    if not damaged:
        return False
    block = _bigram_counts("\x00".join(c.unit.key for c in run.copies))
    doc_counts, total = _background(first.unit.doc, bg)

    def fit(a: int, b: int) -> float:
        near = [
            units[i].key
            for i in [*range(a - PLACE_REACH, a), *range(b + 1, b + 1 + PLACE_REACH)]
            if 0 <= i < len(units) and not orig[0] <= i <= orig[1] and not copy[0] <= i <= copy[1]
        ]
        return _cosine(block, _bigram_counts("\x00".join(near)), doc_counts, total) if near else 0.0

    return fit(*copy) > fit(*orig) + PLACE_MARGIN


def _swap(run: Run, copies: dict[int, Copy]) -> None:
    """Make the earlier block of ``run`` the copy reported and the later one its original."""
    swapped = [Copy(c.other, c.unit, c.kind, c.score) for c in run.copies]
    for old, new in zip(run.copies, swapped, strict=True):
        copies.pop(id(old.unit), None)
        copies[id(new.unit)] = new
    run.copies = swapped
    run.misplaced = True


def _next(u: Unit) -> Unit | None:
    units = units_of(u.doc)
    return units[u.n + 1] if u.n + 1 < len(units) else None


def _prev(u: Unit) -> Unit | None:
    units = units_of(u.doc)
    return units[u.n - 1] if u.n > 0 else None


def _step(nu: Unit, no: Unit, copies: dict[int, Copy], p: Params) -> Copy | None:
    """Does ``nu`` repeat ``no`` (extending a run)?"""
    if nu.key and nu.key == no.key:
        return Copy(nu, no, _kind(no, nu))
    c = copies.get(id(nu))
    if c is not None and c.other is no:
        return c
    score = _near_score(no, nu, p)
    if score:
        return Copy(nu, no, "near", score)
    return None


def _matches(ua: Unit, ub: Unit, seeds: list[tuple[int, int]], p: Params) -> list[tuple[int, int, int, int]]:
    """Maximal common stretches (a_start, a_end, b_start, b_end) in key offsets, gaps of a small
    edit merged, at least ``passage_min`` characters."""
    a, b = ua.key, ub.key
    found: list[tuple[int, int, int]] = []  # (a_start, b_start, length)
    for sa, sb in sorted(seeds):
        if any(fa <= sa < fa + n and sa - fa == sb - fb for fa, fb, n in found):
            continue
        k = _back(a, sa, b, sb)
        n = _fwd(a, sa, b, sb)
        found.append((sa - k, sb - k, k + n))
    found.sort()
    merged: list[list[int]] = []
    for fa, fb, n in found:
        if merged:
            m = merged[-1]
            ga, gb = fa - m[1], fb - m[3]
            if 0 <= ga <= 6 and 0 <= gb <= 6:
                m[1], m[3] = max(m[1], fa + n), max(m[3], fb + n)
                m[4] += n
                continue
        merged.append([fa, fa + n, fb, fb + n, n])
    return [(m[0], m[1], m[2], m[3]) for m in merged if m[4] >= p.passage_min]


def _snap(u: Unit, s: int, e: int) -> tuple[int, int]:
    """How far to move a key range [s, e) inwards so that it starts and ends on clause boundaries."""
    kst = u.kst
    n = len(u.key)
    i = bisect.bisect_left(kst, s)
    s2 = kst[i] if i < len(kst) else n
    if e >= n:
        e2 = n
    else:
        j = bisect.bisect_right(kst, e) - 1
        e2 = kst[j] if j >= 0 else 0
    return s2 - s, max(0, e - e2)


def _passage(
    ua: Unit, ub: Unit, m: tuple[int, int, int, int], p: Params, cross: bool, bg: dict
) -> Passage | None:
    a0, a1, b0, b1 = m
    dsa, dea = _snap(ua, a0, a1)
    dsb, deb = _snap(ub, b0, b1)
    ds, de = max(dsa, dsb), max(dea, deb)
    a0, b0, a1, b1 = a0 + ds, b0 + ds, a1 - de, b1 - de
    chars = min(a1 - a0, b1 - b0)
    whole_a = a1 - a0 >= 0.9 * len(ua.key) and not ua.heading
    whole_b = b1 - b0 >= 0.9 * len(ub.key) and not ub.heading
    if chars < p.passage_min:
        return None
    if whole_a and whole_b:
        return None  # a normalised copy below the paragraph threshold: nothing to add
    sa, ea = _text_span(ua, a0, a1)
    sb, eb = _text_span(ub, b0, b1)
    if cross or whole_a or whole_b:
        how = "order" if cross else "whole"
        return Passage(ub, sb, eb, ua, sa, ea, chars, how)
    # Compare like with like: the same amount of context on each side, nearest the passage.
    w = min(len(ua.key) - (a1 - a0), len(ub.key) - (b1 - b0))
    if w < 10:
        return Passage(ub, sb, eb, ua, sa, ea, chars, "whole")
    fa = _fit(ua, a0, a1, w, bg)
    fb = _fit(ub, b0, b1, w, bg)
    if fa < fb:  # the passage fits the earlier paragraph worse: it was pasted there
        return Passage(ua, sa, ea, ub, sb, eb, chars, "fit", (fa, fb))
    return Passage(ub, sb, eb, ua, sa, ea, chars, "fit", (fb, fa))


# ----------------------------------------------------------------------------- tail splices

_SENT_END_RE = re.compile(f"[{re.escape(SENTENCE_END)}]+[{re.escape(CLOSERS)}]*")


def _sentence_bounds(u: Unit) -> list[int]:
    """Key offsets where the sentences of ``u`` start, and the key length at the end."""
    kst, rst = u.tokens
    n = len(u.key)
    out = [0]
    for m in _SENT_END_RE.finditer(u.text):
        t = m.end()
        k = bisect.bisect_right(rst, t) - 1
        if k < 0:
            continue
        toklen = (kst[k + 1] if k + 1 < len(kst) else n) - kst[k]
        x = kst[k] + min(t - rst[k], toklen)
        if out[-1] < x < n:
            out.append(x)
    out.append(n)
    return out


def _tail_splices(allunits: list[Unit], res: Analysis, p: Params, bg: dict) -> list[Passage]:
    """Whole sentences at the end of one paragraph that also stand, as whole sentences, in
    another paragraph: the usual trace of a paste at a paragraph end (appended, or pasted
    over the last sentence). Shorter than ``passage_min``, such a passage still counts when
    it is at least ``tail_min`` characters of text when it ends both paragraphs, twice that
    when it stands inside the other one (a topic sentence restated at the end of another
    paragraph is a refrain): a run of whole sentences that ends a paragraph and recurs
    elsewhere is rarely a coincidence. A sentence found in more than
    ``MAX_POSTING`` paragraphs is a set formula."""
    units = [u for u in allunits if not u.heading and id(u) not in res.copies and len(u.key) >= p.tail_min]
    bounds = {id(u): _sentence_bounds(u) for u in units}
    # Sentences found once are looked up in vain: only those found twice or more get a posting.
    sents = [[u.key[b[i] : b[i + 1]] for i in range(len(b) - 1)] for u in units for b in (bounds[id(u)],)]
    times = Counter(s for ss in sents for s in ss)
    index: dict[str, list[tuple[Unit, int]]] = defaultdict(list)
    for u, ss in zip(units, sents, strict=True):
        for i, s in enumerate(ss):
            if times[s] > 1 and len(s) >= 4:
                index[s].append((u, i))
    covered: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for x in res.passages:
        covered[id(x.unit)].append((x.start, x.end))
        covered[id(x.other)].append((x.ostart, x.oend))
    out: list[Passage] = []
    for q in units:
        bq, kq = bounds[id(q)], q.key
        m = len(bq) - 2  # index of the last sentence
        if m < 1:
            continue  # one sentence: a short paragraph repeated inside another (a refrain)
        posting = index.get(kq[bq[m] : bq[m + 1]], ())
        if not 2 <= len(posting) <= MAX_POSTING:
            continue
        best: tuple[int, Unit, int, int] | None = None
        for u, i in posting:
            if u is q:
                continue  # a sentence said twice in one paragraph: DUP004
            bu, ku = bounds[id(u)], u.key
            k = 1  # sentences in the run, extended backwards
            while m > k and i >= k and kq[bq[m - k] : bq[m + 1 - k]] == ku[bu[i - k] : bu[i + 1 - k]]:
                k += 1
            chars = bq[m + 1] - bq[m + 1 - k]
            if i - k + 1 == 0 and i + 1 == len(bu) - 1:
                continue  # all of ``u``: a short paragraph repeated at the end of q
            if chars < (p.tail_min if i + 1 == len(bu) - 1 else 2 * p.tail_min):
                continue  # too short; shorter still when it ends both paragraphs
            if best is None or chars > best[0]:
                best = (chars, u, i, k)
        if best is None:
            continue
        chars, u, i, k = best
        bu = bounds[id(u)]
        q0, q1 = bq[m + 1 - k], bq[m + 1]
        u0, u1 = bu[i + 1 - k], bu[i + 1]
        qs, qe = _text_span(q, q0, q1)
        us, ue = _text_span(u, u0, u1)
        if _overlaps(covered[id(q)], qs, qe) or _overlaps(covered[id(u)], us, ue):
            continue  # already found as a longer passage
        at_tail = u1 == len(u.key)
        psg = Passage(q, qs, qe, u, us, ue, chars, "fit")
        if at_tail:  # the end of both paragraphs: the one it fits worse is where it was pasted
            w = min(len(q.key) - chars, len(u.key) - chars)
            fq = _fit(q, q0, q1, w, bg) if w >= 10 else 0.0
            fu = _fit(u, u0, u1, w, bg) if w >= 10 else 0.0
            if fu < fq or (fu == fq and u.n > q.n):  # no evidence either way: the later one
                psg = Passage(u, us, ue, q, qs, qe, chars, "fit", (fu, fq))
            else:
                psg.fit = (fq, fu)
        covered[id(psg.unit)].append((psg.start, psg.end))
        covered[id(psg.other)].append((psg.ostart, psg.oend))
        out.append(psg)
    return out


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


_TRAIL = SENTENCE_END + CLOSERS


def _text_span(u: Unit, k0: int, k1: int) -> tuple[int, int]:
    s = u.text_offset(k0)
    e = u.text_end(k1)
    while e < len(u.text) and u.text[e] in _TRAIL:
        e += 1
    return s, e


def _fit(u: Unit, k0: int, k1: int, w: int, bg: dict) -> float:
    """How well the key range [k0, k1) fits its paragraph (higher: better).

    The passage's character bigrams are compared (tf-idf cosine, idf from the whole
    document) with two contexts: the rest of the paragraph, and the ``w`` characters
    nearest to the passage (before it, then after it). Both occurrences of a passage
    are measured with the same ``w``, so a longer paragraph has no advantage there.
    The score is the log of the product of the two similarities.
    """
    doc_counts, total = _background(u.doc, bg)
    idf = bg.setdefault(("idf", id(u.doc)), {})  # the weights of the bigrams met so far, once each
    key = u.key
    psg = _bigram_counts(key[k0:k1])
    before = key[max(0, k0 - w) : k0]
    near = before + "\x00" + key[k1 : k1 + w - len(before)]
    whole = key[:k0] + "\x00" + key[k1:]
    s = 0.0
    for ctx in (whole, near):
        s += math.log(_cosine(psg, _bigram_counts(ctx), doc_counts, total, idf) + 1e-3)
    return s


def _bigram_counts(s: str) -> Counter:
    return Counter(s[i : i + 2] for i in range(len(s) - 1))


def _cosine(a: Counter, b: Counter, df: Counter, total: int, idf: dict[str, float] | None = None) -> float:
    """Cosine of two bigram counts weighted by idf (``df``: document counts by ``_bigram_code``).
    ``idf``: the weights already known for the document, added to here (the passages of one
    document and their contexts share most of their bigrams)."""
    idf = {} if idf is None else idf
    idf.update(_idf([g for g in a if g not in idf], df, total))  # each bigram's weight, once
    num = sum(n * b[g] * idf[g] ** 2 for g, n in a.items() if g in b)
    if not num:
        return 0.0
    idf.update(_idf([g for g in b if g not in idf], df, total))
    na = math.sqrt(sum((n * idf[g]) ** 2 for g, n in a.items()))
    nb = math.sqrt(sum((n * idf[g]) ** 2 for g, n in b.items()))
    return num / (na * nb)


_LITTLE = sys.byteorder == "little"
_UTF32 = "utf-32-le" if _LITTLE else "utf-32-be"  # the machine's order: read back as its integers


def _bigram_code(g: str) -> int:
    """The number that stands for a bigram in ``_background``'s counts: the 8 bytes of its
    UTF-32 encoding read as one integer."""
    return ord(g[0]) | ord(g[1]) << 32 if _LITTLE else ord(g[0]) << 32 | ord(g[1])


def _idf(grams: list[str], df: Counter, total: int) -> dict[str, float]:
    """The idf of each bigram, looked up by its ``_bigram_code``: the codes of all of them are
    read at once from their UTF-32 encoding (each bigram is 8 bytes of it)."""
    log, get = math.log, df.get
    codes = memoryview("".join(grams).encode(_UTF32, "surrogatepass")).cast("Q")
    return dict(zip(grams, [log(1 + total / (1 + get(c, 0))) for c in codes], strict=True))


def _background(doc: Document, bg: dict) -> tuple[Counter, int]:
    """Bigram counts of the document (of an even sample of its paragraphs when it is huge),
    keyed by ``_bigram_code``, and how many bigrams were counted.

    The keys are joined by a character no key holds (keys are letters, digits and Chinese
    characters) and encoded in UTF-32: the bigrams at even and at odd offsets are then the
    8-byte integers of the bytes read from the start and from the fourth byte, counted without
    a string made for each. The bigrams that hold the joining character are never looked up."""
    got = bg.get(id(doc))
    if got is None:
        units = units_of(doc)
        size = sum(len(u.key) for u in units)
        step = 1 + size // BACKGROUND_CHARS
        keys = [u.key for u in units[::step]]
        data = memoryview("\x01".join(keys).encode(_UTF32, "surrogatepass"))
        n = len(data)
        c: Counter = Counter(data[: n // 8 * 8].cast("Q"))
        c.update(data[4 : 4 + (n - 4) // 8 * 8].cast("Q"))
        got = (c, sum(max(len(k) - 1, 0) for k in keys))
        bg[id(doc)] = got
    return got


# ----------------------------------------------------------------------------- caches

_CROSS_CACHE: list[tuple[tuple[int, ...], Params, list[Document], Analysis]] = []


def doc_analysis(doc: Document, p: Params | None = None) -> Analysis:
    """Copies, runs and passages inside one document (cached per document and parameters)."""
    p = p or Params()
    per = _cache(doc).setdefault("analysis", {})
    got = per.get(p)
    if got is None:
        got = analyse([units_of(doc)], p, cross=False)
        per[p] = got
    return got


def cross_analysis(docs: Sequence[Document], p: Params | None = None) -> Analysis:
    """Copies, runs and passages between documents (only pairs across documents)."""
    p = p or Params()
    ids = tuple(id(d) for d in docs)
    for key, params, _docs, got in _CROSS_CACHE:
        if key == ids and params == p:
            return got
    got = analyse([units_of(d) for d in docs], p, cross=True)
    _CROSS_CACHE.insert(0, (ids, p, list(docs), got))
    del _CROSS_CACHE[3:]
    return got


# ----------------------------------------------------------------------------- messages


def describe_diff(a: str, b: str, limit: int = 3) -> tuple[str, str]:
    """Short zh/en description of how ``b`` differs from ``a`` (both raw paragraph texts),
    each difference shown with up to two characters of context on each side."""
    from rapidfuzz.distance import Levenshtein

    parts_zh, parts_en = [], []
    ops = [op for op in Levenshtein.opcodes(a, b) if op.tag != "equal"]
    for op in ops[:limit]:
        c0 = min(2, op.src_start, op.dest_start)
        c1 = min(2, len(a) - op.src_end, len(b) - op.dest_end)
        x = _clip(a[op.src_start - c0 : op.src_end + c1])
        y = _clip(b[op.dest_start - c0 : op.dest_end + c1])
        parts_zh.append(f"「{x}」→「{y}」")
        parts_en.append(f"'{x}' -> '{y}'")
    more = len(ops) - limit
    if more > 0:
        parts_zh.append(f"等{len(ops)}处")
        parts_en.append(f"{more} more")
    return "，".join(parts_zh), ", ".join(parts_en)


def _clip(s: str, n: int = 16) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def delete_range(doc: Document, start: int, end: int) -> tuple[int, int]:
    """Offsets that delete the whole lines from ``start`` to ``end`` and the blank lines after."""
    text = doc.text
    s = text.rfind("\n", 0, start) + 1
    e = end
    while e < len(text) and text[e] in " \t\u3000":
        e += 1
    while e < len(text) and text[e] == "\n":
        e += 1
    if e >= len(text) and s > 0:
        # at the end of the text: take the line break before instead of after
        while s > 0 and text[s - 1] == "\n":
            s -= 1
        e = len(text)
    return s, e


def delete_copy_message(n: int, near: bool = False) -> Msg:
    """What deleting a repeated paragraph (or ``n`` of them) does, for the fix's message."""
    what_zh = "重复段落" if n == 1 else f"重复的{n}段"
    what_en = "the repeated paragraph" if n == 1 else f"the {n} repeated paragraphs"
    if near:
        return Msg(f"删除略有改动的{what_zh}", f"delete {what_en} (it differs slightly)")
    return Msg(f"删除{what_zh}", f"delete {what_en}")


def location(doc_from: Document, u: Unit) -> str:
    """'第N行' or, for another file, 'path 第N行'."""
    lines = f"{u.line}" if u.line == u.end_line else f"{u.line}—{u.end_line}"
    if u.doc is doc_from:
        return f"第{lines}行"
    return f"{u.doc.path} 第{lines}行"


def location_en(doc_from: Document, u: Unit) -> str:
    lines = f"line {u.line}" if u.line == u.end_line else f"lines {u.line}-{u.end_line}"
    if u.doc is doc_from:
        return lines
    return f"{u.doc.path} {lines}"


# ----------------------------------------------------------------------------- benchmarking


def find_duplicates(paragraph_texts: Iterable[str], p: Params | None = None) -> dict[str, list]:
    """Analyse a list of paragraphs as one document; for benchmarks and quick checks.

    Returns ``{"copies": [(later, earlier, kind, score)], "runs": [(first, last, n)],
    "passages": [(paragraph, other, chars)]}`` with paragraph numbers counted from 0.
    """
    texts = [t.replace("\n", " ") for t in paragraph_texts]
    doc = Document.from_text("\n".join(texts), path="<paragraphs>")
    res = analyse([units_of(doc)], p or Params(), cross=False)
    return {
        "copies": sorted(
            (c.unit.line - 1, c.other.line - 1, c.kind, round(c.score, 1)) for c in res.copies.values()
        ),
        "runs": [(r.first.line - 1, r.last.end_line - 1, len(r.copies)) for r in res.runs],
        "passages": [(x.unit.line - 1, x.other.line - 1, x.chars) for x in res.passages],
    }
