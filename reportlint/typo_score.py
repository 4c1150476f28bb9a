"""One calibrated score per TYPO suspect: language-model evidence, lexicon and name cues, channel.

Three kinds of suspect share this machinery:

- ``sub`` (TYPO003): one character where a sound-alike or look-alike one was meant; the
  correction replaces it;
- ``dbl`` (TYPO001): a character written twice; the correction deletes one copy;
- ``rep`` (TYPO002): a unit of 2-4 characters written twice (经费经费, 五年五年来), or a
  word said again after one other word (研发投入经费投入); the correction deletes a copy.

For each suspect a row of features is computed: the log-likelihood ratio of the corrected
text against the text as written under the character 5-gram model (``reportlint/lm.py``),
how familiar the written and corrected n-grams are, what the word lexicon and the corpus
vocabulary say of the written and corrected forms, the kind of slip (same tone, same
syllable, near sound, look-alike), and cues that the text is a name (a surname or a role
word before, 等/公司/县 after, a 、-list, rare characters, a foreign name's ·, the same
string used again in the document). A logistic model per kind, fitted by
``tools/fit_typo.py`` on held-out tune text (positives: errors injected into it; negatives:
the suspects the clean text raises), turns the row into a confidence between 0 and 1; each
rule reports what reaches its threshold for the level (``lint`` or ``review``), both chosen
on the tune part. Weights and thresholds live in ``data/typo_model.json``.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from reportlint.lexicon import (
    NAME_TAGS,
    PERSON_TITLE_END_RE,
    Lexicon,
    Word,
    _read,
    common_chars,
    confusables,
    get_lexicon,
    han_around,
    is_bmp_han,
    is_common_han,
    read_data_lines,
    segment_text,
    surnames,
)
from reportlint.lm import FIRST_CHAR, UNK, B, CharLM, get_lm
from reportlint.typo_lm import SUSPECT_WINDOW, DocLM, substitution_candidates

NUMERALS = frozenset("零〇一二三四五六七八九十百千万亿两几第")
# Measure words and nouns that reduplicate to mean "every" (条条大路, 件件落实, 层层把关).
REDUPLICATING = frozenset(
    "个条件项次回遍层级步处家户人天年月日时事样种批届期份篇本张只座间位名句点滴片声"
    "市县省区镇乡村组队班课门科周代桩排串群行列"
)
# One-character function words that meet a word starting or ending with them (对|对方).
STANDALONE = frozenset(
    "的地得了着过是在和与及或也都就又还才再而把被将让使给对向从于以为由因所之其有要会能可说"
)
NUMERAL_START = frozenset("一二三四五六七八九十百千万亿零〇两几第每各某这那")
SPOKEN_AFTER = frozenset("吧啊呢嘛看再一了")
EMPHATIC = frozenset(
    ("非常", "特别", "十分", "格外", "实在", "真是", "相当", "极其", "多么", "好好", "慢慢", "渐渐")
)
SPOKEN_TAGS = frozenset({"v", "vi", "vn", "a", "z"})
PLACE_AFTER = frozenset("省市县区镇乡村州盟旗路街巷桥港湾站岛湖山河江峰寺庙")
ORG_AFTER = ("公司", "集团", "股份", "有限", "科技", "银行", "控股", "实业", "大学", "学院", "医院", "中心")
COUNTRY_NEXT = ("两国", "关系", "合作", "双方", "友好", "建交", "方")


_SHORT_QUOTE_RE = re.compile(r"[“\"「《][^“”\"「」《》\n]{1,12}[”\"」》]")

SUB_FEATURES = (
    "llr",
    "llr_hi",
    "quick",
    "surprise",
    "ord_w",
    "ord_c",
    "ord_w0",
    "ord_w2",
    "ord_c0",
    "ord_c2",
    "k_tone",
    "k_syllable",
    "k_near_sound",
    "k_shape",
    "k_near_shape",
    "w_word",
    "c_word",
    "w_term",
    "c_term",
    "seg_gain",
    "rare",
    "unk",
    "surname",
    "role",
    "deng_after",
    "place_after",
    "org_after",
    "country",
    "in_list",
    "quoted",
    "doc_rep",
    "foreign",
    "foreign_ctx",
    "foreign_self",
    "abbrev",
    "fw_pair",
    "fw_llr",
    "doc_term",
)
DBL_FEATURES = (
    "llr",
    "llr_hi",
    "surprise",
    "ord_w",
    "ord_l",
    "ord_r1",
    "ord_r2",
    "coh_left",
    "coh_right",
    "coh_xx",
    "xx_word",
    "covered",
    "left_word",
    "right_word",
    "boundary",
    "no_word",
    "seg_gain",
    "standalone",
    "verb1",
    "surname",
    "role",
    "rare",
    "doc_rep",
    "quoted",
    "in_list",
    "odd_item",
    "att_left",
    "att_right",
    "att_min",
    "pmi2",
    "func_alone",
    "att_r1",
    "att_r3",
    "att_min3",
    "lp_first",
    "recur",
    "parallel",
    "redup",
)
REP_FEATURES = (
    "llr",
    "llr_hi",
    "len2",
    "len3",
    "len4",
    "gap",
    "u_word",
    "uu_word",
    "seg_gain",
    "num_start",
    "spoken",
    "verb",
    "emphatic",
    "joins",
    "name_tag",
    "doc_rep",
    "quoted",
)
FEATURES = {"sub": SUB_FEATURES, "dbl": DBL_FEATURES, "rep": REP_FEATURES}


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
WORD_PAIR_FREQ = 5000  # a one-character word this common (在, 再, 地, 得) in the lexicon
# The repeated word heads both phrases as a verb or verbal noun (投入, 创新); repeated
# modifiers (亲自谋划亲自部署, 精准扶贫精准脱贫) and nouns (目标导向问题导向) are parallel.
HEAD_TAGS = ("v", "vn")


def _content(w: Word) -> bool:
    return w.freq > 0 and w.tag != "eng" and w.text[0] not in NUMERAL_START and w.tag not in NAME_TAGS


def gap_places(words: list[Word], text: str) -> Iterator[tuple[Word, Word, Word, Word]]:
    """(P, W, g, W) word runs of one clause where a verbal head W comes back after a verb g."""
    lex = get_lexicon()
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
        yield p, w, g, v


def gap_spots(words: list[Word]) -> list[tuple[int, str, str]]:
    """(offset, g, v) where saying the head word v again before the verb g would make the slip
    gap_places finds (研发|投入|经费 → 研发投入经费投入): where the injectors of the fitting and of
    the benchmark put it, so that both measure the same places."""
    spots = []
    for p, g, v in zip(words, words[1:], words[2:], strict=False):
        if (
            p.end == g.start
            and g.end == v.start
            and len(p.text) >= 2
            and len(g.text) == 2
            and len(v.text) >= 2
            and _content(p)
            and _content(g)
            and _content(v)
            and v.tag in HEAD_TAGS
            and g.tag.startswith("v")
            and g.text not in CONNECTORS
            and v.freq >= MIN_FREQ
        ):
            spots.append((p.end, g.text, v.text))
    return spots


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


def grammatical_doubling(text: str, p: int, lex: Lexicon) -> bool:
    """A doubled character that grammar makes whatever the words around say: numerals (一一对应,
    八八战略: a number is a fact), 一XX (一桩桩), AABB (认认真真, 和和美美) and two words meeting
    where the sentence repeats the second in parallel (用公正监管管出公平、管出效率).

    Also a one-character function word beside a word that starts or ends with it (对|对方,
    反对|对俄, 方向|向, 实地|地), and a series of doublings that mean "every" (县县通、乡乡通).
    A single measure word or noun that may double to mean "every" (件件落实, 人人参与) is not
    excused here: that is a feature of the score (``redup``), which the language model weighs
    against the slip it may also be (发挥市市场, 城镇镇化)."""
    x = text[p]
    if x in NUMERALS:
        return True
    if p > 0 and text[p - 1] == "一":
        return True
    if x in STANDALONE and _beside_its_word(text, p, lex):
        return True
    if x in REDUPLICATING and _every_series(text, p):
        return True
    phrase = text[p + 1 : p + 3]
    if len(phrase) == 2 and is_bmp_han(phrase[1]):
        i = text.find(phrase, p + 3, p + 20)
        if i > 0 and text[i - 1] in "、，,；;":
            return True
    # AABB, whether or not AB is a word of the lexicon (和和美美, 满满当当, 走走看看, 爷爷奶奶).
    n = len(text)
    return (p + 3 < n and text[p + 2] == text[p + 3] and is_bmp_han(text[p + 2])) or (
        p >= 2 and text[p - 2] == text[p - 1] and is_bmp_han(text[p - 1])
    )


def _every_series(text: str, p: int, reach: int = 8) -> bool:
    """Another doubling of a measure word or noun within ``reach`` characters (县县通、乡乡通、
    村村通; 人人有责、事事关心): a series of "every" phrases."""
    for q in range(max(0, p - reach), min(len(text) - 1, p + 2 + reach)):
        if abs(q - p) >= 2 and text[q] == text[q + 1] and text[q] != text[p] and text[q] in REDUPLICATING:
            return True
    return False


def _beside_its_word(text: str, p: int, lex: Lexicon) -> bool:
    """The doubled function word at ``p`` stands beside a word that starts or ends with it
    (对|对方, 反对|对俄, 目的|的), unless it is stranded before a clause mark (成就就，)."""
    if _stranded(text, p, lex):
        return False
    n = len(text)
    return any(lex.freq(text[p + 1 : b]) for b in range(p + 3, min(n, p + 5) + 1)) or any(
        lex.freq(text[a : p + 1]) for a in range(max(0, p - 3), p)
    )


CLAUSE_ENDS = frozenset("，。；：、！？,;:!?")


def _stranded(text: str, p: int, lex: Lexicon) -> bool:
    """The second copy stands right before a clause or sentence mark and is no particle that may
    end a clause (的, 了, 吗): a function word there governs nothing, so it is no word of its own
    beside a word that ends with it (成就|就，, 反对|对，), whatever the lexicon says of the pair."""
    return (
        p + 2 < len(text) and text[p + 2] in CLAUSE_ENDS and not lex.tag(text[p]).startswith(("u", "y", "e"))
    )


def _grammar_word(tag: str) -> bool:
    """The part-of-speech tag of a preposition, conjunction or particle (对, 和, 的, 了)."""
    return tag in ("p", "c") or tag.startswith("u")


def _parallel(text: str, p: int) -> bool:
    """A doubled X that opens a series of two-character units sharing X (链链补链强链).

    The series (AX BX CX: 延链补链强链, 防灾减灾救灾) puts another character before each X;
    a doubled X at its head stands where the first unit's own character belongs.
    """
    x = text[p]
    after = text[p + 2 : p + 6]
    return len(after) == 4 and after[1] == x and after[3] == x and x not in (after[0], after[2])


ABA_WORD_FREQ = 20  # a word of the lexicon this common, not one of its odd entries (修嗣修)


def grammatical_repeat(text: str, p: int, size: int, lex: Lexicon) -> bool:
    """A unit written twice by grammar: a word reduplicated in speech before a particle or
    after 再 (考虑考虑再定, 整理整理吧, 再研究研究), a verb or adjective reduplicated before a
    pause (讨论讨论，), emphatic adverbs (非常非常) and counting (一个一个, 一件一件); and a
    word of the pattern ABA whose B then starts the next word (手把手|把经验, 面对面|对话)."""
    u = text[p : p + size]
    if u in EMPHATIC or u[0] == "一":
        return True
    if size != 2:
        return False
    if lex.freq(u + u[0]) >= ABA_WORD_FREQ and p + 4 < len(text) and is_bmp_han(text[p + 4]):
        return True  # 手把手|把经验: the second B goes on into a word (not 心连心连，)
    e = p + 4
    after = text[e] if e < len(text) else ""
    if after in SPOKEN_AFTER or (p > 0 and text[p - 1] == "再"):
        return True
    return lex.tag(u) in SPOKEN_TAGS and (not after or not is_bmp_han(after))


@dataclass(frozen=True, slots=True)
class Suspect:
    """A place the model questions: text[start:end] may be ``replacement``."""

    kind: str  # sub, dbl, rep
    start: int
    end: int
    replacement: str
    confidence: float
    llr: float
    detail: str = ""  # rep: "gap" for a word said again after one word


# --------------------------------------------------------------------------- data


@lru_cache(maxsize=1)
def corpus_terms() -> dict[str, int]:
    """Strings the lexicon splits into loose characters, used often in the corpus (data file)."""
    out: dict[str, int] = {}
    for ln in read_data_lines("corpus_terms.txt"):
        w, _, n = ln.partition("\t")
        out[w] = int(n)
    return out


@lru_cache(maxsize=1)
def typo_model() -> dict[str, Any]:
    return json.loads(_read("typo_model.json"))


def load_rare_tables() -> None:
    """Load the character table and the sound and shape tables, which a text reaches only
    through a rare character's candidates (a child process's head start, ``split``)."""
    common_chars()
    confusables("的")


def threshold(kind: str, level: str, model: dict[str, Any] | None = None) -> float:
    m = (model or typo_model())[kind]
    return float(m["thresholds"][level])


def confidence(kind: str, x: np.ndarray, model: dict[str, Any] | None = None) -> np.ndarray:
    """The logistic model's probability that each row is a real error."""
    m = (model or typo_model())[kind]
    if len(x) == 0:
        return np.zeros(0)
    z = ((x - np.array(m["mean"])) / np.array(m["scale"])) @ np.array(m["weights"]) + m["bias"]
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


