from __future__ import annotations

from collections.abc import Iterator

from reportlint.document import Document
from reportlint.finding import Finding, Fix, Msg, Severity
from reportlint.registry import Rule
from reportlint.rules.typo_wrong_char import reported
from reportlint.typo_score import DocTypo


class RepeatedWord(Rule):
    """A unit of two to four characters typed twice, or a word repeated in a short phrase.

    ## What it does
    Finds a unit of two to four Chinese characters written twice at once (`经费经费`,
    `五年五年来`, `城镇城镇新建`) and compares, under the character 5-gram language model
    (`data/lm/`), the text with one copy deleted against the text as written; that ratio and
    what the lexicon says (the unit is a word, a spoken reduplication such as `研究研究` or
    `考虑考虑再定`, an emphatic adverb such as `非常非常`, numerals and measures such as
    `一件一件`, each copy part of a longer word as in `理工大学|大学城`) make one score,
    reported as the finding's confidence (0-1). It also finds a verb or verbal noun said
    again after one other word inside a clause, where the first copy is redundant
    (`研发投入经费投入` for `研发经费投入`, `勇于创新开拓创新` for `勇于开拓创新`).
    `typo-level = "review"` reports more suspects, at info level below the default threshold.

    ## Why is this bad?
    Editing by cut and paste leaves the old word beside the new one; read aloud the
    sentence stumbles.

    ## Not reported
    Parallel phrases joined by a connector (`经济发展和社会发展`), one-character repeats
    (TYPO001, `做强做大`), repeats grammar makes (`讨论讨论，`, `一个一个`, `非常非常`, an ABA
    word whose B starts the next word: `手把手把经验传下去`, `面对面对话`), text in masked
    spans, words in the allow-list.

    ## Example
    `研发投入经费投入增长19%` → `研发经费投入增长19%` (suggestion: delete the first
    `投入`).
    """

    code = "TYPO002"
    name = "repeated-word"
    severity = Severity.WARNING
    fixable = True

    def check(self, doc: Document) -> Iterator[Finding]:
        dt = DocTypo.of(doc)
        # (a) a unit written twice at once: 经费经费 (read from the text).
        for sp, severity in reported(self, doc, "rep", dt.repeats(), Severity.WARNING):
            s, e = sp.start, sp.end
            w = sp.replacement
            yield self.finding(
                doc,
                s,
                e,
                zh=f"“{w}”连续重复，应为“{w}”",
                en=f"{w!r} typed twice: {w!r} was meant",
                fix=Fix(w, safe=False),
                severity=severity,
                confidence=sp.confidence,
            )
        # (b) P W g W in one clause: the first W is redundant (研发投入经费投入).
        for sp, severity in reported(self, doc, "rep", dt.gaps(), Severity.WARNING):
            s, e = sp.start, sp.end
            ws, we = s, s + len(sp.replacement)
            w = sp.replacement
            v0 = e - len(w)
            yield self.finding(
                doc,
                ws,
                we,
                zh=f"“{w}”在短语“{sp.detail}”中重复，疑多余，建议删去",
                en=f"{w!r} repeated within {sp.detail!r}: one copy is redundant, delete it",
                related=[(doc.span(v0, e), Msg("重复的另一处", "the other copy"))],
                fix=Fix("", safe=False),
                severity=severity,
                confidence=sp.confidence,
            )
