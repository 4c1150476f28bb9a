from __future__ import annotations

from collections.abc import Iterator

from reportlint.document import Document
from reportlint.finding import Finding, Fix, Severity
from reportlint.registry import Rule
from reportlint.rules.typo_wrong_char import reported
from reportlint.typo_score import DocTypo


class DoubledCharacter(Rule):
    """A character typed twice where the text reads markedly better with one copy.

    ## What it does
    Finds a Chinese character repeated at once (`志志`, `增增长`, `大城城市`) and compares,
    under the character 5-gram language model (`data/lm/`), the text with one copy deleted
    against the text as written. That ratio, how surprising the doubling is, what the word
    lexicon and the corpus vocabulary know around it (the doubled form is a word: `常常`,
    `牢牢`; two words meet: `中医|医院`, `产业链|链长`; neither side forms a word: `、志志、`)
    and signs of a name (the same doubled form elsewhere in other company: `陌陌`; never for a
    function character: `了了` made twice is two slips) make one
    score, reported as the finding's confidence (0-1). The default level reports only what
    passes a strict threshold; `typo-level = "review"` reports more, at info level below it.

    ## Why is this bad?
    A doubled character is the commonest slip of the keyboard and survives proofreading
    because the eye skips the repeat; when the second copy starts a word (`增增长`) it reads
    as a word and is missed.

    ## Not reported
    Doublings grammar makes: numerals (`一一对应`), a series of measure words and nouns that
    double to mean "every" (`县县通、乡乡通`; a single one, `件件落实` or `人人参与`, is
    weighed by the score, which tells it from `发挥市市场`), AABB (`认认真真`), `一X X`
    (`一桩桩`), a one-character function word beside a word that starts or ends with it
    (`对|对方`, `反对|对俄`), two words meeting where the sentence repeats the second in parallel
    (`监管管出公平、管出效率`); names: after a role word (`议员野野村`, unless the second
    copy starts a common word: `专家表表示` is reported), after a role word and a surname
    (`市长李明明确`), after a surname that ends no word (`王芳芳`, but `建设高水水平` is
    reported), inside a foreign name (`塔希尔·努努`), never a doubled preposition,
    conjunction or particle (`总书记对对北京` is reported); masked spans and words in the
    allow-list or the learned lexicon.

    ## Example
    `统计、参事、志志、档案` → `志志` forms no word: delete one `志` or correct it (for
    instance to `史志`); the fix offered deletes the repeat (unsafe).
    """

    code = "TYPO001"
    name = "doubled-character"
    severity = Severity.ERROR
    fixable = True

    def check(self, doc: Document) -> Iterator[Finding]:
        domain = self.context.get("domain_words") or {}
        for sp, severity in reported(self, doc, "dbl", DocTypo.of(doc).doublings(), Severity.ERROR):
            s, e = sp.start, sp.end
            x = sp.replacement
            suggestion = _domain_suggestion(domain, x)
            hint_zh = f"，或应为“{suggestion}”" if suggestion else ""
            hint_en = f", or {suggestion!r} was meant" if suggestion else ""
            yield self.finding(
                doc,
                s,
                e,
                zh=f"“{x}{x}”疑多打了一个“{x}”，应为“{x}”{hint_zh}",
                en=f"{x + x!r}: a doubled character, {x!r} was meant{hint_en}",
                fix=Fix(suggestion or x, safe=False),
                severity=severity,
                confidence=sp.confidence,
            )


def _domain_suggestion(domain, x: str) -> str:
    """A two-character word of the user's lexicon ending or starting with x, most used first."""
    best, best_n = "", 0
    if not isinstance(domain, dict):
        return ""
    for w, n in domain.items():
        if len(w) == 2 and x in w and w != x + x and n > best_n:
            best, best_n = w, n
    return best
