from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from reportlint.document import Document, Sentence
from reportlint.finding import Finding, Msg, Severity
from reportlint.numbers import CARDINAL, PERCENT, POINTS, RANGE, Number, normalize_digits
from reportlint.registry import Rule
from reportlint.rules._num import cached, plan_year, top_headings
from reportlint.rules._num_claims import Claim, claims

RESULT = "result"
TARGET = "target"
MIXED_RESULT = "mixed-result"

_BOUNDARY = "，,。；;：:！!？?、（）()“”\n"
_YEAR_RE = re.compile(r"(?:19|20)\d{2}(?=年)")
# A sentence about several years, part of a year, or a comparison: not one indicator's value.
_MULTI_RE = re.compile(
    r"年均|五年|两年|三年|四年|累计|以来|期间|时期|十[一二三四五六]五|历史|同期|"
    r"\d{1,2}月|季度|上半年|下半年|月份|月末|年末|年底|末|高于|低于|快于|慢于|以前|此前|比2|比1|"
    r"比重|提高|回落|回升|前年|过去(?!一年)|今后|未来|将来|到20|至20|远景|中长期|每年|分别|平均"
)
_TARGET_CUE = re.compile(r"预期目标|目标|力争|确保|计划|争取|将|要|今年")
_RESULT_CUE = re.compile(r"完成了|实现了|达到了|过去一年|去年|上年|一年来|同比|增长了|下降了")
# A paragraph about several years (a five-year review) makes its figures multi-year.
_PARA_MULTI_RE = re.compile(r"年均|五年|累计|十[一二三四五六]五|时期|以来|[两三四五]年间")
_RESULT_HEAD = re.compile(r"回顾|过去一年|一年来")
_PLAN_HEAD = re.compile(r"安排|任务|部署|要求|目标|建议|重点工作|政策取向")
_SPAN_HEAD = re.compile(r"五年|时期|十[一二三四五六]五|“|远景|以来")

# Words before the indicator's name that do not change what is measured.
_PREFIX_RE = re.compile(
    r"^(?:全市|全省|全区|全国|全年|今年|预计|力争|确保|实现|保持|主要|预期目标|目标|是|为|其中|要|将|努力|"
    r"争取|初步|预期|发展|经济社会|主要预期目标是|就是)+"
)
_SYNONYMS = (
    (re.compile(r"(?:地区|国内)生产总值|GDP"), "生产总值"),
    (
        re.compile(
            r"经济增长(?:的)?(?:预期)?(?:目标)?(?:为|是|定为|确定为)?$|经济增速(?:预期)?(?:目标)?(?:为|是)?$"
        ),
        "生产总值增长",
    ),
    (re.compile(r"(?:预期)?目标(?:为|是)?$"), ""),
    (
        re.compile(
            r"(?:达到|达|为|是|在|控制在|保持在|稳定在|超过|突破|近|约|接近|不低于|不少于|不超过|低于)+$"
        ),
        "",
    ),
)
# A clause that starts with the verb has its subject elsewhere: 实际增长9%.
_ELIDED_RE = re.compile(
    r"^(?:实际|名义|分别|同比|比上年|年均|均|各|也|还|又|再)?(?:增长|下降|增加|减少|提高|降低|上涨|达到)"
)
# What an indicator's name must contain to be compared at all.
_MEASURE_RE = re.compile(
    r"增长|下降|增加|减少|率|总值|收入|总额|投资|产量|就业|指数|涨幅|强度|规模|人数|面积|赤字|总量|增速|增加值|"
    r"产值|利润|支出|余额|存款|贷款|进出口|出口|进口|外资|销售额|营业额"
)


@dataclass(frozen=True, slots=True)
class Statement:
    key: str
    number: Number
    frame: str
    key_start: int
    para: int = 0
    cues: tuple = ()  # period and comparison cues of the sentence (local comparison)


# How far around a figure its sentence is read for cues, in characters.
_CONTEXT = 120
# How many distinct values of one indicator are kept to compare a new statement with.
_MAX_DISTINCT = 8
# How many paragraphs apart two restatements may stand to be compared without a period frame.
LOCAL_WINDOW = 5
# How many earlier claims of one indicator a claim is compared with.
_LOCAL_BACK = 12


