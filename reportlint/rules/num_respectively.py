from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from reportlint.document import Document
from reportlint.finding import Finding, Msg, Severity
from reportlint.numbers import DATE, YEAR, Number
from reportlint.registry import Rule
from reportlint.rules._num import CLAUSE_LIMIT, cached, clause_start

_SENT_END = "。；;！!？?，,"
_BRACKETS = re.compile(r"（[^（）]*）|\([^()]*\)|“[^“”]*”|《[^《》]*》")
_CONJ_RE = re.compile(r"以及|和|及|与|同")
_JOIN = "、和及与"
_AMOUNT_RE = re.compile(r"\d+(?:\.\d+)?[个家项座所条万亿年月%]")


def _subjects(text: str, at: int, floor: int) -> list[tuple[int, int]] | None:
    """The 、-separated subjects before 分别 at ``at`` (back to the clause start)."""
    start = clause_start(text, at, floor)
    if start == at - CLAUSE_LIMIT:
        return None  # no clause boundary in reach: not a list of subjects
    seg = text[start:at]
    masked = _BRACKETS.sub(lambda m: "　" * len(m.group(0)), seg)
    if "等" in masked:
        return None
    if "、" not in masked:
        # Two subjects joined by one 和/与/及: 城镇和农村居民收入.
        conj = list(re.finditer(r"和|与|及", masked))
        if len(conj) != 1 or "以及" in masked:
            return None
        c = conj[0].start()
        if c < 1 or c + 1 >= len(masked):
            return None
        return [(start, start + c), (start + c + 1, at)]
    parts, s = [], start
    for part in masked.split("、"):
        parts.append((s, s + len(part)))
        s += len(part) + 1
    if any(b - a < 1 for a, b in parts):
        return None
    if _AMOUNT_RE.search(masked):
        return None  # 全国50个步行街、商圈客流量、营业额: an amount among the subjects, their start unclear
    return parts


def _values(doc: Document, nums: list[Number], starts: list[int], at: int, limit: int) -> list[Number]:
    """The run of numbers after 分别: 增长5.2%、6.1%和4.8%."""
    text = doc.text
    k = bisect.bisect_left(starts, at)
    out: list[Number] = []
    while k < len(nums) and nums[k].start < limit:
        n = nums[k]
        k += 1
        if n.kind in (YEAR, DATE):
            if out:
                break
            continue
        if not out:
            gap = text[at : n.start]
            if any(c in _SENT_END for c in gap) or len(gap) > 14:
                break
            out.append(n)
            continue
        gap = text[out[-1].end : n.start]
        if not gap or gap[0] not in _JOIN or len(gap) > 4 or any(c in _SENT_END for c in gap):
            break
        out.append(n)
    return out


def _parallel_pair(item: str) -> bool:
    """An item of two subjects joined by one 和/与/及 that end in the same head word of two
    characters or more (棉花产量和油料产量, 出口额和进口额): two subjects for certain, where
    科学研究和技术服务业 or 电动机及发电机 (one trade category) may be one term."""
    sides = _CONJ_RE.split(item)
    return len(sides) == 2 and all(len(x) >= 3 for x in sides) and sides[0][-2:] == sides[1][-2:]


class RespectivelyMismatch(Rule):
    """A 分别 sentence pairs a different number of subjects and values.

    ## What it does
    Finds `A、B…分别…x、y…` (the subjects listed with `、`, `和`, `及`, the values after
    `分别`) and compares how many there are: `粮食、油料、蔬菜产量分别增长2%、3%` has three
    subjects and two values.

    ## Why is this bad?
    `分别` promises one value per subject, in order. A missing or extra value means a figure
    was dropped or added in editing, and every value after it is attached to the wrong subject.

    ## Not reported
    Subjects not listed explicitly (`城乡居民收入分别增长…`, `两地分别…`), lists closed by
    `等`, a single value after `分别`, and counts that agree when `和` joins the last two
    subjects (`A、B和C分别…x、y、z`); subjects with an amount among them (`全国50个步行街、
    商圈客流量、营业额`); more values than subjects when the subjects may be listed across a
    comma (`服务业，科学研究和技术服务业，租赁和商务服务业营收分别…`).

    ## Example
    `PM2.5、PM10年均浓度分别优于省定目标1微克、11微克` is right (two and two);
    `PM2.5、PM10、臭氧浓度分别下降5%、8%` has three subjects and two values, and so has
    `粮食产量、棉花产量和油料产量分别达到…、…` (和 joins two items that end in one head word).
    """

    code = "NUM004"
    name = "respectively-mismatch"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Finding]:
        text = doc.text
        nums = doc.numbers
        starts = cached(doc, "num-starts", lambda d: [n.start for n in d.numbers])
        for p in doc.paragraphs:
            pos = p.text.find("分别")
            while pos >= 0:
                at = p.start + pos
                pos = p.text.find("分别", pos + 2)
                subj = _subjects(text, at, p.start)
                if subj is None:
                    continue
                # The values follow within the sentence (looked for within a bounded reach).
                end = min(p.end, at + CLAUSE_LIMIT)
                for c in "。；;！!？?":
                    j = text.find(c, at, end)
                    if j >= 0:
                        end = j
                vals = _values(doc, nums, starts, at + 2, end)
                if len(vals) < 2:
                    continue
                if "等" in text[vals[-1].end : vals[-1].end + 2]:
                    continue
                joins = sum(1 for a, b in subj if _CONJ_RE.search(text[a:b]))
                lo = len(subj) + sum(_parallel_pair(text[a:b]) for a, b in subj)
                hi = len(subj) + joins
                if "、" not in text[subj[0][0] : subj[-1][1]]:
                    hi = lo
                if lo <= len(vals) <= hi:
                    continue
                s0 = subj[0][0]
                joined = "、" not in text[s0 : subj[-1][1]] or hi > lo
                if len(vals) > hi and joined and s0 > p.start and text[s0 - 1] in "，,":
                    # 服务业，科学研究和技术服务业，租赁和商务服务业营收分别增长…: terms with 和 in
                    # them may be listed across commas; more values than subjects is then no evidence.
                    continue
                rel = [(doc.span(a, b), Msg(f"主语{k}", f"subject {k}")) for k, (a, b) in enumerate(subj, 1)]
                rel += [
                    (doc.span(v.start, v.end), Msg(f"数值{k}", f"value {k}")) for k, v in enumerate(vals, 1)
                ]
                yield self.finding(
                    doc,
                    at,
                    at + 2,
                    zh=f"“分别”前列出{lo}项，后面却有{len(vals)}个数值",
                    en=f"'分别' (respectively) pairs {lo} subjects with {len(vals)} values",
                    related=rel,
                )