# --------------------------------------------------------------------------- document


def _foreign(text: str, s: int, e: int) -> bool:
    """A foreign name's mark near the place: the middle dot (塔希尔·努努) or a hyphen."""
    near = text[max(0, s - 6) : e + 6]
    return "·" in near or "•" in near or "-" in near or "－" in near


def _key(s: str) -> int:
    k = 0
    for ch in s:
        k = (k << 21) | ord(ch)
    return k


def _bordered(s: str) -> bool:
    """Whether a string's start is also its end (abab, aXXa): copies of it can overlap."""
    return any(s[:k] == s[-k:] for k in range(1, len(s)))


def _log10p(x: float) -> float:
    return math.log10(1.0 + x)


class DocTypo:
    """The TYPO view of one text: language-model scores and the suspects of each kind."""

    def __init__(
        self,
        text: str,
        lm: CharLM | None = None,
        lex: Lexicon | None = None,
        terms: dict[str, int] | None = None,
        model: dict[str, Any] | None = None,
    ) -> None:
        self.text = text
        self.lm = lm or get_lm()
        self.lex = lex or get_lexicon()
        self.terms = corpus_terms() if terms is None else terms
        self.model = model
        self.d = DocLM(text, self.lm)
        self._counts: dict[str, int] = {}
        self._quotes: list[tuple[int, int]] | None = None
        self._cache: dict[str, list[Suspect]] = {}
        self.names = surnames()

    @classmethod
    def of(cls, doc: Any) -> DocTypo:
        cached = doc.__dict__.get("_doc_typo")
        if cached is None:
            cached = doc.__dict__["_doc_typo"] = cls(doc.text)
        return cached

    # -- helpers --------------------------------------------------------------------
    def count(self, s: str) -> int:
        """How often a string occurs in the text (2-3 characters: from a sorted index of them)."""
        n = self._counts.get(s)
        if n is None:
            found = self._index(len(s))
            if found is not None:
                keys = found[0]
                k = np.uint64(_key(s))
                n = int(np.searchsorted(keys, k, "right") - np.searchsorted(keys, k, "left"))
            else:
                n = self.text.count(s) if s else 0
            self._counts[s] = n
        return n

    def positions(self, s: str) -> np.ndarray | None:
        """Where a string of 2-3 characters starts, every occurrence (overlapping ones too), in
        text order; None for a short text, which is searched directly."""
        found = self._index(len(s))
        if found is None:
            return None
        keys, at = found
        k = np.uint64(_key(s))
        return np.sort(at[np.searchsorted(keys, k, "left") : np.searchsorted(keys, k, "right")])

    def _index(self, size: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Every n-gram of ``size`` characters as a key, sorted, with where each starts (texts
        over 20,000 characters, where scanning the text for each count would cost more)."""
        if not 2 <= size <= 3 or len(self.text) <= 20_000:
            return None
        idx = self.__dict__.get(f"_index{size}")
        if idx is None:
            cp = np.frombuffer(self.text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
            key = np.zeros(len(cp) - size + 1, dtype=np.uint64)
            for j in range(size):
                key = (key << np.uint64(21)) | cp[j : len(cp) - size + 1 + j]
            at = np.argsort(key)
            idx = self.__dict__[f"_index{size}"] = (key[at], at)
        return idx

    def quoted(self, s: int, e: int) -> bool:
        """Inside a short quotation or title (“汉疆”, 《…》): a name or a slogan, as written."""
        if self._quotes is None:
            self._quotes = [(m.start(), m.end()) for m in _SHORT_QUOTE_RE.finditer(self.text)]
            self._quote_starts = [a for a, _ in self._quotes]
        i = bisect.bisect_left(self._quote_starts, s) - 1
        return i >= 0 and e < self._quotes[i][1]

    def known(self, w: str) -> int:
        """Frequency of a string as a word: the lexicon's, else the corpus vocabulary's."""
        f = self.lex._probe(w)[0]
        return f or self.terms.get(w, 0)

    def best_word(self, text: str, p: int, span: int = 1, lo: int = 2, hi: int = 4) -> tuple[int, int]:
        """(lexicon frequency, corpus-term count) of the best string of lo..hi chars over text[p:p+span]."""
        best_f = best_t = 0
        n = len(text)
        probe = self.lex._probe
        terms = self.terms
        for a in range(max(0, p - hi + span), p + 1):
            for b in range(max(a + lo, p + span), min(n, a + hi) + 1):
                w = text[a:b]
                f = probe(w)[0]
                if f > best_f:
                    best_f = f
                t = terms.get(w, 0)
                if t > best_t:
                    best_t = t
        return best_f, best_t

    def seg_gain(self, s: int, e: int, rep: str) -> float:
        """Change in the lexicon's best-segmentation log-probability when text[s:e] becomes rep.

        Over the run of Chinese characters within six characters of the change: the word
        lexicon's own verdict (a unigram word model), beside the character model's.
        """
        text = self.text
        a, b = han_around(text, s, e, 6, 6)
        old = self.lex.route_cached(text[a:b])[0]
        return self.lex.route(text[a:s] + rep + text[e:b])[0] - old

    def role_before(self, p: int) -> bool:
        return bool(PERSON_TITLE_END_RE.search(self.text, max(0, p - 4), p))

    # -- substitutions (TYPO003) ------------------------------------------------------
    def substitutions(self) -> list[Suspect]:
        if "sub" not in self._cache:
            rows, meta = self._sub_rows(self._sub_candidates())
            self._cache["sub"] = self._decide("sub", rows, meta)
        return self._cache["sub"]

    def _sub_candidates(self) -> dict[str, np.ndarray]:
        d, lm, text = self.d, self.lm, self.text
        # Rare characters (UNK to the model) get their candidates from the lexicon's tables.
        extra: dict[int, list[tuple[int, int]]] = {}
        for t in np.flatnonzero(d.ids == UNK):
            if t + 1 < d.n and d.lp[t] + d.lp[t + 1] < SUSPECT_WINDOW:
                ch = text[d.pos[t]]
                cs = [(lm.char_id(c), k) for c, k in sorted(confusables(ch).items()) if c not in NUMERALS]
                cs = [(i, k) for i, k in cs if i >= FIRST_CHAR]
                if cs:
                    extra[int(t)] = cs
        return substitution_candidates(d, extra=extra)

    def _sub_rows(self, sc: dict[str, np.ndarray]) -> tuple[list[list[float]], list[tuple]]:
        d, lm, text = self.d, self.lm, self.text
        common = common_chars()
        t_all, c_all, llr_all = sc["t"], sc["c"], sc["llr"]
        if len(t_all) == 0:
            return [], []
        # The two best corrections of each position by the model.
        order = np.lexsort((-llr_all, t_all))
        first = np.ones(len(order), dtype=bool)
        first[1:] = t_all[order][1:] != t_all[order][:-1]
        rank = np.arange(len(order)) - np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
        pick = order[rank < 2]
        new_orders = np.zeros((len(pick), lm.order), dtype=np.int64)
        d.replace_llr(t_all[pick], 1, c_all[pick][:, None], new_orders)
        vocab = lm.vocab
        rows: list[list[float]] = []
        meta: list[tuple] = []
        n = d.n
        fr = lm.foreign.tolist() if lm.foreign is not None else [0.0] * lm.size
        ab = lm.abbrev.tolist() if lm.abbrev is not None else [False] * lm.size
        zhong = lm.char_id("中")
        for j, i in enumerate(pick):
            t = int(t_all[i])
            p = int(d.pos[t])
            o = text[p]
            c = chr(int(vocab[int(c_all[i]) - FIRST_CHAR]))
            kind = int(sc["kind"][i])
            llr = float(llr_all[i])
            nxt = min(t + 1, n - 1)
            ord_w = min(int(d.orders[t]), int(d.orders[nxt]))
            ord_c = min(int(new_orders[j, 0]), int(new_orders[j, 1]))
            corrected = text[max(0, p - 4) : p] + c + text[p + 1 : p + 5]
            q = min(p, 4)
            wf, wt = self.best_word(text, p)
            cf, ct = self.best_word(corrected, q)
            after = text[p + 1 : p + 6]
            before = text[max(0, p - 2) : p]
            rows.append(
                [
                    llr,
                    max(llr - 8.0, 0.0),
                    float(sc["quick"][i]),
                    -float(d.lp[t] + d.lp[nxt]),
                    ord_w,
                    ord_c,
                    int(d.orders[t]),
                    int(d.orders[t + 2]) if t + 2 < n else 0,
                    int(new_orders[j, 0]),
                    int(new_orders[j, 2]),
                    kind == 0,
                    kind == 1,
                    kind == 2,
                    kind == 3,
                    kind == 4,
                    _log10p(wf),
                    _log10p(cf),
                    _log10p(wt),
                    _log10p(ct),
                    self.seg_gain(p, p + 1, c),
                    o not in common,  # a character used less than COMMON_USAGE
                    int(d.ids[t]) == UNK,
                    any(ch in self.names for ch in before),
                    self.role_before(p),
                    "等" in after[:4],
                    bool(after) and after[0] in PLACE_AFTER,
                    any(w in after for w in ORG_AFTER),
                    (p > 0 and text[p - 1] == "中" and after.startswith(COUNTRY_NEXT))
                    or after.startswith("方"),
                    "、" in text[max(0, p - 4) : p + 5],
                    self.quoted(p, p + 1),
                    self.count(text[max(0, p - 1) : p + 2]) >= 2,
                    "·" in text[max(0, p - 6) : p + 7],
                    *self._name_cues(t, fr, ab, zhong),
                    fw := self._word_pair(o, c, kind),
                    llr * fw,
                    max(self.count(text[max(0, p - 1) : p + 1]), self.count(text[p : p + 2])) >= 3,
                ]
            )
            meta.append((p, p + 1, c, llr, f"{text[max(0, p - 2) : p + 3]}"))
        return rows, meta

    def _word_pair(self, o: str, c: str, kind: int) -> float:
        """1.0 when the written and the corrected character are both common words on their own
        and sound alike (在/再, 的/地/得, 做/作): a slip between two words, which only the
        context can tell apart."""
        if kind != 0:
            return 0.0
        probe = self.lex._probe
        return float(probe(o)[0] >= WORD_PAIR_FREQ and probe(c)[0] >= WORD_PAIR_FREQ)

    def _name_cues(self, t: int, fr: list[float], ab: list[bool], zhong: int) -> tuple[float, float, bool]:
        """(transliteration score of the neighbours, of the character itself, a country's
        abbreviation beside 中 or another one: 中厄, 希中, 中阿).

        Neighbours: the two tokens on each side that are Chinese characters; the scores come
        from the corpus (``lm.foreign``: how much likelier a character is in foreign names).
        """
        d = self.d
        ids, n = d.ids, d.n
        near = [fr[ids[k]] for k in (t - 2, t - 1, t + 1, t + 2) if 0 <= k < n and ids[k] >= FIRST_CHAR]
        ctx = sum(near) / len(near) if near else 0.0
        w = int(ids[t])
        side = [int(ids[k]) for k in (t - 1, t + 1) if 0 <= k < n]
        pair = bool(ab[w]) and any(k == zhong or (k >= FIRST_CHAR and ab[k]) for k in side)
        return ctx, float(fr[w]) if w < len(fr) else 0.0, pair

    # -- doubled characters (TYPO001) ---------------------------------------------------
    def doublings(self) -> list[Suspect]:
        if "dbl" not in self._cache:
            self._cache["dbl"] = self._decide("dbl", *self._dbl_rows())
        return self._cache["dbl"]

    def _dbl_rows(self) -> tuple[list[list[float]], list[tuple]]:
        d, text = self.d, self.text
        common = common_chars()
        ids = d.ids
        han = (ids == UNK) | (ids >= FIRST_CHAR)
        same = np.flatnonzero((ids[1:] == ids[:-1]) & han[:-1])
        # A Chinese character, the same character next (UNK tokens compared as text).
        cand = [
            int(t)
            for t in same
            if text[d.pos[t]] == text[d.pos[t + 1]]
            and d.pos[t + 1] == d.pos[t] + 1
            and not grammatical_doubling(text, int(d.pos[t]), self.lex)
            and not self._in_name(int(d.pos[t]))
        ]
        if not cand:
            return [], []
        ts = np.array(cand, dtype=np.int64)
        llr = d.replace_llr(ts, 1, np.zeros((len(ts), 0), dtype=np.int64))
        prev_ids = np.where(ts > 0, ids[np.maximum(ts - 1, 0)], B)
        next_ids = np.where(ts + 2 < d.n, ids[np.minimum(ts + 2, d.n - 1)], B)
        coh_l = self.lm.cohesion(prev_ids, ids[ts])
        coh_r = self.lm.cohesion(ids[ts], next_ids)
        coh_xx = self.lm.cohesion(ids[ts], ids[ts])
        att_l, att_r, att_r1, att_r3 = self._attachment(ts)
        pmi2 = d.lp[ts + 1] - self.lm.unigram_lp[ids[ts]]
        lex = self.lex
        rows: list[list[float]] = []
        meta: list[tuple] = []
        n = len(text)
        for j, (t, g) in enumerate(zip(cand, llr, strict=True)):
            p = int(d.pos[t])
            x = text[p]
            xx = x + x
            left = max((self.known(text[a : p + 1]) for a in range(max(0, p - 4), p)), default=0)
            right = 0
            for b in range(p + 3, min(n, p + 6) + 1):
                f, more, _ = lex._probe(text[p + 1 : b])
                right = max(right, f or self.terms.get(text[p + 1 : b], 0))
                if not more and not self.terms:
                    break
            tag = lex.tag(x)
            g = float(g)
            rows.append(
                [
                    g,
                    max(g - 8.0, 0.0),
                    -float(d.lp[t + 1] + (d.lp[t + 2] if t + 2 < d.n else 0.0)),
                    int(d.orders[t + 1]),
                    int(d.orders[t]),
                    int(d.orders[t + 2]) if t + 2 < d.n else 0,
                    int(d.orders[t + 3]) if t + 3 < d.n else 0,
                    float(coh_l[j]),
                    float(coh_r[j]),
                    float(coh_xx[j]),
                    _log10p(self.known(xx)),
                    self._covered(p),
                    _log10p(left),
                    _log10p(right),
                    _log10p(min(left, right)),
                    not (left or right or self.known(xx)),
                    self.seg_gain(p, p + 2, x),
                    x in STANDALONE,
                    tag in ("v", "vn", "vg", "zg") and lex.freq(x) >= 1000,
                    p > 0 and text[p - 1] in self.names,
                    self.role_before(p),
                    x not in common,
                    x not in STANDALONE and self._named_twice(xx, p),
                    self.quoted(p, p + 2),
                    "、" in text[max(0, p - 4) : p + 6],
                    self._odd_item(p),
                    float(att_l[j]),
                    float(att_r[j]),
                    float(min(att_l[j], att_r[j])),
                    float(pmi2[j]),
                    x in STANDALONE and not (left or right or self.known(xx)),
                    float(att_r1[j]),
                    float(att_r3[j]),
                    float(min(att_l[j], att_r3[j])),
                    float(d.lp[t]),
                    self._recurs(p, p + 3) or self._recurs(max(0, p - 1), p + 2),
                    _parallel(text, p),
                    x in REDUPLICATING,
                ]
            )
            meta.append((p, p + 2, x, g, ""))
        return rows, meta

    def _attachment(self, ts: np.ndarray) -> tuple[np.ndarray, ...]:
        """How firmly each copy of a doubled character holds to its outer neighbours.

        Left: ln P(X | the text before) - ln P(X | a phrase start), i.e. whether the first copy
        ends a unit with what precedes it (暑期档|, 积极推动|). Right, over one, two and three
        characters after the second copy: ln P(them | phrase start, X) - ln P(them | phrase
        start), i.e. whether the second copy begins a unit with what follows (|档期, |职工).
        Two words meeting hold on both sides; a slip leaves one copy loose. Where fewer Chinese
        characters follow than a reading needs: 0 over two, the one-character reading (or 0)
        over three. Returns (left, right over two, right over one, right over three).
        """
        d, lm = self.d, self.lm
        ids, n = d.ids, d.n
        x = ids[ts]
        r = [np.where(ts + 2 + k < n, ids[np.minimum(ts + 2 + k, n - 1)], B) for k in range(3)]
        c = np.full(len(ts), lm.char_id("，"), dtype=np.int64)
        left = d.lp[ts] - lm.logprob(np.stack([c, x], axis=1))
        # ln P of the k-th following character, after the phrase start with and without X
        with_x = [lm.logprob(np.stack([c, x, *r[: k + 1]], axis=1)) for k in range(3)]
        without = [lm.logprob(np.stack([c, *r[: k + 1]], axis=1)) for k in range(3)]
        ok1 = r[0] >= FIRST_CHAR
        ok2 = ok1 & (r[1] >= FIRST_CHAR)
        ok3 = ok2 & (r[2] >= FIRST_CHAR)
        one = np.where(ok1, with_x[0] - without[0], 0.0)
        two = np.where(ok2, (with_x[0] + with_x[1]) - (without[0] + without[1]), 0.0)
        three = (with_x[0] + with_x[1] + with_x[2]) - (without[0] + without[1] + without[2])
        return left, two, one, np.where(ok3, three, one)

    def _recurs(self, s: int, e: int) -> bool:
        """text[s:e] occurs again in the document in another context (a name, a term).

        Copies with the same neighbour on each side (a paragraph printed twice) do not count.
        """
        text = self.text
        n = self.count(text[s:e])
        if n < 2:
            return False
        ctx = text[max(0, s - 1) : e + 1]
        at = self.positions(text[s:e])
        if at is None or len(ctx) != e - s + 2 or _bordered(ctx):
            return n > text.count(ctx)
        # The same count as str.count: a string that overlaps no copy of itself.
        return n > sum(text[i - 1 : i + len(ctx) - 1] == ctx for i in at.tolist())

    def _in_name(self, p: int) -> bool:
        """A doubled character that is part of a person's name, as its surroundings show:

        - right after a role word (议员野野村), or after a role word and a surname with which
          the doubled character makes no word (市长李明明确: the name 李明, then 明确; but
          书记高度度 is a slip: 高度);
        - right after a surname with no role word before it that neither ends a word before it
          (导向的的: 向 ends 导向) nor starts one with the doubled character (牛菲菲, but not
          王国国家);
        - in both bare cases, unless the second copy starts a common word (专家表表示, 高品品质,
          向纵纵深 are slips);
        - inside a foreign name joined by a middle dot (塔希尔·努努).

        A preposition, conjunction or particle doubled after a role word or a surname begins
        no name: it is grammar's word after a title (总书记对对北京, 委员和和列席).
        """
        text = self.text
        a, b = han_around(text, p, p + 2, 4, 4)
        if text[a - 1 : a] in ("·", "•") or text[b : b + 1] in ("·", "•"):
            return True
        if _grammar_word(self.lex.tag(text[p])):
            return False  # a preposition, conjunction or particle begins no name (书记对对)
        n = len(text)
        right = any(self.lex.freq(text[p + 1 : e]) >= 100 for e in range(p + 3, min(n, p + 5) + 1))
        if self.role_before(p):
            return not right
        if p > 0 and text[p - 1] in self.names:
            # The surname starts no word with the doubled character (王国国家: 王国; 书记高度度:
            # 高度) and ends none before it (导向的的: 向 is the end of 导向 there).
            left = any(self.known(text[s : p + 1]) for s in range(max(0, p - 3), p))
            if left:
                return False
            if self.role_before(p - 1):
                return True  # a title, a surname: the doubled character ends the name (市长李明明确)
            ends = any(self.known(text[s:p]) for s in range(max(0, p - 4), p - 1))
            return not (ends or right)
        return False

    def _odd_item(self, p: int) -> bool:
        """A short item of a 、-list that is no word and no name: 统计、参事、志志、档案."""
        text = self.text
        a, b = han_around(text, p, p + 2, 4, 4)
        item = text[a:b]
        if len(item) > 3 or "、" not in (text[a - 1 : a] + text[b : b + 1]):
            return False
        return not self.known(item) and item[0] not in self.names

    def _covered(self, p: int) -> bool:
        """Whether the best segmentation keeps text[p] and text[p+1] in one word (常常, 钉钉子)."""
        text = self.text
        a, b = han_around(text, p, p + 2, 8, 8, is_common_han)
        return any(s <= p - a and p + 2 - a <= e for s, e in self.lex.route_cached(text[a:b])[1])

    def _named_twice(self, s: str, p: int) -> bool:
        """The same doubled form elsewhere with other neighbours: a name the author means (陌陌).

        Places where the doubled form is two words meeting (产业链|链长) say nothing of it; the
        caller asks only of characters that are no function word (a name is not made of 了了 or
        的的: a slip made twice is still a slip).
        """
        text = self.text
        ctx = (text[p - 1 : p], text[p + len(s) : p + len(s) + 1])
        for i in self._places(s):
            if i != p and (text[i - 1 : i], text[i + len(s) : i + len(s) + 1]) != ctx:
                left = any(self.known(text[a : i + 1]) for a in range(max(0, i - 3), i))
                right = any(self.known(text[i + 1 : b]) for b in range(i + 3, min(len(text), i + 5) + 1))
                if not (left or right):
                    return True
        return False

    def _places(self, s: str) -> Iterator[int]:
        at = self.positions(s)
        if at is not None:
            yield from at.tolist()
            return
        i = self.text.find(s)
        while i != -1:
            yield i
            i = self.text.find(s, i + 1)

    # -- repeated units (TYPO002) -------------------------------------------------------
    def repeats(self) -> list[Suspect]:
        if "rep" not in self._cache:
            self._cache["rep"] = self._decide("rep", *self._rep_rows())
        return self._cache["rep"]

    def rep_places(self) -> list[tuple[int, int, int]]:
        """(token, unit length, gap) of each unit of 2-4 Chinese characters written twice."""
        d, text = self.d, self.text
        ids = d.ids
        out = []
        for size in (2, 3, 4, 5, 6):
            if d.n < 2 * size:
                continue
            eq = np.ones(d.n - 2 * size + 1, dtype=bool)
            for j in range(size):
                a = ids[j : d.n - 2 * size + 1 + j]
                eq &= (a == ids[size + j : d.n - size + 1 + j]) & (a >= FIRST_CHAR)
            for t in np.flatnonzero(eq):
                p = int(d.pos[t])
                if d.pos[t + 2 * size - 1] != p + 2 * size - 1:
                    continue
                u = text[p : p + size]
                if u[0] == u[1] and size == 2 and u[0] == text[p + 2]:
                    continue  # 哈哈哈哈: one character, TYPO001's
                if grammatical_repeat(text, p, size, self.lex) or _foreign(text, p, p + 2 * size):
                    continue  # grammar's own repeats; a foreign name (勒沃托比-拉基拉基)
                out.append((int(t), size, 0))
        return out

    def _rep_rows(self) -> tuple[list[list[float]], list[tuple]]:
        d, text, lex = self.d, self.text, self.lex
        places = self.rep_places()
        # Drop a shorter unit inside a longer repeat (经费经费 is not 费经费经).
        places.sort(key=lambda x: (-x[1], x[0]))
        taken: set[int] = set()
        keep = []
        for t, size, gap in places:
            span = set(range(t, t + 2 * size))
            if span & taken:
                continue
            taken |= span
            keep.append((t, size, gap))
        keep.sort()
        rows: list[list[float]] = []
        meta: list[tuple] = []
        if not keep:
            return rows, meta
        by_size: dict[int, list[int]] = {}
        for i, (_t, size, _) in enumerate(keep):
            by_size.setdefault(size, []).append(i)
        llrs = np.zeros(len(keep))
        for size, idx in by_size.items():
            ts = np.array([keep[i][0] for i in idx], dtype=np.int64)
            llrs[idx] = d.replace_llr(ts, size, np.zeros((len(ts), 0), dtype=np.int64))
        for (t, size, gap), g in zip(keep, llrs, strict=True):
            p = int(d.pos[t])
            u = text[p : p + size]
            e = p + 2 * size
            f, _, tag = lex._probe(u)
            f = f or self.terms.get(u, 0)
            after = text[e] if e < len(text) else ""
            g = float(g)
            rows.append(
                [
                    g,
                    max(g - 8.0, 0.0),
                    size == 2,
                    size == 3,
                    size >= 4,
                    bool(gap),
                    _log10p(f),
                    _log10p(self.known(u + u)),
                    self.seg_gain(p, e, u),
                    u[0] in NUMERAL_START,
                    after in SPOKEN_AFTER,
                    (tag or "") in SPOKEN_TAGS,
                    u in EMPHATIC,
                    self._joins(p, size),
                    (tag or "") in NAME_TAGS,
                    self.count(u + u) >= 2,
                    self.quoted(p, e),
                ]
            )
            meta.append((p, e, u, g, ""))
        return rows, meta

    def gaps(self) -> list[Suspect]:
        """Words said again after one other word (研发投入经费投入): the first copy is redundant."""
        if "gap" not in self._cache:
            self._cache["gap"] = self._decide("rep", *self._gap_rows())
        return self._cache["gap"]

    def _gap_rows(self) -> tuple[list[list[float]], list[tuple]]:
        d, text, lex = self.d, self.text, self.lex
        places = self._gap_places()
        rows: list[list[float]] = []
        meta: list[tuple] = []
        toks = [int(d.tok[w.start]) for _, w, _, _ in places]
        ok = [
            t >= 0 and d.pos[t + len(w.text) - 1] == w.end - 1
            for t, (_, w, _, _) in zip(toks, places, strict=True)
        ]
        llr = np.zeros(len(places))
        for size in {len(w.text) for _, w, _, _ in places}:
            idx = [i for i, (_, w, _, _) in enumerate(places) if len(w.text) == size and ok[i]]
            if idx:
                ts = np.array([toks[i] for i in idx], dtype=np.int64)
                llr[idx] = d.replace_llr(ts, size, np.zeros((len(ts), 0), dtype=np.int64))
        for i, (p, w, _g, v) in enumerate(places):
            if not ok[i]:
                continue
            u = w.text
            size = len(u)
            f, _, tag = lex._probe(u)
            g = float(llr[i])
            after = text[v.end] if v.end < len(text) else ""
            rows.append(
                [
                    g,
                    max(g - 8.0, 0.0),
                    size == 2,
                    size == 3,
                    size >= 4,
                    True,
                    _log10p(f),
                    _log10p(self.known(u + u)),
                    self.seg_gain(w.start, w.end, ""),
                    u[0] in NUMERAL_START,
                    after in SPOKEN_AFTER,
                    (tag or "") in SPOKEN_TAGS,
                    u in EMPHATIC,
                    False,
                    (tag or "") in NAME_TAGS,
                    self.count(text[w.start : v.end]) >= 2,
                    self.quoted(w.start, v.end),
                ]
            )
            meta.append((w.start, v.end, u, g, text[p.start : v.end]))
        return rows, meta

    def _gap_places(self) -> list[tuple[Word, Word, Word, Word]]:
        """gap_places over the Chinese runs where a unit of 2-4 characters comes back after two."""
        d, text = self.d, self.text
        ids = d.ids
        found: set[int] = set()
        for size in (2, 3, 4):
            m = d.n - 2 * size - 1
            if m <= 0:
                continue
            eq = np.ones(m, dtype=bool)
            for j in range(size):
                a = ids[j : j + m]
                eq &= (a == ids[size + 2 + j : size + 2 + j + m]) & (a >= FIRST_CHAR)
            found.update(int(d.pos[t]) for t in np.flatnonzero(eq))
        out: list[tuple[Word, Word, Word, Word]] = []
        runs: set[tuple[int, int]] = set()
        for p in sorted(found):
            a, b = han_around(text, p, p)
            if (a, b) not in runs:
                runs.add((a, b))
                out.extend(gap_places(segment_text(text[a:b], a), text))
        return out

    def _joins(self, s: int, n: int) -> bool:
        """Whether the first copy ends a longer word and the second starts one (理工大学|大学城)."""
        text = self.text
        mid = s + n
        if not any(self.known(text[a:mid]) for a in range(max(0, s - 4), s)):
            return False
        return any(self.known(text[mid:b]) for b in range(mid + n + 1, min(len(text), mid + n + 4) + 1))

    # -- scoring --------------------------------------------------------------------
    def _decide(self, kind: str, rows: list[list[float]], meta: list[tuple]) -> list[Suspect]:
        """Every suspect with its confidence, the best per place, most confident first."""
        if not rows:
            return []
        x = np.array(rows, dtype=np.float64)
        conf = confidence(kind, x, self.model)
        best: dict[int, Suspect] = {}
        for (s, e, rep, llr, det), cf in zip(meta, conf, strict=True):
            cur = best.get(s)
            if cur is None or cf > cur.confidence:
                best[s] = Suspect(kind, s, e, rep, float(cf), float(llr), det)
        return sorted(best.values(), key=lambda x: -x.confidence)

    def feature_rows(self, kind: str) -> tuple[np.ndarray, list[tuple]]:
        """The raw feature rows and their places (for fitting and inspection)."""
        if kind == "sub":
            rows, meta = self._sub_rows(self._sub_candidates())
        elif kind == "dbl":
            rows, meta = self._dbl_rows()
        else:
            rows, meta = self._rep_rows()
            g_rows, g_meta = self._gap_rows()
            rows, meta = rows + g_rows, meta + g_meta
        width = len(FEATURES[kind])
        return np.array(rows, dtype=np.float64).reshape(-1, width), meta
