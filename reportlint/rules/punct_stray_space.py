from __future__ import annotations

import re
from collections.abc import Iterator

from reportlint.document import HAN_CLASS, Document
from reportlint.finding import Finding, Fix, Severity
from reportlint.registry import Rule
from reportlint.rules._layout import BYLINE_RE, CONTINUATION_RE

# A run of spaces with a Chinese character on one side and a Chinese character or
# Chinese punctuation on the other.
_SPACE_RE = re.compile(
    f"(?<=[{HAN_CLASS}，。、；：？！“”（）《》])[ \u3000\u00a0]+(?=[{HAN_CLASS}])"
    f"|(?<=[{HAN_CLASS}])[ \u3000\u00a0]+(?=[，。、；：？！”）》])"
)
_BYLINE_BEFORE = re.compile(r"(?:记者|通讯员|摄影|编辑|作者|撰稿|主持人?|报道)$")
_BYLINE_AFTER = re.compile(f"^[{HAN_CLASS}·]{{1,4}}\\s*摄")
_PROSE = set("，。；！？")


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
    bylines (`本报记者 戴冰摄`), and the space between the halves of a quoted slogan
    (`“好客山东 好品山东”`).

    ## Example
    `把制造业作为核心竞争力 的强支撑` → `把制造业作为核心竞争力的强支撑` (safe fix).
    """

    code = "PUNCT001"
    name = "stray-space"
    severity = Severity.WARNING
    fixable = True

    def check(self, doc: Document) -> Iterator[Finding]:
        for p in doc.paragraphs:
            if not any(c in _PROSE for c in p.text):
                continue  # a title, byline or name line
            quotes = _quote_spans(p.text)
            # a trailing byline (本报记者 韩卿立 摄) may separate names with spaces
            byline_from = len(p.text)
            if BYLINE_RE.search(p.text):
                byline_from = max(p.text.rfind(c) for c in "。！？") + 1
            for m in _SPACE_RE.finditer(p.text):
                s, e = m.start(), m.end()
                if s >= byline_from:
                    continue
                before = p.text[max(0, s - 4) : s]
                if _BYLINE_BEFORE.search(before) or _BYLINE_AFTER.match(p.text, e):
                    continue
                if p.text[s - 1] in "）)" and CONTINUATION_RE.search(p.text[max(0, s - 14) : s]):
                    continue  # the space after a continuation marker goes with it (LAYOUT002)
                if any(qs < s and e < qe and _is_slogan(p.text[qs + 1 : qe]) for qs, qe in quotes):
                    continue
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


def _quote_spans(text: str) -> list[tuple[int, int]]:
    spans, stack = [], []
    for i, c in enumerate(text):
        if c == "“":
            stack.append(i)
        elif c == "”" and stack:
            spans.append((stack.pop(), i))
    return spans


def _is_slogan(inner: str) -> bool:
    """A quoted slogan of halves separated by spaces, with no punctuation of its own."""
    parts = inner.split()
    return (
        len(parts) >= 2
        and all(2 <= len(x) <= 12 for x in parts)
        and not any(c in inner for c in "，。、；：？！")
    )
