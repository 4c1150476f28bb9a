from __future__ import annotations

import re
from collections.abc import Iterator

from reportlint.document import Document
from reportlint.finding import Finding, Fix, Severity
from reportlint.registry import Rule

# Two or more clause or sentence marks in a row. Edited Chinese text never has them: none in
# the 8.7 M characters of the corpus's news and reports. The ellipsis (……), the dash (——) and
# emphatic ！！ / ？！ are marks of their own and not in the class.
_RUN_RE = re.compile("[，、；：。]{2,}")


class DoubledPunctuation(Rule):
    """Two clause or sentence marks in a row (`，，`, `。。`, `、，`).

    ## What it does
    Finds a run of two or more of `，` `、` `；` `：` `。` with nothing between them: a mark
    typed twice, or one mark left beside the one that replaced it in editing.

    ## Why is this bad?
    Each of these marks ends a clause or a sentence; two in a row end it twice. The run is
    debris of editing or of pasting, and it prints as a visible gap.

    ## Not reported
    The ellipsis `……`, the dash `——`, emphatic `！！` and `？！`, and marks around quotes
    and brackets (`。”` `”，`), which are other marks.

    ## Example
    `稳中有进，，发展质量持续提升` → `稳中有进，发展质量持续提升` (the same mark twice:
    a safe fix); `坚持稳中求进、，推动` → `坚持稳中求进，推动` (two marks: the last one is kept,
    as a suggestion to confirm).
    """

    code = "PUNCT004"
    name = "doubled-punctuation"
    severity = Severity.WARNING
    fixable = True

    def check(self, doc: Document) -> Iterator[Finding]:
        for p in doc.paragraphs:
            t = p.text
            for m in _RUN_RE.finditer(t):
                run = m.group()
                start, end = p.start + m.start(), p.start + m.end()
                if doc.is_masked(start, end):
                    continue
                same = len(set(run)) == 1
                keep = run[-1]
                yield self.finding(
                    doc,
                    start,
                    end,
                    zh=f"标点“{run}”重复，应只保留一个“{keep}”"
                    if same
                    else f"标点“{run}”连用，疑为改稿残留，应只保留一个（如“{keep}”）",
                    en=f"punctuation {run!r} doubled: keep one {keep!r}"
                    if same
                    else f"punctuation marks {run!r} in a row, left from editing: keep one (e.g. {keep!r})",
                    fix=Fix(keep, safe=same),
                )
