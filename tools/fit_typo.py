"""Fit the TYPO scores (data/typo_model.json) on held-out tune text; called by tools/build_lm.py.

The tune part is cut into three blocks by date (news months in date order, reports 001-031
in number order). Each block is *held out* once: a model of the other two blocks (language
model and corpus terms, built by the same code as the shipped ones) scores it, so the
language model's evidence looks there as it will on new text. The rows of the three
held-out blocks (all 5.8 M characters of the tune part) are fitted together; the shipped
model is then built from the whole tune part. The test part (news 2025, reports 033+) is
never read.

For each kind of suspect:

- negatives: every suspect the held-out text raises (it is published, edited text), except
  at the real errors listed in ``tune_adjudicated.tsv``;
- positives: errors injected into a copy of the held-out text at random places, one per
  about 400 characters: ``sub`` a character replaced by one of its sound-alike or look-alike
  candidates (kind chosen as same tone 35%, same syllable 20%, near sound 15%, look-alike
  20%, one stroke apart 10%; the wrong character drawn evenly for half of them, by its frequency
  for the other half); ``dbl`` a character
  written twice, anywhere (45%), where the second copy begins a word of the segmentation
  (25%), on a one-character function word (20%) or inside a two-character item of a
  、-list (10%), and at the head of every series of units sharing a character (延链补链强链
  → 链链补链强链); ``rep`` a unit of 2-4
  characters written twice, or a word said again after the next one (研发经费投入 →
  研发投入经费投入).

A logistic model (L2-regularised, standardised features, classes weighted by
``POSITIVE_WEIGHT``) is fitted per kind; its intercept is then moved to a prior of one real
error per ``ERROR_DENSITY`` characters, so the confidence reads as the chance that a suspect
is a real error in edited text. Thresholds per level: the lowest confidence at which the
held-out text raises at most ``MAX_FALSE`` suspects per 10,000 characters.
"""

from __future__ import annotations

import bisect
import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import news_files, report_files  # noqa: E402
from reportlint.lexicon import get_lexicon  # noqa: E402
from reportlint.lm import FIRST_CHAR, CharLM  # noqa: E402
from reportlint.typo_score import FEATURES, DocTypo  # noqa: E402

SEED = 20241231
FOLDS = 3  # the tune part is held out in this many blocks, each from a model of the rest
DOC_CHARS = 4000  # held-out news is cut into documents of about this size
INJECT_EVERY = 400
COPIES = {"sub": 1, "dbl": 1, "rep": 1}  # injected copies of each held-out document
KIND_WEIGHTS = [(0, 0.35), (1, 0.20), (2, 0.15), (3, 0.20), (4, 0.10)]
# The share of injected wrong characters drawn evenly from the candidates; the rest are drawn by
# frequency (a common wrong character is typed more often). Text from other hands has its rare
# wrong characters too: with half drawn evenly, injected wrong characters into the test reports
# (drawn evenly) are found at lint 0.629 -> 0.645 (same tone), 0.550 -> 0.553 (shape), news 2025
# unchanged (bench/typo.py).
UNIFORM_SHARE = 0.5
# Expected real errors per 10,000 characters of edited text (the prior of the confidence).
ERROR_DENSITY = {"sub": 1.0, "dbl": 0.3, "rep": 0.3}
# Suspects per 10,000 held-out characters allowed at each level's threshold.
MAX_FALSE = {"lint": {"sub": 0.02, "dbl": 0.03, "rep": 0.03}, "review": {"sub": 1.2, "dbl": 0.2, "rep": 0.2}}
L2 = 1.0
# The weight of the injected errors against the clean suspects, per kind, relative to
# balanced classes. The lint level lives in the far tail of the clean suspects, so a fit that
# weighs them more places that tail better: chosen by 3-fold cross-validation on the tune
# rows, grouped by document (held-out recall at the lint level's false-alarm budget: sub
# 0.454 at 1, 0.530 at 0.01; dbl and rep best at 1).
POSITIVE_WEIGHT = {"sub": 0.01, "dbl": 1.0, "rep": 1.0}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- split


