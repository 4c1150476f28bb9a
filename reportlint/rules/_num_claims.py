"""What each figure claims: an indicator, a comparison, a period and a scope (for NUM003).

A claim is one figure with what it measures, resolved from the text around it:

- **subject**: the noun phrase before the verb (``社会消费品零售总额``); a clause that starts
  with its verb or a comparison (``，同比增长9.3%``, ``，比去年同期增长5.5%``) takes the
  subject of the figure before it in the same sentence; generic subjects (``增速``, ``涨幅``,
  ``比重``) and clauses with ``分别`` make no claim.
- **comparison** and **direction**: ``同比``/``比上年`` (year on year), ``环比``, ``比一季度``, …,
  and whether the figure is a rise, a fall or a level.
- **period**: the period in force at the figure, read in order through the section: years
  (``2024年``, ``今年``, ``去年``), months and parts of the year (``5月份``, ``1—5月``,
  ``前三季度``, ``上半年``), spans of years (``五年来``, ``年均``, ``累计``, ``“十四五”``),
  occasions (``春节假期``, ``日均``) and whether it is a target, a forecast or a result
  (``目标``, ``预计``, ``实际``). A coarser mark resets the finer ones; a heading (a section or
  a news item's title) resets everything.
- **scope**: clauses without figures that narrow what follows (``其中``, ``在县域经济方面``,
  ``分行业看``, a place named on its own).

Comparison words inside a comparison (``比2020年``, ``较上年``) are not periods.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from reportlint._fastinit import fast_init
from reportlint.document import Document
from reportlint.numbers import (
    CARDINAL,
    MULTIPLE,
    PERCENT,
    POINTS,
    RANGE,
    Number,
    normalized_text,
)
from reportlint.rules._num import HAN_CHAR_RE, cached, is_title

# --------------------------------------------------------------------------- patterns

_CLAUSE_MARKS = "，,；;：:"
_VERBS = (
    "增长|下降|增加|减少|提高|提升|降低|上涨|下跌|上升|回落|回升|扩大|缩小|加快|放缓|收窄|"
    "达到|达|为|是|超过|突破|占|完成|实现|保持在|控制在|稳定在|保持|稳定|控制|超"
)
_RISE = re.compile(r"增长|增加|提高|提升|上涨|上升|回升|扩大|加快")
_FALL = re.compile(r"下降|减少|降低|下跌|回落|缩小|放缓|收窄")
# The comparison before the verb: 同比, 环比, 比上年, 较一季度, 比去年同期, 与去年相比.
_CMP_RE = re.compile(
    r"(?:同比|环比|(?:与|同|和)[^，,；;。]{1,14}?相比|(?:比|较|相比|相较于?|对比)[^，,；;。]{0,14}?)"
    rf"(?=(?:{_VERBS}|持平|高|低|快|慢|多|少))"
)
_YOY = re.compile(
    r"^(?:同比|比上年|比去年|较上年|较去年|比上年同期|比去年同期|较上年同期|较去年同期|与上年相比|与去年相比)$"
)
# What may stand between the subject and the figure.
_SHARES = "高于|低于|快于|慢于|高出|超出|相当于|占|覆盖"
_ADVERBS = (
    "分别|均|都|也|还|又|再|实际|名义|年均|平均每年|每年|累计|共|合计|总计|预计|预期|力争|将|要|可|能|已|已经"
)
_TAIL_RE = re.compile(
    rf"(?:(?P<share>(?:{_SHARES})[^，,；;。]{{0,16}}?)$|"
    rf"(?P<cmp>{_CMP_RE.pattern})?"
    rf"(?P<adv>(?:{_ADVERBS})*)"
    rf"(?P<verb>(?:{_VERBS})*|(?<=[^，,；;。])(?:高|低|快|慢|多|少))(?:了)?(?:约|近|超过|超|逾|达|到)?$)"
)
# Every match of _TAIL_RE that is not empty starts with one of these characters (the first
# characters of the words its parts begin with; ``\n`` for an empty match before a final line
# break): the pattern is tried there only, then at the end (see ``_tail``).
_TAIL_FIRST_RE = re.compile(
    "["
    + re.escape(
        "".join(
            sorted(
                {w[0] for words in (_VERBS, _SHARES, _ADVERBS) for w in words.split("|")}
                | set("同环与和比较相对")  # cmp
                | set("高低快慢多少了约近超逾达到\n")
            )
        )
    )
    + "]"
)
# Words that open a clause without being part of the subject.
_LEAD_RE = re.compile(
    r"^(?:其中|此外|另外|同时|特别是|尤其是|据统计|据初步统计|初步核算|经初步核算|初步统计|"
    r"按可比价格计算|扣除价格因素|总体看|总的看|从全年看|全年|今年|去年|上年|当年|预计|力争|确保|"
    r"全国|全省|全市|全区|全县|全州|全盟|我国|我省|我市|我区|主要预期目标是|预期目标是|目标是|"
    r"就是|还有|并且|而且|以及|和|及|与|是|为|要|将|实现|保持|努力|争取|初步|预期|主要|共|合计|累计|"
    r"提出|确定|安排|把)+"
)
# The territory a clause's lead names (全市地区生产总值 beside 全省地区生产总值 are two indicators).
_AREA_RE = re.compile(r"[全我]([国省市区县州盟])")
# Subjects that name no indicator of their own: a rate of the figure before, a share.
_GENERIC = re.compile(
    r"^(?:增速|增幅|涨幅|降幅|比重|占比|比例|份额|贡献率|拉动|增量|总量|规模|数量|总数|总额|金额|人数|"
    r"其中|分别|均|都|增长|下降|同比|环比|当月|全年|其|这|此|上述|以上|两者|二者)$"
)
_MEASURE_RE = re.compile(
    r"增长|下降|增加|减少|率|总值|收入|总额|投资|产量|就业|指数|涨幅|强度|规模|人数|面积|赤字|总量|增速|增加值|"
    r"产值|利润|支出|余额|存款|贷款|进出口|出口|进口|外资|销售额|营业额|零售|消费|客流|旅客|发送|人次|产能|"
    r"用电量|发电量|吞吐量|货运量|客运量|税收|营收|交易额|成交额|业务量|件|个百分点"
)

# Period marks, read in order. Each is (field, pattern); a value for a coarse field clears
# the finer ones (span > year > month > day).
_SPAN_RE = re.compile(
    r"十[一二三四五六]五”?(?:时期|期间|以来|期末|末)|累计|(?:过去|近|这|最近)[两三四五六七八九十]年(?:来|间|中|里)?|"
    r"[两三四五六七八九十]年(?:来|间|中|里)|"
    r"(?:今年|年初|上半年|下半年|[一二三四]季度|\d{1,2}月|(?:19|20)\d{2}年|近年|多年|入冬|入汛)以来|(?:19|20)\d{2}[—–\-~至到](?:19|20)?\d{2}年"
)
_YEAR_MARK_RE = re.compile(
    r"(?<!比)(?<!较)(?:到|至)?(?:19|20)\d{2}年(?!代)|今年|本年|明年|去年|上年|前年|全年|当年"
)
_MONTH_MARK_RE = re.compile(
    r"1?[—–\-~至到]\d{1,2}月(?:份)?|前\d{1,2}个月|前[一二三四五六七八九十]{1,2}个月|"
    r"\d{1,2}月(?:份)?(?!\d{0,2}日)|当月|本月|[一二三四]季度|第[一二三四]季度|前[两三]季度|前三季度|"
    r"[上下]半年|年末|年底|月末|月底|截至[^，,；;。]{1,10}"
)
_DAY_MARK_RE = re.compile(
    r"假期|春节|国庆|元旦|清明|五一|劳动节|端午|中秋|黄金周|当天|今天|昨天|当日|首日|"
    r"\d{1,2}月\d{1,2}日|\d{1,2}日"
)
# Result marks come first: 完成…目标 and 目标任务较好完成 say a target was met, a result.
_MODE_MARK_RE = re.compile(
    r"(?P<result>实际|完成了|实现了|达到了|过去一年|一年来|好于预期|超过预期|超额完成|"
    r"(?:完成|实现|达到|超过)[^，。；]{0,8}目标|(?:预期)?目标(?:任务)?[^，。；]{0,6}(?:完成|实现))|"
    r"(?P<target>预期目标|主要目标|目标|力争|争取|确保|(?<!于)预期(?!好)|拟)|(?P<forecast>预计)"
)
# Every match of the period and mode marks above holds one of these characters (span: 五 累 年 以;
# year: 年; month: 月 季 年 截; day: 假 节 庆 旦 明 五 午 秋 周 天 日; mode: 实 完 达 年 预 超 目 争
# 确 拟): most clauses have none and are passed over with one search instead of five.
_PERIOD_CHARS_RE = re.compile("[五累年以月季截假节庆旦明午秋周天日实完达预超目争确拟]")
# The characters a match of _MODE_MARK_RE starts with.
_MODE_FIRST_RE = re.compile("[实完达过一好超预目主力争确拟]")
# _MODE_MARK_RE tried only at those characters: the regex engine tests one character class at each
# position instead of every alternative (``finditer`` gives the same matches).
_MODE_SCAN_RE = re.compile(f"(?={_MODE_FIRST_RE.pattern})(?:{_MODE_MARK_RE.pattern})")
# The characters a match of any period or mode mark starts with, kind by kind (a digit: \d);
# tests/test_num.py checks every pattern against it.
_MARK_FIRST = (
    "[十累过近这最一二两三四五六七八九今年上下多入"  # span
    "到至本明去前全当"  # year
    "—–\\-~第月截"  # month
    "假春国元清劳端中黄昨首"  # day
    "实完达好超预目主力争确拟\\d]"  # mode
)
# Each kind of mark, with the characters one of which each of its matches holds (see above).
_PERIOD_FIELDS = (
    ("span", _SPAN_RE, frozenset("五累年以")),
    ("year", _YEAR_MARK_RE, frozenset("年")),
    ("month", _MONTH_MARK_RE, frozenset("月季年截")),
    ("day", _DAY_MARK_RE, frozenset("假节庆旦明五午秋周天日")),
)
# Any period or mode mark at all: one search, true exactly when ``_Period.read`` finds a mark (every
# pattern is an alternative; most texts read hold none).
_ANY_MARK_RE = re.compile(
    f"(?={_MARK_FIRST})(?:"
    + "|".join(rx.pattern for rx in (_SPAN_RE, _YEAR_MARK_RE, _MONTH_MARK_RE, _DAY_MARK_RE, _MODE_MARK_RE))
    + ")"
)
# A mode mark holds one of these characters, or 一年 (过去一年, 一年来): 年 alone is too common.
_MODE_STRONG = frozenset("实完达预超目争确拟")
_MODE_HINT_RE = re.compile("[实完达预超目争确拟]|一年")


def _may_hold_mode(text: str, present: set[str]) -> bool:
    """Can ``text`` (whose period characters are ``present``) hold a mode mark?"""
    return not present.isdisjoint(_MODE_STRONG) or ("年" in present and "一年" in text)


# Figure-free clauses that narrow what follows to a part: a place, a sector, a list's items.
_SCOPE_CLAUSE_RE = re.compile(
    r"^(?:分[\u4e00-\u9fff]{1,4}看|从[\u4e00-\u9fff]{1,8}看|在(?![^，,]*(?:基础|前提|情况|背景|条件))[^，,]{1,14}(?:方面|领域|中|上)|"
    r"[^，,]{1,14}(?:方面|领域|行业|部门|企业|工业|园区|地区)(?:中|里)?|"
    r"[\u4e00-\u9fff]{1,8}(?:省|市|县|区|州|盟|旗|国|地区)(?:范围内)?)$"
)
_PLAN_RE = re.compile(r"十[一二三四五六]五")
# Headings that make their section last year's results or this year's plan.
_RESULT_HEAD = re.compile(r"回顾|过去一年|一年来|过去五年")
_PLAN_HEAD = re.compile(r"安排|任务|部署|总体要求|目标|建议|重点工作|政策取向|计划")
_OPEN_CLOSE = {"（": "）", "(": ")", "“": "”", "《": "》", "‘": "’", "【": "】"}
_CLAUSE_SIGNS_RE = re.compile(
    "[" + re.escape("".join(_OPEN_CLOSE) + "".join(_OPEN_CLOSE.values()) + _CLAUSE_MARKS) + "]"
)
# _LEAD_RE is a run of literal words: a clause it matches starts with one's first character.
_LEAD_FIRST = frozenset(w[0] for w in _LEAD_RE.pattern[len("^(?:") : -len(")+")].split("|"))
_MEASURED_KINDS = (PERCENT, POINTS, CARDINAL, RANGE, MULTIPLE)
_NOT_MEASURED_UNITS = frozenset(
    ("年", "个月", "月", "日", "天", "小时", "分钟", "周", "岁", "周年", "届", "次", "位", "点", "大", "个")
)


@fast_init
@dataclass(frozen=True, slots=True)
class Claim:
    """One figure and what it claims to measure."""

    subject: str
    cmp: str  # "" (none), "yoy", or the comparison as written
    direction: str  # "+", "-", "="
    number: Number
    start: int  # where the subject starts in doc.text
    para: int
    section: int
    period: tuple[str, str, str, str, str]  # span, year, month, day, mode
    scope: tuple[str, ...]
    restated: bool = False  # its paragraph opens by stating the period anew (a parallel block)
    topic: str = ""  # a clause of its sentence, without figures, that introduces it (山东省…，)
    of: str = ""  # what the subject belongs to, when it names only a measure (30年期…，利率为…)
    own_mode: str = ""  # target/result as its own sentence or its section's heading says
    area: str = ""  # the territory its clause opens with: 全国/我国 国, 全省/我省 省, 全市 市 …

    @property
    def key(self) -> tuple[str, str, str, str, str, str]:
        return self.of, self.subject, self.cmp, self.direction, self.number.unit, self.number.kind


class _Period:
    """The period in force, updated mark by mark."""

    FIELDS = ("span", "year", "month", "day", "mode")

    def __init__(self) -> None:
        self.v = dict.fromkeys(self.FIELDS, "")
        self.marks = 0  # how many month or day marks were read, to tell a part of the year stated anew

    def reset(self) -> None:
        self.v = dict.fromkeys(self.FIELDS, "")

    def read(self, text: str) -> None:
        """Take the period marks of ``text`` (comparisons already blanked) in order."""
        if not _ANY_MARK_RE.search(text):
            return  # (most texts: no mark; one search instead of one per kind of mark)
        present = set(_PERIOD_CHARS_RE.findall(text))
        marks = []
        for field, rx, chars in _PERIOD_FIELDS:
            if not present.isdisjoint(chars):
                marks += [(m.start(), field, m.group(0)) for m in rx.finditer(text)]
        if _may_hold_mode(text, present):
            for m in _MODE_SCAN_RE.finditer(text):
                marks.append((m.start(), "mode", m.lastgroup or ""))
        marks.sort()
        for _, field, value in marks:
            self.set(field, value)

    def set(self, field: str, value: str) -> None:
        if field == "span":
            # Spans of years compare by the plan they name (“十四五”时期); 五年来, 这五年, 累计,
            # 近三年 all say "several years" and are told apart by nothing else.
            plan = _PLAN_RE.search(value)
            value = plan.group(0) if plan else "years"
        if field == "mode":
            self.v["mode"] = value
            return
        order = self.FIELDS[:4]
        k = order.index(field)
        if field == "year" and value in ("全年", "当年"):
            # The year in force, as a whole: not a period stated anew.
            self.v["month"] = self.v["day"] = ""
            # (with no year in force it names none: 全年 of the period the section is about)
            return
        if field == "month" and value in ("当月", "本月"):
            return  # the month already in force
        if field in ("month", "day"):
            self.marks += 1  # a part of the year stated anew (今年前三季度，…)
        self.v[field] = value
        for f in order[k + 1 :]:
            self.v[f] = ""
        if field == "span":
            self.v["year"] = ""

    def snapshot(self) -> tuple[str, str, str, str, str]:
        return tuple(self.v[f] for f in self.FIELDS)  # type: ignore[return-value]


# A comment on a figure (是改革开放以来最多的一年, 创历史新高): its time words set no period.
_COMMENT_RE = re.compile(r"最|首次|新高|新低|之最|前所未有|居.{0,6}首位|位居|排名")


def _period_only(clause: str) -> bool:
    """A clause of period marks only (2024年, 1—5月份, 今年以来): not a scope."""
    rest = clause
    present = set(_PERIOD_CHARS_RE.findall(clause))
    if present:
        for _, rx, chars in _PERIOD_FIELDS:
            if not present.isdisjoint(chars):  # (removing marks adds no character)
                rest = rx.sub("", rest)
        if _MODE_HINT_RE.search(rest):  # (the marks removed may have joined 一 and 年)
            rest = _MODE_MARK_RE.sub("", rest)
    return len(rest.strip("　 的在")) <= 1


def _intro(clause: str, mark: str) -> bool:
    """A clause that introduces what follows without narrowing it: 据统计, 主要预期目标是：."""
    return bool(
        mark in "：:"
        or clause.endswith(("是", "为", "如下", "包括", "有"))
        or (clause[:1] in _LEAD_FIRST and _LEAD_RE.fullmatch(clause))
        or (_MODE_HINT_RE.search(clause) and _MODE_MARK_RE.search(clause))
    )


def _read_span(period: _Period, text: str, start: int, end: int) -> None:
    """``period.read`` of text[start:end] with its comparisons blanked; nothing to do (and
    nothing to blank) when the span holds no character of a mark (blanking adds none)."""
    if _PERIOD_CHARS_RE.search(text, start, end):
        period.read(_blank(text[start:end], _CMP_RE))


def _blank(text: str, rx: re.Pattern[str]) -> str:
    if rx is _CMP_RE and "比" not in text and "较" not in text:
        return text  # every comparison holds 比 or 较
    return rx.sub(lambda m: "　" * len(m.group(0)), text)


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans of text[start:end], split at ，；： outside brackets and quotes."""
    out = []
    s = start
    stack: list[str] = []
    for m in _CLAUSE_SIGNS_RE.finditer(text, start, end):  # the only characters that count
        i = m.start()
        c = text[i]
        if c in _OPEN_CLOSE:
            if len(stack) < 8:
                stack.append(_OPEN_CLOSE[c])
        elif stack and c == stack[-1]:
            stack.pop()
        elif not stack and c in _CLAUSE_MARKS:
            out.append((s, i))
            s = i + 1
    out.append((s, end))
    return out


