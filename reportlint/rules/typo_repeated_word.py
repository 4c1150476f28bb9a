from __future__ import annotations

import re
from collections.abc import Iterator

from reportlint.document import HAN_RE, Document
from reportlint.finding import Finding, Fix, Msg, Severity
from reportlint.lexicon import NAME_TAGS, TypoContext, Word, get_lexicon
from reportlint.registry import Rule

NUMERAL_START = set("一二三四五六七八九十百千万亿零〇两几第每各某这那")
# Verbs and adjectives reduplicate as ABAB in speech (研究研究, 高兴高兴) before a pause.
SPOKEN_TAGS = frozenset({"v", "vi", "a", "z"})
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
# A word of two to four characters followed at once by itself (经费经费).
_TWICE_RE = re.compile("([\u4e00-\u9fff]{2,6}?)\\1")
# Numerals and measures repeat (一个一个), onomatopoeia too, and some adverbs for emphasis
# (非常非常); other adverbs typed twice are slips (不断不断).
NOT_TWICE_TAGS = frozenset({"m", "mq", "q", "o", "e", "y"})
EMPHATIC = frozenset(
    ("非常", "特别", "十分", "格外", "实在", "真是", "相当", "极其", "多么", "好好", "慢慢", "渐渐")
)
# The repeated word heads both phrases as a verb or verbal noun (投入, 创新); repeated
# modifiers (亲自谋划亲自部署, 精准扶贫精准脱贫) and nouns (目标导向问题导向) are parallel.
HEAD_TAGS = ("v", "vn")


def _content(w: Word) -> bool:
    return w.freq > 0 and w.tag != "eng" and w.text[0] not in NUMERAL_START and w.tag not in NAME_TAGS


# Around a spoken ABAB reduplication (大家再讨论讨论，考虑考虑再定): what comes before it
# (再, 要, 请, 让 ...) and after it (a pause, 吧, 看, 再, 一下).
_REDUP_BEFORE = set("再要去来让请帮想得好试先都也")
_REDUP_AFTER = set("吧啊呢嘛看再一了")


def _phrase(lex, w: str) -> bool:
    """Whether w (4-6 characters) reads as a phrase: at most one single character and a
    word of at least MIN_FREQ (乡村振兴, 营商环境)."""
    if len(w) < 4:
        return False
    parts = lex.cut(w)
    return sum(len(x) == 1 for x in parts) <= 1 and any(lex.freq(x) >= MIN_FREQ for x in parts)


def _joins_neighbours(lex, text: str, s: int, n: int) -> bool:
    """Whether the first copy of text[s:s+n] ends a longer word and the second starts one."""
    mid = s + n
    ends = any(lex.freq(text[a:mid]) for a in range(max(0, s - 4), s))
    if not ends:
        return False
    return any(lex.freq(text[mid:b]) for b in range(mid + n + 1, min(len(text), mid + n + 4) + 1))


def _spoken_reduplication(text: str, s: int, e: int, verb: bool) -> bool:
    """Whether a word doubled at text[s:e] reads as spoken ABAB reduplication.

    Any word between the usual neighbours (再研究研究, 整理整理吧); a verb or adjective
    (by its lexicon tag) also before a pause (大家讨论讨论，).
    """
    before = text[s - 1] if s > 0 else ""
    after = text[e] if e < len(text) else ""
    if after in _REDUP_AFTER or before in _REDUP_BEFORE:
        return True
    return verb and (not after or not HAN_RE.match(after))


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
    Spoken verb and adjective reduplication (`大家再研究研究，`, `考虑考虑再定`), adverbs
    repeated for emphasis (`非常非常`), numerals and measures (`一年一年`), parallel
    phrases joined by a connector or by punctuation
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
        # (a) the same word twice in a row: 经费经费 (read from the text, so that it does
        # not matter how the doubled string segments).
        for p in doc.paragraphs:
            for m in _TWICE_RE.finditer(p.text):
                w = m.group(1)
                f, _, tag = lex._probe(w)
                if f < MIN_FREQ and _phrase(lex, w):
                    f, tag = MIN_FREQ, "l"  # a phrase of known words (乡村振兴, 新发展格局)
                if (
                    f < MIN_FREQ
                    or w[0] == w[1]
                    or w[0] in NUMERAL_START
                    or tag in NAME_TAGS
                    or tag in NOT_TWICE_TAGS
                    or w in EMPHATIC
                    or lex.freq(w + w)
                ):
                    continue
                if _joins_neighbours(lex, p.text, m.start(), len(w)):
                    continue  # 理工大学|大学城: each copy belongs to a longer word
                if len(w) == 2 and _spoken_reduplication(p.text, m.start(), m.end(), tag in SPOKEN_TAGS):
                    continue
                s, e = p.start + m.start(), p.start + m.end()
                if tctx.allowed(s, e) or doc.is_masked(s, e) or tctx.in_title(s, e):
                    continue
                yield self.finding(
                    doc,
                    s,
                    e,
                    zh=f"“{w}”连续重复",
                    en=f"{w!r} typed twice",
                    fix=Fix(w, safe=False),
                )
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
                zh=f"“{w.text}”在短语“{text[p.start : v.end]}”中重复，疑多余",
                en=f"{w.text!r} repeated within {text[p.start : v.end]!r}: one copy is redundant",
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
