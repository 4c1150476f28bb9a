from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from reportlint.document import Document
from reportlint.finding import Finding, Fix, Severity
from reportlint.lexicon import (
    NEAR_SHAPE,
    NEAR_SOUND,
    SAME_SHAPE,
    SAME_SYLLABLE,
    SAME_TONE,
    Lexicon,
    TypoContext,
    char_freq,
    confusable_set,
    confusables,
    followers,
    get_lexicon,
    han_runs,
    leaders,
    no_gc,
    sound_keys,
    surnames,
    words_by_sound,
)
from reportlint.registry import Rule

# Log-probability cost of each kind of slip, added to the gain of the better segmentation.
CHANNEL = {SAME_TONE: 0.0, SAME_SYLLABLE: -1.0, NEAR_SOUND: -2.5, SAME_SHAPE: -1.5, NEAR_SHAPE: 1.0}
WORD_CHANNEL = -1.5  # a whole two-character word picked wrongly from the pinyin candidates
REAL_WORD = -3.0  # the original is itself a word: only context can show it is wrong
COMPOUND = 1.5  # the new word is three or more characters long
COMMON_PARTNER = -3.0  # the new word only glues the character to a common function character
RARE = -2.0  # a rare character is more often a name's than a slip of the input method
RARE_USAGE = 1000
CONTEXT = 6  # characters of context on each side when re-segmenting
REAL_WORD_MAX = 400  # words more frequent than this are questioned only by (C)
LONGEST = 12  # the longest word tried over a changed character
MARGIN = 2.0  # how far the quick estimate of a gain may fall short of the real one
NUMERALS = set("一二三四五六七八九十百千万亿零〇两几第")
# Characters so frequent on their own that a unigram lexicon cannot judge them.
FUNCTION_CHARS = set(
    "的地得了着过是在和与及或也都就又还才再而且但并把被将让使给对向从自于以为由因所之其此这那"
    "有无不没未很更最太已曾要会能可应该需必个些每各该本们我你他她它谁啥么吗呢吧啊方后前上下中内外"
)


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int  # offsets within the run
    end: int
    replacement: str
    score: float
    gain: float
    before: str  # the original word(s) around the change
    after: str  # the word the change makes
    after_freq: int
    kind: str  # "char" or "word"
    real: bool = False  # the original is itself a lexicon word


def _best_word(r: _Run, k: int, c: str, min_freq: int, starts: list[int]) -> tuple[int, float]:
    """The word that putting ``c`` at ``run[k]`` makes with the best quick gain.

    Words of 2-12 characters over position k are tried, from the ``starts`` where the
    text before k begins some word (a prefix that starts no word stops the search).
    Returns (frequency, quick gain); (0, -inf) when the change makes no word of
    ``min_freq``.
    """
    run = r.text
    probe = r.lex._probe
    get = r.lex._memo.get
    n = len(run)
    tail = run[k + 1 : k + LONGEST]
    tails = [tail[:j] for j in range(len(tail) + 1)]
    best_f, best_g = 0, -math.inf
    for s in starts:
        head = run[s:k] + c
        for j in range(0, min(n - k - 1, s + LONGEST - k - 1) + 1):
            w = head + tails[j]
            p = get(w)
            if p is None:
                p = probe(w)
            f, more = p[0], p[1]
            e = k + 1 + j
            # A long compound (人民代表大会常务委员会) is evidence even when rare.
            if e - s >= 2 and (f >= min_freq or (f >= 3 and e - s >= 4)):
                g = r.quick_gain(s, e, f)
                if g > best_g:
                    best_f, best_g = f, g
            if not more:
                break
    return best_f, best_g


def _compound(lex: Lexicon, run: str, s: int, e: int, rep: str, min_freq: int) -> tuple[int, int, int]:
    """The most frequent longer word made over run[s:e] when it becomes rep: (freq, a, b).

    (0, s, e) when there is none.
    """
    probe = lex._probe
    n = len(run)
    new = run[:s] + rep + run[e:]
    best = (0, s, e)
    # The word takes in text before s (after e) only if the characters meet in some word.
    first = max(0, s - 4) if s > 0 and rep[0] in followers(run[s - 1]) else s
    last_end = n if e < n and rep[-1] in leaders(run[e]) else e
    for a in range(first, s + 1):
        if a < s:
            f, more, _ = probe(new[a:s])
            if not more:
                continue
        for b in range(e, min(last_end, a + 8) + 1):
            if b - a <= e - s:
                continue
            f, more, _ = probe(new[a:b])
            if f >= min_freq and f > best[0]:
                best = (f, a, b)
            if not more:
                break
    return best


