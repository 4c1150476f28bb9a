from __future__ import annotations

from collections.abc import Iterator

from reportlint.document import Document, Paragraph
from reportlint.finding import Finding, Fix, Msg, Severity
from reportlint.registry import Rule
from reportlint.rules._layout import (
    WEAK_KINDS,
    WEB_KINDS,
    break_evidence,
    delete_line_range,
    ends_open,
    furniture_blocks,
    header_kind,
    is_prose,
    number_continues,
)


class PageHeaderInParagraph(Rule):
    """A newspaper page or column header line standing inside the body text.

    ## What it does
    Finds short lines that are running page furniture: letter-spaced section names
    (`要 闻`, `综 合`), edition and date lines (`第3版`, `2024年1月12日 星期五`),
    editor credits (`责任编辑：王某`), and section names (`要闻`) that sit between two
    halves of a paragraph. A web page's interface, copied with its text, is reported
    wherever it stands, above the title or below the end too: a font-size picker
    (`【字体：大 中 小】`), share, print and close links, a scan-to-phone prompt, a
    navigation trail (`您的位置：首页 > 要闻`), also when it comes one item per line.

    ## Why is this bad?
    Text copied from a printed page carries the page's header into the middle of a
    paragraph. The result reads `季度观 要 闻 摩`: the header splits a word and the
    paragraph.

    ## Not reported
    Header lines at the top of a file (`来源：…`, `时间：…`, the byline), headings,
    and a section name between two complete paragraphs. The punctuation rules and the
    other LAYOUT rules leave furniture lines alone (`分享到:` is no half-width colon in
    a sentence, `【字体：` / `大` / `中` / `小` / `】` no unclosed bracket).

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
        units = {a: (b, kind) for a, b, kind in furniture_blocks(doc)}
        k = 0
        while k < len(paras):
            b, kind = units.get(k, (k, None))
            if kind is None:
                kind = header_kind(paras[k])
            a, k = k, b + 1
            if kind is None:
                continue
            first, last = paras[a], paras[b]
            text = " ".join(q.text for q in paras[a : b + 1])
            if kind in WEB_KINDS:
                # a web page's interface (字体 大 中 小, 分享到, 您的位置: 首页 > …) is never text
                yield self._found(doc, first, last, text, "web")
                continue
            if a == 0 or b == len(paras) - 1:
                continue  # the lines above the title, or below the end: the page's own header
            prev, nxt = paras[a - 1], paras[b + 1]
            if number_continues(prev, first):
                continue  # M / 2: the number goes with the text before it (LAYOUT003)
            # a short first half looks like a title: then the second half must continue it
            inside = ends_open(prev) and (not prev.is_heading or break_evidence(prev, nxt) is not None)
            between_prose = is_prose(prev) and is_prose(nxt)
            if not (inside or (kind not in WEAK_KINDS and between_prose)):
                continue
            yield self._found(doc, first, last, text, "inside" if inside else "", safe=kind not in WEAK_KINDS)

    def _found(
        self, doc: Document, first: Paragraph, last: Paragraph, text: str, how: str, safe: bool = True
    ) -> Finding:
        start, end = delete_line_range(doc, first, last)
        if how == "web":
            zh, en = f"网页界面文字“{text}”混入正文", f"web page furniture '{text}' in the text"
        else:
            inside = how == "inside"
            zh = f"正文中夹有版面页眉“{text}”" + ("，把段落截成两半" if inside else "")
            en = f"page header '{text}' inside the text" + (", splitting a paragraph" if inside else "")
        return self.finding(
            doc,
            first.start,
            last.end,
            zh=zh,
            en=en,
            fix=Fix(
                "",
                safe=safe,
                start=start,
                end=end,
                message=(
                    Msg(f"删除“{text}”", f"delete '{text}'")
                    if how == "web"
                    else Msg(f"删除页眉“{text}”", f"delete the page header '{text}'")
                ),
            ),
        )
