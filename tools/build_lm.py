"""Build the TYPO family's language model and corpus vocabulary from the tune part of the corpus.

    python tools/build_lm.py            # build everything into reportlint/data/ (about 3 minutes)
    python tools/build_lm.py --lm-only  # the language model and terms, without refitting the scores

Reads only the TUNE part of ../shared/corpus (bench/common.py: news up to December 2024 and
reports 001-031), so that news of 2025 and reports 033+ stay unseen, and writes:

- ``reportlint/data/lm/``: a character 5-gram model (interpolated modified Kneser-Ney,
  n-grams of orders 3-5 seen once pruned, backoff weights renormalised, quantised to 8 bits),
  as memory-mapped ``.npy`` arrays read by ``reportlint/lm.py``;
- ``reportlint/data/corpus_terms.txt``: strings the word lexicon splits into loose
  characters (新质|生产力, names, programmes) used often in the corpus, with their counts;
- ``reportlint/data/typo_model.json``: the weights of the TYPO scores (logistic models) and
  their thresholds, fitted by ``tools/fit_typo.py`` on held-out tune text with a model built
  without that text (see its docstring).

The same input gives the same bytes: every step is deterministic (sorted keys, quantiles,
seeded sampling).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from bench.common import news_files, report_files  # noqa: E402
from reportlint.lm import (  # noqa: E402
    BITS,
    FIRST_CHAR,
    MAX_VOCAB,
    ORDER,
    B,
    CharLM,
    make_table,
    pack,
    tokenize,
)

DATA = ROOT / "reportlint" / "data"
MIN_COUNT = {1: 1, 2: 1, 3: 2, 4: 2, 5: 2}  # n-grams seen fewer times are pruned
LEVELS = 256
MASK = (1 << BITS) - 1


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- text


def tune_texts() -> list[tuple[str, str]]:
    """(name, text) of every tune file: news months up to 202412 and reports 001-031."""
    files = news_files("tune") + report_files("tune")
    if not files:
        raise SystemExit("the corpus is not present (../shared/corpus): nothing to build from")
    return [(f.name, f.read_text(encoding="utf-8")) for f in files]


def is_han(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF


def make_vocab(texts: Iterable[str], min_count: int = 2) -> tuple[np.ndarray, int]:
    """Chinese characters seen at least ``min_count`` times, by code point; and the rarer types."""
    counts: Counter = Counter()
    for t in texts:
        counts.update(t)
    han = sorted(ch for ch in counts if is_han(ch))
    keep = [ch for ch in han if counts[ch] >= min_count]
    keep.sort(key=lambda ch: (-counts[ch], ord(ch)))
    keep = sorted(keep[: MAX_VOCAB - FIRST_CHAR], key=ord)
    return np.array([ord(c) for c in keep], dtype=np.uint32), len(han) - len(keep)


def stream(texts: Iterable[str], table: np.ndarray) -> np.ndarray:
    """All texts as one token stream, a ``B`` before each text and at each line break."""
    parts = []
    for t in texts:
        ids, _ = tokenize(table, "\n" + t.strip("\n") + "\n")
        parts.append(ids)
    ids = np.concatenate(parts)
    # One B between paragraphs: drop a B that follows a B.
    dup = np.zeros(len(ids), dtype=bool)
    dup[1:] = (ids[1:] == B) & (ids[:-1] == B)
    return ids[~dup].astype(np.uint64)


# --------------------------------------------------------------------------- counting


def count_ngrams(ids: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique keys of the n-grams of the stream and their counts.

    ``B`` may stand only first (a paragraph start as context), never inside or last.
    """
    m = len(ids) - n + 1
    cols = np.stack([ids[j : j + m] for j in range(n)], axis=1)
    ok = np.ones(m, dtype=bool)
    for j in range(1, n):
        ok &= cols[:, j] != B
    if n == 1:
        ok = np.ones(m, dtype=bool)
    keys = pack(cols[ok])
    return np.unique(keys, return_counts=True)