def statements(doc: Document) -> list[Statement]:
    return cached(doc, "num003-statements", _build_statements)


def _section_frames(doc: Document) -> list[tuple[int, str, int | None]]:
    """(start offset, frame, year) for each top-level section, in order.

    A section is last year's results when its heading says so (`2025年工作回顾`) or names
    a year before the plan's; this year's targets when it names the plan's year or a plan
    (`2026年重点工作`, `总体要求和预期目标`); sections after the targets without a year of
    their own (`三、深入实施制造业倍增行动`) continue the plan.
    """
    heads = top_headings(doc)
    plan = plan_year(doc)
    out: list[tuple[int, str, int | None]] = [(0, "", None)]
    prev = ""
    for it, t, ys in heads:
        y = next(iter(ys)) if len(ys) == 1 else None
        past = bool(_RESULT_HEAD.search(t)) or (y is not None and plan is not None and y < plan)
        frame = ""
        if len(ys) > 1:
            frame = ""
        elif _SPAN_HEAD.search(t):
            # 2025年和“十四五”时期工作回顾: the year's figures are told apart by the paragraph.
            frame = MIXED_RESULT if past and y else ""
        elif past:
            frame = RESULT
        elif _PLAN_HEAD.search(t) or "今年" in t or (y is not None and y == plan):
            frame = TARGET
        elif y is None and prev == TARGET:
            frame, y = TARGET, plan
        out.append((it.start, frame, y))
        prev = frame
    return out


def _frame_at(frames, starts: list[int], offset: int) -> tuple[str, int | None]:
    k = bisect.bisect_right(starts, offset) - 1
    _, f, y = frames[k]
    return f, y


def _measured_figures(doc: Document) -> Iterator[tuple[Number, int, Sentence]]:
    """Figures with a unit (percentages, points, counts, ranges), with the index of the
    sentence holding each and the sentence."""
    sentences = doc.sentences
    si = 0
    for n in doc.numbers:
        if n.kind not in (PERCENT, POINTS, CARDINAL, RANGE) or not n.unit:
            continue
        while si < len(sentences) and sentences[si].end <= n.start:
            si += 1
        if si < len(sentences) and sentences[si].start <= n.start:
            yield n, si, sentences[si]


def _build_statements(doc: Document) -> list[Statement]:
    frames = _section_frames(doc)
    frame_starts = [f[0] for f in frames]
    text = cached(doc, "norm", lambda d: normalize_digits(d.text))
    out: list[Statement] = []
    sentences = doc.sentences
    # Per-sentence cues, computed once per sentence (a sentence may hold many figures).
    result_cue: dict[int, bool] = {}
    target_cue: dict[int, bool] = {}
    topic: dict[int, bool] = {}

    def has(cache: dict[int, bool], rx: re.Pattern[str], k: int) -> bool:
        if k not in cache:
            cache[k] = bool(rx.search(sentences[k].text))
        return cache[k]

    for n, si, sent in _measured_figures(doc):
        frame, year = _frame_at(frames, frame_starts, n.start)
        if not frame:
            continue
        if frame == MIXED_RESULT:
            para = doc.paragraphs[sent.paragraph]
            if _PARA_MULTI_RE.search(para.text):
                continue
            frame = RESULT
        # The clause before the number names what it measures.
        i = n.start
        while i > sent.start and text[i - 1] not in _BOUNDARY and n.start - i < 24:
            i -= 1
        raw = text[i : n.start]
        lo = max(sent.start, i - _CONTEXT)  # a bounded context: linear on endless sentences
        pre = text[lo:i]
        if si not in topic:
            topic[si] = bool(_TOPIC_RE.match(sent.text))
        if topic[si] or _multi_year(text[lo : n.start]):
            continue
        years = {int(y) for y in _YEAR_RE.findall(text, lo, n.end)}
        if years and (year is None or years != {year}):
            continue
        if frame == TARGET:
            prev = si - 1 if si and sentences[si - 1].paragraph == sent.paragraph else None
            if has(result_cue, _RESULT_CUE, si) or (prev is not None and has(result_cue, _RESULT_CUE, prev)):
                continue
        if frame == RESULT and has(target_cue, _TARGET_CUE, si):
            continue
        if _scoped(pre):
            continue
        key = _normalize(raw)
        if len(key) < 4 or not _MEASURE_RE.search(key) or _ELIDED_RE.match(key):
            continue
        lead = _PREFIX_RE.match(raw)
        out.append(Statement(key, n, frame, i + (lead.end() if lead else 0)))
    return out


