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
LOCAL_WINDOW = 4
# Cues that tie a figure to a period, a part of the year, a comparison or a plan.
# Cues that place a figure in time, by kind: a plan's target or a result, a part of the
# year, several years, named years. Two nearby figures are compared when their cues of each
# strict kind are the same, and they are not one a target and the other a result.
_CUE_KINDS = (
    (
        "target",
        re.compile(r"预期目标|目标|(?<!于)预期|力争|确保|计划|争取|今年|明年|今后|未来|20\d\d年(?:要|将)"),
    ),
    ("result", re.compile(r"完成了|实现了|过去|去年|上年|一年来|好于预期|超过预期|增长了|下降了")),
    ("part", re.compile(r"\d{1,2}月|季度|上半年|下半年|月份|月末|年末|年底|同期")),
    # Several years: which plan is named counts; the other words only mark a span of years.
    (
        "multi",
        re.compile(
            r"十[一二三四五六]五|"
            r"(?:年均|平均每年|每年|[两三四五六七八九十]年|累计|以来|期间|时期|历史|远景|到20|至20)"
        ),
    ),
    ("year", _YEAR_RE),
    ("scope", re.compile(r"(?!)")),  # filled from the sentence's scope clauses
)
_PLAN_RE = re.compile(r"十[一二三四五六]五")
# A clause that narrows what follows to a place or sector: 在县域经济方面，全省规模以上工业中，濮阳县：
_LOCAL_SCOPE_RE = re.compile(
    r"^在.{1,14}(?:方面|领域|中|上)$|^.{1,14}(?:方面|领域|行业|部门|企业|工业|园区)中$|^分.{1,4}看$|"
    r"^[\u4e00-\u9fff]{1,6}[省市县区州盟旗](?:范围内)?$"
)
_CLAUSE_SPLIT = re.compile(r"[，,；;：:]")
_LEAD_YEAR_RE = re.compile(r"^(?:(?:19|20)\d{2}年)+")
_SCOPE_SPLIT = re.compile(r"[，,；;：:。]")
_DIGIT = re.compile(r"\d")


def statements(doc: Document) -> list[Statement]:
    return cached(doc, "num003-statements", _build_statements)


def local_statements(doc: Document) -> list[Statement]:
    return cached(doc, "num003-local", _build_local)


def _same_period(a: Statement, b: Statement) -> bool:
    """The same period as far as the text tells.

    Not one a target and the other a result (an unmarked one goes with either); the same
    part of the year, span of years and years named, except that inside one paragraph a
    sentence that names none of these continues the one that does; the same scope.
    """
    if a.cues[5] != b.cues[5]:
        return False  # 在县域经济方面: another scope, whatever the paragraph
    for x, y in zip(a.cues[2:5], b.cues[2:5], strict=True):
        if x != y and not (a.para == b.para and not (x and y)):
            return False
    ta, ra = bool(a.cues[0]), bool(a.cues[1])
    tb, rb = bool(b.cues[0]), bool(b.cues[1])
    if ta and ra:
        ta = ra = False  # 完成了…目标: says nothing of the period
    if tb and rb:
        tb = rb = False
    return not ((ta and rb) or (ra and tb))


def _topics(doc: Document) -> list[tuple[frozenset, frozenset]]:
    """For each sentence, the target and result cues of the last marked sentence of its paragraph
    up to and including it."""
    out = []
    para, cur = -1, (frozenset(), frozenset())
    tx, rx = _CUE_KINDS[0][1], _CUE_KINDS[1][1]
    for sent in doc.sentences:
        if sent.paragraph != para:
            para, cur = sent.paragraph, (frozenset(), frozenset())
        own = frozenset(tx.findall(sent.text)), frozenset(rx.findall(sent.text))
        if own[0] or own[1]:
            cur = own
        out.append(cur)
    return out


