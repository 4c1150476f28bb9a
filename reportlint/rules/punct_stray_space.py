from __future__ import annotations

import re
from collections.abc import Iterator

from reportlint.document import HAN_CLASS, Document, is_han
from reportlint.finding import Finding, Fix, Severity
from reportlint.registry import Rule
from reportlint.rules._layout import BYLINE_RE, CONTINUATION_RE, STRUCTURE_NUMBER_RE

# A run of spaces with a Chinese character on one side and a Chinese character or
# Chinese punctuation on the other (see ``_stray_spaces``).
_SPACES_RE = re.compile("[ \u3000\u00a0]+")
_BEFORE_HAN = frozenset("，。、；：？！“”（）《》")  # may stand before the spaces, a Chinese character after
_AFTER_HAN = frozenset("，。、；：？！”）》")  # may stand after the spaces, a Chinese character before
_BYLINE_BEFORE = re.compile(r"(?:记者|通讯员|摄影|编辑|作者|撰稿|主持人?|报道)$")
_BYLINE_AFTER = re.compile(f"^[{HAN_CLASS}·]{{1,4}}\\s*摄")
# The name that closes a paragraph after a title and a space: a signature (…主席 习近平).
_SIGNATURE_NAME = re.compile(f"[{HAN_CLASS}·]{{2,6}}")
_PROSE = set("，。；！？")
# A news dateline (本报北京12月3日电, 新华社上海5日电), which a space may set off from the byline
# or text after it.
_DATELINE_RE = re.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})日电$")
_SENTENCE_END = "。！？；…"
TITLE_LINE_MAX = 50  # a longer line without a full stop is running text that lost its stop
SLOGAN_MAX = 60  # a longer quotation is a sentence, not a slogan or title
COLON_TITLE_MAX = 20  # a title introduced by a colon is this short (口号是：运动无限 气象万千。)
# A title or slogan that a colon introduces and the sentence's end closes, with no punctuation
# of its own: 播发央视快评：确保“十五五”开好局 起好步。
_COLON_TITLE_RE = re.compile(f"：([^，、；：。！？…\\n]{{5,{COLON_TITLE_MAX}}})(?:[。！？]|$)")


class StraySpace(Rule):
    """A space between two Chinese characters inside a sentence.

    ## What it does
    Finds spaces (ASCII, ideographic or no-break) between Chinese characters, or
    between a Chinese character and Chinese punctuation, inside running text.

    ## Why is this bad?
    Chinese text uses no spaces between words. A space inside a sentence is
    debris from line wrapping, copy and paste or typesetting, and prints as a gap.

    ## Not reported
    Title, byline and name lines without sentence punctuation (`上海市市长 龚 正`),
    bylines (`本报记者 戴冰摄`), the space between the halves of a quoted slogan
    (`“好客山东 好品山东”`) or of a short title that a colon introduces and the sentence's
    end closes (`口号是：运动无限 气象万千。`), the space between a title and the name that ends a
    paragraph, a letter's signature run into its last line (`…行稳致远。中华人民共和国主席 习近平`),
    the space that sets a law's article number off from its text (`第一条　为了…`), and the
    space after a news dateline and between the names of a bracketed byline
    (`本报北京12月3日电　（记者 王浩 李心萍）`).

    ## Example
    `把制造业作为核心竞争力 的强支撑` → `把制造业作为核心竞争力的强支撑` (safe fix).
    """

    code = "PUNCT001"
    name = "stray-space"
    severity = Severity.WARNING
    fixable = True

    def check(self, doc: Document) -> Iterator[Finding]:
        for p in doc.paragraphs:
            if not any(c in _PROSE for c in p.text) or _is_title_line(p.text):
                continue  # a title, byline or name line
            matches = _stray_spaces(p.text)
            if not matches:
                continue
            titled = _title_cover(p.text)
            # a trailing byline (本报记者 韩卿立 摄) may separate names with spaces
            byline_from = len(p.text)
            if BYLINE_RE.search(p.text):
                byline_from = max(p.text.rfind(c) for c in "。！？") + 1
            # a law's article or chapter number, set off from its text by a space (第一条　为了…)
            article = STRUCTURE_NUMBER_RE.match(p.text, len(p.text) - len(p.text.lstrip(" \u3000")))
            for m in matches:
                s, e = m.start(), m.end()
                if s >= byline_from or (article is not None and s == article.end()):
                    continue
                if _DATELINE_RE.search(p.text, max(0, s - 6), s):
                    continue  # 本报北京12月3日电 （记者…）: the dateline's own space
                if _in_byline_brackets(p.text, s):
                    continue  # （记者 王浩 李心萍）: names in a bracketed byline
                before = p.text[max(0, s - 4) : s]
                if _BYLINE_BEFORE.search(before) or _BYLINE_AFTER.match(p.text, e):
                    continue
                if p.text[s - 1] in "）)" and CONTINUATION_RE.search(p.text[max(0, s - 14) : s]):
                    continue  # the space after a continuation marker goes with it (LAYOUT002)
                if titled[s] and titled[e]:
                    continue  # the space between the halves of a title or slogan
                if _colon_title(p.text, s):
                    continue  # 口号是：运动无限 气象万千。
                if _signature(p.text, s, e):
                    continue  # 中华人民共和国主席 习近平: a letter's signature run into its last line
                start, end = p.start + s, p.start + e
                if doc.is_masked(start, end):
                    continue
                yield self.finding(
                    doc,
                    start,
                    end,
                    zh="中文字符之间多了空格",
                    en="stray space between Chinese characters",
                    fix=Fix(""),
                )


