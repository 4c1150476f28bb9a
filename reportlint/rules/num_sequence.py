from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from reportlint.document import Document
from reportlint.finding import Finding, Msg, Severity
from reportlint.numbers import RUNIN_STYLES
from reportlint.registry import Rule
from reportlint.rules._num import Item, is_title, item_title_span, items

_CN = "零一二三四五六七八九十"


_CHAPTER_UNIT_RE = re.compile(r"(?:章|部分|篇|节)$")


def cn_label(style: str, value: int, unit: str = "部分") -> str:
    """How item ``value`` of ``style`` is written: cn-paren 3 → （三）; chapter 3 → 第三部分, or
    第三章 with ``unit`` 章."""
    if style in ("ar-dot", "ar-paren", "ar-half"):
        n = str(value)
    elif style == "circled":
        return chr(ord("①") + value - 1) if 1 <= value <= 20 else str(value)
    else:
        n = _cn(value)
    return {
        "chapter": f"第{n}{unit}",
        "cn-dun": f"{n}、",
        "cn-paren": f"（{n}）",
        "ar-dot": f"{n}.",
        "ar-paren": f"（{n}）",
        "ar-half": f"{n}）",
        "shi": f"{n}是",
        "yao": f"{n}要",
        "di": f"第{n}，",
        "qi": f"其{n}",
    }[style]