@lru_cache(maxsize=20000)
def homophones(word: str) -> tuple[str, ...]:
    """Other two-character words with the same toneless pinyin as ``word``."""
    out: list[str] = []
    for key in sound_keys(word, fuzzy=False):
        out.extend(w for w in words_by_sound(key) if w != word and w not in out)
    return tuple(out)


class _Run:
    """One run of Chinese characters with its best segmentation."""

    def __init__(self, lex: Lexicon, text: str) -> None:
        self.lex = lex
        self.text = text
        _, self.spans = lex.route_cached(text)
        self.tok: list[tuple[int, int]] = [(0, 0)] * len(text)
        for s, e in self.spans:
            for k in range(s, e):
                self.tok[k] = (s, e)
        self._ctx: dict[tuple[int, int], tuple[float, list[tuple[int, int]]]] = {}
        self._reach: dict[int, int] = {}

    def prefix_reach(self, x: int) -> int:
        """The largest e such that some longer word starts with text[x:e] (x if none).

        Being such a prefix is monotonic in e, so text[x:k] begins a longer word iff
        k <= prefix_reach(x).
        """
        e = self._reach.get(x)
        if e is None:
            text = self.text
            get = self.lex._memo.get
            probe = self.lex._probe
            e = x
            lim = min(len(text), x + LONGEST)
            while e < lim:
                w = text[x : e + 1]
                p = get(w)
                if p is None:
                    p = probe(w)
                if not p[1]:
                    break
                e += 1
            self._reach[x] = e
        return e

    def quick_gain(self, s: int, e: int, freq: int) -> float:
        """A cheap estimate of ``gain``: a word of ``freq`` over text[s:e] replaces the tokens.

        Tokens cut by the word's edges keep their left-over part as one unknown piece.
        """
        lex = self.lex
        g = math.log(freq) - lex.logtotal
        x, _ = self.tok[s]
        if x < s:
            g += lex.logp(self.text[x:s])
        k = s
        while k < e:
            x, y = self.tok[k]
            g -= lex.logp(self.text[x:y])
            k = y
        if k > e:
            g += lex.logp(self.text[e:k])
        return g

    def single(self, k: int) -> bool:
        s, e = self.tok[k]
        return e - s == 1

    def gain(self, s: int, e: int, rep: str) -> tuple[float, str, str, int, tuple[int, int]]:
        """Gain in log-probability of the best segmentation when text[s:e] becomes rep.

        Returns the gain, the original token(s) over the change, the new token(s), the
        frequency of the longest new token, and that token's span in the run.
        """
        run = self.text
        a = max(0, s - CONTEXT)
        b = min(len(run), e + CONTEXT)
        ctx = run[a:b]
        key = (a, b)
        if key not in self._ctx:
            self._ctx[key] = self.lex.route(ctx)
        s0, sp0 = self._ctx[key]
        new = ctx[: s - a] + rep + ctx[e - a :]
        s1, sp1 = self.lex.route(new)
        k0, k1 = s - a, e - a
        before = "".join(ctx[x:y] for x, y in sp0 if y > k0 and x < k1)
        after_spans = [(x, y) for x, y in sp1 if y > k0 and x < k1]
        after = "".join(new[x:y] for x, y in after_spans)
        x, y = max(after_spans, key=lambda t: t[1] - t[0])
        f = self.lex.freq(new[x:y]) if y - x >= 2 else 0
        return s1 - s0, before, after, f, (a + x, a + y)


def _name_like(r: _Run, k: int, end: int, names: frozenset[str]) -> bool:
    """Whether text[k:end] may be part of a person's name: a surname and loose characters."""
    for j in range(max(0, end - 3), k + 1):
        if r.text[j] in names and all(r.single(i) for i in range(j, min(len(r.text), j + 2))):
            return True
    return False


# A one-character country or region name in diplomatic phrases: 中印两国, 葡方, 中美关系.
_ABBREVIATION_AFTER = ("两国", "关系", "合作", "双方", "友好", "建交", "方")


def _abbreviation(run: str, k: int) -> bool:
    """Whether run[k] reads as a one-character country name (中印两国, 同葡方加强合作)."""
    after = run[k + 1 : k + 3]
    if not after.startswith(_ABBREVIATION_AFTER):
        return False
    return run[k + 1] == "方" or (k > 0 and run[k - 1] == "中")


@lru_cache(maxsize=200_000)
def _pool(o: str, prev: str, nxt: str) -> frozenset[str]:
    """Characters like ``o`` that join the character before or after it in some word."""
    cset = confusable_set(o)
    if not cset:
        return cset
    left = followers(prev) if prev else frozenset()
    right = leaders(nxt) if nxt else frozenset()
    return (cset & left) | (cset & right)


def _syllable_cost(o: str, c: str) -> float:
    kind = confusables(o).get(c)
    if kind is None:
        return -9.0
    return CHANNEL[kind]


