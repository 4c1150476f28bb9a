"""Spelling-set benchmark of the TYPO family: sentence-level detection P/R/F1, false alarms.

    python3 bench/csc.py [--limit N] [--sets odw,cscd] [--no-reports] [--examples FILE]

Runs the TYPO rules on every sentence of ../shared/corpus/csc/*.tsv (source<TAB>target)
at default settings (``typo-level = "lint"``) and at the review level (``typo-level =
"review"``), and on the clean reports of ../shared/corpus/reports (findings per 10,000
characters). Prints a table and writes bench/results/csc.json.

Sentence-level detection, as in the SIGHAN evaluations:

- strict: a sentence counts as detected correctly when the set of positions reported
  equals the set of wrong positions (the characters the target changes);
- lenient: when a sentence with errors is reported and at least one reported position
  is wrong in fact.

Precision = correct detections / sentences reported; recall = correct detections /
sentences with errors. "fa%" is the share of correct sentences (source = target) with
a finding: the false-alarm rate.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportlint.config import Config  # noqa: E402
from reportlint.document import Document  # noqa: E402
from reportlint.engine import build_rules, check_document  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
SETS = {
    "odw": "ecspell_odw_test.tsv",
    "law": "ecspell_law_test.tsv",
    "med": "ecspell_med_test.tsv",
    "cscd": "cscd_ns_dev.tsv",
    "xxqg": "xuexiqiangguo_clean_dev.tsv",
}


def settings() -> dict[str, Config]:
    """default: the TYPO rules as shipped (typo-level lint); review: typo-level review."""
    return {
        "default": Config(select=("TYPO",)),
        "review": Config(select=("TYPO",), typo_level="review"),
    }


def positions(finding, text: str) -> set[int]:
    s, e = finding.span.start, finding.span.end
    fx = finding.fix
    if fx is not None and fx.start is None and fx.end is None and len(fx.replacement) == e - s:
        diff = {s + i for i, c in enumerate(fx.replacement) if c != text[s + i]}
        if diff:
            return diff
    return set(range(s, e))


ADJUDICATED = Path(__file__).with_name("csc_adjudicated.tsv")


def adjudicated() -> dict[str, dict[int, str]]:
    """set -> {line number: erroneous text} of "correct" sentences that contain an error."""
    out: dict[str, dict[int, str]] = {}
    if ADJUDICATED.is_file():
        for line in ADJUDICATED.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                name, num, wrong, _ = line.split("\t")
                out.setdefault(name, {})[int(num)] = wrong
    return out


def evaluate(
    path: Path,
    rules,
    limit: int | None,
    known_errors: dict[int, str] | None = None,
    misses: bool = False,
) -> dict:
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        src, sep, tgt = line.partition("\t")
        if sep:
            pairs.append((number, src, tgt))
    if limit:
        pairs = pairs[:limit]
    known_errors = known_errors or {}
    n_err = n_ok = reported = strict_tp = lenient_tp = false_alarm = skipped = 0
    set_aside = set_aside_flagged = 0
    miss_counts = dict.fromkeys(MISS_KEYS, 0)
    t0 = time.perf_counter()
    examples = []
    for number, src, tgt in pairs:
        if len(src) != len(tgt):
            skipped += 1
            continue
        gold = {i for i, (a, b) in enumerate(zip(src, tgt, strict=True)) if a != b}
        doc = Document.from_text(src)
        found = check_document(doc, rules)
        pred: set[int] = set()
        for f in found:
            pred |= positions(f, src)
        if gold:
            n_err += 1
            if misses:
                count_misses(miss_counts, src, tgt, gold, pred)
        else:
            n_ok += 1
            wrong = known_errors.get(number)
            if wrong is not None:
                if wrong not in src:
                    raise SystemExit(f"{ADJUDICATED.name}: line {number} of {path.name} has no {wrong!r}")
                set_aside += 1
                set_aside_flagged += bool(pred)
        if pred:
            reported += 1
            if not gold:
                false_alarm += 1
                if len(examples) < 400:
                    examples.append(["FP", src, [f"{f.code} {f.excerpt} {f.message.zh}" for f in found]])
            elif pred == gold:
                strict_tp += 1
            if gold and pred & gold:
                lenient_tp += 1
            if gold and pred != gold and len(examples) < 400:
                examples.append(["WRONG", src, tgt, [f"{f.code} {f.excerpt} {f.message.zh}" for f in found]])
    secs = time.perf_counter() - t0

    def prf(tp: int) -> dict:
        p = tp / reported if reported else 0.0
        r = tp / n_err if n_err else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}

    return {
        "sentences": len(pairs) - skipped,
        "skipped_unequal_length": skipped,
        "with_errors": n_err,
        "correct": n_ok,
        "reported": reported,
        "strict": prf(strict_tp),
        "lenient": prf(lenient_tp),
        "false_alarm_rate": round(false_alarm / n_ok, 4) if n_ok else None,
        "set_aside_as_erroneous": set_aside,
        "false_alarm_rate_adjudicated": round((false_alarm - set_aside_flagged) / (n_ok - set_aside), 4)
        if n_ok > set_aside
        else None,
        "seconds": round(secs, 2),
        "examples": examples,
        **({"misses": miss_counts} if misses and n_err else {}),
    }


MISS_KEYS = (
    "sentences_with_several_errors",
    "positions",
    "found",
    "inside_a_real_word",
    "no_candidate",
    "below_threshold",
)


def count_misses(counts: dict, src: str, tgt: str, gold: set[int], pred: set[int]) -> None:
    """Where a sentence's error positions go: found, inside a real word, no candidate, other.

    "inside a real word": the position lies in a lexicon word (frequency > 3) of the
    source's segmentation, which a unigram lexicon cannot question; "no candidate": the
    right character is not among the wrong one's sound-alike or look-alike candidates;
    "below threshold": a loose character whose candidate did not score high enough.
    """
    from reportlint.lexicon import confusables, get_lexicon

    lex = get_lexicon()
    counts["sentences_with_several_errors"] += len(gold) > 1
    spans = lex.route(src)[1]
    for i in gold:
        counts["positions"] += 1
        if i in pred:
            counts["found"] += 1
        elif tgt[i] not in confusables(src[i]):
            counts["no_candidate"] += 1
        else:
            s, e = next(((s, e) for s, e in spans if s <= i < e), (i, i + 1))
            real = e - s >= 2 and lex.freq(src[s:e]) > 3
            counts["inside_a_real_word" if real else "below_threshold"] += 1


def reports(rules) -> dict:
    chars = 0
    by_code: dict[str, int] = {}
    listing = []
    for path in sorted((CORPUS / "reports").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        doc = Document.from_text(text, path=path.name)
        chars += len(text)
        for f in check_document(doc, rules):
            by_code[f.code] = by_code.get(f.code, 0) + 1
            listing.append(
                f"{path.name}:{f.span.line}:{f.span.column} {f.code} {f.severity.value} "
                f"{f.excerpt} {f.message.zh}"
            )
    total = sum(by_code.values())
    return {
        "chars": chars,
        "findings": total,
        "per_10k_chars": round(total * 10000 / chars, 3) if chars else None,
        "by_code": by_code,
        "listing": listing,
    }


def learned_split(configs: dict[str, Config]) -> dict:
    """Learn a domain lexicon from the national reports; check the provincial ones with it."""
    import tempfile

    from reportlint.learn import learn_documents, write_lexicon

    paths = sorted((CORPUS / "reports").glob("*.txt"))
    train = [p for p in paths if "national" in p.name]
    test = [p for p in paths if "national" not in p.name]
    docs = (Document.from_text(p.read_text(encoding="utf-8"), path=p.name) for p in train)
    learned = learn_documents(docs, min_count=2)
    out: dict = {
        "train_files": len(train),
        "test_files": len(test),
        "new_terms": len(learned.new),
        "known_words": len(learned.known),
    }
    with tempfile.TemporaryDirectory() as tmp:
        lex_path = Path(tmp) / "domain.txt"
        write_lexicon(learned, lex_path)
        for setting, cfg in configs.items():
            for with_lex in (False, True):
                c = cfg.merged(lexicon=(str(lex_path),)) if with_lex else cfg
                rules = build_rules(c)
                chars = n = 0
                for p in test:
                    doc = Document.from_text(p.read_text(encoding="utf-8"), path=p.name)
                    chars += len(doc.text)
                    n += len(check_document(doc, rules))
                key = f"{setting}{' + learned lexicon' if with_lex else ''}"
                out[key] = {"findings": n, "per_10k_chars": round(n * 10000 / chars, 3)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="first N sentences of each set")
    ap.add_argument("--sets", default=",".join(SETS), help="comma-separated: " + ",".join(SETS))
    ap.add_argument("--settings", default="default,review")
    ap.add_argument("--no-reports", action="store_true", help="skip the clean reports")
    ap.add_argument(
        "--no-learn", action="store_true", help="skip learning a lexicon from the national reports"
    )
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "csc.json"))
    ap.add_argument(
        "--examples",
        default=None,
        help="also write the misjudged sentences and report findings to this JSON "
        "file (keep it outside the project: it quotes the corpus)",
    )
    args = ap.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS} not found")
    configs = settings()
    known = adjudicated()
    results: dict = {}
    print(
        f"{'setting':9} {'set':5} {'sents':>5} {'err':>5} {'strict P':>8} {'R':>6} {'F1':>6}"
        f" {'lenient P':>9} {'R':>6} {'F1':>6} {'fa%':>6} {'fa%adj':>6} {'sec':>6}"
    )
    for setting in args.settings.split(","):
        rules = build_rules(configs[setting])
        results[setting] = {}
        for name in args.sets.split(","):
            r = evaluate(
                CORPUS / "csc" / SETS[name], rules, args.limit, known.get(name), misses=setting == "default"
            )
            results[setting][name] = r
            s, le = r["strict"], r["lenient"]
            fa = r["false_alarm_rate"]
            fa_adj = r["false_alarm_rate_adjudicated"]
            print(
                f"{setting:9} {name:5} {r['sentences']:5} {r['with_errors']:5} "
                f"{s['precision']:8.3f} {s['recall']:6.3f} {s['f1']:6.3f} "
                f"{le['precision']:9.3f} {le['recall']:6.3f} {le['f1']:6.3f} "
                f"{(fa or 0) * 100:6.2f} {(fa_adj or 0) * 100:6.2f} {r['seconds']:6.1f}"
            )
        for name in args.sets.split(","):
            m = results[setting][name].get("misses")
            if m:
                print(
                    f"{setting:9} {name:5} error positions: "
                    + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in m.items())
                )
        if not args.no_reports:
            rep = reports(rules)
            results[setting]["reports"] = rep
            print(
                f"{setting:9} reports: {rep['findings']} findings in {rep['chars']} chars = "
                f"{rep['per_10k_chars']} per 10,000 chars {rep['by_code']}"
            )
    if not args.no_reports and not args.no_learn:
        split = learned_split({k: configs[k] for k in args.settings.split(",")})
        results["learned_split"] = split
        print(f"learn: national reports -> {split['new_terms']} new terms; provincial reports:")
        for key, v in split.items():
            if isinstance(v, dict):
                print(f"  {key:32} {v['findings']:4} findings, {v['per_10k_chars']} per 10,000 chars")
    if args.examples:
        Path(args.examples).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    # The results kept in the project hold numbers only, never corpus text.
    for per_setting in results.values():
        for r in per_setting.values():
            if isinstance(r, dict):
                r.pop("examples", None)
                r.pop("listing", None)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
