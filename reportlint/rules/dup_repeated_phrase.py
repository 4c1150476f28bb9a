from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

from reportlint.document import SENTENCE_END, Document
from reportlint.finding import Finding, Fix, Msg, Severity
from reportlint.registry import Rule
from reportlint.rules._dup import ALNUM_RE, doc_analysis, fold, folded_text, units_of

MAX_UNIT = 80
# The shortest stretch that is immediately typed again (lazy: shortest first). A repeat
# has no sentence end in it, so it lies inside one sentence: the pattern runs per
# sentence, with the longest unit bounded by half the sentence's length.
_BOUNDS = (8, 12, 16, 24, 32, 48, 64, MAX_UNIT)
_SEPARATORS = "，、,"
_SEP_MARKS = frozenset(_SEPARATORS)


class RepeatedPhrase(Rule):
    """A phrase typed twice in a row (`加快推进重大项目建设加快推进重大项目建设`).

    ## What it does
    Finds a phrase of at least `min_chars` characters of text that is immediately
    repeated, either directly or as two identical clauses next to each other
    (`…建设，加快推进重大项目建设，…`). A phrase typed many times in a row is one
    finding that spans every copy after the first.

    ## Why is this bad?
    A phrase typed or pasted twice is a plain slip that spell checkers miss,
    because every word in it is correct.

    ## Not reported
    Repetitions of one to four characters (`经费经费`, `研究研究`): those are word
    repetitions, left to the TYPO rules so that no span is reported twice; repeated
    whole sentences (DUP004); paragraphs that are copies (DUP001).

    ## Example
    `加快推进重大项目建设加快推进重大项目建设，力争…` → the second copy is reported,
    and the safe fix deletes it.
    """

    code = "DUP005"
    name = "repeated-phrase"
    severity = Severity.WARNING
    fixable = True
    options = {"min_chars": 5}

    def check(self, doc: Document) -> Iterator[Finding]:
        analysis = doc_analysis(doc)
        least = self.opts["min_chars"]
        skip = {p.index for u in units_of(doc) if analysis.is_copy(u) for p in u.paras}
        folded = folded_text(doc)
        for sent in doc.sentences:
            if len(sent.text) < 2 * least or sent.paragraph in skip:
                continue
            # kept repeats: disjoint, sorted by start (looked up by bisection, so that a
            # sentence with thousands of repeats stays n log n)
            t_starts: list[int] = []
            t_ends: list[int] = []
            fs = None if folded is None else folded[sent.start : sent.end]
            for s, e, first, times in _repeats(sent.text, least, fs):
                i = bisect.bisect_left(t_starts, e)
                if i > 0 and t_ends[i - 1] > s:
                    continue  # the same repeat seen as a clause pair
                t_starts.insert(i, s)
                t_ends.insert(i, e)
                fix_start = _fix_start(sent.text, first, s, e)
                copy_end = first + (e - s) // times  # end of the first copy
                # show the copy from its first character of text, without the mark before it
                lead = len(sent.text[s:e]) - len(sent.text[s:e].lstrip("，、,；;：: "))
                s, first = s + lead, first + lead
                start, end = sent.start + s, sent.start + e
                if doc.is_masked(sent.start + first, end):
                    continue
                orig = doc.span(sent.start + first, sent.start + copy_end)
                phrase = _clip(sent.text[first:copy_end])
                if times > 1:
                    zh = f"「{phrase}」紧接着又重复了{times}遍"
                    en = f"'{phrase}' is typed {times + 1} times in a row"
                else:
                    zh = f"「{phrase}」紧接着重复了一遍"
                    en = f"'{phrase}' is typed twice in a row"
                yield self.finding(
                    doc,
                    start,
                    end,
                    zh=zh,
                    en=en,
                    related=[(orig, Msg("第一遍", "first copy"))],
                    fix=Fix(
                        "",
                        safe=True,
                        start=sent.start + fix_start,
                        end=end,
                        message=Msg("删除重复的一遍", "delete the repeated copy"),
                    ),
                )


