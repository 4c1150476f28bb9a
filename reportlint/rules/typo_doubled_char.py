from __future__ import annotations

import re
from collections.abc import Iterator

from reportlint.document import HAN_CLASS, HAN_RE, Document
from reportlint.finding import Finding, Fix, Severity
from reportlint.lexicon import Lexicon, TypoContext, get_lexicon, surnames
from reportlint.registry import Rule

_DOUBLE_RE = re.compile(f"([{HAN_CLASS}])\\1")
NUMERALS = set("一二三四五六七八九十百千万亿零〇两")
# Measure words and nouns that reduplicate to mean "every" (条条大路, 件件落实, 层层把关).
REDUPLICATING = set(
    "个条件项次回遍层级步处家户人天年月日时事样种批届期份篇本张只座间位名句点滴片声"
    "市县省区镇乡村组队班课门科周代桩排串群行列"
)
COMMON_WORD = 100
# Ends of names of bodies, before a title or word that starts with the same character
# (工业和信息化部|部长, 教育厅|厅长).
ORG_SUFFIX = set("部局厅委院处科室所办司署会社校团站馆馆校网台")
PREFIXES = set("全超非反再高新多大小总副前后准类半次原老初")
# One-character function words that meet a word starting or ending with them: 对|对方,
# 目的|的, 和|和平, 是|是否, 要|要求.
STANDALONE = set("的地得了着过是在和与及或也都就又还才再而把被将让使给对向从于以为由因所之其有要会能可说")


def _covered(lex: Lexicon, text: str, i: int) -> bool:
    """Whether the best segmentation keeps text[i] and text[i+1] in one word (常常, 钉钉子).

    Any lexicon word over both is not enough: 动动 is a word, but 推动动经济 reads
    推动|动|经济, so the repeat is a slip.
    """
    a, b = i, i + 2
    while a > 0 and i - a < 8 and HAN_RE.match(text[a - 1]):
        a -= 1
    while b < len(text) and b - i < 10 and HAN_RE.match(text[b]):
        b += 1
    return any(s <= i - a and i + 2 - a <= e for s, e in lex.route(text[a:b])[1])


def _word_ending_at(lex: Lexicon, text: str, i: int) -> int:
    """Frequency of the most frequent word of 2+ characters that ends with text[i]."""
    return max((lex.freq(text[a : i + 1]) for a in range(max(0, i - 6), i)), default=0)


def _word_starting_at(lex: Lexicon, text: str, i: int) -> int:
    best = 0
    for b in range(i + 2, min(len(text), i + 8) + 1):
        f, more, _ = lex._probe(text[i:b])
        best = max(best, f)
        if not more:
            break
    return best


def _starts_parallel_phrase(text: str, i: int) -> bool:
    """Whether the second copy begins a phrase that a list says again after a comma.

    用公正监管管出公平、管出效率: 管出 comes back after 、, so 监管|管出 is two words, not a
    slip. Inside running text the phrase proves nothing (产业链链补链 beside 延链补链).
    """
    phrase = text[i + 1 : i + 3]
    if len(phrase) < 2 or not HAN_RE.match(phrase[1]):
        return False
    return any(
        m.start() != i + 1 and (m.start() == 0 or text[m.start() - 1] in "、，,；;：:")
        for m in re.finditer(re.escape(phrase), text)
    )


def is_proper_doubling(lex: Lexicon, text: str, i: int, names: frozenset[str]) -> bool:
    """Whether the doubled character at text[i], text[i+1] is correct Chinese."""
    x = text[i]
    if x in NUMERALS or x in REDUPLICATING:
        return True
    if _starts_parallel_phrase(text, i):
        return True
    if i > 0 and text[i - 1] == "一":
        return True  # 一桩桩, 一排排
    if _covered(lex, text, i):
        return True
    # AABB: 认认真真, 干干净净 (AB a word), seen from either pair.
    if i + 3 < len(text) and text[i + 2] == text[i + 3] and lex.freq(x + text[i + 2]):
        return True
    if i >= 2 and text[i - 2] == text[i - 1] and lex.freq(text[i - 1] + x):
        return True
    left = _word_ending_at(lex, text, i)
    right = _word_starting_at(lex, text, i + 1)
    # A boundary between two words: 中医|医院, 产业链|链长.
    if left and right:
        return True
    # A one-character word next to a word that starts or ends with it: 对|对方, 目的|的.
    if x in STANDALONE and (left or right):
        return True
    # A word of its own after a term that ends with the character: 人社部|部长, 弃奖|奖金.
    # Not when a common word ends right before it: 省委|坚|坚强, 城镇|居|居民 are slips.
    after_word = i > 0 and _word_ending_at(lex, text, i - 1) >= COMMON_WORD
    slip = after_word and right >= COMMON_WORD
    if (
        right >= COMMON_WORD
        and x not in STANDALONE
        and i > 0
        and HAN_RE.match(text[i - 1])
        and (not after_word or x in ORG_SUFFIX)
    ):
        return True
    # A one-character verb said twice, standing alone: 搜搜对方, 查查原因.
    if not left and not slip and lex.tag(x) in ("v", "vn", "vg", "zg") and lex.freq(x) >= 1000:
        return True
    # A productive prefix before a word that starts with it or after it: 安全|全|链条, 原|原种.
    if x in PREFIXES and (right or _word_starting_at(lex, text, i + 2)):
        return True
    # A given name after a surname: 王芳芳.
    return i > 0 and text[i - 1] in names and not left