def find_candidates(
    lex: Lexicon,
    run: str,
    thorough: bool = False,
    names: frozenset[str] = frozenset(),
    min_score: float = 0.0,
) -> list[Candidate]:
    """Likely wrong characters in a run of Chinese characters, best first, not overlapping.

    Candidates scoring below ``min_score`` may be left out.
    """
    n = len(run)
    if n < 2:
        return []
    r = _Run(lex, run)
    min_freq = 20 if thorough else 50
    found: list[Candidate] = []
    get = lex._memo.get
    probe = lex._probe
    # (A) one character for another that sounds or looks alike.
    positions: list[tuple[int, bool]] = []
    for s, e in r.spans:
        if e - s >= 2:
            w = run[s:e]
            p = get(w)
            wf = (p if p is not None else probe(w))[0]
            if wf > REAL_WORD_MAX:
                continue  # inside a common word: only (C) may question it
            real = wf > 3
            if real and not thorough:
                continue  # inside a known word: too weak a case for the default
            positions.extend((k, real) for k in range(s, e))
        elif thorough or run[s] not in FUNCTION_CHARS:
            positions.append((s, False))
    for k, real in positions:
        o = run[k]
        if o in NUMERALS:
            continue
        pool = _pool(o, run[k - 1] if k > 0 else "", run[k + 1] if k + 1 < n else "")
        if not pool:
            continue
        if not thorough and (_name_like(r, k, k + 1, names) or _abbreviation(run, k)):
            continue
        conf = confusables(o)
        bonus = (REAL_WORD if real else 0.0) + COMPOUND
        # Where a word over k may start: the text from there to k begins some word.
        reach = r.prefix_reach
        starts = [x for x in range(max(0, k - LONGEST + 1), k) if reach(x) >= k]
        starts.append(k)
        for c in pool:
            kind = conf[c]
            if c in NUMERALS:
                continue
            wf, quick = _best_word(r, k, c, min_freq, starts)
            if not wf or quick + CHANNEL[kind] + bonus + MARGIN < min_score:
                continue
            gain, before, after, af, (x, y) = r.gain(k, k + 1, c)
            af = max(af, wf)  # the change makes a common word, even if inside a rarer one
            score = gain + CHANNEL[kind]
            if char_freq(o) < RARE_USAGE:
                score += RARE
            if real:
                score += REAL_WORD
            if y - x >= 3:
                score += COMPOUND
            elif y - x == 2 and kind != NEAR_SHAPE:
                p = x if x != k else x + 1
                if r.single(p) and (run[p] in FUNCTION_CHARS or lex.freq(run[p]) > 20000):
                    score += COMMON_PARTNER
            found.append(Candidate(k, k + 1, c, score, gain, before, after, af, "char", real))
    # (B) a two-character word for another with the same pinyin (贸易 typed as 毛衣).
    for k in range(n - 1 if thorough else 0):
        pair = run[k : k + 2]
        if pair[0] in NUMERALS or pair[1] in NUMERALS or pair[0] == pair[1]:
            continue  # numbers; a doubled character is TYPO001's
        s, e = r.tok[k]
        real = False
        if (s, e) == (k, k + 2):
            wf = lex.freq(pair)
            if wf > REAL_WORD_MAX:
                continue
            real = wf > 3
        elif not (thorough and r.single(k) and r.single(k + 1)):
            continue  # neither one word nor (when thorough) two loose characters
        if not thorough and _name_like(r, k, k + 2, names):
            continue
        bonus = WORD_CHANNEL + (REAL_WORD if real else 0.0) + COMPOUND
        for key in sound_keys(pair, fuzzy=thorough):
            for w in words_by_sound(key):
                if w[0] == pair[0] or w[1] == pair[1]:
                    continue  # a one-character change: (A) judges it
                if r.quick_gain(k, k + 2, lex.freq(w)) + bonus < min_score:
                    continue
                gain, before, after, af, (x, y) = r.gain(k, k + 2, w)
                if af < min_freq:
                    continue
                score = gain + WORD_CHANNEL + _syllable_cost(pair[0], w[0])
                score += _syllable_cost(pair[1], w[1])
                if min(char_freq(pair[0]), char_freq(pair[1])) < RARE_USAGE:
                    score += RARE
                if real:
                    score += REAL_WORD
                if y - x >= 3:
                    score += COMPOUND
                found.append(Candidate(k, k + 2, w, score, gain, before, after, af, "word", real))
    # (C) a common word for a homophone that makes a longer word with its neighbours
    # (中央整治局 → 中央政治局, 共同富余 → 共同富裕): context is the only evidence here.
    for s, e in r.spans:
        if e - s != 2:
            continue
        word = run[s:e]
        if word[0] in NUMERALS or word[1] in NUMERALS:
            continue
        p = get(word)
        if (p if p is not None else probe(word))[0] <= REAL_WORD_MAX:
            continue
        left = followers(run[s - 1]) if s > 0 else frozenset()
        right = leaders(run[e]) if e < n else frozenset()
        if not left and not right:
            continue
        for w in homophones(word):
            if w[0] not in left and w[1] not in right:
                continue  # joins neither neighbour: no longer word can form
            if not _compound(lex, run, s, e, w, min_freq)[0]:
                continue
            cost = _syllable_cost(word[0], w[0]) if w[0] != word[0] else 0.0
            cost += _syllable_cost(word[1], w[1]) if w[1] != word[1] else 0.0
            bonus = cost + REAL_WORD + COMPOUND
            gain, before, after, af, (x, y) = r.gain(s, e, w)
            if y - x < 3:
                continue
            found.append(Candidate(s, e, w, gain + bonus, gain, before, after, af, "word", True))
    found.sort(key=lambda c: -c.score)
    chosen: list[Candidate] = []
    taken: set[int] = set()
    for c in found:
        if any(i in taken for i in range(c.start, c.end)):
            continue
        chosen.append(c)
        taken.update(range(c.start, c.end))
    return chosen


