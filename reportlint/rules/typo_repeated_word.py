from __future__ import annotations

from collections.abc import Iterator

from reportlint.document import Document
from reportlint.finding import Finding, Fix, Msg, Severity
from reportlint.lexicon import NAME_TAGS, TypoContext, Word, get_lexicon
from reportlint.registry import Rule

NUMERAL_START = set("一二三四五六七八九十百千万亿零〇两几第每各某这那")
# Verbs and adjectives reduplicate as ABAB in speech (研究研究, 高兴高兴): not reported.
REDUPLICATING_TAGS = frozenset({"v", "vd", "vi", "a", "ad", "an", "z", "d"})
# Words that join or contrast two phrases; a word repeated around them is parallel, not
# redundant (一年比一年, 经济发展和社会发展).
_CONNECTORS = (
    "和 与 及 或 并 而 又 再 也 还 就 更 越 比 到 至 对 向 为 把 被 是 的 地 得 了 着 过 以 促 带 "
    "以及 或者 并且 而且 还是 就是 不是 只是 同时 推动 促进 带动 引领 服务 保障 支撑 联动 "
    "结合 融合 对接 衔接 接续 接力 赋能 驱动 转向 变为 成为 加上 不如 胜过 又是 再到 "
    "作为 当作 视为 看作 变成 列为 纳入 等于 属于 包括 转为 转化 代替 取代 "
    "才能 才会 就能 就会 方能 能够 可以 必须 应该 应当 需要 已经 正在 不断 持续 共同 一起"
)
CONNECTORS = frozenset(_CONNECTORS.split(" "))
MIN_FREQ = 50
# The repeated word heads both phrases as a verb or verbal noun (投入, 创新); repeated
# modifiers (亲自谋划亲自部署, 精准扶贫精准脱贫) and nouns (目标导向问题导向) are parallel.
HEAD_TAGS = ("v", "vn")


def _content(w: Word) -> bool:
    return (
        w.freq > 0
        and w.tag != "eng"
        and w.text[0] not in NUMERAL_START
        and w.tag not in NAME_TAGS
    )


class RepeatedWord(Rule):
    """A word typed twice, or repeated in a short phrase where one copy is redundant.

    ## What it does
    Finds a word of two to four characters repeated at once (`经费经费`), and a word
    repeated after a single other word inside one clause, where one of the two
    copies is redundant (`研发投入经费投入` for `研发经费投入`, `勇于创新开拓创新`
    for `勇于开拓创新`).

    ## Why is this bad?
    Editing by cut and paste leaves the old word beside the new one; read aloud the
    sentence stumbles.

    ## Not reported
    Verb and adjective reduplication (`研究研究`), numerals and measures
    (`一年一年`), parallel phrases joined by a connector or by punctuation
    (`一年比一年好`, `产业链、价值链、供应链`), one-character repeats (`做强做大`,
    `用活用好`, DUP handles clauses of five characters or more).

    ## Example
    `研发投入经费投入增长19%` → `研发经费投入增长19%` (suggestion: delete the first
    `投入`).
    """

    code = "TYPO002"
    name = "repeated-word"
    severity = Severity.WARNING
    fixable = True

    def check(self, doc: Document) -> Iterator[Finding]:
        lex = get_lexicon()
        tctx = TypoContext.of(doc, self.context)
        words = doc.words
        text = doc.text
        for i, w in enumerate(words):
            if len(w.text) < 2 or not _content(w):
                continue
            # (a) the same word twice in a row: 经费经费.
            if i + 1 < len(words):
                v = words[i + 1]
                if (
                    v.text == w.text
                    and v.start == w.end
                    and w.tag not in REDUPLICATING_TAGS
                    and not lex.freq(w.text + w.text)
                    and not tctx.allowed(w.start, v.end)
                ):
                    yield self.finding(
                        doc,
                        w.start,
                        v.end,
                        zh=f"“{w.text}”连续重复",
                        en=f"{w.text!r} typed twice",
                        fix=Fix(w.text, safe=False),
                    )
                    continue
        # (b) P W g W in one clause: the first W is redundant (研发投入经费投入).
        fine = _split_compounds(words)
        for i in range(1, len(fine) - 2):
            p, w, g, v = fine[i - 1], fine[i], fine[i + 1], fine[i + 2]
            if not (
                v.text == w.text
                and p.end == w.start
                and w.end == g.start
                and g.end == v.start
                and len(w.text) >= 2
                and len(p.text) >= 2
                and len(g.text) == 2
                and _content(p)
                and _content(g)
                and _content(w)
                and w.tag in HEAD_TAGS
                and g.tag.startswith("v")
                and g.text not in CONNECTORS
                and lex.freq(w.text) >= MIN_FREQ
            ):
                continue
            if text[w.start : v.end] != w.text + g.text + w.text:
                continue
            if tctx.allowed(p.start, v.end) or doc.is_masked(p.start, v.end):
                continue
            yield self.finding(
                doc,
                w.start,
                w.end,
                zh=f"“{w.text}”在短语“{text[p.start:v.end]}”中重复，疑多余",
                en=f"{w.text!r} repeated within {text[p.start:v.end]!r}: one copy is redundant",
                related=[(doc.span(v.start, v.end), Msg("重复的另一处", "the other copy"))],
                fix=Fix("", safe=False),
            )


def _split_compounds(words: list[Word]) -> list[Word]:
    """Words with four-character compounds cut in two words (勇于创新 → 勇于 创新)."""
    lex = get_lexicon()
    out: list[Word] = []
    for w in words:
        t = w.text
        if len(t) == 4 and w.tag != "eng":
            a, b = t[:2], t[2:]
            fa, fb = lex.freq(a), lex.freq(b)
            if fa and fb:
                out.append(Word(w.start, w.start + 2, a, fa, lex.tag(a)))
                out.append(Word(w.start + 2, w.end, b, fb, lex.tag(b)))
                continue
        out.append(w)
    return out