class DoubledCharacter(Rule):
    """A character typed twice where the doubled form makes no word.

    ## What it does
    Finds a Chinese character repeated immediately (`志志`) when the lexicon knows no
    word with the doubled form, it is not a reduplication (`常常`, `牢牢`,
    `实实在在`, `认认真真`, `人人`, `件件`), and it is not the meeting of two words
    (`中医|医院`, `产业链|链长`, `对|对方`).

    ## Why is this bad?
    A doubled character is the commonest slip of the keyboard and survives
    proofreading because the eye skips the repeat.

    ## Not reported
    Numbers (`二〇二二`), measure words and nouns that double to mean "every"
    (`件件`, `村村通`, `一桩桩`), a one-character verb said twice (`搜搜`), a term that
    ends with the character before a word that starts with it (`人社部|部长`), a
    productive prefix (`安全|全|链条`), names after a surname or a role (`王芳芳`,
    `议员野野村`), a doubled form written in two different places (a name: `陌陌`), the
    start of a phrase a list says again (`监管管出公平、管出效率`), short
    quotations, text masked as URLs or document numbers, and words in the allow-list
    or the learned lexicon.

    ## Example
    `统计、参事、志志、档案` → `志志` forms no word: delete one `志` or correct it
    (for instance to `史志`); the fix offered deletes the repeat (unsafe).
    """

    code = "TYPO001"
    name = "doubled-character"
    severity = Severity.ERROR
    fixable = True

    def check(self, doc: Document) -> Iterator[Finding]:
        lex = get_lexicon()
        tctx = TypoContext.of(doc, self.context)
        names = surnames()
        domain = self.context.get("domain_words") or {}
        suspects = [
            (p, m.start())
            for p in doc.paragraphs
            for m in _DOUBLE_RE.finditer(p.text)
            if not is_proper_doubling(lex, p.text, m.start(), names)
        ]
        named = _used_as_name(suspects)
        for p, i in suspects:
            s, e = p.start + i, p.start + i + 2
            if p.text[i : i + 2] in named:
                continue
            if doc.is_masked(s, e) or tctx.allowed(s, e) or tctx.in_short_quote(s, e):
                continue
            if tctx.in_name(s, e) or (
                # A name after a role (议员野野村), unless the second copy starts a common
                # word: 专家表|表示 is a slip.
                tctx.after_title(s) and _word_starting_at(lex, p.text, i + 1) < COMMON_WORD
            ):
                continue
            x = p.text[i]
            suggestion = _domain_suggestion(domain, x)
            hint_zh = f"，或应为“{suggestion}”" if suggestion else ""
            hint_en = f", or {suggestion!r} was meant" if suggestion else ""
            yield self.finding(
                doc,
                s,
                e,
                zh=f"“{x}{x}”不成词，疑多打了一个“{x}”{hint_zh}",
                en=f"{x + x!r} is not a word: a doubled character{hint_en}",
                fix=Fix(suggestion or x, safe=False),
            )


def _used_as_name(suspects: list) -> set[str]:
    """Doubled forms written in two different contexts: names the author means (陌陌, 文文).

    Only the doublings that read as slips count (产业链|链长 elsewhere says nothing about
    产业链链补链), and a copied paragraph repeats its slips with the same neighbours, so
    only places whose characters before and after differ count.
    """
    contexts: dict[str, set[tuple[str, str]]] = {}
    for p, i in suspects:
        pair = p.text[i : i + 2]
        if pair[0] in STANDALONE:
            continue  # 的的 twice is two slips, not a name
        contexts.setdefault(pair, set()).add((p.text[i - 1 : i], p.text[i + 2 : i + 3]))
    return {pair for pair, ctx in contexts.items() if len(ctx) >= 2}


def _domain_suggestion(domain, x: str) -> str:
    """A two-character word of the user's lexicon ending or starting with x, most used first."""
    best, best_n = "", 0
    if not isinstance(domain, dict):
        return ""
    for w, n in domain.items():
        if len(w) == 2 and x in w and w != x + x and n > best_n:
            best, best_n = w, n
    return best
