"""The word lexicon of the TYPO rules: frequencies, readings, look-alikes, segmentation.

Data (in ``reportlint/data``, built by ``tools/build_typo_data.py``):

- ``lexicon.txt``: ~350k words with frequencies and part-of-speech tags, from jieba's
  ``dict.txt`` (MIT), sorted by code point: the readable form. The package loads the same
  words from ``lexicon.marisa`` (a MARISA trie, memory-mapped) and ``lexicon.idx`` (their
  frequencies and tags by key id): about 1 ms, against 0.03 s to split the text and 0.5 s
  to build a dict. Look-ups are memoised.
- ``allowed_terms.txt``: newer terms jieba lacks (河长制, 专精特新), added as words.
- ``pinyin.txt``: readings, common readings and usage of every character (pypinyin, MIT).
- ``similar_shape.txt``: look-alike characters.

Everything loads lazily, once per process, on the first call that needs it.

Segmentation is jieba's: a DAG of the lexicon words starting at each character and the
route of highest unigram probability, with *no* guessing of unknown words (no HMM), so an
unknown string such as ``志志`` comes out as single characters and can be recognised as
"not a word".

Speed: for a long document (``FAST_CUT_CHARS``) the runs are cut by rjieba (jieba-rs, the
same dict.txt and the same route; the packaged terms are added to it), which gives the
same words as ``Lexicon.route`` about ten times faster; short documents do not pay its
import (0.08 s). Runs are segmented once per process (``route_cached``, ``_run_words``),
and the cyclic garbage collector is paused while the many small tuples are made.
"""

from __future__ import annotations

import gc
import itertools
import json
import math
import re
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from reportlint.document import HAN_CLASS, Document, is_han

MAX_WORD = 16
HAN_RUN_RE = re.compile(f"[{HAN_CLASS}]+")
# Runs rjieba treats exactly like ``Lexicon.route`` (its own Han class ends at U+9FFF).
_BMP_HAN_RE = re.compile("[\u4e00-\u9fff]+")
# Documents at least this long switch on the fast segmenter (importing it costs ~0.08 s).
FAST_CUT_CHARS = 40_000
# Tokens of running text: a run of Chinese characters, or of Latin letters and digits.
TOKEN_RE = re.compile(f"[{HAN_CLASS}]+|[A-Za-z0-9][A-Za-z0-9.+'’-]*[A-Za-z0-9]|[A-Za-z0-9]")

NAME_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz"})
PERSON_TAGS = frozenset({"nr", "nrt", "nrfg"})


def _read(name: str) -> str:
    return resources.files("reportlint.data").joinpath(name).read_text(encoding="utf-8")


def _body(text: str) -> str:
    """The text after the leading ``#`` comment lines."""
    pos = 0
    while text.startswith("#", pos):
        nl = text.find("\n", pos)
        if nl == -1:
            return ""
        pos = nl + 1
    return text[pos:]


def read_data_lines(name: str) -> list[str]:
    """Non-blank, non-comment lines of a data file."""
    return [ln for ln in _read(name).splitlines() if ln.strip() and not ln.startswith("#")]


class Word(NamedTuple):
    """One token of the segmented document: offsets into ``doc.text``."""

    start: int
    end: int
    text: str
    freq: int  # lexicon frequency; 0 for a string the lexicon does not know
    tag: str  # jieba part-of-speech tag; "x" unknown Chinese, "eng" Latin/digits

    @property
    def known(self) -> bool:
        return self.freq > 0


LONGER = 0x80  # tag byte: a longer word starts with this one
TAG_MASK = 0x7F


