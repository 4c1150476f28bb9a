"""Shared recognisers for print and copy-paste debris (used by the LAYOUT rules)."""

from __future__ import annotations

import re
from functools import cache

from reportlint.document import HAN_CLASS, HAN_RE, PARAGRAPH_END, Document, Paragraph
from reportlint.rules._common import CLOSING, PAIRS

NUM = "0-9０-９一二三四五六七八九十百零〇A-Za-z"
CONTINUATION_RE = re.compile(
    f"[（(]\\s*(?:上接|下转|紧接|接|转|续|转至|接上)\\s*"
    f"(?:第?\\s*[{NUM}]{{1,4}}\\s*(?:版|页|面)|上页|下页|上版|前版)[^（()）\\n]{{0,8}}[）)]"
    f"|^(?:上接|下转|紧接|转|续)\\s*第?\\s*[{NUM}]{{1,4}}\\s*(?:版|页)$"
)

# Newspaper section names that appear as running page headers.
SECTION_WORDS = frozenset(
    [
        "要闻",
        "综合",
        "综合新闻",
        "时政",
        "时政要闻",
        "本地",
        "本地新闻",
        "国内",
        "国内新闻",
        "国际",
        "国际新闻",
        "经济",
        "财经",
        "评论",
        "理论",
        "专版",
        "特刊",
        "副刊",
        "社会",
        "文化",
        "体育",
        "民生",
        "聚焦",
        "视点",
        "今日关注",
        "两会",
        "两会特刊",
        "两会专版",
        "政务",
        "地方",
        "新闻",
        "观察",
        "专题",
        "综述",
        "城事",
        "区县",
        "县域",
        "法治",
        "科教",
        "文体",
        "生态",
        "农村",
        "三农",
        "党建",
        "头版",
    ]
)
_LETTER_SPACED_RE = re.compile(f"^[{HAN_CLASS}](?:[ \u3000]+[{HAN_CLASS}]){{1,5}}$")
_FURNITURE_RE = re.compile(
    r"^(?:第?\s*[0-9０-９A-Z]{1,3}\s*版"
    r"|[（(]?第?[一二三四五六七八九十0-9]{1,3}版[）)]?"
    r"|(?:本版|责任|版面)?(?:编辑|责编|校对|美编|版式|制图|组版)\s*[：:]\s*\S{1,12}"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期|周)[一二三四五六日天]"
    r"|(?:星期|周)[一二三四五六日天]\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)$"
)

# Characters that begin no sentence: closing marks and bound particles.
NON_INITIAL = set("，。、；：？！”’）》」』】〕…%") | set("的地得之了着过们吗呢吧啊么")
OPENERS = "“‘（《〈【〔「『(["
SENTENCE_INNER = "。！？；"
FORMULAS = frozenset({"谢谢", "谢谢大家", "特此报告", "以上报告", "请审议", "此致", "敬礼", "完", "全文完"})
BYLINE_RE = re.compile(r"(?:记者|通讯员|摄影|编辑)[^，。；！？]{0,12}$")
UNITS = set("万亿千百元个%％年月日号倍米吨辆户人家项次分秒")


def header_kind(p: Paragraph) -> str | None:
    """'spaced', 'furniture' or 'section' when a paragraph looks like a running page header."""
    t = p.text
    if len(t) > 24:
        return None
    if _LETTER_SPACED_RE.match(t):
        return "spaced"
    if _FURNITURE_RE.match(t):
        return "furniture"
    bare = re.sub(r"[\s·•]", "", t)
    if bare in SECTION_WORDS:
        return "section"
    return None


def is_continuation_line(p: Paragraph) -> bool:
    m = CONTINUATION_RE.search(p.text)
    return bool(m) and len(p.text) - (m.end() - m.start()) <= 1


def is_debris(p: Paragraph) -> bool:
    return header_kind(p) is not None or is_continuation_line(p)


def is_prose(p: Paragraph) -> bool:
    return any(c in p.text for c in "，。；！？")


def ends_open(p: Paragraph) -> bool:
    """The paragraph stops without closing punctuation."""
    t = p.text.rstrip("*_# \u3000")
    return bool(t) and t[-1] not in PARAGRAPH_END


def unclosed_opener(text: str) -> bool:
    depth: dict[str, int] = {}
    for c in text:
        if c in PAIRS:
            depth[c] = depth.get(c, 0) + 1
        elif c in CLOSING and depth.get(CLOSING[c], 0) > 0:
            depth[CLOSING[c]] -= 1
    return any(v > 0 for v in depth.values())


def next_body(doc: Document, k: int) -> tuple[Paragraph | None, list[Paragraph]]:
    """The next paragraph after index k that is not debris, and the debris skipped."""
    skipped = []
    for q in doc.paragraphs[k + 1 : k + 4]:
        if is_debris(q):
            skipped.append(q)
            continue
        return q, skipped
    return None, skipped


@cache
def _break_evidence_cached(ptext: str, qtext: str, p_heading: bool, q_heading: bool) -> str | None:
    last, first = ptext[-1], qtext[0]
    if q_heading or (len(qtext) <= 8 and qtext[-1] in "：:！!"):
        return None  # a heading, or a salutation such as 各位代表：
    if BYLINE_RE.search(ptext):
        return None
    if first in NON_INITIAL:
        return "q-start"
    if last in "，、" or last in OPENERS:
        return "p-end"
    if unclosed_opener(ptext):
        return "p-open"
    if (last.isdigit() and (first in UNITS or first in ".．")) or (last in ".．" and first.isdigit()):
        return "number"
    if last.isascii() and last.isalpha() and first.isascii() and first.isalnum() and HAN_RE.search(ptext):
        return "latin"
    if any(c in ptext for c in SENTENCE_INNER) and not p_heading:
        return "p-sentence"
    if len(qtext) <= 6 and qtext[-1] == "。" and qtext[:-1] not in FORMULAS:
        return "q-fragment"
    return None


def break_evidence(p: Paragraph, q: Paragraph) -> str | None:
    """Why paragraph ``q`` continues ``p`` (p ends open), or None when it does not."""
    if not ends_open(p) or p.is_numbered_heading:
        return None
    return _break_evidence_cached(p.text, q.text, False, q.is_numbered_heading)


def delete_line_range(doc: Document, p: Paragraph) -> tuple[int, int]:
    """Offsets covering a whole-line paragraph and the blank lines after it."""
    start = doc.text.rfind("\n", 0, p.start) + 1  # the start of its line
    end = p.end
    text = doc.text
    while end < len(text) and text[end] in " \t\u3000":
        end += 1
    while end < len(text) and text[end] == "\n":
        end += 1
        # keep exactly the separation that preceded the line
        if end < len(text) and text[end] != "\n":
            break
    return start, end