def _section_starts(doc: Document) -> list[int]:
    """Paragraph indexes that start a section: headings and news items' titles."""
    return [p.index for p in doc.paragraphs if is_title(p)]


def claims(doc: Document) -> list[Claim]:
    return cached(doc, "num003-claims", _build_claims)


def _build_claims(doc: Document) -> list[Claim]:
    text = normalized_text(doc)
    nums = [
        n for n in doc.numbers if n.kind in _MEASURED_KINDS and n.unit and n.unit not in _NOT_MEASURED_UNITS
    ]
    out: list[Claim] = []
    period = _Period()
    section = 0
    heading_paras = set(_section_starts(doc))
    last_para_subject: dict[int, str] = {}
    k = 0
    para = -1
    para_marks = 0
    first_clause = opens = False
    seen_in_section: set[str] = set()
    head_mode = ""  # what the section's heading says: target or result
    for sent in doc.sentences:
        if sent.paragraph != para:
            para = sent.paragraph
            para_marks = period.marks
            first_clause = True  # the paragraph's opening clause is still to come
            opens = False  # the paragraph opens by stating its period (今年前三季度，…)
            if para in heading_paras:
                section += 1
                period.reset()
                seen_in_section: set[str] = set()  # subjects claimed in the section so far
                # A heading's own marks (2025年工作回顾, 主要预期目标) frame its section.
                head = text[sent.start : sent.end]
                period.read(_blank(head, _CMP_RE))
                head_mode = ""
                if _RESULT_HEAD.search(head):
                    head_mode = "result"
                elif _PLAN_HEAD.search(head):
                    head_mode = "target"
                if head_mode:
                    period.set("mode", head_mode)
        while k < len(nums) and nums[k].start < sent.start:
            k += 1
        last_subject: tuple[str, int] | None = None
        topic = ""  # the last subject named in the sentence
        sent_topic = ""  # the last clause of the sentence without figures
        last_in_para = last_para_subject.get(para)
        scope: list[str] = []
        whole: str | None = None  # after 其中: the subject of the whole the parts belong to
        # A sentence marked only as a target or only as a result is so throughout, whether the
        # mark comes before its figures or after them (…增长6%，主要指标好于预期).
        modes = (
            {m.lastgroup for m in _MODE_SCAN_RE.finditer(_blank(sent.text, _CMP_RE))}
            if _MODE_HINT_RE.search(sent.text)
            else set()
        )
        own_mode = head_mode
        if len(modes) == 1:
            own_mode = modes.pop() or ""
            period.set("mode", own_mode)
        elif head_mode:
            period.set("mode", head_mode)  # an unmarked sentence is what its section is about
        if k >= len(nums) or nums[k].start >= sent.end:
            # No figure in the sentence: what its clauses name stays in the sentence, so only
            # the period they state (and whether the paragraph opens with one) carries on.
            if _PERIOD_CHARS_RE.search(text, sent.start, sent.end):
                for cs, ce in _clauses(text, sent.start, sent.end):
                    # (``_read_span`` of the clauses that hold a mark's character and no comment)
                    if _PERIOD_CHARS_RE.search(text, cs, ce) and not _COMMENT_RE.search(
                        text[cs:ce].strip(" \u3000。；;！!？?")
                    ):
                        period.read(_blank(text[cs:ce], _CMP_RE))
                    if first_clause:
                        opens = period.marks > para_marks
                        first_clause = False
            elif first_clause:
                opens = period.marks > para_marks
                first_clause = False
            continue
        for cs, ce in _clauses(text, sent.start, sent.end):
            figs = []
            while k < len(nums) and nums[k].start < ce:
                if nums[k].start >= cs:
                    figs.append(nums[k])
                k += 1
            clause = text[cs:ce].strip(" \u3000。；;！!？?")
            if not figs and not _COMMENT_RE.search(clause):
                _read_span(period, text, cs, ce)
            if first_clause:
                if figs:
                    _read_span(period, text, cs, figs[0].start)
                opens = period.marks > para_marks
                first_clause = False
            if clause.startswith("其中"):
                whole = last_subject[0] if last_subject else last_in_para
            if not figs:
                if clause and clause != "其中" and not _period_only(clause):
                    last_subject = None  # a clause of its own names what follows, not the figure before
                    if not _intro(clause, text[ce : ce + 1]):
                        sent_topic = clause
                    if whole is not None or _SCOPE_CLAUSE_RE.match(clause):
                        scope.append(clause)
                continue
            if "分别" in clause:
                last_subject = None
                continue
            pos = cs
            for i, n in enumerate(figs):
                _read_span(period, text, pos, n.start)
                claim, named = _claim(text, pos, n, last_subject, topic, para, section, period, scope, i > 0)
                pos = n.end
                if named is not None:
                    # What the clause names carries to the clauses after it (…达5.2亿人次、增长13.2%),
                    # whether or not its own figure made a claim.
                    last_subject = (named, n.start)
                    topic = named
                elif claim is None:
                    last_subject = None
                if claim is None:
                    continue
                changes: dict = {}  # (one copy of the claim for all of them)
                if whole is not None and claim.subject != whole and claim.subject not in seen_in_section:
                    changes["scope"] = (*claim.scope, f"其中:{whole}")
                if opens:
                    changes["restated"] = True
                if sent_topic:
                    changes["topic"] = sent_topic
                if own_mode:
                    changes["own_mode"] = own_mode
                if changes:
                    claim = replace(claim, **changes)
                out.append(claim)
                last_para_subject[para] = claim.subject
                seen_in_section.add(claim.subject)
    return out