def build_index(entries: list[tuple[str, int, str]], total: int):
    """A trie of the words and the index of their frequencies and tags, by key id: a JSON
    line (count, total, tag names), then the frequencies (uint32) and the tag bytes."""
    import marisa_trie

    words = sorted(w for w, _, _ in entries)
    trie = marisa_trie.Trie(words)
    tag_names = sorted({t for _, _, t in entries})
    if len(tag_names) > TAG_MASK:
        raise ValueError(f"too many tags: {len(tag_names)}")
    tag_id = {t: k for k, t in enumerate(tag_names)}
    n = len(trie)
    freqs = array("I", bytes(4 * n))
    tags = bytearray(n)
    for w, f, t in entries:
        k = trie.key_id(w)
        freqs[k] = f
        tags[k] = tag_id[t]
    # sorted words: a word with longer ones starting with it is followed by the first of them
    for w, nxt in itertools.pairwise(words):
        if nxt.startswith(w):
            tags[trie.key_id(w)] |= LONGER
    meta = json.dumps({"count": n, "total": total, "tags": tag_names}, ensure_ascii=False)
    return trie, meta.encode("utf-8") + b"\n" + freqs.tobytes() + bytes(tags)


class Lexicon:
    """A read-only word list with frequencies and tags, held in a trie.

    The words are keys of a MARISA trie (``marisa-trie``); a word's frequency and tag sit
    at its key id in two flat arrays, and the tag byte's high bit says whether a longer
    word starts with it. The packaged lexicon is a memory-mapped trie and an index file
    (``Lexicon.load``: under a millisecond, against 0.03 s to split the 5 MB text); a
    word list given as text (``word<TAB>freq<TAB>tag`` lines) is indexed the same way in
    memory. ``dag`` asks the trie for every word starting at a place in one call.
    """

    def __init__(self, data: bytes | str, total: int | None = None) -> None:
        """A lexicon from the text of a word list (``#`` comment lines first)."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        head_end = 0
        while raw.startswith(b"#", head_end):
            nl = raw.find(b"\n", head_end)
            head_end = len(raw) if nl == -1 else nl + 1
        entries = []
        for ln in raw[head_end:].split(b"\n"):
            if ln:
                w, f, t = ln.split(b"\t")
                entries.append((w.decode("utf-8"), int(f), t.decode("utf-8")))
        if total is None:
            m = re.search(rb"total frequency (\d+)", raw[:head_end])
            total = int(m.group(1)) if m else sum(f for _, f, _ in entries)
        trie, index = build_index(entries, total)
        self._setup(trie, index)

    @classmethod
    def load(cls, trie_path: str, index: bytes) -> Lexicon:
        """The lexicon of a saved trie (memory-mapped) and its index (``build_index``)."""
        import marisa_trie

        trie = marisa_trie.Trie()
        trie.mmap(trie_path)
        self = cls.__new__(cls)
        self._setup(trie, index)
        return self

    def _setup(self, trie, index: bytes) -> None:
        nl = index.index(b"\n")
        meta = json.loads(index[:nl])
        n = meta["count"]
        view = memoryview(index)[nl + 1 :]
        self._trie = trie
        self._freqs = view[: 4 * n].cast("I")
        self._tags = view[4 * n : 5 * n]
        self._tag_names: list[str] = meta["tags"]
        self.size = n
        self.total = meta["total"] or 1
        self.logtotal = math.log(self.total)
        self._memo: dict[str, tuple[int, bool, str]] = {}
        self._extra: dict[str, int] = {}
        self._extra_prefixes: set[str] = set()
        self._extra_trie = None  # the added words, for dag
        self._routes: dict[str, tuple[float, list[tuple[int, int]]]] = {}
        self._logf: dict[int, float] = {}
        self._run_words: dict[str, list[tuple[int, int, str, int, str]]] = {}
        # rjieba's cut when this is the packaged lexicon and it is in use (see fast_cut).
        self._cut = None
        self.packaged = False

    def add_words(self, words: dict[str, int]) -> None:
        """Add words (with frequencies) on top of the file's, e.g. the packaged terms."""
        for w, f in words.items():
            if w and w not in self._extra and not self._probe(w)[0]:
                self._extra[w] = f
                for i in range(1, len(w)):
                    self._extra_prefixes.add(w[:i])
        import marisa_trie

        self._extra_trie = marisa_trie.Trie(self._extra) if self._extra else None
        self._memo.clear()
        self._routes.clear()
        self._run_words.clear()
        self._cut = None

    # -- look-ups -------------------------------------------------------------------
    def _probe(self, w: str) -> tuple[int, bool, str]:
        """(frequency or 0, whether some longer word starts with w, tag or "")."""
        r = self._memo.get(w)
        if r is None:
            i = self._trie.get(w)
            if i is not None:
                t = self._tags[i]
                r = (self._freqs[i], t >= LONGER, self._tag_names[t & TAG_MASK])
            else:
                r = (0, next(self._trie.iterkeys(w), None) is not None, "")
            if self._extra:
                f = self._extra.get(w, 0)
                if f or w in self._extra_prefixes:
                    r = (r[0] or f, r[1] or w in self._extra_prefixes, r[2] or ("nz" if f else ""))
            if len(self._memo) > 400_000:
                self._memo.clear()
            self._memo[w] = r
        return r

    def words(self) -> list[str]:
        """Every word of the lexicon, sorted (slow: for building derived tables and tests)."""
        return sorted(self._trie.keys())

    def items(self) -> list[tuple[str, int]]:
        return sorted((w, self._freqs[i]) for w, i in self._trie.items())

    def freq(self, w: str) -> int:
        return self._probe(w)[0]

    def __contains__(self, w: str) -> bool:
        return self._probe(w)[0] > 0

    def tag(self, w: str) -> str:
        return self._probe(w)[2]

    def logp(self, w: str) -> float:
        """Unigram log-probability of a word; an unknown string counts as frequency 1."""
        return math.log(self._probe(w)[0] or 1) - self.logtotal

    # -- segmentation ---------------------------------------------------------------
    def dag(self, text: str) -> list[list[tuple[int, int]]]:
        """For each start i, the (end, freq) of every lexicon word text[i:end] (always i+1)."""
        n = len(text)
        out: list[list[tuple[int, int]]] = []
        prefixes = self._trie.iter_prefixes_with_ids
        freqs = self._freqs
        extra = self._extra_trie.prefixes if self._extra_trie is not None else None
        for i in range(n):
            window = text[i : i + MAX_WORD]
            ends = [(i + len(w), f) for w, k in prefixes(window) if (f := freqs[k])]
            if extra is not None and (added := extra(window)):
                ends = self._with_extra(i, ends, added)
            if not ends or ends[0][0] != i + 1:
                ends.insert(0, (i + 1, 0))
            out.append(ends)
        return out

    def _with_extra(self, i: int, ends: list[tuple[int, int]], added: list[str]) -> list[tuple[int, int]]:
        """``ends`` with the added words (``add_words``) that start at i."""
        got = dict(ends)
        for w in added:
            got.setdefault(i + len(w), self._extra[w])
        return sorted(got.items())

    def route(self, text: str) -> tuple[float, list[tuple[int, int]]]:
        """Best-probability segmentation: (log-probability, [(start, end), ...])."""
        n = len(text)
        if n == 0:
            return 0.0, []
        dag = self.dag(text)
        lt = self.logtotal
        best = [0.0] * (n + 1)
        nxt = [0] * (n + 1)
        logf = self._logf
        for i in range(n - 1, -1, -1):
            bs, bj = -1e18, i + 1
            for j, f in dag[i]:
                lf = logf.get(f)
                if lf is None:
                    lf = logf[f] = math.log(f or 1)
                s = lf - lt + best[j]
                if s > bs:
                    bs, bj = s, j
            best[i], nxt[i] = bs, bj
        spans = []
        i = 0
        while i < n:
            spans.append((i, nxt[i]))
            i = nxt[i]
        return best[0], spans

    def route_cached(self, text: str) -> tuple[float, list[tuple[int, int]]]:
        """``route`` remembered for runs seen before (a document's runs are segmented once).

        Runs of common CJK characters are cut by rjieba when the fast segmenter is on
        (``use_fast_segmenter``): the same dictionary, the same route, about 10x faster.
        """
        r = self._routes.get(text)
        if r is None:
            if len(self._routes) > 400_000:
                self._routes.clear()
            cut = self._cut
            if cut is not None and _BMP_HAN_RE.fullmatch(text):
                r = self._route_from_words(text, cut(text, False))
            if r is None:
                r = self.route(text)
            self._routes[text] = r
        return r

    def _route_from_words(self, text: str, words: list[str]) -> tuple[float, list[tuple[int, int]]] | None:
        """The route given as rjieba's words, with its log-probability; None if they do not fit."""
        spans = []
        a = 0
        score = 0.0
        get = self._memo.get
        probe = self._probe
        logf = self._logf
        for w in words:
            b = a + len(w)
            spans.append((a, b))
            a = b
            p = get(w)
            if p is None:
                p = probe(w)
            if len(w) > 1 and not p[0]:
                return None  # a word the lexicon lacks: not our dictionary
            lf = logf.get(p[0])
            if lf is None:
                lf = logf[p[0]] = math.log(p[0] or 1)
            score += lf
        if a != len(text):
            return None
        return score - len(spans) * self.logtotal, spans

    def enable_fast_cut(self) -> bool:
        """Cut runs with rjieba from now on (packaged lexicon only); False when unavailable."""
        if self._cut is not None:
            return True
        if not self.packaged:
            return False
        try:
            import rjieba
        except ImportError:  # pragma: no cover - optional speed-up
            return False
        for w, f in self._extra.items():
            rjieba.add_word(w, f, "nz")
        self._cut = rjieba.cut
        return True

    def score(self, text: str) -> float:
        """Log-probability of the best segmentation of text."""
        return self.route(text)[0]

    def cut(self, text: str) -> list[str]:
        return [text[s:e] for s, e in self.route(text)[1]]


