from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from reportlint.document import HAN_CLASS, Document
from reportlint.finding import Finding, Fix, Severity
from reportlint.lexicon import TypoContext, read_data_lines
from reportlint.registry import Rule

# A lowercase or capitalised Latin word with a Chinese character on each side (spaces allowed
# between). A capitalised word is reported only when it is a function word (And, Of): other
# capitalised words there are names (Python, Statista, Anadarko in business news), as all
# capitals (GDP) and mixed case (iPhone) are abbreviations and names.
_WORD_RE = re.compile(
    f"(?<=[{HAN_CLASS}])([ \u3000\u00a0]*)([A-Za-z][a-z]+)([ \u3000\u00a0]*)(?=[{HAN_CLASS}])"
)


@lru_cache(maxsize=1)
def english_words() -> dict[str, str]:
    """English function word -> the Chinese usually meant (data/english_words.txt)."""
    out = {}
    for line in read_data_lines("english_words.txt"):
        word, _, zh = line.partition("\t")
        out[word.strip()] = zh.strip()
    return out


# Lowercase Latin words that do stand between Chinese characters: units, file types and a
# few loanwords written in lowercase (每kg, 政务app).
_LATIN_TERMS = (
    "km kg mg ml mm cm dm nm um mu ha kw kwh mw mwh gw gwh tw twh kv kva mah db dpi ppm ppb "
    "mol kcal cal hz khz mhz ghz kb mb gb tb bit bps kbps mbps gbps ms ns rpm psi "
    "app apps wifi www com cn org net gov edu pdf doc docx xls xlsx ppt pptx txt jpg png "
    "html http https ip vs etc pm am ok"
)
LATIN_TERMS = frozenset(_LATIN_TERMS.split())
MIN_LETTERS = 3
# Fixed confidences (a list rule has no score): a function word between Chinese characters
# is nearly always a slip; another lowercase word may be a name or a term.
CONFIDENCE_FUNCTION, CONFIDENCE_OTHER = 0.9, 0.6
_VOWEL_RE = re.compile("[aeiouy]")


class EnglishWord(Rule):
    """An English word inside a Chinese sentence (`切入点 and 突破口`, `深化reform开放`).

    ## What it does
    Finds a Latin word of three or more letters standing between two Chinese characters. A
    function word, lowercase or capitalised (`and`, `And`, `or`, `of`, `with`, …, listed in
    `data/english_words.txt`), is reported as an error with the Chinese usually meant; any
    other lowercase word (`reform`, `target`) as a warning, without a fix.

    ## Why is this bad?
    It is a slip of translation or of the input method (the Latin keyboard left on)
    and is almost never correct in a Chinese report.

    ## Not reported
    Established terms and codes in Latin script: capitals and abbreviations (`GDP`,
    `CPI`, `AI`, `ISO 9001`), mixed-case names (`iPhone`, `App`), codes with digits
    (`PM2.5`, `5G`), capitalised words other than function words (`Python`, `Statista`: names),
    units and file types (`km`, `kwh`, `pdf`, `app`), words of one or
    two letters or without a vowel (`hcg`),
    URLs and e-mail addresses, words in the allow-list, and text in `《》` titles.

    ## Example
    `找准切入点 and 突破口` → `找准切入点和突破口` (suggestion); `深化reform开放` (warning).
    """

    code = "TYPO004"
    name = "english-word"
    severity = Severity.ERROR
    fixable = True

    def check(self, doc: Document) -> Iterator[Finding]:
        words = english_words()
        tctx = TypoContext.of(doc, self.context)
        for p in doc.paragraphs:
            for m in _WORD_RE.finditer(p.text):
                shown = m.group(2)
                word = shown.lower()
                s, e = p.start + m.start(), p.start + m.end()
                ws, we = p.start + m.start(2), p.start + m.end(2)
                if doc.is_masked(s, e) or tctx.allowed(ws, we):
                    continue
                if word not in words:
                    if (
                        shown != word  # a capitalised word that is no function word: a name
                        or len(word) < MIN_LETTERS
                        or word in LATIN_TERMS
                        or not _VOWEL_RE.search(word)  # an abbreviation: hcg, pf
                        or word in tctx.allow
                        or shown in tctx.allow
                        or tctx.in_title(ws, we)
                    ):
                        continue
                    yield self.finding(
                        doc,
                        ws,
                        we,
                        zh=f"中文句中夹有英文词“{shown}”，请改为中文或确认",
                        en=f"English word {shown!r} inside a Chinese sentence: translate it",
                        severity=Severity.WARNING,
                        confidence=CONFIDENCE_OTHER,
                    )
                    continue
                zh = words[word]
                repl = "" if zh.startswith("（") else zh
                yield self.finding(
                    doc,
                    s,
                    e,
                    zh=f"中文句中夹有英文词“{shown}”，应为“{zh}”"
                    if repl
                    else f"中文句中夹有英文词“{shown}”，应删去",
                    en=f"English word {shown!r} inside a Chinese sentence"
                    + (f": use {repl!r}" if repl else ": delete it"),
                    fix=Fix(repl, safe=False),
                    confidence=CONFIDENCE_FUNCTION,
                )