def _subject_position(text: str, n: Number) -> bool:
    """A figure that a noun or verb follows (13人失踪, 80%的新建枢纽, 6万亿元台阶): not a value."""
    after = text[n.end : n.end + 1]
    if _TARGET_AFTER_RE.match(text, n.end):
        return False  # 增长8%左右的预期目标: the figure of a target
    return bool(after) and (after == "的" or "\u4e00" <= after <= "\u9fff")


_TARGET_AFTER_RE = re.compile(r"的(?:预期|主要)?目标")


def _claim(
    text: str,
    pos: int,
    n: Number,
    last_subject: tuple[str, int] | None,
    topic: str,
    para: int,
    section: int,
    period: _Period,
    scope: list[str],
    follows_figure: bool,
) -> tuple[Claim | None, str | None]:
    """The claim a figure makes, and the subject its clause names (None when elided)."""
    pre = text[pos : n.start]
    while pre and pre[0] in " \u3000，,；;：:。、":
        pre = pre[1:]
        pos += 1
    m = _tail(pre)
    tail = m.group(0) if m else ""
    subject = pre[: len(pre) - len(tail)]
    lead = _LEAD_RE.match(subject)
    area_m = _AREA_RE.search(lead.group()) if lead else None
    subject = _SUBJECT_TIME_RE.sub("", subject[lead.end() if lead else 0 :])
    bare = 0 < _han_len(subject) <= 5  # 利率, 完成投资, 出入境旅客: a measure of something named before
    written = len(subject)
    subject = _normalize_subject(subject)
    named = subject or None
    if _subject_position(text, n):
        return None, named
    if follows_figure and pre[:1] in ("和", "与", "及", "或", "至", "到", ""):
        return None, None  # 3.646%和3.787%: a list of values
    if pre.endswith(("由", "从", "的")) or _TO_RE.search(pre):
        return None, named  # 由20.5%提升至21.1%, 总销量的50%: a change or a share, not a level
    cmp = (m.group("cmp") or m.group("share") or "") if m else ""
    verb = (m.group("verb") or "") if m else ""
    start = pos + len(pre) - len(tail) - written
    if not subject:
        if last_subject is None:
            return None, None
        subject = last_subject[0]
        start = pos
    if _GENERIC.match(subject) or _han_len(subject) < 2:
        return None, named
    if any(c.isdigit() for c in subject) or len(subject) > 30:
        return None, named
    if not _MEASURE_RE.search(subject + verb) and n.kind not in (PERCENT, POINTS):
        return None, named
    direction = "+" if _RISE.search(verb) else ("-" if _FALL.search(verb) else "=")
    if direction == "=" and _GROWTH_TARGET.fullmatch(subject):
        subject, direction = "生产总值", "+"  # 经济增长预期目标为6%左右
    cmp_key = "yoy" if not cmp or _YOY.match(cmp) else cmp
    if not cmp and direction == "=":
        cmp_key = ""
    for word in _RATE_WORDS.findall(pre):
        cmp_key += word  # 实际增长, 日均发送旅客, 年均增长: another measure
    of = ""
    if bare and topic and topic != subject:
        of = topic  # 30年期710亿元，利率为1.88%: the rate of what was named
    claim = Claim(
        subject,
        cmp_key,
        direction,
        n,
        start,
        para,
        section,
        period.snapshot(),
        tuple(scope),
        of=of,
        area=area_m.group(1) if area_m else "",
    )
    return claim, named