TERM_FREQ = 50  # the frequency given to the packaged terms (allowed_terms.txt)


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    """The packaged lexicon with the packaged terms, loaded once."""
    data = resources.files("reportlint.data")
    lex = Lexicon.load(str(data.joinpath("lexicon.marisa")), data.joinpath("lexicon.idx").read_bytes())
    words = {ln.split("\t")[0]: TERM_FREQ for ln in read_data_lines("allowed_terms.txt")}
    # The right form of every packaged confusion is a word too (勠力同心, 截至).
    for ln in read_data_lines("confusions.txt"):
        right = ln.split("\t")[1]
        words.setdefault(right, TERM_FREQ)
    lex.add_words(words)
    lex.packaged = True
    return lex


def use_fast_segmenter(doc: Document) -> None:
    """Switch the packaged lexicon to rjieba's cut for a long document (once per process)."""
    if len(doc.text) >= FAST_CUT_CHARS:
        get_lexicon().enable_fast_cut()


def is_bmp_han(c: str) -> bool:
    """A Chinese character of the Basic Multilingual Plane (CJK, extension A, compatibility);
    ``document.is_han`` also takes the characters of the other planes."""
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\uf900" <= c <= "\ufaff"


def is_common_han(c: str) -> bool:
    """A character of the main CJK block only (the lexicon's own segmenter's idea)."""
    return "\u4e00" <= c <= "\u9fff"


