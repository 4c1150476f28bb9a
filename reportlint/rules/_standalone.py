"""Can a short paragraph stand alone as a sentence? Measured statistics of sentence starts, ends and shapes.

LAYOUT004 asks this of every short paragraph that ends a sentence: is it a whole
sentence (加快发展服务业。 吴政隆参加上述活动。) or the tail of one whose start was lost
(面发展。 安全稳定环境。 打开新的局面。)? Three measured likelihood ratios answer it, all
from ``data/layout_stats.txt`` (built by ``tools/build_layout_stats.py`` from the tune part
of the corpus only):

- the **first word**: how often the text's first lexicon word begins a sentence,
  against how often a cut at a random place inside a sentence leaves a text that begins
  with it (``发展`` begins 0.35% of the texts it begins, ``加快`` 8.6%, ``会议`` 34%; a cut
  inside a word leaves a bound character such as ``面`` or ``施``). Words the table lacks
  fall back to the statistics of their first character.
- the **shape**: the sequence of coarse parts of speech (N noun, V verb, W verbal noun, A
  adjective, D adverb, P preposition, U particle, …; repeats merged) of the first clause
  of whole short sentences, against that of the tails of sentences. A sentence has a
  verb; a tail often has none (``NAN`` 安全稳定环境, ``UN`` 的满园春色).
- the **cohesion** with the next paragraph: a heading written as a sentence is taken up
  by the paragraph after it (加快发展服务业。 / …现代服务业…); a lost tail is not.

LAYOUT003 uses the same tables the other way round: the **last word** of a paragraph that
stops without punctuation (a text that stops after 为 or 季度观 stops inside a sentence),
and a next paragraph whose first word begins almost no sentence.

Words and shapes are computed here, the same way when the table is built and when a
paragraph is checked, so they cannot drift apart.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from reportlint.document import HAN_CLASS
from reportlint.lexicon import get_lexicon, read_data_lines

STATS_FILE = "layout_stats.txt"
WINDOW = 6  # characters segmented to find the first word (no word in the table is longer)
OPENERS = "“‘（《【「『(\"'"
TRAILERS = "。！？；!?;…”’）》」』)\"' \u3000"
SMOOTH = 5.0  # pseudo-counts when a word's or character's counts are few
SHAPE_SMOOTH = 2.0
MAX_SHAPE = 8
RARE = 20  # a lexicon word this rare is often a compound with a guessed tag

_HAN_RUN = re.compile(f"[{HAN_CLASS}]+")
_HAN_RUN_END = re.compile(f"[{HAN_CLASS}]+$")
_CLAUSE_RE = re.compile("[^，、：；,:。！？；]*")
_SHAPE_TOKEN = re.compile(f"[{HAN_CLASS}]+|[0-9０-９.．%％]+|[A-Za-z]+|[，、：；,:]")
_COARSE = {
    "n": "N", "s": "N", "f": "N", "j": "N", "g": "N",
    "v": "V",
    "a": "A", "z": "A", "b": "A",
    "d": "D", "p": "P", "c": "C",
    "u": "U", "y": "U", "e": "U", "o": "U", "k": "U", "h": "U",
    "m": "M", "q": "M",
    "r": "R", "t": "T", "i": "I", "l": "I",
}  # fmt: skip


def first_word(text: str) -> str | None:
    """The first lexicon word of the text's leading Chinese run (after opening marks), or None."""
    m = _HAN_RUN.match(text.lstrip(OPENERS))
    if m is None:
        return None
    return _first_of(m.group()[:WINDOW])


@lru_cache(maxsize=65536)
def _first_of(window: str) -> str:
    a, b = get_lexicon().route(window)[1][0]
    return window[a:b]


def last_word(text: str) -> str | None:
    """The last lexicon word of the text's trailing Chinese run, or None when it ends otherwise."""
    m = _HAN_RUN_END.search(text)
    if m is None:
        return None
    return _last_of(m.group()[-WINDOW:])


@lru_cache(maxsize=65536)
def _last_of(window: str) -> str:
    a, b = get_lexicon().route(window)[1][-1]
    return window[a:b]


@lru_cache(maxsize=65536)
def _run_shape(run: str) -> str:
    lex = get_lexicon()
    return "".join(_word_class(lex, run[a:b]) for a, b in lex.route_cached(run)[1])


def _word_class(lex, w: str) -> str:
    """The coarse part of speech of a word; a rare compound takes its parts' (继续加强 → VV)."""
    f = lex.freq(w)
    if not f:
        return "X"
    if f < RARE and len(w) >= 3:
        split = max(
            ((min(lex.freq(w[:k]), lex.freq(w[k:])), k) for k in range(1, len(w))),
            default=(0, 0),
        )
        if split[0] >= RARE:
            k = split[1]
            return _word_class(lex, w[:k]) + _word_class(lex, w[k:])
    tag = lex.tag(w)
    return "W" if tag == "vn" else _COARSE.get(tag[:1], "X")  # W: a verbal noun (建设, 发展)


def shape(text: str) -> str:
    """Coarse parts of speech of the words of the text's first clause, repeats merged.

    安全稳定环境 → NAN; 建设，持续提升能级 → V,< (a one-word clause before a comma).
    At most MAX_SHAPE symbols: the first clause is what a lost sentence start leaves
    incomplete, and a short key is seen often enough to be counted. When a comma
    follows, the key ends with how the first clause's length compares with the
    second's: ``=`` within one character (parallel clauses: 察势者智，驭势者赢), ``<``
    shorter, ``>`` longer.
    """
    body = text.strip(TRAILERS).lstrip(OPENERS)
    out: list[str] = []
    for m in _SHAPE_TOKEN.finditer(body):
        g = m.group()
        if g[0] in "，、：；,:":
            first = m.start()
            second = _CLAUSE_RE.match(body, m.end())
            n2 = len(second.group()) if second else 0
            rel = "=" if abs(first - n2) <= 1 else ("<" if first < n2 else ">")
            return "".join(out[: MAX_SHAPE - 2]) + "," + rel
        if g[0].isdigit() or g[0] in "０１２３４５６７８９.．%％":
            syms = "M"
        elif g.isascii():
            syms = "E"
        else:
            syms = _run_shape(g)
        for sym in syms:
            if not out or out[-1] != sym:
                out.append(sym)
    return "".join(out[:MAX_SHAPE])


