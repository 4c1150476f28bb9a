from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from reportlint.document import Document
from reportlint.finding import Finding, Msg, Severity
from reportlint.numbers import Number
from reportlint.registry import Rule
from reportlint.rules._num import document_year, plan_year
from reportlint.rules._num_claims import Claim, claims

# How many paragraphs apart two statements in one section may stand to be compared.
LOCAL_WINDOW = 5
# How many earlier claims of one indicator a claim is compared with.
_LOCAL_BACK = 12
_THIS_YEAR = ("今年", "本年", "全年", "")


def _compatible(a: Number, b: Number) -> bool:
    lo1, hi1 = a.interval()
    lo2, hi2 = b.interval()
    eps = 1e-9 * max(1.0, abs(a.value), abs(b.value))
    return lo1 <= hi2 + eps and lo2 <= hi1 + eps


def _plain_target(c: Claim, year: int | None) -> bool:
    """A target for the plan's own year, for the whole (no month, span, scope or topic)."""
    span, y, month, day, mode = c.period
    if mode != "target" or c.own_mode != "target" or span or month or day or c.scope or c.topic or c.of:
        return False
    return y in _THIS_YEAR or (year is not None and y.lstrip("到至") == f"{year}年")


class ConflictingValues(Rule):
    """The same indicator for the same period is given two different values.

    ## What it does
    Reads every figure as a claim: what it measures (the subject before its verb; a clause
    that starts with its verb or a comparison, `，同比增长9.3%`, takes the subject of the
    figure before it), the comparison (`同比`, `比上月`, `较年初`), whether it is a rise, a fall
    or a level, the period in force (years, months and parts of the year, spans of years,
    occasions, target / forecast / result, read in order through the section and reset at
    headings and news titles) and the scope (`其中` before a subject new to the section,
    `在…方面`, a topic clause such as `山东省…，`). Two claims in one section, up to five
    paragraphs apart, with the same subject, comparison, period and scope and values that
    cannot both hold are reported at the later one, pointing at the earlier. A target of the
    plan's year (`主要预期目标是：国内生产总值增长8%左右`) is also compared with its restatement
    in another section (`确保…增长6%`).

    ## Why is this bad?
    A target given as 8% in one place and 9% a few paragraphs later is an editing leftover;
    readers cannot tell which figure is meant, and the press will quote both.

    ## Not reported
    A result beside a target; different months, quarters, years or spans (`1—5月` and `5月份`,
    `五年来`, `年均`); parts after `其中` and figures narrowed to a place or sector; two
    territories the clauses name (`全市地区生产总值…` and `全省地区生产总值…`); another
    comparison (`比上月`, `高于全国`); shares and figures that qualify a noun (`80%的枢纽`,
    `13人失踪`); changes (`由20.5%提升至21.1%`); values listed with `分别`; one value per item of
    a list (three airlines' `旅客周转量`); a paragraph that opens by stating its part of the
    year anew (`今年前三季度，西部地区…`, parallel to the paragraph before); bounds that agree
    (`7%以上` and `7.5%`, `5.5%左右` and `5.5%`). When the period is unclear nothing is reported.

    ## Example
    `今年发展的主要预期目标是：国内生产总值增长8%左右…` and, in the next paragraph,
    `提出国内生产总值增长9%左右，主要是…`.
    """

    code = "NUM003"
    name = "conflicting-values"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Finding]:
        reported: set[int] = set()
        yield from self._local(doc, reported)
        yield from self._targets(doc, reported)

    def _targets(self, doc: Document, reported: set[int]) -> Iterator[Finding]:
        """A target of the plan's year restated in another section with another value."""
        year = document_year(doc) or plan_year(doc)
        first: dict[tuple, Claim] = {}
        for b in claims(doc):
            if not _plain_target(b, year):
                continue
            a = first.setdefault((*b.key, b.area), b)
            if a is b or a.section == b.section or b.number.start in reported:
                continue
            if _compatible(a.number, b.number):
                continue
            reported.add(b.number.start)
            yield self._report(doc, a, b, zh_when="（今年目标）", en_when=" (this year's target)")

    def _report(self, doc: Document, a: Claim, b: Claim, zh_when: str = "", en_when: str = "") -> Finding:
        va = doc.text[a.number.start : a.number.end]
        vb = doc.text[b.number.start : b.number.end]
        name = doc.text[b.start : b.number.start].rstrip() or b.subject
        return self.finding(
            doc,
            b.start,
            b.number.end,
            zh=f"“{name}”{zh_when}前后数值不一致：此处为{vb}，前文为{va}",
            en=f"'{name}'{en_when} is given as {vb} here but {va} earlier",
            related=[(doc.span(a.start, a.number.end), Msg(f"前文为{va}", f"earlier: {va}"))],
        )

    def _local(self, doc: Document, reported: set[int]) -> Iterator[Finding]:
        """The same indicator restated close by, for the same period and scope, with another value."""
        groups: dict[tuple, list[Claim]] = defaultdict(list)
        all_claims = claims(doc)
        for c in all_claims:
            groups[c.key].append(c)
        for cs in groups.values():
            if len(cs) < 2:
                continue
            for j, b in enumerate(cs):
                if b.number.start in reported:
                    continue
                near = [
                    a
                    for a in cs[max(0, j - _LOCAL_BACK) : j]
                    if a.section == b.section
                    and b.para - a.para <= LOCAL_WINDOW
                    and not (b.restated and b.para != a.para)
                    and (not b.topic or b.topic == a.topic)
                    and a.period == b.period
                    and a.scope == b.scope
                    and (a.area == b.area or not (a.area and b.area))
                ]
                if not near or any(_compatible(a.number, b.number) for a in near):
                    continue
                if sum(1 for c in cs[max(0, j - _LOCAL_BACK) : j + _LOCAL_BACK] if c.para == b.para) >= 3:
                    continue  # one value per item of a list (东航…旅客周转量…，南航…旅客周转量…)
                a = near[-1]
                reported.add(b.number.start)
                yield self._report(doc, a, b)
