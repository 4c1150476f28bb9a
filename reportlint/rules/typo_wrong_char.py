from __future__ import annotations

from collections.abc import Iterator

from reportlint.document import Document
from reportlint.finding import Finding, Fix, Severity
from reportlint.lexicon import TypoContext, han_around, is_common_han
from reportlint.registry import Rule
from reportlint.typo_score import DocTypo, Suspect, threshold


def typo_level(rule: Rule) -> str:
    """The level a TYPO rule reports at: the config's ``typo-level`` (lint or review)."""
    level = rule.context.get("typo_level") or "lint"
    if rule.opts.get("thorough"):
        level = "review"
    return level if level in ("lint", "review") else "lint"


def reported(
    rule: Rule, doc: Document, kind: str, suspects: list[Suspect], severity: Severity
) -> Iterator[tuple[Suspect, Severity]]:
    """The suspects a TYPO rule reports, in text order, each with its severity: the rule's own
    at or above the lint level's threshold, info below it (the review level only). Masked
    spans and the words the user allowed are left out."""
    hi = threshold(kind, "lint")
    lo = threshold(kind, typo_level(rule))
    tctx = TypoContext.of(doc, rule.context)
    for sp in sorted(suspects, key=lambda x: x.start):
        if sp.confidence < lo or doc.is_masked(sp.start, sp.end) or tctx.allowed(sp.start, sp.end):
            continue
        yield sp, severity if sp.confidence >= hi else Severity.INFO


def context_around(text: str, s: int, e: int, rep: str) -> tuple[str, str]:
    """The text around a change as written and as corrected (two Chinese characters each side)."""
    a, b = han_around(text, s, e, 2, 2, is_common_han)
    return text[a:b], text[a:s] + rep + text[e:b]


class WrongCharacter(Rule):
    """A character where a sound-alike or look-alike one makes the sentence markedly more probable.

    ## What it does
    Scores the text with a character 5-gram language model of modern official Chinese
    (built from 新闻联播 transcripts and provincial work reports, `data/lm/`). Where the
    written character is surprising, it tries the characters of the same sound (same tone,
    other tone, the usual z/zh, n/l, an/ang slips) and of a similar shape, and compares the
    text as corrected with the text as written by the log-likelihood of the n-grams that see
    the change (left and right context). That ratio, what the word lexicon and the corpus
    vocabulary say of both forms, the kind of slip (and whether it is one between two
    common one-character words of one sound, 得/地, 在/再, where the model's ratio is all
    there is), and signs of a name (a surname or a role before, 等/公司/县 after, a 、-list,
    rare characters, the same string used again in the document) make one score; its
    confidence (0-1) is reported with the finding. At the default level
    (`typo-level = "lint"`) only suspects above a strict threshold are reported;
    `typo-level = "review"` (or `--typo-level review`) reports many more, at info level
    below the strict threshold, the likeliest first.

    ## Why is this bad?
    Pinyin input puts homophones one key apart; a wrong character survives a quick read
    because the sentence still sounds right.

    ## Not reported
    Numerals (a number is a fact, not a spelling); 他/她/它 and 你/您 for each other (who is
    meant decides, not spelling); masked spans (URLs, e-mail addresses, document numbers);
    words in the allow-list or the learned lexicon. The option `thorough = true`, kept for
    older configs, means `typo-level = "review"` for this rule.

    ## Example
    `推进信用体系键设` → `推进信用体系建设`; `中央整治局召开会议` → `中央政治局召开会议`
    (suggestions, not safe fixes).
    """

    code = "TYPO003"
    name = "wrong-character"
    severity = Severity.WARNING
    fixable = True
    options = {"thorough": False}

    def check(self, doc: Document) -> Iterator[Finding]:
        text = doc.text
        for sp, severity in reported(self, doc, "sub", DocTypo.of(doc).substitutions(), Severity.WARNING):
            s, e = sp.start, sp.end
            before, after = context_around(text, s, e, sp.replacement)
            orig = text[s:e]
            yield self.finding(
                doc,
                s,
                e,
                zh=f"疑为错别字：“{orig}”可能应为“{sp.replacement}”（{before} → {after}）",
                en=f"possible wrong character: {orig!r} may be {sp.replacement!r} ({before} → {after})",
                fix=Fix(sp.replacement, safe=False),
                severity=severity,
                confidence=sp.confidence,
            )