def _stray_spaces(text: str) -> list[re.Match[str]]:
    """The whole runs of spaces between a Chinese character or punctuation mark before and a
    Chinese character after, or between a Chinese character before and a punctuation mark
    after: what the lookaround regex ``(?<=[Han，。…])[ ]+(?=[Han])|(?<=[Han])[ ]+(?=[，。…])``
    finds, with the regex only finding the runs of spaces (few) and no Chinese character class
    to compile."""
    out = []
    n = len(text)
    for m in _SPACES_RE.finditer(text):
        s, e = m.span()
        if s == 0 or e == n:
            continue
        a, b = text[s - 1], text[e]
        if (is_han(b) and (a in _BEFORE_HAN or is_han(a))) or (b in _AFTER_HAN and is_han(a)):
            out.append(m)
    return out


_BYLINE_OPEN_RE = re.compile(r"[（(](?:本报|特约)?(?:记者|通讯员|摄影|实习生)")


def _in_byline_brackets(text: str, s: int) -> bool:
    """The space at ``s`` stands inside a short bracketed byline: （记者 王浩 李心萍）."""
    a = max(text.rfind("（", max(0, s - 24), s), text.rfind("(", max(0, s - 24), s))
    if a < 0 or not _BYLINE_OPEN_RE.match(text, a):
        return False
    b = min((i for i in (text.find("）", s, s + 24), text.find(")", s, s + 24)) if i >= 0), default=-1)
    return b > 0 and not any(c in text[a:b] for c in "，。；！？")


def _signature(text: str, s: int, e: int) -> bool:
    """The spaces text[s:e] stand between a title and the name that ends the paragraph."""
    if not _SIGNATURE_NAME.fullmatch(text, e):
        return False
    from reportlint.lexicon import PERSON_TITLE_END_RE  # only here: a rare case

    return PERSON_TITLE_END_RE.search(text, max(0, s - 6), s) is not None


def _is_title_line(text: str) -> bool:
    """A headline standing as its own line: short, no full stop inside or at the end."""
    return (
        len(text) <= TITLE_LINE_MAX and text[-1] not in _SENTENCE_END and not any(c in text for c in "。！？")
    )


def _title_cover(text: str) -> list[bool]:
    """For each position (and one past the end): inside a book title 《…》 or a quoted slogan.

    Headlines separate their clauses with a space instead of punctuation: 《减负增效添干劲
    实干担当谱新篇》, “春天里的中国：中国机遇 世界共享”. Inside 《》 every space between
    two characters is such a separator; inside quotes, when the quoted text has no
    punctuation of a sentence (，。；！？) and every part is at least two characters long.
    Linear: pairs are found with one stack each and marked through a difference array.
    """
    n = len(text)
    diff = [0] * (n + 2)
    for open_, close, ok in (("《", "》", None), ("“", "”", _is_slogan)):
        if open_ not in text:
            continue
        stack: list[int] = []
        for i, c in enumerate(text):
            if c == open_:
                stack.append(i)
            elif c == close and stack:
                a = stack.pop()
                if ok is None or ok(text, a + 1, i):
                    diff[a + 1] += 1
                    diff[i] -= 1
    out, depth = [], 0
    for i in range(n + 1):
        depth += diff[i]
        out.append(depth > 0)
    return out


def _colon_title(text: str, s: int) -> bool:
    """The space at ``s`` separates the halves of a title that a colon introduces and the
    sentence's end closes (播发央视快评：确保“十五五”开好局 起好步。): a short clause without
    punctuation of its own, each half at least three characters long."""
    c = text.rfind("：", max(0, s - COLON_TITLE_MAX), s)
    if c < 0:
        return False
    m = _COLON_TITLE_RE.match(text, c)
    return (
        m is not None
        and m.end(1) > s
        and _is_slogan(text, m.start(1), m.end(1))
        and all(len(x) >= 3 for x in m.group(1).split())
    )


def _is_slogan(text: str, a: int, b: int) -> bool:
    """``text[a:b]`` is a quoted slogan or title: halves separated by spaces, no sentence punctuation."""
    if b - a > SLOGAN_MAX:
        return False
    inner = text[a:b]
    parts = inner.split()
    return (
        len(parts) >= 2
        and inner == inner.strip()
        and all(len(x) >= 2 for x in parts)
        and not any(c in inner for c in "，。；？！")
    )
