"""Build ``reportlint/data/layout_stats.txt``: how sentences start and what shapes they have.

    python tools/build_layout_stats.py            # the tune part of ../shared/corpus (a few minutes)

Reads the TUNE part of the corpus only (``bench/common.py``: reports 001-031 and the news
up to December 2024); the test part is never read. For every sentence of every paragraph
(split at 。！？；):

- ``word``/``char``: for every position inside the sentence's Chinese runs, the first
  lexicon word of the text from there (``reportlint.rules._standalone.first_word``) and
  its first character, counted as a *start* when the position begins the sentence and as
  a *cut* otherwise (a text that begins there is the tail of a sentence). Words counted
  fewer than MIN_WORD times are left out; the rules fall back to their first character.
- ``endword``/``endchar``: the same for the last word of the text up to every position:
  an *end* when the sentence ends there, a *cut* otherwise (LAYOUT003: a paragraph that
  stops after 为 or 季度观 stops inside a sentence).
- ``shape``: the coarse part-of-speech shape (``_standalone.shape``) of every whole
  sentence of 2-22 characters, against the shapes of three tails of each sentence, cut
  at random places between two Chinese characters (seeded, so the file is reproducible).
  Shapes seen fewer than MIN_SHAPE times are left out (the rule treats them as neutral).
- ``k``: cohesion (``_standalone.cohesion``: topic words shared with the start of the next
  paragraph, 0-2) of every short paragraph that ends a sentence, against that of sentence
  tails set before a random paragraph of the same file.

The output lines are ``kind<TAB>key<TAB>a<TAB>b``: (starts, cuts) for words and
characters, (whole, tails) for shapes, and the totals. LAYOUT004 reads the file through
``reportlint.rules._standalone``; the statistics derived from the news may ship, the
texts do not.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import news_files, report_files  # noqa: E402
from reportlint.document import HAN_CLASS  # noqa: E402
from reportlint.rules._standalone import (  # noqa: E402
    OPENERS,
    STATS_FILE,
    WINDOW,
    _first_of,
    _last_of,
    cohesion,
    shape,
)

OUT = ROOT / "reportlint" / "data" / STATS_FILE
MIN_WORD = 40  # rarer words fall back to their character (pruning them costs no accuracy on tune)
MIN_SHAPE = 10
MIN_CHAR = 3
WHOLE_MAX = 22  # longest sentence body counted as a whole short sentence
TAIL_MAX = 20  # longest tail
TAILS_PER_SENTENCE = 3
SEED = 20240305
COHESION_SAMPLE = 0.1  # share of sentences whose tail is also set after a random paragraph

SENTENCE_RE = re.compile(r"[^。！？；!?;]+[。！？；!?;]*[”’）」』]?")
HAN_RUN_RE = re.compile(f"[{HAN_CLASS}]+")
HAN_RE = re.compile(f"[{HAN_CLASS}]")


def count(files: list[Path], rng: random.Random) -> dict[str, Counter]:
    e_word: Counter[str] = Counter()  # the last word of a text that stops at a sentence's end ...
    e_cut: Counter[str] = Counter()  # ... or inside the sentence
    ec_end: Counter[str] = Counter()
    ec_cut: Counter[str] = Counter()
    w_start: Counter[str] = Counter()
    w_cut: Counter[str] = Counter()
    c_start: Counter[str] = Counter()
    c_cut: Counter[str] = Counter()
    whole: Counter[str] = Counter()
    tails: Counter[str] = Counter()
    coh_whole: Counter[str] = Counter()  # short sentence paragraphs: cohesion with the next paragraph
    coh_tail: Counter[str] = Counter()  # sentence tails put after a random paragraph: the same
    t0 = time.perf_counter()
    for f in files:
        paras = [ln.strip(" \t\u3000\u00a0") for ln in f.read_text(encoding="utf-8").split("\n")]
        paras = [p for p in paras if p]
        for i in range(len(paras) - 1):
            if len(paras[i]) <= 20 and paras[i].rstrip("”’）」』")[-1:] in "。！？；":
                coh_whole[str(cohesion(paras[i], paras[i + 1]))] += 1
        for para in paras:
            for sm in SENTENCE_RE.finditer(para):
                s = sm.group()
                lead = len(s) - len(s.lstrip(OPENERS + " \u3000"))
                body = s.rstrip("。！？；!?;”’）」』").lstrip(OPENERS)
                tail = len(s.rstrip("。！？；!?;”’）」』"))
                for m in HAN_RUN_RE.finditer(s):
                    run = m.group()
                    for i in range(len(run)):
                        w = _first_of(run[i : i + WINDOW])
                        if i == 0 and m.start() == lead:
                            w_start[w] += 1
                            c_start[run[0]] += 1
                        else:
                            w_cut[w] += 1
                            c_cut[run[i]] += 1
                        w = _last_of(run[max(0, i + 1 - WINDOW) : i + 1])
                        if i == len(run) - 1 and m.end() == tail and len(s) > tail:
                            e_word[w] += 1
                            ec_end[run[i]] += 1
                        else:
                            e_cut[w] += 1
                            ec_cut[run[i]] += 1
                if 2 <= len(body) <= WHOLE_MAX:
                    whole[shape(body)] += 1
                cuts = [i for i in range(1, len(body)) if HAN_RE.match(body[i - 1]) and HAN_RE.match(body[i])]
                cuts = [i for i in cuts if len(body) - i <= TAIL_MAX]
                for i in rng.sample(cuts, min(TAILS_PER_SENTENCE, len(cuts))):
                    tails[shape(body[i:])] += 1
                if cuts and len(paras) > 1 and rng.random() < COHESION_SAMPLE:
                    k = rng.randrange(1, len(paras))
                    coh_tail[str(cohesion(body[rng.choice(cuts) :], paras[k]))] += 1
        print(f"{f.name}: {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    return {
        "start": w_start,
        "cut": w_cut,
        "cstart": c_start,
        "ccut": c_cut,
        "end": e_word,
        "ecut": e_cut,
        "cend": ec_end,
        "cecut": ec_cut,
        "whole": whole,
        "tails": tails,
        "cohwhole": coh_whole,
        "cohtail": coh_tail,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT, help=f"output file (default {OUT.relative_to(ROOT)})")
    args = ap.parse_args()
    files = report_files("tune") + news_files("tune")
    if not files:
        print("the corpus is not there (../shared/corpus)", file=sys.stderr)
        return 2
    c = count(files, random.Random(SEED))
    rows = [
        ("t", "start", sum(c["start"].values()), sum(c["cut"].values())),
        ("t", "end", sum(c["end"].values()), sum(c["ecut"].values())),
        ("t", "shape", sum(c["whole"].values()), sum(c["tails"].values())),
    ]
    for kind, a, b, least in (
        ("c", "cstart", "ccut", MIN_CHAR),
        ("w", "start", "cut", MIN_WORD),
        ("f", "cend", "cecut", MIN_CHAR),
        ("e", "end", "ecut", MIN_WORD),
        ("s", "whole", "tails", MIN_SHAPE),
        ("k", "cohwhole", "cohtail", 1),
    ):
        ca, cb = c[a], c[b]
        rows += sorted((kind, k, ca[k], cb[k]) for k in set(ca) | set(cb) if ca[k] + cb[k] >= least)
    head = [
        "# Sentence starts, ends and shapes for LAYOUT003/LAYOUT004: kind<TAB>key<TAB>a<TAB>b.",
        "# w/c: (starts, cuts) of the first word/character of a text that begins a sentence or begins",
        "# at a cut inside one; e/f: (ends, cuts) of the last word/character of a text that stops at a",
        "# sentence's end or inside it; s: (whole short sentences, sentence tails) of a part-of-speech",
        "# shape; k: (short paragraphs, tails) by cohesion with the next paragraph; t: totals.",
        f"# Built by tools/build_layout_stats.py from the tune part of the corpus ({len(files)} files:",
        "# reports 001-031, news to 2024-12; see the corpus's PROVENANCE.md, news texts MIT licence).",
        "# Counts only, no text. Words and parts of speech: jieba's dict.txt (MIT licence).",
    ]
    args.out.write_text("\n".join(head + ["\t".join(map(str, r)) for r in rows]) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(rows)} rows, {args.out.stat().st_size // 1024} KB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