def han_around(
    text: str, s: int, e: int, before: int | None = None, after: int | None = None, han=is_bmp_han
) -> tuple[int, int]:
    """text[s:e] widened over the Chinese characters next to it: at most ``before`` on the
    left and ``after`` on the right (None: the whole run)."""
    a, b = s, e
    while a > 0 and (before is None or s - a < before) and han(text[a - 1]):
        a -= 1
    while b < len(text) and (after is None or b - e < after) and han(text[b]):
        b += 1
    return a, b


def cuts_word(text: str, s: int, e: int, reach: int = 20) -> bool:
    """Whether [s, e) starts or ends inside a known word of two or more characters, as the
    best segmentation of the Chinese run around it has them (全|面发展 cuts 全面). Only the
    run within ``reach`` characters of the place is segmented, not the whole text."""
    a, b = han_around(text, s, e, reach, reach, is_han)
    for w in segment_text(text[a:b], a):
        for pos in (s, e):
            if w.start < pos < w.end and w.known and len(w.text) >= 2:
                return True
    return False


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    return frozenset(ln.strip() for ln in read_data_lines("surnames.txt"))


# ------------------------------------------------------------------------ readings


SAME_TONE, SAME_SYLLABLE, NEAR_SOUND, SAME_SHAPE, NEAR_SHAPE = 0, 1, 2, 3, 4
COMMON_USAGE = 1000  # candidates are characters at least this used (rarer ones are not slips)
# pinyin.txt is read as text and searched: a character's row is found when it is asked for
# (a document asks for a few hundred), and only the common characters' rows are parsed whole
# (for the sound index), instead of building dicts of all 12,000 rows at every start.


