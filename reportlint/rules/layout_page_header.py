from __future__ import annotations

from collections.abc import Iterator

from reportlint.document import Document
from reportlint.finding import Finding, Fix, Severity
from reportlint.registry import Rule
from reportlint.rules._layout import delete_line_range, ends_open, header_kind, is_prose


class PageHeaderInParagraph(Rule):
    """A newspaper page or column header line standing inside the body text.

    ## What it does
    Finds short lines that are running page furniture: letter-spaced section names
    (`要 闻`, `综 合`), edition and date lines (`第3版`, `2024年1月12日 星期五`),
    editor credits (`责任编辑：王某`), and section names (`要闻`) that sit between two
    halves of a paragraph.

    ## Why is this bad?
    Text copied from a printed page carries the page's header into the middle of a
    paragraph. The result reads `季度观 要 闻 摩`: the header splits a word and the
    paragraph.

    ## Not reported
    Header lines at the top of a file (`来源：…`, `时间：…`, the byline), headings,
    and a section name between two complete paragraphs.

    ## Example
    `健全领导分包、季度观` / `要 闻` / `摩、定期调度等机制` → delete `要 闻` and
    rejoin the paragraph (LAYOUT003).
    """

    code = "LAYOUT001"
    name = "page-header-in-paragraph"
    severity = Severity.WARNING
    fixable = True

    def check(self, doc: Document) -> Iterator[Finding]:
        paras = doc.paragraphs
        for k in range(1, len(paras) - 1):
            p = paras[k]
            kind = header_kind(p)
            if kind is None:
                continue
            prev, nxt = paras[k - 1], paras[k + 1]
            inside = ends_open(prev) and not prev.is_heading
            between_prose = is_prose(prev) and is_prose(nxt)
            if not (inside or (kind != "section" and between_prose)):
                continue
            start, end = delete_line_range(doc, p)
            yield self.finding(
                doc,
                p.start,
                p.end,
                zh=f"正文中夹有版面页眉“{p.text}”" + ("，把段落截成两半" if inside else ""),
                en=f"page header '{p.text}' inside the text" + (", splitting a paragraph" if inside else ""),
                fix=Fix("", safe=kind != "section", start=start, end=end),
            )