def discounts(a: np.ndarray) -> tuple[float, float, float]:
    """Modified Kneser-Ney discounts D1, D2, D3+ from the count-of-counts (Chen & Goodman)."""
    n1, n2, n3, n4 = (int((a == k).sum()) for k in (1, 2, 3, 4))
    if not (n1 and n2 and n3 and n4):  # too little text for the estimate
        return 0.5, 1.0, 1.5
    y = n1 / (n1 + 2 * n2)
    d1 = 1 - 2 * y * n2 / n1
    d2 = 2 - 3 * y * n3 / n2
    d3 = 3 - 4 * y * n4 / n3
    return d1, d2, d3


def group_sum(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.add.reduceat(values, starts) if len(values) else values


def build_model(texts: list[str], order: int = ORDER, quantised: bool = True) -> CharLM:
    """The pruned, quantised Kneser-Ney model of the texts."""
    t0 = time.perf_counter()
    vocab, rare_types = make_vocab(texts)
    table = make_table(vocab)
    ids = stream(texts, table)
    vsize = FIRST_CHAR + len(vocab)
    log(f"  {len(ids):,} tokens, {len(vocab):,} characters in the vocabulary ({rare_types:,} rarer types)")
    keys: list[np.ndarray] = []
    raw: list[np.ndarray] = []
    for n in range(1, order + 1):
        k, c = count_ngrams(ids, n)
        keys.append(k)
        raw.append(c.astype(np.int64))
    # Adjusted counts: the highest order and n-grams that start with B keep their counts;
    # the others count the distinct tokens seen before them (continuation counts).
    adj: list[np.ndarray] = []
    for n in range(1, order + 1):
        if n == order:
            adj.append(raw[n - 1].copy())
            continue
        suffix = keys[n] & np.uint64((1 << (BITS * n)) - 1)
        su, sc = np.unique(suffix, return_counts=True)
        a = np.zeros(len(keys[n - 1]), dtype=np.int64)
        pos = np.searchsorted(keys[n - 1], su)
        a[pos] = sc
        first = keys[n - 1] >> np.uint64(BITS * (n - 1))
        starts_b = first == np.uint64(B)
        a[starts_b] = raw[n - 1][starts_b]
        a[a == 0] = raw[n - 1][a == 0]
        adj.append(a)
    # Interpolated probabilities, order by order.
    probs: list[np.ndarray] = []
    for n in range(1, order + 1):
        a = adj[n - 1].astype(np.float64)
        d1, d2, d3 = discounts(adj[n - 1])
        disc = np.where(a == 1, d1, np.where(a == 2, d2, d3))
        ctx = keys[n - 1] >> np.uint64(BITS)
        if n == 1:
            ctx = np.zeros(len(a), dtype=np.uint64)
        uctx, starts = np.unique(ctx, return_index=True)
        total = group_sum(a, starts)
        n1 = group_sum((adj[n - 1] == 1).astype(np.float64), starts)
        n2 = group_sum((adj[n - 1] == 2).astype(np.float64), starts)
        n3 = group_sum((adj[n - 1] >= 3).astype(np.float64), starts)
        gamma = (d1 * n1 + d2 * n2 + d3 * n3) / total
        grp = np.repeat(np.arange(len(uctx)), np.diff(np.append(starts, len(a))))
        main = np.maximum(a - disc, 0) / total[grp]
        if n == 1:
            lower = np.full(len(a), 1.0 / vsize)
        else:
            suffix = keys[n - 1] & np.uint64((1 << (BITS * (n - 1))) - 1)
            lower = probs[n - 2][np.searchsorted(keys[n - 2], suffix)]
        probs.append(main + gamma[grp] * lower)
        if n == 1:
            floor = float(np.log(gamma[0] / vsize))
        log(f"  order {n}: {len(a):,} n-grams, D = {d1:.3f} {d2:.3f} {d3:.3f}")
    # Prune, then renormalise: bo(h) = (1 - sum kept p(w|h)) / (1 - sum kept p(w|h')).
    kept_keys: list[np.ndarray] = []
    kept_probs: list[np.ndarray] = []
    for n in range(1, order + 1):
        keep = raw[n - 1] >= MIN_COUNT[n]
        kept_keys.append(keys[n - 1][keep])
        kept_probs.append(probs[n - 1][keep])
    bows: list[np.ndarray] = []
    for n in range(1, order):  # backoff weight of each n-gram as a history for order n+1
        hk = kept_keys[n - 1]
        bo = np.ones(len(hk))
        ck = kept_keys[n]
        ctx = ck >> np.uint64(BITS)
        uctx, starts = np.unique(ctx, return_index=True)
        num = 1 - group_sum(kept_probs[n], starts)
        suffix = ck & np.uint64((1 << (BITS * n)) - 1)
        low = kept_probs[n - 1][np.searchsorted(kept_keys[n - 1], suffix)]
        den = 1 - group_sum(low, starts)
        pos = np.searchsorted(hk, uctx)
        bo[pos] = np.clip(num, 1e-9, None) / np.clip(den, 1e-9, None)
        # A history none of whose extensions is kept backs off with weight 1.
        bows.append(np.log(bo))
    sizes = [len(k) for k in kept_keys]
    log(f"  kept n-grams by order: {sizes} ({time.perf_counter() - t0:.0f} s)")
    meta = {
        "order": order,
        "bits": BITS,
        "unk_types": int(max(rare_types, 1)),
        "tokens": len(ids),
        "vocabulary": len(vocab),
        "ngrams": sizes,
        "min_count": MIN_COUNT,
        "floor": floor,
        "smoothing": "interpolated modified Kneser-Ney, pruned, backoff renormalised",
    }
    logp = [np.log(p) for p in kept_probs]
    if not quantised:
        return CharLM(vocab, kept_keys, logp, bows, None, None, meta)
    prob_books = np.zeros((order, LEVELS), dtype=np.float32)
    bow_books = np.zeros((order - 1, LEVELS), dtype=np.float32)
    pcodes, bcodes = [], []
    for n in range(1, order + 1):
        book, codes = quantise(logp[n - 1])
        prob_books[n - 1] = book
        pcodes.append(codes)
        if n < order:
            book, codes = quantise(bows[n - 1])
            bow_books[n - 1] = book
            bcodes.append(codes)
    return CharLM(vocab, kept_keys, pcodes, bcodes, prob_books, bow_books, meta)


def add_bigram_table(lm: CharLM) -> None:
    """The dense table of ln P(b | a) at the bigram level, for every pair of token ids."""
    v = lm.size
    a = np.repeat(np.arange(v), v)
    b = np.tile(np.arange(v), v)
    vals = np.empty(v * v)
    step = 1 << 22
    for i in range(0, v * v, step):
        vals[i : i + step] = lm.logprob(np.stack([a[i : i + step], b[i : i + step]], axis=1))
    book, codes = quantise(vals)
    lm.bigram = codes
    lm.bigram_book = book


CORPUS_CHAR_QUANTILE = 25  # percent of the common characters that the corpus uses less


def write_corpus_chars(texts: list[str], path: Path) -> None:
    """Characters the lexicon's frequencies call rare that the corpus uses as much as the
    common characters (祉 of 福祉, 赓 of 赓续): at least as often as the CORPUS_CHAR_QUANTILE-th
    percentile of the common characters' counts. They join the candidates a writer may have
    meant (``lexicon.candidate_chars``); the lexicon caches that depend on them are cleared."""
    from reportlint import lexicon

    counts: Counter = Counter()
    for t in texts:
        counts.update(ch for ch in t if is_han(ch))
    common = lexicon.common_chars()
    floor = float(np.percentile([counts[ch] for ch in sorted(common)], CORPUS_CHAR_QUANTILE))
    chars = sorted(
        (ch for ch, n in counts.items() if n >= floor and ch not in common and lexicon.common_readings(ch)),
        key=lambda ch: (-counts[ch], ch),
    )
    head = (
        "# Characters the word lexicon uses little (pinyin.txt usage < COMMON_USAGE) that the tune part of\n"
        f"# the corpus uses at least {floor:g} times (the {CORPUS_CHAR_QUANTILE}th percentile of the common\n"
        "# characters' counts there): char<TAB>count<TAB>common readings (as in pinyin.txt).\n"
        "# Built by tools/build_lm.py.\n"
    )
    path.write_text(
        head + "".join(f"{ch}\t{counts[ch]}\t{' '.join(lexicon.common_readings(ch))}\n" for ch in chars),
        encoding="utf-8",
    )
    log(f"  wrote {path} ({len(chars)} characters)")
    for f in (
        lexicon._corpus_rows,
        lexicon.corpus_chars,
        lexicon.candidate_chars,
        lexicon._sound_index,
        lexicon.confusables,
    ):
        f.cache_clear()


def add_confusions(lm: CharLM) -> None:
    """For each vocabulary character, the characters it may be a slip for (lexicon.confusables)."""
    from reportlint.lexicon import confusables

    numerals = set("零〇一二三四五六七八九十百千万亿两")
    # Pronouns of one sound whose choice depends on who is meant, not on spelling.
    same_pronoun = [set("他她它祂"), set("你您")]
    ptr = [0]
    ids: list[int] = []
    kinds: list[int] = []
    for tok in range(lm.size):
        if tok >= FIRST_CHAR:
            ch = chr(int(lm.vocab[tok - FIRST_CHAR]))
            if ch not in numerals:
                for c, kind in sorted(confusables(ch).items()):
                    cid = lm.char_id(c)
                    if any(ch in g and c in g for g in same_pronoun):
                        continue
                    if cid >= FIRST_CHAR and c not in numerals:
                        ids.append(cid)
                        kinds.append(kind)
        ptr.append(len(ids))
    lm.conf_ptr = np.array(ptr, dtype=np.int32)
    lm.conf_ids = np.array(ids, dtype=np.uint16)
    lm.conf_kind = np.array(kinds, dtype=np.uint8)


_FOREIGN_RE = re.compile(r"[\u4e00-\u9fff]{2,}(?:[·•][\u4e00-\u9fff]{2,})+")
_ABBREV_RE = re.compile(
    r"中([\u4e00-\u9fff])(?=两国|关系|建交)|(?<![\u4e00-\u9fff])([\u4e00-\u9fff])中(?=两国|关系|建交)"
)


def add_name_stats(lm: CharLM, texts: Iterable[str]) -> None:
    """Two statistics of names per token, read from the texts.

    ``foreign``: ln of how much more often a character occurs in foreign names written with a
    middle dot (塔希尔·努努, 萨巴赫·哈立德) than in all the text (smoothed, clipped to -3..3): the
    transliteration characters (斯, 尔, 娅, 克) score high. ``abbrev``: characters that stand
    for a country beside 中 at least 3 times (中美关系, 阿中两国), 国 excepted.
    """
    tab = lm.table
    every = np.zeros(lm.size)
    inside = np.zeros(lm.size)
    abbrev: Counter = Counter()
    for t in texts:
        ids, _ = tokenize(tab, t)
        every += np.bincount(ids, minlength=lm.size)[: lm.size]
        for m in _FOREIGN_RE.finditer(t):
            ids, _ = tokenize(tab, m.group())
            inside += np.bincount(ids, minlength=lm.size)[: lm.size]
        for m in _ABBREV_RE.finditer(t):
            abbrev[m.group(1) or m.group(2)] += 1
    ratio = ((inside + 0.5) / max(inside.sum(), 1.0)) / ((every + 5.0) / max(every.sum(), 1.0))
    foreign = np.clip(np.log(ratio), -3.0, 3.0)
    foreign[:FIRST_CHAR] = 0.0
    lm.foreign = np.round(foreign * 10.0) / 10.0
    flag = np.zeros(lm.size, dtype=bool)
    for ch, n in abbrev.items():
        i = lm.char_id(ch)
        if n >= 3 and ch != "国" and i >= FIRST_CHAR:
            flag[i] = True
    lm.abbrev = flag


def quantise(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """256 levels: equal-population bins, each represented by its mean; (codebook, codes)."""
    if len(values) == 0:
        return np.zeros(LEVELS, dtype=np.float32), np.zeros(0, dtype=np.uint8)
    order = np.sort(values)
    edges = order[np.linspace(0, len(order) - 1, LEVELS + 1).astype(np.int64)]
    inner = edges[1:-1]
    codes = np.searchsorted(inner, values, side="right").astype(np.int64)
    sums = np.bincount(codes, weights=values, minlength=LEVELS)
    cnt = np.bincount(codes, minlength=LEVELS)
    book = np.where(cnt > 0, sums / np.maximum(cnt, 1), edges[:-1])
    return book.astype(np.float32), codes.astype(np.uint8)


# --------------------------------------------------------------------------- main


def write_terms(terms: dict[str, int], path: Path) -> None:
    head = (
        "# Strings of 2-6 characters that the word lexicon (jieba's dict.txt) splits into loose\n"
        "# characters but the tune part of the corpus uses at least 5 times in at least 3 files\n"
        "# (names, programmes, new vocabulary: 新质, 丁薛祥, 走深走实), with their counts.\n"
        "# Statistics of ../shared/corpus/news (新闻联播 transcripts, CCTV; repository MIT\n"
        "# licence) and the 2026 provincial reports, built by tools/build_lm.py. The TYPO scores\n"
        "# read them as evidence that a string is a term, never as an allow-list.\n"
    )
    body = "".join(f"{w}\t{n}\n" for w, n in sorted(terms.items()))
    path.write_text(head + body, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lm-only", action="store_true", help="do not refit the TYPO scores")
    ap.add_argument("--scores-only", action="store_true", help="refit the TYPO scores only")
    ap.add_argument("--out", default=str(DATA), help="the data folder to write into")
    ap.add_argument("--cache", default="", help="keep the fitting's fold models in this folder (reused)")
    ap.add_argument("--kinds", default="sub,dbl,rep", help="with --scores-only: refit these kinds only")
    args = ap.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    if not kinds or not set(kinds) <= {"sub", "dbl", "rep"}:
        ap.error(f"--kinds: one or more of sub, dbl, rep, got {args.kinds!r}")
    if not args.scores_only and set(kinds) != {"sub", "dbl", "rep"}:
        ap.error("--kinds refits some scores only: use it with --scores-only")
    out = Path(args.out)
    if not args.scores_only:
        build_lm_files(out, args.lm_only)
    if args.lm_only:
        return
    log("scores:")
    from fit_typo import fit

    model: dict = {}
    if args.scores_only and (out / "typo_model.json").is_file():
        model = json.loads((out / "typo_model.json").read_text(encoding="utf-8"))
    model.update(fit(kinds, cache=Path(args.cache) if args.cache else None))
    model["about"] = (
        "Logistic scores of the TYPO suspects, fitted by tools/fit_typo.py on the tune part held out "
        "in three blocks by date, each scored by a model of the other two; thresholds per level."
    )
    (out / "typo_model.json").write_text(
        json.dumps(model, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    log(f"  wrote {out / 'typo_model.json'}")


def build_lm_files(out: Path, lm_only: bool) -> None:
    """The language model and the corpus terms of the whole tune part."""
    named = tune_texts()
    texts = [t for _, t in named]
    log(f"tune part: {len(named)} files, {sum(map(len, texts)):,} characters")
    log("language model:")
    lm = build_model(texts)
    names = sorted(n for n, _ in named)
    lm.meta["source"] = f"tune part of ../shared/corpus: {len(names)} files, {names[0]} ... {names[-1]}"
    add_bigram_table(lm)
    write_corpus_chars(texts, out / "corpus_chars.txt")
    add_confusions(lm)
    add_name_stats(lm, texts)
    lm.save(out / "lm")
    size = sum(f.stat().st_size for f in (out / "lm").iterdir())
    log(f"  wrote {out / 'lm'} ({size / 1e6:.1f} MB)")
    from fit_typo import corpus_terms

    terms = corpus_terms(texts)
    write_terms(terms, out / "corpus_terms.txt")
    log(f"  wrote {out / 'corpus_terms.txt'} ({len(terms):,} terms)")


if __name__ == "__main__":
    main()