def _clip(s: str, n: int = 40) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _repeats(text: str, least: int, folded: str | None = None) -> Iterator[tuple[int, int, int, int]]:
    """(start, end) of each repetition in text offsets, the start of its first copy, and how
    many copies follow the first one. A phrase repeated many times in a row is one repetition
    that spans all the copies after the first; the search resumes after it, so the work is
    linear in the length of the text (times the longest phrase). ``folded``: ``fold(text)``, if
    known."""
    folded = fold(text) if folded is None else folded
    if least > 0 and not _repeated_gram(folded, least):
        return  # every repetition below repeats its first ``least`` characters
    half = len(text) // 2
    bound = next((b for b in _BOUNDS if b >= half), MAX_UNIT)
    search = _repeat_re(least, bound).search if least < 2 else _TandemSearch(folded, least, bound).search
    pos = 0
    while True:
        m = search(folded, pos)
        if m is None:
            break
        start, n = m.start(), len(m.group(1))
        unit = folded[start : start + n]
        end = start + 2 * n
        times = 1
        while folded.startswith(unit, end):
            end += n
            times += 1
        if _counts(unit, least):
            yield start + n, end, start, times
        pos = end  # past the whole run, whether it counts or not (`哈哈哈…`, `（一）（一）…`)
    # identical clauses next to each other (`X，X，…`); only a clause long enough to count
    toks = [(m.start(), m.end(), m.group()) for m in _clause_re(least).finditer(folded)]
    k = 0
    while k + 1 < len(toks):
        g = toks[k][2]
        if toks[k + 1][2] != g:
            k += 1
            continue
        j = k
        while j + 1 < len(toks) and toks[j + 1][2] == g and folded[toks[j][1] : toks[j + 1][0]] in _SEP_MARKS:
            j += 1
        if j > k and _counts(g, least):
            yield toks[k + 1][0], toks[j][1], toks[k][0], j - k
        k = max(j, k + 1)


class _TandemSearch:
    """``_repeat_re(least, bound).search`` on one text, trying only the starts where the
    pattern can match: the ``least`` characters there occur again ``L`` characters later
    (``least <= L <= bound``), as the first ``least`` characters of a repeated unit of length
    ``L`` do. At each start the candidate lengths are tried shortest first, and the starts in
    order, so the match found is the regex's (its leftmost start, its lazy shortest unit); the
    regex itself tries every length at every start. (``least >= 2``.)"""

    __slots__ = ("at", "bound", "least", "starts", "text")

    def __init__(self, text: str, least: int, bound: int) -> None:
        self.text, self.least, self.bound = text, least, max(bound, least)
        at: dict[str, list[int]] = {}
        for i in range(len(text) - least + 1):
            at.setdefault(text[i : i + least], []).append(i)
        # the starts whose characters come again within reach; the lengths there are tried
        # when the search gets to them (listing every length of every start at once is
        # quadratic on a long run of one character)
        starts = []
        for ps in at.values():
            if len(ps) > 1:
                for x, p in enumerate(ps):
                    j = bisect.bisect_left(ps, p + least, x + 1)
                    if j < len(ps) and ps[j] - p <= self.bound:
                        starts.append(p)
        starts.sort()
        self.at = at
        self.starts = starts

    def search(self, text: str, pos: int) -> _Tandem | None:
        t, n, least = self.text, len(self.text), self.least
        for k in range(bisect.bisect_left(self.starts, pos), len(self.starts)):
            p = self.starts[k]
            ps = self.at[t[p : p + least]]
            for j in range(bisect.bisect_left(ps, p + least), len(ps)):
                size = ps[j] - p  # ascending: the shortest unit first
                if size > self.bound or p + 2 * size > n:
                    break
                if t.startswith(t[p : p + size], p + size):
                    return _Tandem(p, t[p : p + size])
        return None


class _Tandem(NamedTuple):
    """What ``_repeats`` reads of a match: where it starts and its unit."""

    at: int
    unit: str

    def start(self) -> int:
        return self.at

    def group(self, _: int) -> str:
        return self.unit


def _repeated_gram(s: str, k: int) -> bool:
    """Does some stretch of ``k`` characters occur twice in ``s``? (Most sentences: no.)"""
    n = len(s) - k + 1
    return n > 1 and len({s[i : i + k] for i in range(n)}) < n


@cache
def _clause_re(least: int) -> re.Pattern[str]:
    """A run of letters, digits and Chinese characters long enough to count (a shorter run
    between two long ones leaves more than one separator between them)."""
    return re.compile(f"[^\\W_]{{{least},}}")


@cache
def _repeat_re(least: int, bound: int) -> re.Pattern[str]:
    return re.compile(f"(.{{{least},{max(bound, least)}}}?)\\1", re.S)


def _counts(unit: str, least: int) -> bool:
    """A phrase worth reporting: enough text, no sentence end, not a short word said over."""
    if any(c in SENTENCE_END for c in unit):
        return False
    if sum(m.end() - m.start() for m in ALNUM_RE.finditer(unit)) < least:
        return False
    n = len(unit)
    return not any(n % q == 0 and unit == unit[:q] * (n // q) for q in range(1, 5))


def _fix_start(text: str, first: int, second: int, end: int) -> int:
    """Delete the second copy together with the separator before it (`X，X` → `X`), unless
    the copy takes its own separator with it (`X，X，` → `X，`)."""
    if text[end - 1] in _SEPARATORS:
        return second
    if second > 0 and text[second - 1] in _SEPARATORS and second - 1 > first:
        return second - 1
    return second
