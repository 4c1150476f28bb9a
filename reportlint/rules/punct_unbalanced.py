from __future__ import annotations

import re
from collections.abc import Iterator

from reportlint.document import Document, Paragraph
from reportlint.finding import Finding, Msg, Severity
from reportlint.registry import Rule
from reportlint.rules._common import PAIRS
from reportlint.rules._layout import furniture_lines

OPEN_TO_CLOSE = PAIRS
CLOSE_TO_OPEN = {v: k for k, v in OPEN_TO_CLOSE.items()}
# Closers that may stand in for each other when the writer mixed widths: （…) or “…".
LOOSE = {"）": ")", ")": "）", "”": '"'}
LOOKAHEAD = 3  # paragraphs searched for the other half of a pair split by a line break
# The only characters the scan looks at: openers, closers and the straight double quote.
_MARKS_RE = re.compile("[" + re.escape("".join(sorted({*OPEN_TO_CLOSE, *CLOSE_TO_OPEN, '"'}))) + "]")


def _scan(
    text: str,
) -> tuple[list[tuple[int, str]], list[tuple[int, str, int]], list[tuple[int, str]]]:
    """Return (unclosed openers, mismatched (pos, ch, opener_pos), unmatched closers).

    Linear: the stack keeps a count of each kind of opener it holds, so "is there an
    opener of this kind further down" is one look-up, and each opener is popped once.
    """
    stack: list[tuple[int, str]] = []
    held: dict[str, int] = {}  # opener -> how many of it the stack holds
    mismatched: list[tuple[int, str, int]] = []
    stray: list[tuple[int, str]] = []

    def pop() -> tuple[int, str]:
        item = stack.pop()
        held[item[1]] -= 1
        return item

    for m in _MARKS_RE.finditer(text):
        i, ch = m.start(), m.group()
        if ch in OPEN_TO_CLOSE:
            stack.append((i, ch))
            held[ch] = held.get(ch, 0) + 1
        elif ch in CLOSE_TO_OPEN or ch == '"':
            if ch == '"':
                if stack and stack[-1][1] == "“":
                    mismatched.append((i, ch, pop()[0]))
                continue  # straight quotes are PUNCT002's business
            if stack and OPEN_TO_CLOSE[stack[-1][1]] == ch:
                pop()
            elif stack and LOOSE.get(OPEN_TO_CLOSE[stack[-1][1]]) == ch:
                mismatched.append((i, ch, pop()[0]))
            elif held.get(CLOSE_TO_OPEN[ch], 0) > 0:
                # an opener further down: everything above it is unclosed
                while stack and stack[-1][1] != CLOSE_TO_OPEN[ch]:
                    stray.append(pop())
                pop()
            else:
                stray.append((i, ch))
    return stack, mismatched, stray


def _first_strays(stray: list[tuple[int, str]]) -> dict[str, int]:
    """The position of the first unmatched closer of each kind."""
    first: dict[str, int] = {}
    for pos, ch in stray:
        first.setdefault(ch, pos)
    return first


class UnbalancedPair(Rule):
    """Quotes or brackets that are not closed, or closed by the wrong mark, within a paragraph.

    ## What it does
    Pairs “ ” ‘ ’ （ ） 《 》 【 】 〔 〕 「 」 ( ) within each paragraph and reports an
    opener that is never closed, a closer with no opener, and a pair closed by a
    mark of another width (`“…"`, `（…)`), pointing at both ends where they exist.

    ## Why is this bad?
    An unclosed quotation mark changes what the reader takes as quoted; a missing
    bracket swallows the rest of the sentence. Such errors are easy to miss when
    proofreading and are conspicuous in print.

    ## Not reported
    A pair split by a line break between paragraphs (LAYOUT003 reports the broken
    paragraph instead), and quotations that run over several paragraphs in the
    Chinese style (each paragraph opens with “, only the last closes; the first may open it
    inside the paragraph: `强调：“…`).

    ## Example
    `连续9年获评“全省平安建设优秀省辖市，` → the “ is never closed.
    """

    code = "PUNCT003"
    name = "unbalanced-pair"
    severity = Severity.WARNING

    def check(self, doc: Document) -> Iterator[Finding]:
        paras = doc.paragraphs
        furniture = furniture_lines(doc)  # 【字体： / 大 / 中 / 小 / 】 is a widget, not a bracket
        scans = [_scan(p.text) if p.index not in furniture else ([], [], []) for p in paras]
        firsts = [_first_strays(sc[2]) for sc in scans]
        skip_closers: set[tuple[int, int]] = set()
        for k, p in enumerate(paras):
            opened, mismatched, stray = scans[k]
            for pos, ch, opos in mismatched:
                start = p.start + pos
                yield self.finding(
                    doc,
                    start,
                    start + 1,
                    zh=f"“{doc.text[p.start + opos]}”与“{ch}”不配对",
                    en=f"'{doc.text[p.start + opos]}' is closed by '{ch}'",
                    related=[
                        (
                            doc.span(p.start + opos, p.start + opos + 1),
                            Msg("开头在此", "opened here"),
                        )
                    ],
                )
            for pos, ch in opened:
                if self._continues(paras, scans, firsts, k, ch, skip_closers):
                    continue
                start = p.start + pos
                yield self.finding(
                    doc,
                    start,
                    start + 1,
                    zh=f"“{ch}”没有配对的“{OPEN_TO_CLOSE[ch]}”",
                    en=f"'{ch}' is never closed by '{OPEN_TO_CLOSE[ch]}'",
                )
            for pos, ch in stray:
                if (k, pos) in skip_closers:
                    continue
                if ch in CLOSE_TO_OPEN:
                    zh = f"“{ch}”前面没有配对的“{CLOSE_TO_OPEN[ch]}”"
                    en = f"'{ch}' has no opening '{CLOSE_TO_OPEN[ch]}'"
                else:
                    zh = f"“{ch}”没有配对的“{OPEN_TO_CLOSE[ch]}”"
                    en = f"'{ch}' is never closed by '{OPEN_TO_CLOSE[ch]}'"
                start = p.start + pos
                yield self.finding(doc, start, start + 1, zh=zh, en=en)

    @staticmethod
    def _continues(
        paras: list[Paragraph],
        scans: list[tuple[list, list, list]],
        firsts: list[dict[str, int]],
        k: int,
        ch: str,
        skip: set[tuple[int, int]],
    ) -> bool:
        """The pair goes on in a following paragraph (a broken paragraph or a long quote)."""
        close = OPEN_TO_CLOSE[ch]
        p = paras[k]
        if ch == "“" and k + 1 < len(paras) and paras[k + 1].text.startswith("“"):
            # A quotation over several paragraphs: each opens with “ and only the last closes. The
            # quote may start inside this paragraph (强调：“…); the next one's opening “ then runs
            # on too (never closed there) or closes at that paragraph's end.
            if p.text.startswith("“"):
                return True
            nxt = paras[k + 1].text
            if any(pos == 0 for pos, _ in scans[k + 1][0]) or nxt.rstrip("。！？!?…　 ").endswith("”"):
                return True
        loose = LOOSE.get(close)
        for j in range(k + 1, min(len(paras), k + 1 + LOOKAHEAD)):
            found = [pos for pos in (firsts[j].get(close), firsts[j].get(loose or "")) if pos is not None]
            if found:
                skip.add((j, min(found)))
                return True
        return False