def _tail(pre: str) -> re.Match[str] | None:
    """``_TAIL_RE.search(pre)``, tried only where a match can start: at the characters of
    ``_TAIL_FIRST_RE`` in order, then at the end (the search tries every position)."""
    search, match = _TAIL_FIRST_RE.search, _TAIL_RE.match
    pos = 0
    while True:
        d = search(pre, pos)
        if d is None:
            return match(pre, len(pre))
        m = match(pre, d.start())
        if m is not None:
            return m
        pos = d.start() + 1


def _han_len(s: str) -> int:
    """How many characters of ``s`` are in U+4E00..U+9FFF."""
    return len(HAN_CHAR_RE.findall(s))


_RATE_WORDS = re.compile(r"实际|名义|年均|平均每年|每年|日均|平均每天|每天|单日|月均")
# A change to a new level (增加到, 提升至, 下调至), not 达到.
_TO_RE = re.compile(r"(?<!达)[到至]$")
_SUBJECT_TIME_RE = re.compile(
    rf"^(?:(?:{_SPAN_RE.pattern}|{_YEAR_MARK_RE.pattern}|{_MONTH_MARK_RE.pattern}|{_DAY_MARK_RE.pattern}|"
    r"首次|同期|的|{_RATE_WORDS.pattern})[，,]?)+"
)
_GROWTH_TARGET = re.compile(r"经济(?:增长|增速|增长速度)(?:的)?(?:预期)?(?:目标)?(?:定为|确定为)?")
_SYNONYMS = ((re.compile(r"(?:地区|国内)生产总值|GDP"), "生产总值"),)


def _normalize_subject(subject: str) -> str:
    for rx, repl in _SYNONYMS:
        subject = rx.sub(repl, subject)
    return subject
