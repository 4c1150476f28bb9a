from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from itertools import pairwise

from reportlint.document import SENTENCE_END, Document
from reportlint.finding import Finding, Fix, Msg, Severity
from reportlint.registry import Rule
from reportlint.rules._dup import ALNUM_RE, doc_analysis, fold, units_of

MAX_UNIT = 80
# The shortest stretch that is immediately typed again (lazy: shortest first). A repeat
# has no sentence end in it, so it lies inside one sentence: the pattern runs per
# sentence, with the longest unit bounded by half the sentence's length.
_BOUNDS = (8, 12, 16, 24, 32, 48, 64, MAX_UNIT)
_SEPARATORS = "，、,"


class RepeatedPhrase(Rule):
    """A phrase typed twice in a row (`加快推进重大项目建设加快推进重大项目建设`).

    ## What it does
    Finds a phrase of at least `min_chars` characters of text that is immediately
    repeated, either directly or as two identical clauses next to each other
    (`…建设，加快推进重大项目建设，…`).

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
        for sent in doc.sentences:
            if len(sent.text) < 2 * least or sent.paragraph in skip:
                continue
            taken: list[tuple[int, int]] = []
            for s, e, first in _repeats(sent.text, least):
                if any(s < te and ts < e for ts, te in taken):
                    continue  # the same repeat seen as a clause pair
                taken.append((s, e))
                fix_start = _fix_start(sent.text, first, s)
                # show the copy from its first character of text, without the mark before it
                lead = len(sent.text[s:e]) - len(sent.text[s:e].lstrip("，、,；;：: "))
                s, first = s + lead, first + lead
                start, end = sent.start + s, sent.start + e
                orig = doc.span(sent.start + first, sent.start + first + (e - s))
                if doc.is_masked(sent.start + first, end):
                    continue
                yield self.finding(
                    doc,
                    start,
                    end,
                    zh=f"「{sent.text[s:e]}」紧接着重复了一遍",
                    en=f"'{sent.text[s:e]}' is typed twice in a row",
                    related=[(orig, Msg("第一遍", "first copy"))],
                    fix=Fix("", safe=True, start=sent.start + fix_start, end=end),
                )


def _repeats(text: str, least: int) -> Iterator[tuple[int, int, int]]:
    """(start, end) of each second copy and the start of its first copy, in text offsets."""
    folded = fold(text)
    half = len(text) // 2
    bound = next((b for b in _BOUNDS if b >= half), MAX_UNIT)
    for m in _repeat_re(least, bound).finditer(folded):
        unit = m.group(1)
        if _counts(unit, least):
            yield m.start() + len(unit), m.end(), m.start()
    toks = list(ALNUM_RE.finditer(folded))
    for a, b in pairwise(toks):
        if a.group() == b.group() and folded[a.end() : b.start()] in tuple(_SEPARATORS) and _counts(
            a.group(), least
        ):
            yield b.start(), b.end(), a.start()


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


def _fix_start(text: str, first: int, second: int) -> int:
    """Delete the second copy together with the separator before it (`X，X` → `X`)."""
    if second > 0 and text[second - 1] in _SEPARATORS and second - 1 > first:
        return second - 1
    return second