def split_folds(k: int = FOLDS) -> list[tuple[list[str], list[tuple[str, str]]]]:
    """k pairs (training texts, held-out documents): the tune part cut into k blocks by date.

    News months go to blocks of about equal size in date order, the reports 001-031 to k
    blocks in number order; each block is held out once, from a model of the other blocks.
    Held-out news is cut into documents of about DOC_CHARS characters.
    """
    news = [(f.name, f.read_text(encoding="utf-8")) for f in news_files("tune")]
    reports = [(f.name, f.read_text(encoding="utf-8")) for f in report_files("tune")]
    if not news or not reports:
        raise SystemExit("the corpus is not present (../shared/corpus): nothing to fit on")
    total = sum(len(t) for _, t in news)
    blocks, acc = [], 0
    for _, t in news:
        blocks.append(min(k - 1, acc * k // total))
        acc += len(t)
    rblocks = [i * k // len(reports) for i in range(len(reports))]
    out = []
    for b in range(k):
        train = [t for (_, t), x in zip(news, blocks, strict=True) if x != b]
        train += [t for (_, t), x in zip(reports, rblocks, strict=True) if x != b]
        held = [d for (n, t), x in zip(news, blocks, strict=True) if x == b for d in chunks(n, t)]
        held += [(n, t) for (n, t), x in zip(reports, rblocks, strict=True) if x == b]
        out.append((train, held))
    return out


def chunks(name: str, text: str) -> Iterable[tuple[str, str]]:
    """A monthly news file as documents of about DOC_CHARS characters, cut between lines."""
    buf: list[str] = []
    size = 0
    k = 0
    for line in text.splitlines():
        buf.append(line)
        size += len(line) + 1
        if size >= DOC_CHARS:
            yield f"{name}#{k}", "\n".join(buf)
            buf, size, k = [], 0, k + 1
    if buf:
        yield f"{name}#{k}", "\n".join(buf)


# --------------------------------------------------------------------------- corpus terms

FUNCTION = set("的地得了着过是在和与及或也都就又还才再而且但并把被将让使给对向从于以为由因所之其此这那个")


def corpus_terms(texts: Iterable[str], min_count: int = 5, min_files: int = 3) -> dict[str, int]:
    """Runs of 2-6 loose characters (the lexicon knows no word there) used often in many files."""
    import re

    import rjieba

    lex = get_lexicon()
    for w, f in lex._extra.items():
        rjieba.add_word(w, f, "nz")
    han = re.compile("[\u4e00-\u9fff]+")
    count: Counter = Counter()
    files: dict[str, set[int]] = defaultdict(set)
    for k, text in enumerate(texts):
        for m in han.finditer(text):
            run: list[str] = []
            for w in [*rjieba.cut(m.group(), False), ""]:
                if len(w) == 1 and w not in FUNCTION:
                    run.append(w)
                    continue
                if 2 <= len(run) <= 6:
                    s = "".join(run)
                    count[s] += 1
                    files[s].add(k)
                run = []
    return {s: n for s, n in sorted(count.items()) if n >= min_count and len(files[s]) >= min_files}


# --------------------------------------------------------------------------- injection


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _spots(text: str, rng: random.Random, need: int = 1) -> list[int]:
    """Random places of Chinese text, about INJECT_EVERY apart: ``need`` Chinese characters."""
    out = []
    n = len(text)
    for base in range(20, n - 20, INJECT_EVERY):
        p = base + rng.randrange(INJECT_EVERY // 2)
        if p + need + 8 >= n:
            break
        if all(_han(text[q]) for q in range(p, p + need)):
            out.append(p)
    return out


def inject_sub(text: str, lm: CharLM, rng: random.Random) -> tuple[str, list[tuple[int, str, str]]]:
    chars = list(text)
    out = []
    vocab = lm.vocab
    for p in _spots(text, rng):
        tok = lm.char_id(text[p])
        if tok < FIRST_CHAR or lm.conf_ptr is None or lm.conf_ids is None or lm.conf_kind is None:
            continue
        a, b = int(lm.conf_ptr[tok]), int(lm.conf_ptr[tok + 1])
        if a == b:
            continue
        kinds = [int(k) for k in lm.conf_kind[a:b]]
        want = _weighted(rng, [(k, w) for k, w in KIND_WEIGHTS if k in kinds])
        pool = [int(lm.conf_ids[j]) for j in range(a, b) if int(lm.conf_kind[j]) == want]
        uni = lm.unigram_lp  # ln P(token): the frequency of the wrong characters that get typed
        if rng.random() < UNIFORM_SHARE:
            c = rng.choice(pool)
        else:
            c = rng.choices(pool, weights=[math.exp(uni[c] / 2) for c in pool])[0]
        wrong = chr(int(vocab[c - FIRST_CHAR]))
        out.append((p, wrong, text[p]))
        chars[p] = wrong
    return "".join(chars), out


# How a doubled character is placed: anywhere; where the second copy begins a word of the
# segmentation (增增长, 大城城市: it reads as a word and is the hardest to see); on a
# one-character function word (的的, 在在); inside a short item of a 、-list (统计、参参事、档案:
# the item is then no word, which the sentence around it cannot show).
# A series of two-character units sharing their second character (延链补链强链) may take the
# shared character in its first unit as well (链链补链强链): injected wherever one occurs.
DBL_WHERE = [("any", 0.45), ("word_start", 0.25), ("function", 0.2), ("list_item", 0.1)]
_ITEM_RE = re.compile(r"(?<=、)[\u4e00-\u9fff]{2}(?=、)|(?<=[\u4e00-\u9fff]、)[\u4e00-\u9fff]{2}(?=[，。；])")
_SERIES_RE = re.compile(r"(?=([\u4e00-\u9fff])([\u4e00-\u9fff])([\u4e00-\u9fff])\2([\u4e00-\u9fff])\2)")


def inject_dbl(text: str, rng: random.Random) -> tuple[str, list[tuple[int, str, str]]]:
    from reportlint.lexicon import segment_text
    from reportlint.typo_score import STANDALONE, grammatical_doubling

    lex = get_lexicon()
    words = segment_text(text)
    starts = sorted(w.start for w in words if len(w.text) >= 2 and w.freq > 0)
    singles = sorted(w.start for w in words if len(w.text) == 1 and w.text in STANDALONE)
    series = [m.start() for m in _SERIES_RE.finditer(text) if len(set(m.groups())) == 4]
    items = [m.start() for m in _ITEM_RE.finditer(text)]
    parts, out, last, shift = [], [], 0, 0
    for p in _spots(text, rng):
        i = bisect.bisect_left(series, max(last + 1, p - INJECT_EVERY // 2))
        q = series[i] if i < len(series) and series[i] < p + INJECT_EVERY // 2 else -1
        x = text[q + 1] if q > 0 else ""
        if x and text[q - 1] != x and not grammatical_doubling(text[:q] + x + text[q + 1 :], q, lex):
            # 延链补链强链 -> 链链补链强链
            parts.append(text[last:q])
            parts.append(x)
            out.append((q + shift, x + x, x))
            last = q + 1
            continue
        where = rng.choices([k for k, _ in DBL_WHERE], weights=[w for _, w in DBL_WHERE])[0]
        if where != "any":
            pool = {"word_start": starts, "function": singles, "list_item": items}[where]
            i = bisect.bisect_left(pool, p)
            if i >= len(pool) or pool[i] - p > (12 if where != "list_item" else INJECT_EVERY // 2):
                continue
            p = pool[i] + (rng.random() < 0.5 if where == "list_item" else 0)
        if p <= last or p + 2 >= len(text) or not _han(text[p]):
            continue
        if text[p - 1] == text[p] or text[p + 1] == text[p]:
            continue
        if grammatical_doubling(text[:p] + text[p] + text[p:], p, lex):
            continue  # a doubling grammar makes: never reported, nothing to learn
        parts.append(text[last : p + 1])
        parts.append(text[p])
        out.append((p + shift, text[p] * 2, text[p]))
        shift += 1
        last = p + 1
    parts.append(text[last:])
    return "".join(parts), out


def inject_rep(text: str, rng: random.Random) -> tuple[str, list[tuple[int, str, str]]]:
    from reportlint.typo_score import grammatical_repeat

    lex = get_lexicon()
    parts, out, last, shift = [], [], 0, 0
    for p in _spots(text, rng, need=4):
        size = rng.choice((2, 2, 3, 4))
        u = text[p : p + size]
        if text[p + size : p + 2 * size] == u or text[p - size : p] == u:
            continue
        if grammatical_repeat(text[: p + size] + u + text[p + size :], p, size, lex):
            continue
        parts.append(text[last : p + size])
        parts.append(u)
        out.append((p + shift, u + u, u))
        shift += size
        last = p + size
    parts.append(text[last:])
    return "".join(parts), out


def inject_gap(text: str, rng: random.Random) -> tuple[str, list[tuple[int, str, str]]]:
    """A verbal head said again before the word ahead of it: 研发经费投入 → 研发投入经费投入."""
    from reportlint.lexicon import segment_text
    from reportlint.typo_score import gap_spots

    spots = gap_spots(segment_text(text))
    rng.shuffle(spots)
    chosen = sorted(spots[: max(1, len(text) // (INJECT_EVERY * 4))])
    parts, out, last, shift, prev = [], [], 0, 0, -INJECT_EVERY
    for at, g, w in chosen:
        if at - prev < 40:
            continue
        parts.append(text[last:at])
        parts.append(w)
        out.append((at + shift, w + g + w, w))
        shift += len(w)
        last = prev = at
    parts.append(text[last:])
    return "".join(parts), out


def _weighted(rng: random.Random, items: list[tuple[int, float]]) -> int:
    return rng.choices([k for k, _ in items], weights=[w for _, w in items])[0]


# --------------------------------------------------------------------------- data


def adjudicated() -> list[tuple[str, str]]:
    """(file, wrong string) of the real errors found in the held-out text (tune_adjudicated.tsv)."""
    path = Path(__file__).with_name("tune_adjudicated.tsv")
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, wrong, *_ = line.split("\t")
            out.append((name, wrong))
    return out


def _known_error(name: str, text: str, s: int, errors: list[tuple[str, str]]) -> bool:
    for file, wrong in errors:
        if name.split("#")[0] == file:
            i = text.find(wrong)
            while i != -1:
                if i <= s < i + len(wrong):
                    return True
                i = text.find(wrong, i + 1)
    return False


def collect(kind: str, docs: list[tuple[str, str]], lm: CharLM, terms: dict[str, int], rng: random.Random):
    """Feature rows of the held-out documents (label 0) and of the injected errors (label 1).

    Suspects at the real errors listed in tune_adjudicated.tsv are left out of the negatives.
    """
    errors = adjudicated()
    neg, pos = [], []
    neg_meta: list[tuple[str, str]] = []
    pos_meta: list[tuple[str, str]] = []
    chars = 0
    injected = found = 0
    lex = get_lexicon()
    for name, text in docs:
        chars += len(text)
        dt = DocTypo(text, lm=lm, lex=lex, terms=terms, model=None)
        x, meta = dt.feature_rows(kind)
        keep = [not _known_error(name, text, m[0], errors) for m in meta]
        x = x[np.array(keep, dtype=bool)] if len(x) else x
        meta = [m for m, k in zip(meta, keep, strict=True) if k]
        neg.append(x)
        neg_meta.extend(
            (name, f"{text[max(0, s - 8) : s]}【{text[s:e]}→{r}】{text[e : e + 8]}") for s, e, r, *_ in meta
        )
        for _ in range(COPIES[kind]):
            if kind == "sub":
                new, inj = inject_sub(text, lm, rng)
            elif kind == "dbl":
                new, inj = inject_dbl(text, rng)
            elif rng.random() < 0.75:
                new, inj = inject_rep(text, rng)
            else:
                new, inj = inject_gap(text, rng)
            if not inj:
                continue
            injected += len(inj)
            dt = DocTypo(new, lm=lm, lex=lex, terms=terms, model=None)
            x, meta = dt.feature_rows(kind)
            want = {(p, len(w)): r for p, w, r in inj}
            for row, (s, e, r, *_) in zip(x, meta, strict=True):
                if (kind == "sub" and want.get((s, 1)) == r) or (kind != "sub" and (s, e - s) in want):
                    pos.append(row)
                    pos_meta.append((name, f"{new[max(0, s - 8) : s]}【{new[s:e]}→{r}】{new[e : e + 8]}"))
                    found += 1
    x_neg = np.concatenate(neg) if neg else np.zeros((0, len(FEATURES[kind])))
    x_pos = np.array(pos).reshape(-1, len(FEATURES[kind]))
    log(
        f"  {kind}: {len(x_neg):,} suspects in {chars:,} clean characters; "
        f"{found:,} of {injected:,} injected errors reach the scorer"
    )
    return x_neg, x_pos, neg_meta, pos_meta, chars, injected


# --------------------------------------------------------------------------- fitting


def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = L2, iters: int = 50):
    """Weighted L2 logistic regression by Newton's method on standardised features."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    z1 = np.hstack([z, np.ones((len(z), 1))])
    beta = np.zeros(z1.shape[1])
    reg = np.full(z1.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(z1 @ beta, -30, 30)))
        g = z1.T @ (w * (p - y)) + reg * beta
        h = (z1 * (w * p * (1 - p))[:, None]).T @ z1 + np.diag(reg)
        step = np.linalg.solve(h, g)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return mean, scale, beta[:-1], float(beta[-1])


def fit_kind(kind: str, rows: tuple) -> dict[str, Any]:
    x_neg, x_pos, neg_meta, _, chars, injected = rows
    x = np.vstack([x_neg, x_pos])
    y = np.concatenate([np.zeros(len(x_neg)), np.ones(len(x_pos))])
    w = np.where(y == 1, POSITIVE_WEIGHT[kind] * len(x_neg) / max(len(x_pos), 1), 1.0)
    mean, scale, weights, bias = fit_logistic(x, y, w)
    # Move the intercept from the fit's class weights to the prior of real errors among suspects.
    suspects_per_10k = len(x_neg) * 10_000 / chars
    prior = ERROR_DENSITY[kind] / (ERROR_DENSITY[kind] + suspects_per_10k)
    bias += math.log(prior / (1 - prior)) - math.log(POSITIVE_WEIGHT[kind])
    model = {
        "features": list(FEATURES[kind]),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "weights": [round(float(v), 6) for v in weights],
        "bias": round(bias, 6),
    }
    from reportlint.typo_score import confidence

    c_neg = confidence(kind, x_neg, {kind: model})
    c_pos = confidence(kind, x_pos, {kind: model})
    thresholds = {}
    report = {}
    for level in ("lint", "review"):
        allowed = int(MAX_FALSE[level][kind] * chars / 10_000)
        ranked = np.sort(c_neg)[::-1]
        th = float(ranked[allowed]) if allowed < len(ranked) else 0.0
        th = max(th, 1e-4)
        th = float(np.nextafter(th, 1.0))
        thresholds[level] = round(th, 6) if th > 1e-6 else th
        fp = int((c_neg >= thresholds[level]).sum())
        rec = float((c_pos >= thresholds[level]).sum()) / max(injected, 1)
        report[level] = {
            "threshold": thresholds[level],
            "false_per_10k": round(fp * 10_000 / chars, 3),
            "injected_recall": round(rec, 3),
        }
        log(
            f"  {kind} {level}: threshold {thresholds[level]:.4f}, held-out false "
            f"{fp} ({fp * 10_000 / chars:.3f} per 10k), injected recall {rec:.3f}"
        )
    model["thresholds"] = thresholds
    model["held_out"] = {"characters": chars, "suspects": len(x_neg), "injected": injected, **report}
    top = np.argsort(-c_neg)[:15]
    for i in top:
        log(f"    {c_neg[i]:.3f} {neg_meta[i][0]} {neg_meta[i][1]}")
    return model


Rows = tuple[np.ndarray, np.ndarray, list, list, int, int]


def fold_model(train: list[str], cache: Path | None) -> tuple[CharLM, dict[str, int]]:
    """The model and corpus terms of one fold's training texts (built, or read from ``cache``)."""
    import hashlib
    import pickle

    from build_lm import add_bigram_table, add_confusions, add_name_stats, build_model

    # the candidate tables and corpus terms come from the packaged data too: a change there is
    # another model (the code that builds them is not in the key: clear the cache after changing it)
    data = ROOT / "reportlint" / "data"
    sources = (
        "pinyin.txt",
        "near_shapes.txt",
        "similar_shape.txt",
        "lexicon.txt",
        "allowed_terms.txt",
        "confusions.txt",
        "corpus_chars.txt",
    )
    made_of = [*train, *((data / f).read_text(encoding="utf-8") for f in sources)]
    key = hashlib.sha1("\x00".join(made_of).encode("utf-8")).hexdigest()[:16]
    folder = cache / key if cache else None
    if folder is not None and (folder / "terms.pkl").is_file():  # written last: the entry is whole
        return CharLM.load(folder), pickle.loads((folder / "terms.pkl").read_bytes())
    lm = build_model(train)
    add_bigram_table(lm)
    add_confusions(lm)
    add_name_stats(lm, train)
    terms = corpus_terms(train)
    if folder is not None:
        lm.save(folder)
        (folder / "terms.pkl").write_bytes(pickle.dumps(terms))
        lm = CharLM.load(folder)
    return lm, terms


def collect_folds(kinds: Iterable[str], cache: Path | None = None) -> dict[str, Rows]:
    """Feature rows of every kind over all k held-out blocks, each scored by its own model."""
    kinds = list(kinds)
    rng = random.Random(SEED)
    parts: dict[str, list[Rows]] = {k: [] for k in kinds}
    for i, (train, held) in enumerate(split_folds()):
        t0 = time.perf_counter()
        lm, terms = fold_model(train, cache)
        log(
            f"fold {i + 1}: model of {sum(map(len, train)):,} characters, {len(terms):,} terms "
            f"({time.perf_counter() - t0:.0f} s); held out {len(held)} documents, "
            f"{sum(len(t) for _, t in held):,} characters"
        )
        for k in kinds:
            parts[k].append(collect(k, held, lm, terms, rng))
    out: dict[str, Rows] = {}
    for k, rows in parts.items():
        out[k] = (
            np.vstack([r[0] for r in rows]),
            np.vstack([r[1] for r in rows]),
            [m for r in rows for m in r[2]],
            [m for r in rows for m in r[3]],
            sum(r[4] for r in rows),
            sum(r[5] for r in rows),
        )
    return out


def fit(kinds: Iterable[str] = ("sub", "dbl", "rep"), cache: Path | None = None) -> dict[str, Any]:
    """The scores fitted on the held-out blocks of the tune part (``cache``: see collect_folds)."""
    sys.path.insert(0, str(ROOT / "tools"))
    rows = collect_folds(kinds, cache)
    return {k: fit_kind(k, r) for k, r in rows.items()}
