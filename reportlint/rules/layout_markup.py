from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from reportlint.document import HAN_RE, Document
from reportlint.finding import Finding, Fix, Severity
from reportlint.registry import Rule

_MARKER_RE = re.compile(r"(?=(\*\*|__))")  # every position where a marker starts, overlaps included
_HEADING_RE = re.compile(r"^#{1,6}[ \t]+(?=\S)", re.M)
_TAG_RE = re.compile(r"</?(?:br|p|div|span|b|i|strong|em|font|u|sup|sub|table|tr|td)\b[^<>\n]{0,200}>", re.I)
_ENTITY_RE = re.compile(r"&(?:nbsp|amp|lt|gt|quot|ldquo|rdquo|mdash|hellip|#\d{2,6}|#x[0-9a-fA-F]{2,5});")


def _bold_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, marker) of each ``**…**`` / ``__…__`` pair, in linear time.

    The same pairs as the expression ``(\\*\\*|__)(?=\\S)(.+?)(?<=\\S)\\1`` (DOTALL) found
    left to right, without its quadratic search for a closer after each opener: the
    closers (a marker after a non-space) are listed once and found by bisection.
    """
    starts = [m.start() for m in _MARKER_RE.finditer(text)]
    n = len(text)
    closers: dict[str, list[int]] = {"**": [], "__": []}
    for i in starts:
        if i > 0 and not text[i - 1].isspace():
            closers[text[i : i + 2]].append(i)
    pos = 0
    for i in starts:
        if i < pos or i + 2 >= n or text[i + 2].isspace():
            continue
        marker = text[i : i + 2]
        cl = closers[marker]
        k = bisect_left(cl, i + 3)  # at least one character between the markers
        if k < len(cl):
            yield i, cl[k] + 2, marker
            pos = cl[k] + 2


class MarkupInText(Rule):
    """Markup left in plain text: `**bold**` markers, `#` headings, HTML tags and entities.

    ## What it does
    In plain text (and text read from Word or PDF files; not in Markdown), finds
    Markdown emphasis markers (`**…**`, `__…__`), Markdown heading marks at the start
    of a line, HTML tags (`<br>`, `<p>`) and HTML entities (`&nbsp;`, `&ldquo;`).

    ## Why is this bad?
    Plain text has no markup: the markers print as they are. They come from text
    copied out of a web editor or a Markdown draft.

    ## Example
    `今年政府工作的总体要求是：**以习近平…篇章。**` → the two `**` are deleted (safe fix).
    """

    code = "LAYOUT005"
    name = "markup-in-text"
    severity = Severity.WARNING
    fixable = True

    def check(self, doc: Document) -> Iterator[Finding]:
        if doc.kind == "md":  # markup is Markdown's own syntax there
            return
        text = doc.text
        if "*" in text or "__" in text:
            for s, e, marker in _bold_spans(text):
                inner = text[s + 2 : e - 2]
                if "\n\n" in inner or not HAN_RE.search(inner) or doc.is_masked(s, e):
                    continue
                for pos in (s, e - 2):
                    yield self.finding(
                        doc,
                        pos,
                        pos + 2,
                        zh=f"纯文本中残留的 Markdown 强调标记“{marker}”",
                        en=f"Markdown emphasis marker '{marker}' left in plain text",
                        fix=Fix(""),
                    )
        if "#" in text:
            for m in _HEADING_RE.finditer(text):
                yield self.finding(
                    doc,
                    m.start(),
                    m.end(),
                    zh="纯文本中残留的 Markdown 标题符号“#”",
                    en="Markdown heading mark '#' left in plain text",
                    fix=Fix(""),
                )
        if "<" in text:
            for m in _TAG_RE.finditer(text):
                yield self.finding(
                    doc,
                    m.start(),
                    m.end(),
                    zh=f"纯文本中残留的 HTML 标签“{m.group()}”",
                    en=f"HTML tag '{m.group()}' left in plain text",
                    fix=Fix("", safe=False),
                )
        if "&" in text:
            for m in _ENTITY_RE.finditer(text):
                yield self.finding(
                    doc,
                    m.start(),
                    m.end(),
                    zh=f"纯文本中残留的 HTML 实体“{m.group()}”",
                    en=f"HTML entity '{m.group()}' left in plain text",
                    fix=Fix("", safe=False),
                )
