from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from reportlint.document import Document
from reportlint.finding import Finding, Msg, Severity
from reportlint.numbers import (
    CARDINAL,
    DATE,
    EXACT,
    MAX,
    PERCENT,
    YEAR,
    Number,
    normalized_text,
    to_number,
)
from reportlint.registry import Rule
from reportlint.rules._num import cached, document_year

# Events whose anniversaries reports count, with the year they happened.
EVENTS: tuple[tuple[str, int], ...] = (
    ("中华人民共和国成立", 1949),
    ("新中国成立", 1949),
    ("建国", 1949),
    ("共和国成立", 1949),
    ("中国共产党成立", 1921),
    ("建党", 1921),
    ("党的成立", 1921),
    ("改革开放", 1978),
    ("党的十一届三中全会召开", 1978),
    ("中国人民抗日战争暨世界反法西斯战争胜利", 1945),
    ("中国人民抗日战争胜利", 1945),
    ("抗日战争胜利", 1945),
    ("抗战胜利", 1945),
    ("世界反法西斯战争胜利", 1945),
    ("中国人民解放军建军", 1927),
    ("人民军队建军", 1927),
    ("建军", 1927),
    ("辛亥革命", 1911),
    ("五四运动", 1919),
    ("红军长征胜利", 1936),
    ("长征胜利", 1936),
    ("香港回归", 1997),
    ("香港回归祖国", 1997),
    ("澳门回归", 1999),
    ("澳门回归祖国", 1999),
    ("西藏和平解放", 1951),
    ("人民代表大会制度建立", 1954),
    ("全国人民代表大会成立", 1954),
    ("中国人民政治协商会议成立", 1949),
    ("人民政协成立", 1949),
    ("毛泽东同志诞辰", 1893),
    ("邓小平同志诞辰", 1904),
    ("周恩来同志诞辰", 1898),
    ("刘少奇同志诞辰", 1898),
    ("朱德同志诞辰", 1886),
    ("中国工农红军长征胜利", 1936),
    ("内蒙古自治区成立", 1947),
    ("新疆维吾尔自治区成立", 1955),
    ("广西壮族自治区成立", 1958),
    ("宁夏回族自治区成立", 1958),
    ("西藏自治区成立", 1965),
)
_EVENT_ALT = "|".join(re.escape(e) for e, _ in sorted(EVENTS, key=lambda x: -len(x[0])))
_EVENT_YEAR = dict(EVENTS)
_ANNIV_RE = re.compile(
    r"(?P<year>(?:19|20)\d{2}|[一二〇○零三四五六七八九]{4}|今)年(?:是|为|恰逢|适逢|正值|迎来|，是)"
    rf"[^。；;]{{0,30}}?(?P<event>{_EVENT_ALT})(?P<n>\d{{1,3}}|[一二三四五六七八九十百]{{1,4}})周年"
)
_SENT_END = "。；;！!？?"
_SHARE_GAP = re.compile(r"[，,]?\s*占(?:全部|总数|全市|全省|全国|比|比重)?(?:的)?(?:比重)?(?:为|达|达到)?")
_CHANGE_RE = re.compile(r"(?:增长|增加|下降|减少|提高|降低|比上年|同比|扩大|缩小|翻|每|均)[^，。；、]{0,4}$")
_FROM_TO_RE = re.compile(
    r"(?:由|从)(?P<a>[^，。；;]{0,16}?)(?:增加|增长|提高|上升|扩大|下降|减少|降低|缩小)?(?:到|至)"
)


# How far a sentence is read around a figure: the terms of one sum stand close together,
# and the bound keeps the checks linear on text without sentence ends.
_REACH = 240


def _sentence_bounds(doc: Document, s: int, e: int) -> tuple[int, int]:
    """The sentence around [s, e) (at most ``_REACH`` characters either side), from doc.sentences."""
    sents = doc.sentences
    starts = cached(doc, "sentence-starts", lambda d: [x.start for x in d.sentences])
    k = bisect.bisect_right(starts, s) - 1
    lo, hi = (sents[k].start, sents[k].end) if k >= 0 else (s, e)
    while k + 1 < len(sents) and sents[k].end < e and sents[k + 1].paragraph == sents[k].paragraph:
        k += 1  # [s, e) crosses a sentence end: take the sentences it spans
        hi = sents[k].end
        if hi - s > _REACH:
            break
    return max(lo, s - _REACH), min(max(hi, e), e + _REACH)


def _close(got: float, want: float) -> tuple[bool, bool]:
    """(agrees within rounding, clearly contradicts) for two percentages."""
    diff = abs(got - want)
    agrees = diff <= max(0.6, abs(want) * 0.03)
    clear = diff > max(2.0, abs(want) * 0.2)
    return agrees, clear