COHESION_MAX_FREQ = 5000  # words more common than this (发展, 建设, 政策, 实施) say nothing about a topic
COHESION_CAP = 2
NEXT_CHARS = 80  # the start of the next paragraph, where a heading's topic is taken up


def cohesion(text: str, following: str) -> int:
    """How many topic words (lexicon words of 2+ characters, not the commonest) the text shares with
    the start of the paragraph that follows it, at most COHESION_CAP. A heading written as a
    sentence (加快发展服务业。) is taken up by the next paragraph; a lost tail is not."""
    a, b = _topic_words(text), _topic_words(following[:NEXT_CHARS])
    return min(COHESION_CAP, len(a & b))


@lru_cache(maxsize=8192)
def _topic_words(text: str) -> frozenset[str]:
    lex = get_lexicon()
    out = set()
    for m in _HAN_RUN.finditer(text):
        run = m.group()
        for a, b in lex.route_cached(run)[1]:
            if b - a >= 2 and 0 < lex.freq(run[a:b]) < COHESION_MAX_FREQ:
                out.add(run[a:b])
    return frozenset(out)


@dataclass(frozen=True)
class Judgement:
    score: float  # log-odds that the text is a whole sentence rather than a tail, against the prior
    word: str | None
    word_score: float
    shape: str
    shape_score: float


class StandaloneStats:
    """The tables of ``data/layout_stats.txt``: sentence starts and shapes, with their totals."""

    def __init__(self, lines: list[str]) -> None:
        self.word: dict[str, tuple[int, int]] = {}
        self.char: dict[str, tuple[int, int]] = {}
        self.end_word: dict[str, tuple[int, int]] = {}
        self.end_char: dict[str, tuple[int, int]] = {}
        self.shape: dict[str, tuple[int, int]] = {}
        self.cohesion: dict[str, tuple[int, int]] = {}
        self.totals: dict[str, tuple[int, int]] = {}
        tables = {
            "w": self.word,
            "c": self.char,
            "e": self.end_word,
            "f": self.end_char,
            "s": self.shape,
            "k": self.cohesion,
            "t": self.totals,
        }
        for ln in lines:
            kind, key, a, b = ln.split("\t")
            tables[kind][key] = (int(a), int(b))
        starts, cuts = self.totals["start"]
        self.p0 = starts / (starts + cuts)
        self.logit_p0 = math.log(self.p0 / (1 - self.p0))
        ends, cuts = self.totals["end"]
        self.e0 = ends / (ends + cuts)
        self.whole, self.tails = self.totals["shape"]

    def start_probability(self, word: str) -> float:
        """P(a text that begins with ``word`` is a whole sentence), backed off to its first character."""
        s, c = self.char.get(word[0], (0, 0))
        pc = (s + SMOOTH * self.p0) / (s + c + SMOOTH)
        row = self.word.get(word)
        if row is None:  # a rare compound (继续加强): its longest known beginning (继续)
            known = (word[:k] for k in range(len(word) - 1, 1, -1) if word[:k] in self.word)
            row = self.word.get(next(known, ""))
        s, c = row or (0, 0)
        return (s + SMOOTH * pc) / (s + c + SMOOTH)

    def end_probability(self, word: str) -> float:
        """P(a text that stops after ``word`` stops at a sentence end), backed off to its last character."""
        e, c = self.end_char.get(word[-1], (0, 0))
        pc = (e + SMOOTH * self.e0) / (e + c + SMOOTH)
        e, c = self.end_word.get(word, (0, 0))
        return (e + SMOOTH * pc) / (e + c + SMOOTH)

    def end_score(self, text: str) -> tuple[float, str | None]:
        """Log-odds against the average that ``text`` stops where a sentence ends (0.0: no Chinese end)."""
        w = last_word(text)
        if w is None:
            return 0.0, None
        p = self.end_probability(w)
        return math.log(p / (1 - p)) - math.log(self.e0 / (1 - self.e0)), w

    def cohesion_score(self, text: str, following: str | None) -> float:
        """Log-likelihood ratio (whole paragraph against lost tail) of its cohesion with the next one."""
        if following is None or not self.cohesion:
            return 0.0
        c = str(cohesion(text, following))
        n_whole = sum(a for a, _ in self.cohesion.values())
        n_tail = sum(b for _, b in self.cohesion.values())
        a, b = self.cohesion.get(c, (0, 0))
        return math.log((a + 1) / (n_whole + 1)) - math.log((b + 1) / (n_tail + 1))

    def judge(self, text: str) -> Judgement:
        w = first_word(text)
        ws = 0.0
        if w is not None:
            p = self.start_probability(w)
            ws = math.log(p / (1 - p)) - self.logit_p0
        sh = shape(text)
        whole, tail = self.shape.get(sh, (0, 0))
        ss = math.log((whole + SHAPE_SMOOTH) / (tail * self.whole / self.tails + SHAPE_SMOOTH))
        return Judgement(ws + ss, w, ws, sh, ss)


@lru_cache(maxsize=1)
def standalone_stats() -> StandaloneStats:
    return StandaloneStats(read_data_lines(STATS_FILE))
