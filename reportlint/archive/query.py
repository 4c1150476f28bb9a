"""Find the paragraphs and passages of a document that were copied from the archive.

1. Exact and normalised copies: the paragraph's key hash is looked up among the archived
   paragraph fingerprints (and the keys compared).
2. Near copies: the paragraph's MinHash band keys are looked up in the LSH tables; every
   candidate is then compared exactly (Jaccard similarity of the character shingle sets),
   so the LSH only decides what is compared, never what is reported.
3. Copied passages: the paragraph's sentences are looked up among the archived sentence
   fingerprints; each archived paragraph sharing a sentence is aligned with it (the DUP
   rules' seed extension across files, small edits bridged) and a common stretch of at
   least ``passage_min`` characters, cut at clause boundaries, is a copied passage.

Text found in ``template_docs`` or more archived documents is a set formula, not a copy.
A document that is itself in the archive (same path or same content) is not compared
with itself.
"""

from __future__ import annotations

import bisect
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from reportlint.archive.features import (
    LSH_MIN,
    SENTENCE_MIN,
    UNIT_MIN,
    UnitRecord,
    band_keys,
    jaccard,
    key_hash,
    minhashes,
    sentence_keys,
    shingles,
    unit_from_record,
)
from reportlint.archive.index import ArchiveIndex, archive_path, display_path
from reportlint.archive.store import split_ref
from reportlint.document import Document
from reportlint.finding import Span
from reportlint.rules._dup import Params as DupParams
from reportlint.rules._dup import Unit, _back, _cache, _fwd, _matches, _snap, _text_span, units_of

LSH_LIMIT = 200  # refs read from one LSH bucket at most
SENT_LIMIT = 50  # a sentence in more archived paragraphs than this is a formula


class Options(NamedTuple):
    dup_min: int = 50  # key characters of a paragraph copied as a whole
    near_threshold: float = 0.8  # Jaccard similarity of character shingles of a near copy
    near_min: int = 50
    passage_min: int = 100  # key characters of a copied passage
    template_docs: int = 10  # text found in this many archived documents is a set formula


@dataclass
class Source:
    """Where copied text stands in the archive."""

    doc_id: int
    n: int
    path: str  # as shown
    span: Span
    text: str  # the archived paragraph


@dataclass
class Match:
    """``unit`` (a paragraph of the checked document), or [start, end) of its text, copied
    from ``source``: kind exact, normalised, near or passage."""

    kind: str
    unit: Unit
    start: int
    end: int
    source: Source
    score: float = 1.0  # Jaccard similarity of the shingle sets
    chars: int = 0  # key characters of a passage
    others: int = 0  # further archived documents holding the same text
    edited: bool = False  # a passage with small edits bridged


# ----------------------------------------------------------------------------- opening

_OPEN: dict[tuple[str, int, int], ArchiveIndex] = {}
_LOCK = threading.Lock()


def open_index(spec: str) -> ArchiveIndex:
    """The index named by ``spec``, opened once per process and thread."""
    key = (spec, os.getpid(), threading.get_ident())
    with _LOCK:
        got = _OPEN.get(key)
        if got is None:
            got = ArchiveIndex(spec)
            _OPEN[key] = got
        return got


class _Loader:
    """Stored paragraphs of archived documents, read once per query."""

    def __init__(self, index: ArchiveIndex) -> None:
        self.store = index.store
        self.recs: dict[int, tuple[str, UnitRecord | None]] = {}
        self.units: dict[int, Unit] = {}
        self.sh: dict[int, set[str]] = {}

    def prefetch(self, refs) -> None:
        """Read the stored paragraphs of ``refs`` not read yet, in one batch."""
        todo = [r for r in refs if r not in self.recs]
        if todo:
            got = self.store.records(todo)
            for r in todo:
                self.recs[r] = got.get(r, ("", None))

    def record(self, r: int) -> tuple[str, UnitRecord | None]:
        if r not in self.recs:
            self.prefetch([r])
        return self.recs[r]

    def unit(self, r: int) -> Unit | None:
        u = self.units.get(r)
        if u is None:
            _, rec = self.record(r)
            if rec is None:
                return None
            u = unit_from_record(rec)
            u.heading = rec.heading
            self.units[r] = u
        return u

    def order(self, r: int) -> tuple[str, int]:
        """(path, paragraph number): which of several archived copies to name, whatever the
        order in which documents were indexed."""
        return self.record(r)[0], split_ref(r)[1]

    def shingles(self, r: int) -> set[str]:
        got = self.sh.get(r)
        if got is None:
            u = self.unit(r)
            got = shingles(u.key) if u is not None else set()
            self.sh[r] = got
        return got

    def source(self, r: int, start: int | None = None, end: int | None = None) -> Source:
        path, rec = self.record(r)
        assert rec is not None
        doc_id, n = split_ref(r)
        s = 0 if start is None else start
        e = len(rec.text) if end is None else end
        return Source(doc_id, n, display_path(path), _span(display_path(path), rec, s, e), rec.text)


