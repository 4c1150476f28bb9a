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
    Collects statements of an indicator's value (`生产总值增长6.5%`, `城镇调查失业率5.5%左右`,
    `城镇新增就业4.3万人以上`) with the period they belong to: last year's results (a
    section headed `…工作回顾`) or this year's targets (`…总体要求和预期目标`, `…工作安排`).
    When the same measure for the same period is stated twice with values that cannot both
    hold, it reports the later one and points at the earlier. Close by (the same paragraph or
    up to four paragraphs on) it needs no section frame: two statements of the same measure
    are compared when their sentences do not tell them apart, i.e. not one a target and the
    other a result (`今年`, `目标` / `过去一年`, `去年`, taken from the sentence or the
    paragraph's last marked sentence), and the same part of the year (`1-11月`), span of years
    (`年均`, `“十四五”`), years named and scope (`在县域经济方面`); inside one paragraph an
    unmarked sentence continues a marked one.

    ## Why is this bad?
    A target given as 6.5% in one place and 6% in another is an editing leftover; readers
    cannot tell which figure is meant, and the press will quote both.

    ## Not reported
    Last year's result beside this year's target; five-year or monthly figures (`年均`,
    `“十四五”时期`, `1-11月`); figures narrowed to a region or sector (`濮阳县…`, `其中`);
    comparisons with another figure (`高于全国`); clauses whose subject is elsewhere
    (`1984年增长`, `按可比价格计算增长`, `比重从…提高到`); bounds that agree (`7%以上` and `7.5%`,
    `5.5%左右` and `5.5%`). When the period is unclear nothing is reported.

    ## Example
    `主要预期目标是：生产总值增长6.5%…` and, in the same year's plan, `确保生产总值增长6%`.
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
            a = first.setdefault(b.key, b)
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
                ]
                if not near or any(_compatible(a.number, b.number) for a in near):
                    continue
                if sum(1 for c in cs[max(0, j - _LOCAL_BACK) : j + _LOCAL_BACK] if c.para == b.para) >= 3:
                    continue  # one value per item of a list (东航…旅客周转量…，南航…旅客周转量…)
                a = near[-1]
                reported.add(b.number.start)
                yield self._report(doc, a, b)