@lru_cache(maxsize=1)
def _pinyin_text() -> str:
    return "\n" + _body(_read("pinyin.txt"))


@lru_cache(maxsize=20000)
def _pinyin_row(ch: str) -> tuple[int, tuple[str, ...], tuple[str, ...]]:
    """(usage, readings, common readings) of a character; (0, (), ()) if unknown."""
    text = _pinyin_text()
    i = text.find(f"\n{ch}\t") if ch and "\n" not in ch and "\t" not in ch else -1
    if i < 0:
        return 0, (), ()
    end = text.find("\n", i + 1)
    _, usage, rs, common = text[i + 1 : end if end >= 0 else len(text)].split("\t")
    return int(usage), tuple(rs.split()), tuple(common.split())


def readings(ch: str) -> tuple[str, ...]:
    """Pinyin readings of a character, tone number last (``zhong1``); () if unknown."""
    return _pinyin_row(ch)[1]


def common_readings(ch: str) -> tuple[str, ...]:
    """The readings a writer types for a character: those its words use in at least 1% of
    its uses (和 → he2, not its rare huo4; 行 → xing2 hang2); () if unknown."""
    return _pinyin_row(ch)[2]


# Pairs of initials and finals that speakers and pinyin typists confuse.
_FUZZY_INITIALS = {
    "zh": "z",
    "z": "zh",
    "ch": "c",
    "c": "ch",
    "sh": "s",
    "s": "sh",
    "n": "l",
    "l": "n",
    "f": "h",
    "h": "f",
    "r": "l",
}
_FUZZY_FINALS = {
    "an": "ang",
    "ang": "an",
    "en": "eng",
    "eng": "en",
    "in": "ing",
    "ing": "in",
    "ian": "iang",
    "iang": "ian",
    "uan": "uang",
    "uang": "uan",
}
_INITIALS = (
    "zh",
    "ch",
    "sh",
    "b",
    "p",
    "m",
    "f",
    "d",
    "t",
    "n",
    "l",
    "g",
    "k",
    "h",
    "j",
    "q",
    "x",
    "r",
    "z",
    "c",
    "s",
    "y",
    "w",
)


def _split_syllable(syl: str) -> tuple[str, str]:
    for ini in _INITIALS:
        if syl.startswith(ini):
            return ini, syl[len(ini) :]
    return "", syl


def _fuzzy(syl: str) -> set[str]:
    ini, fin = _split_syllable(syl)
    out = set()
    if ini in _FUZZY_INITIALS:
        out.add(_FUZZY_INITIALS[ini] + fin)
    if fin in _FUZZY_FINALS:
        out.add(ini + _FUZZY_FINALS[fin])
    return out


@lru_cache(maxsize=1)
def _common_rows() -> list[tuple[str, str]]:
    """(character, common readings) of the common characters, in the file's order."""
    digits = len(str(COMMON_USAGE))  # a usage this long may reach COMMON_USAGE
    rows = re.findall(rf"\n(\S)\t(\d{{{digits},}})\t[^\t\n]*\t([^\n]*)", _pinyin_text())
    return [(ch, common) for ch, usage, common in rows if int(usage) >= COMMON_USAGE]


@lru_cache(maxsize=1)
def _corpus_rows() -> list[tuple[str, str]]:
    """(character, common readings) of ``data/corpus_chars.txt``."""
    return [(c, r) for c, _n, r in (ln.split("\t") for ln in read_data_lines("corpus_chars.txt"))]


