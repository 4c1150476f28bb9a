from __future__ import annotations

from collections.abc import Iterator

from reportlint.document import Document
from reportlint.finding import Finding, Fix, Severity
from reportlint.registry import Rule
from reportlint.rules._layout import CONTINUATION_RE, delete_line_range


class ContinuationMarker(Rule):
    """A newspaper continuation marker such as （上接第一版） or （下转第三版）.

    ## What it does
    Finds jump lines that tell a newspaper reader where an article continues:
    `（上接第一版）`, `（下转第三版）`, `(转第4版)`, `（紧接第2版）`, `（接上页）`.

    ## Why is this bad?
    They belong to the printed page, not to the text. Copied into a document they
    are debris, and inside a paragraph they interrupt a sentence.

    ## Example
    `（下转第四版）（紧接第一版） 我们坚持人民至上` → `我们坚持人民至上` (safe fix: the
    markers are deleted; a marker on a line of its own is deleted with its line).
    """

    code = "LAYOUT002"
    name = "continuation-marker"
    severity = Severity.WARNING
    fixable = True

    def check(self, doc: Document) -> Iterator[Finding]:
        for p in doc.paragraphs:
            if not any(w in p.text for w in ("接", "转", "续")):
                continue
            matches = list(CONTINUATION_RE.finditer(p.text))
            covered = sum(m.end() - m.start() for m in matches)
            whole_line = matches and len(p.text.replace(" ", "").replace("\u3000", "")) - covered <= 0
            for m in matches:
                start, end = p.start + m.start(), p.start + m.end()
                if whole_line and len(matches) == 1:
                    fs, fe = delete_line_range(doc, p)
                else:
                    fs, fe = start, end
                    while fe < p.end and doc.text[fe] in " \u3000":
                        fe += 1
                yield self.finding(
                    doc,
                    start,
                    end,
                    zh=f"版面转接标记“{m.group()}”不属于正文",
                    en=f"newspaper continuation marker '{m.group()}' is not part of the text",
                    fix=Fix("", start=fs, end=fe),
                )