def _span(path: str, rec: UnitRecord, s: int, e: int) -> Span:
    """The span of [s, e) of a stored paragraph's text in its document."""

    def at(x: int) -> tuple[int, int, int]:
        k = max(0, bisect.bisect_right([seg[0] for seg in rec.segs], x) - 1)
        off, start, line, col = rec.segs[k]
        return start + (x - off), line, col + (x - off)

    so, sl, sc = at(s)
    eo, el, ec = at(max(s, e - 1))
    return Span(path, so, eo + 1, sl, sc, el, ec + 1)


# ----------------------------------------------------------------------------- matching


def self_ids(index: ArchiveIndex, doc: Document) -> set[int]:
    """Archived documents that are the checked document itself (same content or same path)."""
    out: set[int] = set()
    sha = doc.meta.get("sha256")
    if sha:
        out.update(index.store.docs_with_sha(sha))
    if doc.path not in ("<stdin>", "<string>") and not doc.path.startswith("<"):
        info = index.store.doc_info(archive_path(doc.path))
        if info is not None:
            out.add(info.id)
    return out


def analyse(doc: Document, spec: str, opts: Options | None = None) -> list[Match]:
    """Every copy from the archive in ``doc`` (cached per document, index and options)."""
    opts = opts or Options()
    per = _cache(doc).setdefault("archive", {})
    got = per.get((spec, opts))
    if got is None:
        got = find_copies(doc, open_index(spec), opts)
        per[(spec, opts)] = got
    return got


def find_copies(doc: Document, index: ArchiveIndex, opts: Options) -> list[Match]:
    units = [u for u in units_of(doc) if len(u.key) >= UNIT_MIN]
    if not units:
        return []
    exclude = self_ids(index, doc)
    load = _Loader(index)
    found: dict[int, Match] = {}
    _exact(index, units, opts, exclude, load, found)
    _near(index, units, opts, exclude, load, found)
    out = list(found.values())
    out += _passages(index, [u for u in units if id(u) not in found], opts, exclude, load)
    out.sort(key=lambda m: (m.unit.n, m.start))
    return out


def _doc_count(refs: Sequence[int]) -> int:
    return len({split_ref(r)[0] for r in refs})


def _exact(index, units, opts, exclude, load, found) -> None:
    cand = [u for u in units if not u.heading and len(u.key) >= opts.dup_min]
    hashes = {id(u): key_hash(u.key) for u in cand}
    limit = 4 * opts.template_docs
    hits = index.store.lookup("para", list(hashes.values()), limit)
    load.prefetch(r for refs in hits.values() if len(refs) <= limit for r in refs)
    for u in cand:
        refs = sorted(r for r in hits.get(hashes[id(u)], ()) if split_ref(r)[0] not in exclude)
        if not refs:
            continue
        if len(refs) > limit or _doc_count(refs) >= opts.template_docs:
            continue  # a set formula of the archive
        for r in sorted(refs, key=load.order):
            other = load.unit(r)
            if other is not None and other.key == u.key:
                kind = "exact" if other.text == u.text else "normalised"
                src = load.source(r)
                found[id(u)] = Match(kind, u, 0, len(u.text), src, 1.0, len(u.key), _doc_count(refs) - 1)
                break


def _near(index, units, opts, exclude, load, found) -> None:
    cand = [
        u for u in units if id(u) not in found and not u.heading and len(u.key) >= max(opts.near_min, LSH_MIN)
    ]
    if not cand:
        return
    p = index.params
    sigs = minhashes([u.key for u in cand], p)
    cands = index.store.lsh_candidates(sigs, band_keys(sigs, p), LSH_LIMIT)
    load.prefetch(r for refs in cands for r in refs)
    for u, refs in zip(cand, cands, strict=True):
        refs = sorted(r for r in refs if split_ref(r)[0] not in exclude)
        if not refs:
            continue
        mine = shingles(u.key)
        similar: list[tuple[float, int]] = []
        for r in refs:
            j = jaccard(mine, load.shingles(r))
            if j >= opts.near_threshold:
                similar.append((j, r))
        if not similar or _doc_count([r for _, r in similar]) >= opts.template_docs:
            continue
        j, r = min(similar, key=lambda x: (-x[0], load.order(x[1])))
        other = load.unit(r)
        assert other is not None
        kind = "near"
        if other.key == u.key:  # a copy the fingerprints left to this step (a set formula, a short key)
            kind = "exact" if other.text == u.text else "normalised"
        src = load.source(r)
        others = _doc_count([r for _, r in similar]) - 1
        found[id(u)] = Match(kind, u, 0, len(u.text), src, j, len(u.key), others)