@lru_cache(maxsize=1)
def corpus_chars() -> frozenset[str]:
    """Characters that modern official text uses as often as the common characters although
    the word lexicon rarely does (祉 of 福祉, 赓 of 赓续, 夯 of 夯实): ``data/corpus_chars.txt``,
    counted on the tune part of the corpus by ``tools/build_lm.py``."""
    return frozenset(c for c, _ in _corpus_rows())


@lru_cache(maxsize=1)
def candidate_chars() -> frozenset[str]:
    """Characters a writer may have meant: the common characters and the corpus's own."""
    return common_chars() | corpus_chars()


@lru_cache(maxsize=1)
def _sound_index() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Syllable with tone -> chars, syllable without tone -> chars (the candidate characters,
    by their common readings only)."""
    by_tone: dict[str, list[str]] = {}
    by_syl: dict[str, list[str]] = {}
    for ch, common in _common_rows() + _corpus_rows():
        seen = set()
        for r in common.split():
            by_tone.setdefault(r, []).append(ch)
            syl = r.rstrip("012345")
            if syl not in seen:
                seen.add(syl)
                by_syl.setdefault(syl, []).append(ch)
    return by_tone, by_syl


def char_freq(ch: str) -> int:
    """How much a character is used: the summed frequency of the common words that use it."""
    return _pinyin_row(ch)[0]


@lru_cache(maxsize=1)
def common_chars() -> frozenset[str]:
    """Characters used as single-character words or inside fairly frequent words."""
    return frozenset(ch for ch, _ in _common_rows())


@lru_cache(maxsize=20000)
def confusables(ch: str) -> dict[str, int]:
    """Characters a writer may have meant instead of ``ch``, with the kind of likeness.

    Kinds: SAME_TONE (same syllable and tone), SAME_SYLLABLE (other tone), NEAR_SOUND
    (a fuzzy initial or final: z/zh, n/l, an/ang, ...), SAME_SHAPE (look-alike) and
    NEAR_SHAPE (one stroke apart: 己/已, 日/目, 人/入; data/near_shapes.txt). Sounds are
    compared by common readings only (``common_readings``): a writer who means 和 types he,
    whose candidates do not include 或 (huo, a rare reading of 和).
    """
    by_tone, by_syl = _sound_index()
    rs = common_readings(ch)
    syls = {r.rstrip("012345") for r in rs}
    out: dict[str, int] = {}
    for syl in syls:
        for fz in _fuzzy(syl):
            out.update(dict.fromkeys(by_syl.get(fz, ()), NEAR_SOUND))
    common = candidate_chars()
    out.update(dict.fromkeys((c for c in look_alikes(ch) if c in common), SAME_SHAPE))
    for syl in syls:
        out.update(dict.fromkeys(by_syl.get(syl, ()), SAME_SYLLABLE))
    for r in rs:
        out.update(dict.fromkeys(by_tone.get(r, ()), SAME_TONE))
    out.update(dict.fromkeys(near_shapes(ch), NEAR_SHAPE))
    out.pop(ch, None)
    return out


@lru_cache(maxsize=1)
def _shape_lines() -> dict[str, str]:
    return dict(ln.split("\t") for ln in read_data_lines("similar_shape.txt"))


@lru_cache(maxsize=1)
def _near_shape_groups() -> dict[str, str]:
    out: dict[str, str] = {}
    for group in read_data_lines("near_shapes.txt"):
        for ch in group:
            out[ch] = group.replace(ch, "")
    return out


def near_shapes(ch: str) -> str:
    """Characters one stroke away from ``ch`` (data/near_shapes.txt): 己 → 已巳."""
    return _near_shape_groups().get(ch, "")


@lru_cache(maxsize=20000)
def look_alikes(ch: str) -> str:
    """Characters that look like ``ch`` (data/similar_shape.txt)."""
    return _shape_lines().get(ch, "")


# ------------------------------------------------------------------------ documents


def _run_words(lex: Lexicon, run: str) -> list[tuple[int, int, str, int, str]]:
    """(start, end, word, freq, tag) of a Chinese run's words, remembered per run."""
    cache = lex._run_words
    r = cache.get(run)
    if r is None:
        if len(cache) > 200_000:
            cache.clear()
        get = lex._memo.get
        probe = lex._probe
        r = []
        for a, b in lex.route_cached(run)[1]:
            w = run[a:b]
            p = get(w)
            if p is None:
                p = probe(w)
            r.append((a, b, w, p[0], p[2] or "x"))
        cache[run] = r
    return r