def _build_local(doc: Document) -> list[Statement]:
    """Every indicator statement, whatever the section, with the cues of its sentence.

    Used to compare restatements close together (same or nearby paragraphs), where the
    period is the same unless the sentences say otherwise.
    """
    text = cached(doc, "norm", lambda d: normalize_digits(d.text))
    out: list[Statement] = []
    heads = top_headings(doc)
    head_starts = [it.start for it, _, _ in heads]
    topics = _topics(doc)
    sentences = doc.sentences
    for n, si, sent in _measured_figures(doc):
        i = n.start
        while i > sent.start and text[i - 1] not in _BOUNDARY and n.start - i < 24:
            i -= 1
        raw = text[i : n.start]
        lo = max(sent.start, i - _CONTEXT)  # a bounded context: linear on endless sentences
        scope = frozenset(
            c.strip() for c in _SCOPE_SPLIT.split(text[lo:i]) if _LOCAL_SCOPE_RE.match(c.strip())
        )
        key = _normalize(_LEAD_YEAR_RE.sub("", raw))  # the year is among the cues
        if len(key) < 4 or not _MEASURE_RE.search(key) or _ELIDED_RE.match(key):
            continue
        if not _named(key):
            continue  # 1984年增长, 按可比价格计算增长, 比重从: the subject is elsewhere
        # Cues of the clause and of the sentence's opening clauses without figures of their
        # own (今年, 1-11月, 过去五年): a target beside a result, a part of the year beside it.
        e = n.end
        while e < sent.end and text[e] not in _BOUNDARY:
            e += 1
        ctx = [text[i:e], _list_lead(doc, sent.paragraph)] + [
            c for c in _CLAUSE_SPLIT.split(text[lo:i]) if not _DIGIT.search(c)
        ]
        # Comments after the figure (好于预期) tell a result from a target, nothing more.
        hi = min(sent.end, e + _CONTEXT)
        after = "，".join(c for c in _CLAUSE_SPLIT.split(text[e:hi]) if not _DIGIT.search(c))
        k = bisect.bisect_right(head_starts, n.start) - 1
        # The section's heading (“十五五”时期主要目标) names years and plans, not targets or results.
        heading = heads[k][1] if k >= 0 else ""
        joined = "，".join(ctx)
        cues = [
            frozenset(rx.findall(joined + "，" + (after if j < 2 else heading)))
            for j, (_, rx) in enumerate(_CUE_KINDS)
        ]
        multi = cues[3]
        cues[3] = frozenset(x for x in multi if _PLAN_RE.fullmatch(x)) | ({"*"} if multi else set())
        cues[5] = scope
        if not (cues[0] or cues[1]) and si and sentences[si - 1].paragraph == sent.paragraph:
            # An unmarked sentence continues the paragraph's last marked one (过去一年，…。生产总值增长…).
            cues[0], cues[1] = topics[si - 1]
        lead = _PREFIX_RE.match(raw)
        out.append(Statement(key, n, "", i + (lead.end() if lead else 0), sent.paragraph, tuple(cues)))
    return out


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


# What stands between an indicator's name and its value: a comparison, a period, a verb.
_VERB_TAIL_RE = re.compile(
    r"(?:(?:按可比价格计算|扣除价格因素|同比|比上年|比去年|较上年|年均|平均每年|每年|实际|名义|分别|均)*"
    r"(?:增长|下降|增加|减少|提高|降低|上涨|下跌|回落|达到|达|为|是|超过|突破|从|由|到|占)+)+$"
)
_TIME_RE = re.compile(r"\d{4}年|\d{1,2}月|[上下]半年|[一二三四]季度|全年|当年|同期|时期|期间|以来")


def _named(key: str) -> bool:
    """The key names what is measured before its verb (生产总值增长), not only a time or a verb."""
    name = _TIME_RE.sub("", _VERB_TAIL_RE.sub("", key))
    han = sum(1 for c in name if "\u4e00" <= c <= "\u9fff")
    return han >= 2 and not name.endswith(("的", "比重", "比例"))


def _list_lead(doc: Document, para: int) -> str:
    """The end of the sentence that introduces the list a paragraph is in (主要预期目标是：), or ''.

    Walks back over list items (paragraphs ending in ；) to a paragraph ending in a colon.
    """

    def build(d: Document) -> dict[int, str]:
        out: dict[int, str] = {}
        lead = ""
        for p in d.paragraphs:
            out[p.index] = lead
            t = p.text
            if t.endswith(("：", ":")):
                lead = t[-40:]
            elif not t.endswith(("；", ";")):
                lead = ""
        return out

    return cached(doc, "num003-list-lead", build).get(para, "")


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
        """The same indicator restated close by, in a sentence with the same cues, another value."""
        groups: dict[tuple, list[Statement]] = defaultdict(list)
        for st in local_statements(doc):
            groups[(st.key, st.number.unit, st.number.kind)].append(st)
        for (key, _u, _k), sts in groups.items():
            if len(sts) < 2:
                continue
            for j, b in enumerate(sts):
                if b.number.start in reported:
                    continue
                near = [
                    x
                    for x in sts[max(0, j - 30) : j]
                    if b.para - x.para <= LOCAL_WINDOW and _same_period(x, b)
                ]
                if not near or any(_compatible(x.number, b.number) for x in near):
                    continue
                a = near[-1]
                va = doc.text[a.number.start : a.number.end]
                vb = doc.text[b.number.start : b.number.end]
                reported.add(b.number.start)
                yield self.finding(
                    doc,
                    b.key_start,
                    b.number.end,
                    zh=f"“{key}”前后数值不一致：此处为{vb}，相邻的前文为{va}",
                    en=f"'{key}' is given as {vb} here but {va} just before",
                    related=[(doc.span(a.key_start, a.number.end), Msg(f"前文为{va}", f"earlier: {va}"))],
                )