def _passages(index, units, opts, exclude, load) -> list[Match]:
    cand = [u for u in units if len(u.key) >= opts.passage_min]
    sents = {id(u): sentence_keys(u) for u in cand}
    hashes = {(id(u), s): key_hash(u.key[s:e]) for u in cand for s, e in sents[id(u)]}
    hits = index.store.lookup("sent", list(hashes.values()), SENT_LIMIT)
    load.prefetch(r for refs in hits.values() if len(refs) <= SENT_LIMIT for r in refs)
    dp = DupParams(passage_min=SENTENCE_MIN)  # stretches of any seed; bridged, then measured
    out: list[Match] = []
    for u in cand:
        seeds: dict[int, list[tuple[int, int]]] = {}
        for s, e in sents[id(u)]:
            refs = hits.get(hashes[(id(u), s)], ())
            if len(refs) > SENT_LIMIT:
                continue  # a set formula
            sk = u.key[s:e]
            for r in refs:
                if split_ref(r)[0] in exclude:
                    continue
                other = load.unit(r)
                if other is None:
                    continue
                pos = other.key.find(sk)
                while pos != -1:
                    seeds.setdefault(r, []).append((pos, s))
                    pos = other.key.find(sk, pos + 1)
        spans: dict[tuple[int, int], list[tuple[int, int, int, int]]] = {}
        for r, pairs in seeds.items():
            other = load.unit(r)
            assert other is not None
            for m in _matches(other, u, pairs, dp):
                got = _stretch(other, u, _bridge(other.key, u.key, *m), opts.passage_min)
                if got is not None:
                    s, e, os_, oe, chars, edited = got
                    spans.setdefault((s, e), []).append((chars, r, os_, oe, edited))
        # the longest passages first; one finding per stretch of the paragraph
        taken: list[tuple[int, int]] = []
        for (s, e), hits_here in sorted(spans.items(), key=lambda kv: -(kv[0][1] - kv[0][0])):
            if any(s < te and ts < e for ts, te in taken):
                continue
            overlapping = [h for (s2, e2), hs in spans.items() if s2 < e and s < e2 for h in hs]
            docs = {split_ref(h[1])[0] for h in overlapping}
            if len(docs) >= opts.template_docs:
                continue
            chars, r, os_, oe, edited = min(hits_here, key=lambda h: (-h[0], load.order(h[1])))
            taken.append((s, e))
            out.append(Match("passage", u, s, e, load.source(r, os_, oe), 1.0, chars, len(docs) - 1, edited))
    return out


GAP = 6  # characters of an edit bridged in a copied passage (a figure, a name)
ANCHOR = 6  # characters that must agree again after it


def _bridge(a: str, b: str, a0: int, a1: int, b0: int, b1: int) -> tuple[int, int, int, int]:
    """Extend the common stretch a[a0:a1] == b[b0:b1] (roughly) across small edits: past a
    difference of at most GAP characters on each side, as long as ANCHOR characters agree
    again after it (a figure updated, a word replaced, a few characters inserted)."""
    while (step := _skip(a, a1, b, b1, +1)) is not None:
        i, j = a1 + step[0], b1 + step[1]
        n = _fwd(a, i, b, j)
        a1, b1 = i + n, j + n
    while (step := _skip(a, a0, b, b0, -1)) is not None:
        i, j = a0 - step[0], b0 - step[1]
        n = _back(a, i, b, j)
        a0, b0 = i - n, j - n
    return a0, a1, b0, b1


def _skip(a: str, i: int, b: str, j: int, way: int) -> tuple[int, int] | None:
    """The smallest skip (in a, in b), not both 0 and each at most GAP, after which ANCHOR
    characters agree again, going forwards (``way`` 1) from i, j or backwards (-1)."""
    best: tuple[int, int] | None = None
    for gb in range(GAP + 1):
        if way > 0:
            y = j + gb
            if y + ANCHOR > len(b):
                break
            x = a.find(b[y : y + ANCHOR], i, i + GAP + ANCHOR)
            ga = x - i
        else:
            y = j - gb
            if y < ANCHOR:
                break
            x = a.rfind(b[y - ANCHOR : y], max(0, i - GAP - ANCHOR), i)
            ga = i - (x + ANCHOR) if x >= 0 else -1
        if x < 0 or ga < 0 or not (ga or gb):
            continue
        if best is None or ga + gb < sum(best):
            best = (ga, gb)
    return best


def _stretch(
    other: Unit, u: Unit, m: tuple[int, int, int, int], minimum: int
) -> tuple[int, int, int, int, int, bool] | None:
    """A common stretch (key offsets in ``other`` and ``u``) cut to clause boundaries, as text
    offsets (start, end, other start, other end, characters, edited), if long enough. Unlike
    within one file, a stretch that is all of both paragraphs counts: a paragraph copied with
    a few figures changed, too many for a near copy on trigrams."""
    a0, a1, b0, b1 = m
    dsa, dea = _snap(other, a0, a1)
    dsb, deb = _snap(u, b0, b1)
    ds, de = max(dsa, dsb), max(dea, deb)
    a0, b0, a1, b1 = a0 + ds, b0 + ds, a1 - de, b1 - de
    chars = min(a1 - a0, b1 - b0)
    if chars < minimum:
        return None
    sa, ea = _text_span(other, a0, a1)
    sb, eb = _text_span(u, b0, b1)
    return sb, eb, sa, ea, chars, other.key[a0:a1] != u.key[b0:b1]
