"""The TYPO family on text it was not built on: clean-text rates, injected recall, review curve.

    python bench/typo.py clean    # findings per 10,000 characters, test part beside tune part
    python bench/typo.py inject   # recall on defects injected into the reports, by kind
    python bench/typo.py curve    # the review level: false findings on news 2025 vs recall on CSC sets

``clean`` runs every TYPO rule at the review level over the news of 2025 and reports 033-073
(the TEST part) and over the news of 2024 and reports 001-031 (TUNE part, which the language
model and the thresholds were built on), and counts findings per 10,000 characters at the
default level (``lint``) and at ``review``; also the share of the 2,300 correct 学习强国
sentences flagged. It prints every finding the default level keeps on the test part, for
reading (``--list N`` limits, ``--list 0`` hides them).

``inject`` copies the reports of a part (``--part test``, default) and injects defects of the
kinds the TYPO rules exist for, each copy one defect per 300 characters or so, and counts the
share found (a finding of the right rule overlapping the defect) at each level:

- ``wrong_char.*``: a character replaced by a same-tone, same-syllable, near-sound, look-alike
  or one-stroke-apart character (the channel the rules assume);
- ``doubled.*``: a character written twice: anywhere (``random``), where the second copy
  starts a word (``starts_word``: 大城城市, 增增长, 领领导), on a function character
  (never where grammar itself doubles: numerals, measure words, 一XX, AABB, which the rule
  leaves alone by design);
- ``repeated.*``: a unit of 2, 3 or 4 characters written twice (五年五年来, 城镇城镇新建,
  弘扬弘扬);
- ``gap``: a verbal head said again before the next word (研发投入经费投入).

``curve`` tabulates, for thresholds on TYPO003's confidence, the findings per 10,000
characters of news 2025 (precision side; every TYPO rule at that threshold) against the share
of error sentences of ECSpell official documents and CSCD-NS (dev) with a finding on an error
position, and the strict detection F1 of both sets.

Results go to bench/results/typo_*.json (numbers only).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import CSC, meta, news_files, per_10k, report_files, snippet, write_result  # noqa: E402
from reportlint.typo_score import grammatical_doubling, grammatical_repeat  # noqa: E402

TYPO_RULES = ("TYPO001", "TYPO002", "TYPO003", "TYPO004", "TYPO005")
CSC_SETS = {"odw": "ecspell_odw_test.tsv", "cscd": "cscd_ns_dev.tsv"}


def _rules(level: str):
    from reportlint.config import Config
    from reportlint.engine import build_rules

    return build_rules(Config(select=TYPO_RULES, typo_level=level, cross_file=False))


def _check(text: str, name: str, rules) -> list:
    from reportlint.document import Document
    from reportlint.engine import check_document

    return check_document(Document.from_text(text, path=name), rules)


def _lint(f) -> bool:
    """Whether a review-level finding is also reported at the default level."""
    return f.severity.value != "info" or f.code in ("TYPO004", "TYPO005")


# --------------------------------------------------------------------------- clean


def corpora(part: str) -> dict[str, list[tuple[str, str]]]:
    if part == "test":
        news = [f for f in news_files("test")]
    else:  # the same amount of tune news: the twelve months of 2024
        news = [f for f in news_files("tune") if f.name[5:9] == "2024"]
    return {
        f"news {'2025' if part == 'test' else '2024'}": [
            (f.name, f.read_text(encoding="utf-8")) for f in news
        ],
        f"reports {'033-073' if part == 'test' else '001-031'}": [
            (f.name, f.read_text(encoding="utf-8")) for f in report_files(part)
        ],
    }


def clean(args) -> dict:
    rules = _rules("review")
    out: dict = {}
    listing: list[str] = []
    head = f"{'part':5} {'corpus':16} {'chars':>10} {'lint':>6} {'/10k':>6} {'review':>7} {'/10k':>6}"
    print(head + "  lint by rule")
    for part in ("test", "tune"):
        for label, items in corpora(part).items():
            t0 = time.perf_counter()
            chars = 0
            lint: Counter = Counter()
            review: Counter = Counter()
            for name, text in items:
                chars += len(text)
                for f in _check(text, name, rules):
                    review[f.code] += 1
                    if _lint(f):
                        lint[f.code] += 1
                        if part == "test":
                            listing.append(
                                f"{name}:{f.span.line}:{f.span.column} {f.code} {f.confidence} "
                                f"{snippet(text, f.span.start, f.span.end)} {f.message.zh}"
                            )
            nl, nr = sum(lint.values()), sum(review.values())
            out[f"{part} {label}"] = {
                "chars": chars,
                "lint": nl,
                "lint_per_10k": per_10k(nl, chars),
                "review": nr,
                "review_per_10k": per_10k(nr, chars),
                "lint_by_rule": dict(sorted(lint.items())),
                "review_by_rule": dict(sorted(review.items())),
                "seconds": round(time.perf_counter() - t0, 1),
            }
            print(
                f"{part:5} {label:16} {chars:10,} {nl:6} {per_10k(nl, chars):6.3f} {nr:7} "
                f"{per_10k(nr, chars):6.3f}  {dict(sorted(lint.items()))}"
            )
    # The correct sentences of 学习强国 (a measuring set: all correct).
    path = CSC / "xuexiqiangguo_clean_dev.tsv"
    if path.is_file():
        sents = [ln.split("\t")[0] for ln in path.read_text(encoding="utf-8").splitlines() if "\t" in ln]
        flagged_lint = flagged_review = 0
        for s in sents:
            found = _check(s, "xxqg", rules)
            flagged_review += bool(found)
            flagged_lint += any(_lint(f) for f in found)
        out["xxqg"] = {
            "sentences": len(sents),
            "lint_flagged": flagged_lint,
            "review_flagged": flagged_review,
        }
        print(
            f"学习强国 correct sentences: {len(sents)}; flagged at lint {flagged_lint} "
            f"({100 * flagged_lint / len(sents):.2f}%), at review {flagged_review} "
            f"({100 * flagged_review / len(sents):.2f}%)"
        )
    if args.list:
        print(f"\nEvery default-level finding on the test part ({len(listing)}):")
        for line in listing[: args.list]:
            print("  " + line)
    return out


# --------------------------------------------------------------------------- inject


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


class Injector:
    """Defects of the TYPO kinds at random places of a text, recorded as (start, end) spans."""

    def __init__(self, rng: random.Random) -> None:
        from reportlint.lexicon import get_lexicon
        from reportlint.lm import get_lm

        self.rng = rng
        self.lm = get_lm()
        self.lex = get_lexicon()

    def spots(self, text: str, every: int = 300, need: int = 4) -> list[int]:
        out = []
        for base in range(30, len(text) - 30, every):
            p = base + self.rng.randrange(every // 2)
            if p + need + 6 < len(text) and all(_han(text[q]) for q in range(p - 3, p + need + 3)):
                out.append(p)
        return out

    def wrong_char(self, text: str, p: int, kind: int) -> tuple[str, str] | None:
        from reportlint.lexicon import confusables
        from reportlint.lm import FIRST_CHAR

        numerals = set("零〇一二三四五六七八九十百千万亿两几第")
        if text[p] in numerals:
            return None
        pool = [c for c, k in sorted(confusables(text[p]).items()) if k == kind and c not in numerals]
        pool = [c for c in pool if self.lm.char_id(c) >= FIRST_CHAR]
        if not pool:
            return None
        return self.rng.choice(pool), "wrong_char"

    def apply(self, text: str, kind: str) -> tuple[str, list[tuple[int, int, str]]]:
        """The text with defects of one kind, and (start, end, code) of each in the new text."""
        parts: list[str] = []
        spans: list[tuple[int, int, str]] = []
        last = shift = 0
        kinds = {"same_tone": 0, "same_syllable": 1, "near_sound": 2, "shape": 3, "near_shape": 4}
        for p in self.spots(text):
            if kind.startswith("wrong_char."):
                got = self.wrong_char(text, p, kinds[kind.split(".")[1]])
                if got is None:
                    continue
                parts.append(text[last:p] + got[0])
                spans.append((p + shift, p + shift + 1, "TYPO003"))
                last = p + 1
            elif kind.startswith("doubled."):
                how = kind.split(".")[1]
                if how == "starts_word":
                    # Move to a place where a word of 2+ characters starts.
                    q = next((q for q in range(p, p + 6) if self.lex.freq(text[q : q + 2]) >= 50), None)
                    if q is None:
                        continue
                    p = q
                elif how == "function":
                    q = next((q for q in range(p, p + 12) if text[q] in "的了是在和与对把被将也都就"), None)
                    if q is None:
                        continue
                    p = q
                if not _han(text[p]) or text[p - 1] == text[p] or text[p + 1] == text[p]:
                    continue
                if grammatical_doubling(text[:p] + text[p] + text[p:], p, self.lex):
                    continue  # 亿亿, 一一, 大大小: grammar's own doublings, never reported by design
                parts.append(text[last : p + 1] + text[p])
                spans.append((p + shift, p + shift + 2, "TYPO001"))
                shift += 1
                last = p + 1
            elif kind.startswith("repeated."):
                size = int(kind.split(".")[1])
                u = text[p : p + size]
                if not all(_han(c) for c in u) or text[p + size : p + 2 * size] == u:
                    continue
                if grammatical_repeat(text[: p + size] + u + text[p + size :], p, size, self.lex):
                    continue  # 一个一个, 研究研究吧: grammar's own repeats
                parts.append(text[last : p + size] + u)
                spans.append((p + shift, p + shift + 2 * size, "TYPO002"))
                shift += size
                last = p + size
        parts.append(text[last:])
        return "".join(parts), spans


def inject_gap(text: str, rng: random.Random) -> tuple[str, list[tuple[int, int, str]]]:
    """A head word said again before the next word (研发投入经费投入), at the places TYPO002's
    own pattern (typo_score.gap_spots) describes: this measures how well the score separates
    those slips, not how many shapes of the slip the rule covers."""
    from reportlint.lexicon import segment_text
    from reportlint.typo_score import gap_spots

    spots = gap_spots(segment_text(text))
    rng.shuffle(spots)
    chosen = sorted(spots[: max(1, len(text) // 1200)])
    parts, out, last, shift, prev = [], [], 0, 0, -10_000
    for at, _g, w in chosen:
        if at - prev < 60:
            continue
        parts.append(text[last:at] + w)
        out.append((at + shift, at + shift + len(w), "TYPO002"))
        shift += len(w)
        last = prev = at
    parts.append(text[last:])
    return "".join(parts), out


INJECT_KINDS = (
    "wrong_char.same_tone",
    "wrong_char.same_syllable",
    "wrong_char.near_sound",
    "wrong_char.shape",
    "wrong_char.near_shape",
    "doubled.random",
    "doubled.starts_word",
    "doubled.function",
    "repeated.2",
    "repeated.3",
    "repeated.4",
    "gap",
)


def inject(args) -> dict:
    rng = random.Random(args.seed)
    inj = Injector(rng)
    rules = _rules("review")
    items = [(f.name, f.read_text(encoding="utf-8")) for f in report_files(args.part)]
    res: dict = {}
    print(f"injected into the {args.part} reports ({len(items)} files), one defect per ~300 characters")
    print(f"{'kind':26} {'n':>5} {'lint':>6} {'review':>7}   lint misses (examples)")
    for kind in INJECT_KINDS:
        n = hit_lint = hit_review = 0
        misses: list[str] = []
        for name, text in items:
            if kind == "gap":
                new, spans = inject_gap(text, rng)
            else:
                new, spans = inj.apply(text, kind)
            if not spans:
                continue
            found = _check(new, name, rules)
            by_code = defaultdict(list)
            for f in found:
                by_code[f.code].append(f)
            for s, e, code in spans:
                n += 1
                near = [f for f in by_code[code] if f.span.start < e + 1 and s - 1 < f.span.end]
                if near:
                    hit_review += 1
                    if any(_lint(f) for f in near):
                        hit_lint += 1
                        continue
                if len(misses) < args.misses:
                    misses.append(snippet(new, s, e, 8))
        res[kind] = {
            "n": n,
            "lint_recall": round(hit_lint / n, 3) if n else None,
            "review_recall": round(hit_review / n, 3) if n else None,
        }
        print(
            f"{kind:26} {n:5} {hit_lint / max(n, 1):6.3f} {hit_review / max(n, 1):7.3f}   {' '.join(misses)}"
        )
    return res


# --------------------------------------------------------------------------- curve


def curve(args) -> dict:
    """Findings per 10k of news 2025 against CSC error-sentence recall, over TYPO003 thresholds."""
    from reportlint.document import Document
    from reportlint.typo_score import DocTypo, threshold

    ths = [0.99, 0.98, 0.95, 0.9, 0.8, 0.6, 0.4, 0.2, 0.1, 0.05, 0.03, 0.02, 0.01]
    lint_th = {k: threshold(k, "lint") for k in ("sub", "dbl", "rep")}
    rev_th = {k: threshold(k, "review") for k in ("sub", "dbl", "rep")}
    # News 2025: every suspect with its confidence, once.
    news = [(f.name, f.read_text(encoding="utf-8")) for f in news_files("test")]
    if args.limit_news:
        news = news[: args.limit_news]
    chars = 0
    sub_conf: list[float] = []
    other_review = other_lint = 0
    for name, text in news:
        dt = DocTypo.of(Document.from_text(text, path=name))
        chars += len(text)
        sub_conf.extend(s.confidence for s in dt.substitutions())
        for kind, sus in (("dbl", dt.doublings()), ("rep", dt.repeats() + dt.gaps())):
            other_review += sum(s.confidence >= rev_th[kind] for s in sus)
            other_lint += sum(s.confidence >= lint_th[kind] for s in sus)
    sets = {}
    for key, fname in CSC_SETS.items():
        rows = []
        for line in (CSC / fname).read_text(encoding="utf-8").splitlines():
            src, sep, tgt = line.partition("\t")
            if sep and len(src) == len(tgt):
                gold = {i for i, (a, b) in enumerate(zip(src, tgt, strict=True)) if a != b}
                sus = DocTypo(src).substitutions()
                rows.append((gold, [(s.start, s.confidence) for s in sus]))
        sets[key] = rows
    out = {"news_chars": chars, "points": []}
    print(
        f"news 2025: {chars:,} characters; TYPO001/TYPO002 add {other_lint} findings at lint, "
        f"{other_review} at review"
    )
    print(f"{'threshold':>9} {'news/10k':>9} " + " ".join(f"{k + ' found':>10} {k + ' F1':>8}" for k in sets))
    for th in sorted({*ths, lint_th["sub"], rev_th["sub"]}, reverse=True):
        n = sum(c >= th for c in sub_conf) + other_lint
        point = {"threshold": th, "news_per_10k": per_10k(n, chars)}
        cells = []
        for key, rows in sets.items():
            err = found = reported = strict = 0
            for gold, sus in rows:
                pred = {s for s, c in sus if c >= th}
                err += bool(gold)
                found += bool(gold and pred & gold)
                reported += bool(pred)
                strict += bool(gold and pred == gold)
            p = strict / reported if reported else 0.0
            r = strict / err if err else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            point[key] = {"found": round(found / err, 3), "strict_f1": round(f1, 3)}
            cells.append(f"{found / err:10.3f} {f1:8.3f}")
        mark = " (lint)" if th == lint_th["sub"] else " (review)" if th == rev_th["sub"] else ""
        print(f"{th:9.4f} {point['news_per_10k']:9.3f} " + " ".join(cells) + mark)
        out["points"].append(point)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("clean", help="findings per 10,000 characters of clean text")
    c.add_argument("--list", type=int, default=10_000, help="print at most N test-part findings")
    i = sub.add_parser("inject", help="recall on injected defects")
    i.add_argument("--part", choices=("test", "tune"), default="test")
    i.add_argument("--seed", type=int, default=20250101)
    i.add_argument("--misses", type=int, default=3, help="missed defects shown per kind")
    k = sub.add_parser("curve", help="the review level's precision/recall curve")
    k.add_argument("--limit-news", type=int, default=0, help="first N months of news 2025 only")
    args = ap.parse_args()
    if not (CSC.is_dir() and news_files()):
        print("the corpus is not present (../shared/corpus): nothing measured")
        return
    t0 = time.perf_counter()
    res = {"clean": clean, "inject": inject, "curve": curve}[args.cmd](args)
    print(f"({time.perf_counter() - t0:.0f} s)")
    write_result(f"typo_{args.cmd}.json", {"meta": meta(), "results": res})


if __name__ == "__main__":
    main()
