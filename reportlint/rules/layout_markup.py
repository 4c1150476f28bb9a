from __future__ import annotations

import re
from collections.abc import Iterator

from reportlint.document import HAN_RE, Document
from reportlint.finding import Finding, Fix, Severity
from reportlint.registry import Rule

_BOLD_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.S)
_HEADING_RE = re.compile(r"^#{1,6}[ \t]+(?=\S)", re.M)
_TAG_RE = re.compile(r"</?(?:br|p|div|span|b|i|strong|em|font|u|sup|sub|table|tr|td)\b[^<>\n]{0,200}>", re.I)
_ENTITY_RE = re.compile(r"&(?:nbsp|amp|lt|gt|quot|ldquo|rdquo|mdash|hellip|#\d{2,6}|#x[0-9a-fA-F]{2,5});")


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
            for m in _BOLD_RE.finditer(text):
                inner = m.group(2)
                if "\n\n" in inner or not HAN_RE.search(inner) or doc.is_masked(m.start(), m.end()):
                    continue
                for s in (m.start(), m.end() - 2):
                    yield self.finding(
                        doc,
                        s,
                        s + 2,
                        zh=f"纯文本中残留的 Markdown 强调标记“{m.group(1)}”",
                        en=f"Markdown emphasis marker '{m.group(1)}' left in plain text",
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