class Arithmetic(Rule):
    """Figures that the text's own arithmetic contradicts (parts over a total, a wrong anniversary).

    ## What it does
    Checks sums and ratios where the text states every term:
    - an anniversary against its year: `2024年是中华人民共和国成立75周年` (1949 + 75),
      also the founding of the Party (1921), reform and opening up (1978), the victory of
      1945 and other fixed dates; `今年是…周年` only when the document states its own year
      in its first lines (a title `2024年政府工作报告` or a date line `——2024年3月5日在…`),
      never a year guessed from its headings or content;
    - parts against the total they belong to: `企业226家，其中国家级3家`: a part larger
      than its total (warning), parts that together exceed it (info, they may overlap);
    - a share against the two figures it is computed from: `企业500家，其中高新技术企业
      100家，占40%` (100 / 500 is 20%);
    - a change against its two ends: `由100亿元增加到150亿元，增长30%` (it is 50%).

    ## Why is this bad?
    Arithmetic that does not add up is the first thing a careful reader checks and the
    surest sign that one figure was updated and another not.

    ## Not reported
    Differences within rounding; growth rates of parts (a part may grow faster than the
    total); anything whose terms are not all in the same sentence; a part when the sentence
    before `其中` holds several amounts of its unit (`68名乘客和4名机组人员，其中…`), or a part
    that is approximate (`10多个`). Unsure cases are info.

    ## Example
    `2024年是新中国成立70周年` → 1949 + 70 = 2019; the year or the count is wrong.
    """

    code = "NUM005"
    name = "arithmetic"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Finding]:
        yield from self._anniversaries(doc)
        yield from self._parts(doc)
        yield from self._from_to(doc)

    # ------------------------------------------------------------------ anniversaries
    def _anniversaries(self, doc: Document) -> Iterator[Finding]:
        norm = normalized_text(doc)
        for p in doc.paragraphs:
            if "周年" not in p.text:
                continue
            for m in _ANNIV_RE.finditer(norm, p.start, p.end):
                # 今年: the document's own year, only when its title or date line states it.
                inferred = m.group("year") == "今"
                year = document_year(doc) if inferred else to_number(m.group("year"))
                n = to_number(m.group("n"))
                base = _EVENT_YEAR[m.group("event")]
                if year is None or n is None or base + n == year:
                    continue
                want = int(year - base)
                ys, ye = m.start("year"), m.start("year") + len(m.group("year")) + 1
                when = f"今年（{int(year)}年）" if inferred else f"{int(year)}年"
                yield self.finding(
                    doc,
                    m.start("n"),
                    m.end(),
                    zh=f"{m.group('event')}于{base}年，{when}应为{want}周年，而非{int(n)}周年",
                    en=f"{m.group('event')} was in {base}: {int(year)} is its {want}th anniversary, "
                    f"not the {int(n)}th",
                    related=[(doc.span(ys, ye), Msg("年份", "the year"))],
                )

    # ------------------------------------------------------------------ parts of a total
    def _parts(self, doc: Document) -> Iterator[Finding]:
        text = doc.text
        nums = doc.numbers
        starts = cached(doc, "num-starts", lambda d: [n.start for n in d.numbers])
        for p in doc.paragraphs:
            pos = p.text.find("其中")
            while pos >= 0:
                at = p.start + pos
                pos = p.text.find("其中", pos + 2)
                s, e = _sentence_bounds(doc, at, at + 2)
                k = bisect.bisect_left(starts, at)
                # The parts: the clause right after 其中 (其中，国家级3家、省级5家).
                j = at + 2
                if j < e and text[j] in "，,":
                    j += 1
                stop = min((x for x in (text.find(c, j, e) for c in "，,") if x >= 0), default=e)
                parts = [n for n in nums[k : bisect.bisect_left(starts, stop)] if _amount(text, n)]
                if not parts:
                    continue
                unit = parts[0].unit
                # The total: the one amount of that unit in the sentence before 其中. With several
                # (立案2482人，处分1647人，移送73人，其中…; 68名乘客和4名机组人员，其中…) the
                # part may belong to any of them, or to their sum: not judged.
                before = []
                for i in range(k - 1, bisect.bisect_left(starts, s) - 1, -1):
                    if nums[i].unit == unit and _amount(text, nums[i]):
                        before.append(nums[i])
                        if len(before) > 1:
                            break
                if len(before) != 1:
                    continue
                total = before[0]
                clause = max(text.rfind(c, s, at - 1) for c in "，,；;：:")
                if total.start < clause or total.bound not in (EXACT, MAX):
                    continue
                parts = [n for n in parts if n.unit == unit]
                # Only parts listed right after 其中, before any other clause changes topic.
                rest = nums[k : bisect.bisect_left(starts, e)]
                share = self._share(doc, total, parts, rest, e)
                if share is not None:
                    yield share
                big = next((n for n in parts if n.bound == EXACT and n.value > total.value * 1.0001), None)
                tv = text[total.start : total.end]
                if big is not None:
                    yield self.finding(
                        doc,
                        big.start,
                        big.end,
                        zh=f"“其中”一项（{text[big.start : big.end]}）大于总数（{tv}）",
                        en=f"a part ({text[big.start : big.end]}) is larger than its total ({tv})",
                        related=[(doc.span(total.start, total.end), Msg("总数", "the total"))],
                    )
                    continue
                exact = [n for n in parts if n.bound == EXACT]
                over = sum(n.value for n in exact) > total.value * 1.001
                if len(exact) >= 2 and total.bound == EXACT and over:
                    yield self.finding(
                        doc,
                        exact[0].start,
                        exact[-1].end,
                        zh=f"“其中”各项之和大于总数（{tv}）；如各项不重叠，请核对",
                        en=f"the parts add up to more than the total ({tv}); check unless they overlap",
                        related=[(doc.span(total.start, total.end), Msg("总数", "the total"))],
                        severity=Severity.INFO,
                    )

    def _share(
        self, doc: Document, total: Number, parts: list[Number], after: list[Number], end: int
    ) -> Finding | None:
        """`其中A 100家，占40%`: the share against part / total."""
        text = doc.text
        part = parts[0]
        pct = next((n for n in after if n.kind == PERCENT and n.start > part.end), None)
        if pct is None or total.value <= 0 or any(x.bound != EXACT for x in (pct, total, part)):
            return None
        gap = text[part.end : pct.start]
        if not _SHARE_GAP.fullmatch(gap):
            return None
        want = part.value / total.value * 100
        agrees, clear = _close(pct.value, want)
        if agrees:
            return None
        return self.finding(
            doc,
            pct.start,
            pct.end,
            zh=f"占比与数字不符：{text[part.start : part.end]} ÷ {text[total.start : total.end]} "
            f"≈ {want:.1f}%",
            en=f"share does not match its figures: {text[part.start : part.end]} / "
            f"{text[total.start : total.end]} ≈ {want:.1f}%",
            related=[
                (doc.span(part.start, part.end), Msg("部分", "the part")),
                (doc.span(total.start, total.end), Msg("总数", "the total")),
            ],
            severity=None if clear else Severity.INFO,
        )

    # ------------------------------------------------------------------ change between two figures
    def _from_to(self, doc: Document) -> Iterator[Finding]:
        text = doc.text
        nums = doc.numbers
        starts = cached(doc, "num-starts", lambda d: [n.start for n in d.numbers])
        for p in doc.paragraphs:
            if "到" not in p.text and "至" not in p.text:
                continue
            for m in _FROM_TO_RE.finditer(text, p.start, p.end):
                k = bisect.bisect_left(starts, m.start())
                inside = [n for n in nums[k : k + 6] if n.start < m.end() and n.kind in (CARDINAL, PERCENT)]
                if not inside:
                    continue
                a = inside[-1]
                k2 = bisect.bisect_left(starts, m.end())
                if k2 < len(nums) and nums[k2].kind in (YEAR, DATE) and nums[k2].start - m.end() <= 1:
                    k2 += 1  # 增加到2025年的150亿元
                if k2 >= len(nums):
                    continue
                b = nums[k2]
                if b.start - m.end() > 8 or "，" in text[m.end() : b.start]:
                    continue
                if b.unit != a.unit or a.value <= 0:
                    continue
                if a.bound != EXACT or b.bound != EXACT:
                    continue
                _, e = _sentence_bounds(doc, m.start(), b.end)
                # The rate right after: ，增长50%.
                k3 = k2 + 1
                if k3 >= len(nums):
                    continue
                r = nums[k3]
                gap = text[b.end : r.start]
                if r.start >= e or r.kind != PERCENT or r.bound != EXACT:
                    continue
                if not re.fullmatch(r"[，,]?\s*(?:增长|提高|增加|上升|扩大|下降|减少|降低|缩小)(?:了)?", gap):
                    continue
                if a.kind == PERCENT:
                    continue  # 由20%提高到25%, 提高5个百分点 or 25%: ambiguous
                want = (b.value - a.value) / a.value * 100
                if gap.strip("，, ").startswith(("下降", "减少", "降低", "缩小")):
                    want = -want
                agrees, clear = _close(r.value, want)
                if agrees:
                    continue
                yield self.finding(
                    doc,
                    r.start,
                    r.end,
                    zh=f"增幅与前后数字不符：由{text[a.start : a.end]}到{text[b.start : b.end]}"
                    f"约为{want:.1f}%",
                    en=f"the rate does not match its figures: from {text[a.start : a.end]} to "
                    f"{text[b.start : b.end]} is about {want:.1f}%",
                    related=[
                        (doc.span(a.start, a.end), Msg("起点", "from")),
                        (doc.span(b.start, b.end), Msg("终点", "to")),
                    ],
                    severity=None if clear else Severity.INFO,
                )


_NOT_AMOUNT = frozenset(
    ("年", "月", "日", "天", "倍", "周年", "岁", "大", "成", "番", "级", "星", "次", "届", "位")
)


def _amount(text: str, n: Number) -> bool:
    """An absolute amount (not a rate, a rank or a change): 226家, 24.9亿元."""
    if n.kind != CARDINAL or not n.unit or n.unit in _NOT_AMOUNT:
        return False
    return not _CHANGE_RE.search(text[max(0, n.start - 8) : n.start])
