from __future__ import annotations

from collections.abc import Iterator

from reportlint.document import Document, Paragraph
from reportlint.finding import Finding, Fix, Msg, Severity
from reportlint.registry import Rule
from reportlint.rules._layout import break_evidence, furniture_lines, is_debris, next_body

REASONS = {
    "q-start": (
        "下段以不能起句的字符开头",
        "the next part starts with a character that cannot begin a sentence",
    ),
    "p-end": ("上段以逗号、顿号或开引号结束", "the paragraph stops at a comma or an opening mark"),
    "p-open": ("上段的引号或括号未闭合", "a quote or bracket is left open"),
    "number": ("一个数字被拆到两行", "a number is split over two lines"),
    "latin": ("一个词被拆到两行", "a word is split over two lines"),
    "p-sentence": ("上段是正文却没有句末标点", "running text stops without closing punctuation"),
    "p-stop": ("上段停在一个不能结束句子的词上", "running text stops after a word that ends no sentence"),
    "word": ("一个词或名称被拆到两行", "a word or name is split over two lines"),
    "q-fragment": ("下段只是半句残片", "the next part is only the tail of a sentence"),
}


class BrokenParagraph(Rule):
    """A paragraph broken in two: it stops mid-sentence and the next paragraph continues it.

    ## What it does
    Finds a paragraph that ends without closing punctuation while the text that
    follows (past any page header or continuation marker) carries on the same
    sentence: the next part starts with a character that cannot begin a sentence
    (`，` `”` `的`), the paragraph stops at a comma or an open quote, a number or word
    is cut in two, or running text simply stops (`健全领导分包、季度观` / `摩、定期调度`).

    ## Why is this bad?
    Page breaks and copy and paste cut paragraphs; printed, the reader meets half a
    sentence and a new paragraph that starts mid-word.

    ## Not reported
    Headings (`二、…`, `（一）…`, short title lines without sentence punctuation),
    which properly end without a full stop; table rows (cells split by tabs) and table or
    figure captions (`表1 2025年主要经济指标`), and two fields of a document in a row
    (`列席：…` / `请假：…`).

    ## Example
    `连续9年获评“全省平安建设优秀省辖` / `市”，马庄桥镇…` → rejoin the two lines
    (safe fix: the line break, and any page debris between, is removed).
    """

    code = "LAYOUT003"
    name = "broken-paragraph"
    severity = Severity.WARNING
    fixable = True

    def check(self, doc: Document) -> Iterator[Finding]:
        paras = doc.paragraphs
        joined: dict[int, Paragraph] = {}  # a paragraph that continues a broken one: the two joined
        furniture = furniture_lines(doc)
        for k, p in enumerate(paras):
            # Judged as the fix leaves it: a part that continues a broken paragraph is read
            # together with it (…以PM / 2.5 / 浓度…: the 2.5 alone looks like debris).
            whole = joined.get(k, p)
            if is_debris(whole) or (k not in joined and k in furniture):
                continue
            q, _skipped = next_body(doc, k)
            if q is None:
                continue
            why = break_evidence(whole, q)
            if why is None:
                continue
            joined[q.index] = Paragraph(q.index, whole.start, q.end, whole.text + q.text, whole.line)
            zh, en = REASONS[why]
            yield self.finding(
                doc,
                p.end - 1,
                p.end,
                zh=f"段落在此断开，下文接续未完的句子：{zh}",
                en=f"paragraph broken mid-sentence: {en}",
                related=[(doc.span(q.start, q.start + 1), Msg("续接在此", "continues here"))],
                fix=Fix("", start=p.end, end=q.start, message=_join_message(_skipped)),
            )


def _join_message(skipped: list) -> Msg:
    """What the fix does: join the halves, dropping the page debris between them."""
    if not skipped:
        return Msg("与下段合并", "join with the next paragraph")
    shown = "、".join(f"“{p.text}”" for p in skipped[:2]) + ("等" if len(skipped) > 2 else "")
    shown_en = ", ".join(repr(p.text) for p in skipped[:2]) + (", …" if len(skipped) > 2 else "")
    return Msg(
        f"与下段合并（删去中间的{shown}）", f"join with the next paragraph (dropping {shown_en} between)"
    )
