from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from reportlint.document import Document
from reportlint.finding import Finding, Fix, Severity
from reportlint.lexicon import TypoContext, cuts_word, read_data_lines
from reportlint.registry import Rule

# Fixed confidences by kind of pair (a list rule has no score): wrong in every context,
# the user's own pairs, wrong in the context given, a house-style preference.
CONFIDENCE = {"safe": 0.9, "user": 0.9, "suggest": 0.7, "style": 0.5}


@dataclass(frozen=True, slots=True)
class Confusion:
    wrong: str
    right: str
    kind: str  # safe, suggest, style
    context: re.Pattern[str] | None
    note: str


def parse_confusions(lines: list[str]) -> list[Confusion]:
    out = []
    for line in lines:
        wrong, right, kind, context, note = line.split("\t")
        ctx = None if context == "-" else re.compile(context)
        out.append(Confusion(wrong, right, kind, ctx, note))
    return out


@lru_cache(maxsize=1)
def confusions() -> tuple[Confusion, ...]:
    """The packaged pairs (data/confusions.txt)."""
    return tuple(parse_confusions(read_data_lines("confusions.txt")))


@lru_cache(maxsize=64)
def _matcher(pairs: tuple[Confusion, ...]) -> tuple[re.Pattern[str], dict[str, list[Confusion]]]:
    by_wrong: dict[str, list[Confusion]] = {}
    for c in pairs:
        by_wrong.setdefault(c.wrong, []).append(c)
    alts = sorted(by_wrong, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alts))), by_wrong


class ConfusedWord(Rule):
    """A commonly confused or misspelt word (`布署` for `部署`, `截止目前` for `截至目前`).

    ## What it does
    Looks up the pairs of `data/confusions.txt` (wrong, right, kind, context, note)
    and the user's own pairs (config `confusions = {wrong = "right"}`). Pairs wrong in
    every context (`布署`, `再接再励`) get a safe fix; pairs wrong only in a context
    (`截止` before a date, `反应` before `问题`) are suggestions; house-style pairs
    (`其它` → `其他`, `帐户` → `账户`) are reported only with `house_style = true`.

    ## Why is this bad?
    These slips pass a spelling checker that only asks whether a string is a word,
    and an editor is expected to catch them.

    ## Not reported
    A match that cuts a word of the text in two (`发布署名` is `发布|署名`), text in
    masked spans, and words in the allow-list.

    ## Example
    `做好工作布署` → `做好工作部署` (safe fix); `截止目前` → `截至目前` (suggestion).
    """

    code = "TYPO005"
    name = "confused-word"
    severity = Severity.WARNING
    fixable = True
    options = {"house_style": False}

    def check(self, doc: Document) -> Iterator[Finding]:
        pairs = confusions()
        user = self.context.get("confusions") or {}
        if user:
            pairs = pairs + tuple(
                Confusion(w, r, "user", None, "用户配置") for w, r in sorted(user.items()) if w and w != r
            )
        if not self.opts["house_style"]:
            pairs = tuple(c for c in pairs if c.kind != "style")
        if not pairs:
            return
        pattern, by_wrong = _matcher(pairs)
        tctx = TypoContext.of(doc, self.context)
        text = doc.text
        for m in pattern.finditer(text):
            s, e = m.start(), m.end()
            if doc.is_masked(s, e) or tctx.allowed(s, e) or cuts_word(text, s, e):
                continue
            for c in by_wrong[m.group()]:
                if c.context is not None and not c.context.match(text, e):
                    continue
                safe = c.kind in ("safe", "user")
                sev = Severity.WARNING if c.kind != "style" else Severity.INFO
                yield self.finding(
                    doc,
                    s,
                    e,
                    zh=f"“{c.wrong}”应为“{c.right}”：{c.note}",
                    en=f"{c.wrong!r} should be {c.right!r}",
                    fix=Fix(c.right, safe=safe),
                    severity=sev,
                    confidence=CONFIDENCE[c.kind],
                )
                break