def segment_text(text: str, offset: int = 0) -> list[Word]:
    """Tokens of a piece of text: lexicon words of its Chinese runs, and Latin/digit runs."""
    lex = get_lexicon()
    out: list[Word] = []
    append = out.append
    for m in TOKEN_RE.finditer(text):
        s = m.start()
        run = m.group()
        if HAN_RUN_RE.match(run):
            base = offset + s
            for a, b, w, f, tag in _run_words(lex, run):
                append(Word(base + a, base + b, w, f, tag))
        else:
            append(Word(offset + s, offset + m.end(), run, 0, "eng"))
    return out


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector around allocation-heavy loops that make no cycles.

    Segmenting allocates millions of small tuples; the collector's passes over them cost
    about a third of the time and free nothing.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def segment_document(doc: Document) -> list[Word]:
    """Every paragraph of the document segmented into words (see ``Document.words``)."""
    use_fast_segmenter(doc)
    out: list[Word] = []
    with no_gc():
        for p in doc.paragraphs:
            out.extend(segment_text(p.text, p.start))
    return out


# ------------------------------------------------------------------------ word sounds


# ------------------------------------------------------------------------ rule context

_TITLE_RE = re.compile(r"《[^《》\n]{1,80}》")
# Words for a person's role that a name follows (记者王芳芳, 议员野野村龙太郎): a cue of the
# TYPO scores that a name comes next.
PERSON_TITLES = (
    "记者|通讯员|书记|主任|部长|局长|厅长|司长|市长|省长|县长|区长|镇长|乡长|村长|院长|校长|"
    "所长|处长|科长|行长|社长|会长|秘书长|主席|总理|总统|首相|大使|总裁|董事长|总经理|经理|"
    "总监|总工|教授|研究员|院士|专家|学者|负责人|议员|发言人|委员|律师|医生|医师|博士|"
    "工程师|分析师|编辑|作家|主持人|演员|导演|教练|球员|选手|同志|先生|女士|网友|市民|村民"
)
# A person title that ends where the search window ends (…主席| 习近平, 记者|王芳芳).
PERSON_TITLE_END_RE = re.compile(f"(?:{PERSON_TITLES})$")


class TypoContext:
    """What the TYPO rules take from the user: allowed and learned words; and the titles.

    Built once per document and rule context (cached on the document).
    """

    def __init__(self, doc: Document, context: dict) -> None:
        self.doc = doc
        words = set(context.get("allow_words", ()))
        domain = context.get("domain_words") or {}
        if domain:
            lex = get_lexicon()
            # Learned words the general lexicon lacks are allowed; known ones only help.
            words.update(w for w in domain if not lex.freq(w))
        self.allow = frozenset(w for w in words if w)
        self.maxlen = max((len(w) for w in self.allow), default=0)
        self.titles = [(m.start(), m.end()) for m in _TITLE_RE.finditer(doc.text)]

    @classmethod
    def of(cls, doc: Document, context: dict) -> TypoContext:
        cache = doc.__dict__.setdefault("_typo_context", {})
        key = (id(context.get("allow_words")), id(context.get("domain_words")))
        if key not in cache:
            cache[key] = cls(doc, context)
        return cache[key]

    def in_title(self, s: int, e: int) -> bool:
        return any(a < s and e < b for a, b in self.titles)

    def allowed(self, s: int, e: int) -> bool:
        """Whether an allowed or learned word covers text[s:e]."""
        if not self.allow:
            return False
        text = self.doc.text
        for length in range(max(2, e - s), self.maxlen + 1):
            for a in range(max(0, e - length), s + 1):
                if text[a : a + length] in self.allow:
                    return True
        return False
