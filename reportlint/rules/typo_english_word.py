from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from reportlint.document import HAN_CLASS, Document
from reportlint.finding import Finding, Fix, Severity
from reportlint.lexicon import TypoContext, read_data_lines
from reportlint.registry import Rule

# A lowercase Latin word with a Chinese character on each side (spaces allowed between).
_WORD_RE = re.compile(
    f"(?<=[{HAN_CLASS}])([ \u3000\u00a0]*)([a-z]+)([ \u3000\u00a0]*)(?=[{HAN_CLASS}])"
)


@lru_cache(maxsize=1)
def english_words() -> dict[str, str]:
    """English function word -> the Chinese usually meant (data/english_words.txt)."""
    out = {}
    for line in read_data_lines("english_words.txt"):
        word, _, zh = line.partition("\t")
        out[word.strip()] = zh.strip()
    return out


class EnglishWord(Rule):
    """An English function word inside a Chinese sentence (`切入点 and 突破口`).

    ## What it does
    Finds a lowercase English function word (`and`, `or`, `of`, `with`, …, listed in
    `data/english_words.txt`) standing between two Chinese characters.

    ## Why is this bad?
    It is a slip of translation or of the input method (the Latin keyboard left on)
    and is never correct in a Chinese sentence.

    ## Not reported
    Established terms and codes in Latin script: capitals and abbreviations (`GDP`,
    `CPI`, `AI`, `ISO 9001`), codes with digits (`PM2.5`, `5G`), units (`km`),
    product and brand names (`App`, `iPhone`), URLs and e-mail addresses.

    ## Example
    `找准切入点 and 突破口` → `找准切入点和突破口` (suggestion).
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
                word = m.group(2)
                if word not in words:
                    continue
                s, e = p.start + m.start(), p.start + m.end()
                if doc.is_masked(s, e) or tctx.allowed(p.start + m.start(2), p.start + m.end(2)):
                    continue
                zh = words[word]
                repl = "" if zh.startswith("（") else zh
                yield self.finding(
                    doc,
                    s,
                    e,
                    zh=f"中文句中夹有英文词“{word}”，应为“{zh}”" if repl else
                    f"中文句中夹有英文词“{word}”，应删去",
                    en=f"English word {word!r} inside a Chinese sentence"
                    + (f": use {repl!r}" if repl else ": delete it"),
                    fix=Fix(repl, safe=False),
                )
