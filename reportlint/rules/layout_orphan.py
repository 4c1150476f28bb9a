from __future__ import annotations

from collections.abc import Iterator

from reportlint.document import Document
from reportlint.finding import Finding, Severity
from reportlint.registry import Rule
from reportlint.rules._layout import FORMULAS, NON_INITIAL, ends_open, is_debris

MAX_LEN = 6


class OrphanFragment(Rule):
    """A very short paragraph that is the tail of a lost sentence, such as `面发展。`.

    ## What it does
    Finds paragraphs of a few characters that end a sentence whose beginning is not
    there: the paragraph before them is complete, so they continue nothing.

    ## Why is this bad?
    Such fragments are what is left when a passage was cut or pasted over: the
    start of the sentence was deleted and its last characters stayed behind.

    ## Not reported
    Formulae (`各位代表！`, `谢谢大家！`, `特此报告。`), headings, and a short tail
    that continues an unfinished paragraph (LAYOUT003 reports that).

    ## Example
    `…按预期投产达效。` / `面发展。` / `三、深入实施制造业倍增行动`: `面发展。` is a fragment.
    """

    code = "LAYOUT004"
    name = "orphan-fragment"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Finding]:
        prev = None  # the last paragraph before p that is not page debris
        for p in doc.paragraphs:
            before, t = prev, p.text
            if not is_debris(p):
                prev = p
            if len(t) > MAX_LEN or (t[-1] not in "。；" and t[0] not in NON_INITIAL):
                continue
            if t.rstrip("。；！？") in FORMULAS or p.is_numbered_heading:
                continue
            prev_ = before
            if prev_ is not None and ends_open(prev_):
                continue  # the tail of a broken paragraph: LAYOUT003
            yield self.finding(
                doc,
                p.start,
                p.end,
                zh=f"孤立的句子残片“{t}”，前文缺失或为误粘贴",
                en=f"orphan fragment '{t}': the start of its sentence is missing",
            )