_TOPIC_RE = re.compile(r"^[^，,；;]{0,10}(?:年来|年间|年中|时期|期间|以来)[，,]")


def _multi_year(before: str) -> bool:
    """A cue for several years, part of a year or a comparison, in the two clauses before the number."""
    clauses = re.split(r"[，,；;：:]", before)
    return bool(_MULTI_RE.search("，".join(clauses[-2:])))


_SCOPE_RE = re.compile(
    r"(?<!全)[省市县区州盟旗镇乡村](?![场民级委长政内外域])"
    r"|领域|行业|园区|部门|企业|城市|农村|城镇|地区|在.{1,12}方面"
)


def _scoped(prefix: str) -> bool:
    """The sentence narrows the indicator to a region or sector before naming it."""
    clauses = re.split(r"[，,；;：:]", prefix)
    for c in clauses:
        if re.search(r"\d", c):
            continue  # another indicator of the same list
        if _SCOPE_RE.search(c):
            return True
    return False


def _normalize(raw: str) -> str:
    key = _PREFIX_RE.sub("", raw.strip())
    for rx, repl in _SYNONYMS:
        key = rx.sub(repl, key)
    return key


def _compatible(a: Number, b: Number) -> bool:
    lo1, hi1 = a.interval()
    lo2, hi2 = b.interval()
    eps = 1e-9 * max(1.0, abs(a.value), abs(b.value))
    return lo1 <= hi2 + eps and lo2 <= hi1 + eps


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
        groups: dict[tuple[str, str, str], list[Statement]] = defaultdict(list)
        for st in statements(doc):
            groups[(st.key, st.number.unit, st.frame)].append(st)
        for (key, _unit, frame), sts in groups.items():
            seen: dict[tuple, Statement] = {}  # one statement per distinct value
            for b in sts:
                sig = (b.number.value, b.number.high, b.number.bound)
                earlier = list(seen.values())
                seen.setdefault(sig, b)
                if len(seen) > _MAX_DISTINCT:
                    del seen[next(iter(seen))]  # the oldest: a long table of values is not a restatement
                if not earlier or sig in [(x.number.value, x.number.high, x.number.bound) for x in earlier]:
                    continue
                a = next((x for x in earlier if not _compatible(x.number, b.number)), None)
                if a is None or any(_compatible(x.number, b.number) for x in earlier):
                    continue
                when = "今年目标" if frame == TARGET else "上年结果"
                when_en = "this year's target" if frame == TARGET else "last year's result"
                va = doc.text[a.number.start : a.number.end]
                vb = doc.text[b.number.start : b.number.end]
                yield self.finding(
                    doc,
                    b.key_start,
                    b.number.end,
                    zh=f"“{key}”（{when}）前后数值不一致：此处为{vb}，前文为{va}",
                    en=f"'{key}' ({when_en}) is given as {vb} here but {va} earlier",
                    related=[(doc.span(a.key_start, a.number.end), Msg(f"前文为{va}", f"earlier: {va}"))],
                )
                reported.add(b.number.start)
        yield from self._local(doc, reported)

    def _local(self, doc: Document, reported: set[int]) -> Iterator[Finding]:
        """The same indicator restated close by, for the same period and scope, with another value."""
        groups: dict[tuple, list[Claim]] = defaultdict(list)
        for c in claims(doc):
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
                va = doc.text[a.number.start : a.number.end]
                vb = doc.text[b.number.start : b.number.end]
                name = doc.text[b.start : b.number.start].rstrip()
                reported.add(b.number.start)
                yield self.finding(
                    doc,
                    b.start,
                    b.number.end,
                    zh=f"“{name}”前后数值不一致：此处为{vb}，前文为{va}",
                    en=f"'{name}' is given as {vb} here but {va} just before",
                    related=[(doc.span(a.start, a.number.end), Msg(f"前文为{va}", f"earlier: {va}"))],
                )