@lru_cache(maxsize=65536)
def _candidates(run: str, thorough: bool, min_score: float) -> tuple[Candidate, ...]:
    """``find_candidates`` remembered per run: reports repeat sentences and phrases."""
    return tuple(find_candidates(get_lexicon(), run, thorough, surnames(), min_score))


class WrongCharacter(Rule):
    """A character that forms no word where a sound-alike or look-alike one forms a common word.

    ## What it does
    Segments each run of Chinese characters with the word lexicon (jieba's 350k words
    and frequencies, no guessing of unknown words) and tries, for each character left
    as a loose single character, the characters of the same sound (pypinyin readings,
    with the usual z/zh, n/l, an/ang slips) and of a similar shape (one-stroke pairs such
    as `己/已`, `日/目`, `人/入` count as the likeliest slips). A candidate is
    reported when it makes a clearly better word: the gain in the segmentation's
    unigram log-probability, less the cost of the kind of slip, reaches `threshold`
    (`推进信用体系键设` → `建设`). A common word is questioned only when a homophone
    joins its neighbours into a longer lexicon word (`中央整治局` → `中央政治局`).

    With `thorough = true` it also questions characters inside rarer words and whole
    two-character words typed from the wrong pinyin choice (`毛衣` for `贸易`), and
    reports candidates down to `info_threshold`, those below `threshold` at info level.

    ## Why is this bad?
    Pinyin input puts homophones one key apart; a wrong character survives a quick
    read because the sentence still sounds right.

    ## Not reported
    Numbers; URLs, e-mails and document numbers; at default settings also text in
    `《》` titles and short quotations (`“汉疆”`), foreign names (`·`), units after
    numbers and possible person's names (a surname and loose characters, or the
    characters between a role or body and a verb of saying: `院士郗旺认为`); words in the
    allow-list, the packaged terms (`data/allowed_terms.txt`) or the learned lexicon;
    and strings used again in the same document (a term the author means).

    ## Example
    `推进信用体系键设` → `推进信用体系建设`; `中央整治局召开会议` → `中央政治局召开会议`
    (suggestions, not safe fixes).
    """

    code = "TYPO003"
    name = "wrong-character"
    severity = Severity.WARNING
    fixable = True
    options = {"thorough": False, "threshold": 9.5, "info_threshold": 6.0}

    def check(self, doc: Document) -> Iterator[Finding]:
        tctx = TypoContext.of(doc, self.context)
        thorough = self.opts["thorough"]
        hi = self.opts["threshold"]
        lo = self.opts["info_threshold"] if thorough else hi
        with no_gc():
            found = [(start, run, _candidates(run, thorough, lo)) for start, run in han_runs(doc)]
        for start, run, cands in found:
            for c in cands:
                if c.score < lo:
                    continue
                s, e = start + c.start, start + c.end
                if tctx.skip(s, e, run_start=start, run=run, careful=not thorough):
                    continue
                sev = Severity.WARNING if c.score >= hi else Severity.INFO
                orig = doc.text[s:e]
                yield self.finding(
                    doc,
                    s,
                    e,
                    zh=f"疑为错别字：“{orig}”可能应为“{c.replacement}”（{c.before} → {c.after}）",
                    en=f"possible wrong character: {orig!r} may be {c.replacement!r} "
                    f"({c.before} → {c.after})",
                    fix=Fix(c.replacement, safe=False),
                    severity=sev,
                )