def _cn(v: int) -> str:
    if v <= 10:
        return _CN[v]
    if v < 20:
        return "十" + (_CN[v - 10] if v > 10 else "")
    if v < 100:
        return _CN[v // 10] + "十" + (_CN[v % 10] if v % 10 else "")
    return str(v)


@dataclass
class _Level:
    style: str
    last: int
    item: Item


@dataclass(frozen=True, slots=True)
class SequenceBreak:
    kind: str  # skip, repeat, backwards, first
    item: Item
    previous: Item | None
    expected: int


def sequence_breaks(doc: Document) -> list[SequenceBreak]:
    """Where a numbering sequence skips, repeats or goes backwards, nesting considered.

    Headings (``一、`` ``（一）`` ``1.`` ``（1）`` at a paragraph's start) form one stack of
    levels; a level continues when an item follows its last one (``（四）`` after ``（三）``),
    which closes the levels opened inside it. An item ``1`` opens a new level (so a new
    ``二、`` restarts ``（一）``, and a list may nest inside an item of its own style).
    Run-in items (``一是`` ``第一，`` ``其一``) form a second stack that each heading resets;
    markers such as ``（1）`` inside a paragraph form a third, per paragraph. A level may start
    mid-sequence (a fragment that begins at ``（三）``).
    """
    out: list[SequenceBreak] = []
    headings: list[_Level] = []
    runin: list[_Level] = []
    inline: list[_Level] = []
    inline_para = -1
    last_heading: Item | None = None
    # The last value of each heading style whose level a higher heading closed, and the styles
    # that the document restarts at one under a new heading: （1）（2）（3） under 一、 and
    # （4） under 二、 is numbering that runs through the sections (as a 决定 or 建议 numbers
    # its paragraphs), unless the document elsewhere restarts that style under each heading.
    closed: dict[str, int] = {}
    restarts: set[str] = set()
    deferred: list[SequenceBreak] = []  # run-on starts, slips if the style restarts anywhere
    # Title lines without a number (a news item's title) end the run-in lists before them.
    titles = [0]
    for p in doc.paragraphs:
        titles.append(titles[-1] + (is_title(p) and not p.is_numbered_heading))
    last_para = -1
    for it in items(doc):
        if last_para >= 0 and titles[it.para] > titles[last_para + 1]:
            runin.clear()
        last_para = it.para
        if it.is_heading:
            runin.clear()
            brk = _place(headings, it, last_heading, closed, restarts, deferred)
            last_heading = it
        elif it.style in RUNIN_STYLES:
            if runin and it.value > max(lv.last for lv in runin) + 3:
                continue  # 十九是 (most likely): a word, not a far-off item
            if it.value == 2 and runin and all(lv.style != it.style or lv.last > 2 for lv in runin):
                runin.clear()  # …七是… then 二是: a new list whose first point was put another way
            brk = _place(runin, it, None)
        else:
            if it.para != inline_para:
                inline.clear()
                inline_para = it.para
            brk = _place(inline, it, None)
        if brk is not None:
            out.append(brk)
    out.extend(b for b in deferred if b.item.style in restarts)
    out.sort(key=lambda b: b.item.para)
    # Several gaps in one style are an excerpt (（4）（7）（11）… of a long document quoted
    # in part), not items lost in editing: a real slip leaves one gap.
    gaps = Counter(b.item.style for b in out if b.kind in ("skip", "first"))
    return [b for b in out if not (b.kind in ("skip", "first") and gaps[b.item.style] >= 3)]


# Levels kept open at once. Real documents nest four or five deep; a cap keeps each item's
# work constant on hostile input (（一） on every line opens a level each time).
MAX_DEPTH = 10


def _close(stack: list[_Level], k: int, closed: dict[str, int] | None) -> None:
    """Drop the levels above ``stack[k - 1]``, noting where each one ended."""
    if closed is not None:
        for lv in stack[k:]:
            closed[lv.style] = lv.last
    del stack[k:]


def _place(
    stack: list[_Level],
    it: Item,
    last_heading: Item | None,
    closed: dict[str, int] | None = None,
    restarts: set[str] | None = None,
    deferred: list[SequenceBreak] | None = None,
) -> SequenceBreak | None:
    v = it.value
    for i in range(len(stack) - 1, -1, -1):
        lv = stack[i]
        if lv.style == it.style and v == lv.last + 1:
            _close(stack, i + 1, closed)
            lv.last, lv.item = v, it
            return None
    same = [lv for lv in stack if lv.style == it.style]
    if v == 1 or not same:
        stack.append(_Level(it.style, v, it))
        if len(stack) > MAX_DEPTH:
            del stack[0]
        runs_on = False
        if closed is not None and restarts is not None and it.style in closed:
            if v == 1:
                restarts.add(it.style)
            else:
                runs_on = closed[it.style] == v - 1  # numbering that may run on through the sections
        if (
            v != 1
            and last_heading is not None
            and stack[:-1]
            and stack[-2].item is last_heading
            and last_heading.rank < it.rank
            and last_heading.para < it.para
        ):
            # 二、 directly followed by （二）: the first item under a heading is missing.
            brk = SequenceBreak("first", it, last_heading, 1)
            if runs_on and deferred is not None:
                deferred.append(brk)  # judged at the end: a slip only if the style restarts anywhere
                return None
            return brk
        return None
    lv = same[-1]
    kind = "repeat" if v == lv.last else ("skip" if v > lv.last + 1 else "backwards")
    brk = SequenceBreak(kind, it, lv.item, lv.last + 1)
    k = stack.index(lv)
    _close(stack, k + 1, closed)
    lv.last, lv.item = v, it
    return brk


class NumberingSequence(Rule):
    """A numbering sequence skips, repeats or goes backwards (（一）（二）（四）).

    ## What it does
    Follows every numbering sequence: headings at each level (`一、` `（一）` `1.` `（1）` `①`)
    and run-in enumerations (`一是…二是…`, `第一，…第二，…`, `其一…`), taking nesting into
    account: a new `二、` restarts the `（一）` level, run-in items restart under each heading,
    and a list may nest inside an item. It reports an item that skips a number, repeats the
    previous one or goes backwards, pointing at the item before it.

    ## Why is this bad?
    A missing or doubled number is the trace of a section deleted, moved or pasted twice,
    and readers who cite "the fourth point" cannot find it.

    ## Not reported
    A document that begins mid-sequence (a newspaper page continued from another starts at
    `（三）`); a run-in list that begins at `二是` (the first point was put another way);
    a list that restarts at one; numbering that runs on through the sections (`（1）`–`（3）`
    under `一、`, `（4）` under `二、`, as a 决定 or 建议 numbers its paragraphs) unless the
    document restarts that style under its other headings; a style with three or more gaps (an
    excerpt quoting items `（4）（7）（11）` of a longer document); run-in items across a news
    item's title line.

    ## Example
    `（一）扩大有效投资。…` / `（二）促进城市提质升级。…` / `（四）发展社会事业。…`:
    `（四）` follows `（二）`; `（三）` is missing.
    """

    code = "NUM002"
    name = "numbering-sequence"
    severity = Severity.ERROR

    def check(self, doc: Document) -> Iterator[Finding]:
        for b in sequence_breaks(doc):
            it = b.item
            unit = _CHAPTER_UNIT_RE.search(doc.text, it.start, it.end)
            label = partial(cn_label, unit=unit.group() if unit else "部分")
            got = label(it.style, it.value)
            want = label(it.style, b.expected)
            rel = []
            if b.previous is not None:
                s, e = item_title_span(doc, b.previous)
                rel.append((doc.span(s, e), Msg("前一项", "the item before")))
            if b.kind == "first":
                zh = f"编号从{got}开始，缺少{want}"
                en = f"numbering starts at {got}; {want} is missing"
                sev = Severity.WARNING
            elif b.kind == "skip":
                prev = label(it.style, b.expected - 1)
                zh = f"编号跳号：{prev}之后是{got}，缺少{want}"
                en = f"numbering skips: {got} follows {prev}; expected {want}"
                sev = None
            elif b.kind == "repeat":
                zh = f"编号重复：{got}出现两次"
                en = f"numbering repeats {got}"
                sev = None
            else:
                prev = label(it.style, b.expected - 1)
                zh = f"编号倒退：{prev}之后是{got}，应为{want}"
                en = f"numbering goes backwards: {got} follows {prev}; expected {want}"
                sev = None
            yield self.finding(doc, it.start, it.end, zh=zh, en=en, related=rel, severity=sev)
