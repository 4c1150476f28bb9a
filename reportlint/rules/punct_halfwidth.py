from __future__ import annotations

import re
from collections.abc import Iterator

from reportlint.document import HAN_RE, Document, is_han
from reportlint.finding import Finding, Fix, Severity
from reportlint.registry import Rule
from reportlint.rules._common import is_ascii_alnum, is_cn
from reportlint.rules._layout import furniture_lines

_MARK_RE = re.compile(r"[,;:?!.]")
_PAREN_RE = re.compile(r"[()]")
_QUOTE_RE = re.compile('"')
_ELLIPSIS_RE = re.compile(r"\.{3,}")
FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", ".": "。", "(": "（", ")": "）"}


_LATIN_RE = re.compile(r"[A-Za-z]")


def _latin_heavy(text: str) -> bool:
    latin = len(_LATIN_RE.findall(text))
    return latin > 20 and latin > len(HAN_RE.findall(text))


class HalfwidthPunctuation(Rule):
    """Half-width (ASCII) punctuation inside Chinese text.

    ## What it does
    Finds `,` `;` `:` `?` `!` `.` `(` `)`, straight double quotes and `...` used in Chinese
    sentences, e.g. `稳中有进,`, `8个(省)控` or `这个问题...我们`.

    ## Why is this bad?
    Chinese text takes full-width punctuation (，；：？！。（）“”). Half-width marks
    look cramped, break line-breaking rules and usually come from pasting text
    typed with an English keyboard.

    ## Not reported
    Numbers (`3.5%`, `1,000`, `10:30`), URLs and e-mail addresses, English
    passages, and brackets around Latin text (`(PM2.5)` next to Chinese is left alone).

    ## Example
    `稳中有进,质效提升` → `稳中有进，质效提升`; `8个(省)控` → `8个（省）控`; `问题...我们` →
    `问题……我们` (safe fixes).
    """

    code = "PUNCT002"
    name = "halfwidth-punctuation"
    severity = Severity.WARNING
    fixable = True

    def check(self, doc: Document) -> Iterator[Finding]:
        furniture = None
        for p in doc.paragraphs:
            t = p.text
            if not any(c in t for c in ',;:?!.()"') or _latin_heavy(t):
                continue
            if furniture is None:
                furniture = furniture_lines(doc)
            if p.index in furniture:
                continue  # 分享到: in a web page's share bar, not a sentence
            yield from self._marks(doc, p.start, t)
            yield from self._ellipses(doc, p.start, t)
            yield from self._brackets(doc, p.start, t)
            yield from self._quotes(doc, p.start, t)

    def _emit(self, doc: Document, pos: int, ch: str, repl: str) -> Finding:
        return self.finding(
            doc,
            pos,
            pos + 1,
            zh=f"中文里用了半角标点“{ch}”，应为“{repl}”",
            en=f"half-width '{ch}' in Chinese text; use '{repl}'",
            fix=Fix(repl),
        )

    def _marks(self, doc: Document, base: int, t: str) -> Iterator[Finding]:
        n = len(t)
        for m in _MARK_RE.finditer(t):
            i, ch = m.start(), m.group()
            left = t[i - 1] if i > 0 else ""
            right = t[i + 1] if i + 1 < n else ""
            if ch == "." and (right == "." or left == "."):
                continue  # an ellipsis or a path: leave it
            if is_ascii_alnum(left) and (is_ascii_alnum(right) or right in " /%"):
                continue  # 3.5, 1,000, 10:30, e.g., in English
            if ch in ",;:?!":
                flagged = is_han(left) or (left in "）”》" and (is_cn(right) or right == ""))
            else:  # '.': a full stop after Chinese, not an abbreviation or decimal
                flagged = is_han(left) and (right == "" or is_cn(right) or right == " ")
            if flagged and not doc.is_masked(base + i):
                yield self._emit(doc, base + i, ch, FULL[ch])

    def _ellipses(self, doc: Document, base: int, t: str) -> Iterator[Finding]:
        """A run of three or more ASCII dots after Chinese and before Chinese, a Chinese mark or
        the end (这个问题...我们): the Chinese ellipsis is ……, not a path (../data) or a
        leader in English text."""
        if "..." not in t:
            return
        for m in _ELLIPSIS_RE.finditer(t):
            s, e = m.span()
            left = t[s - 1] if s > 0 else ""
            right = t[e] if e < len(t) else ""
            if not (is_han(left) or left in "，。、；：？！”’）》") or not (right == "" or is_cn(right)):
                continue
            if doc.is_masked(base + s, base + e):
                continue
            yield self.finding(
                doc,
                base + s,
                base + e,
                zh=f"中文里用了半角省略号“{m.group()}”，应为“……”",
                en=f"half-width ellipsis {m.group()!r} in Chinese text; use '……'",
                fix=Fix("……"),
            )

    def _brackets(self, doc: Document, base: int, t: str) -> Iterator[Finding]:
        stack: list[int] = []
        for m in _PAREN_RE.finditer(t):
            i, ch = m.start(), m.group()
            if ch == "(":
                stack.append(i)
            elif ch == ")" and stack:
                s = stack.pop()
                inner = t[s + 1 : i]
                if any(is_han(c) for c in inner) and not doc.is_masked(base + s, base + i + 1):
                    yield self._emit(doc, base + s, "(", "（")
                    yield self._emit(doc, base + i, ")", "）")

    def _quotes(self, doc: Document, base: int, t: str) -> Iterator[Finding]:
        idx = [m.start() for m in _QUOTE_RE.finditer(t)]
        if len(idx) % 2:
            return  # unbalanced: PUNCT003 reports it
        for a, b in zip(idx[::2], idx[1::2], strict=True):
            inner = t[a + 1 : b]
            if any(is_han(c) for c in inner) and not doc.is_masked(base + a, base + b + 1):
                yield self._emit(doc, base + a, '"', "“")
                yield self._emit(doc, base + b, '"', "”")
