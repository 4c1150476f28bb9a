"""``reportlint learn DIR``: a domain lexicon from a folder of the user's correct reports.

The TYPO rules judge words against jieba's general lexicon and a language model of news
text, which lack local place names, company names and new policy terms (双长制, 链长制).
Past reports show these terms, so ``learn`` collects:

- *new* terms: strings the general lexicon splits into loose single characters
  (双|长|制), used at least ``min_count`` times in at least two documents;
- *known* words used at least ``min_count`` times in at least two documents: the domain's
  vocabulary, used to suggest corrections (`志志` → `史志` when the reports say 史志);
- *flagged* strings: what the TYPO rules question in these texts (at the review level).
  A folder of past reports is not proof-read text: a slip made once or copied along would
  otherwise be whitelisted. They are listed for a person to judge, never added: change a
  row's kind to ``new`` to accept it.

The file it writes (``word<TAB>count<TAB>new|known|flagged``) is read back through the
config key ``lexicon = ["domain-lexicon.txt"]``; new terms are then never reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from reportlint.document import Document
from reportlint.errors import UsageError

HEADER = (
    "# reportlint domain lexicon, written by `reportlint learn`: word<TAB>count<TAB>kind.\n"
    "# kind: new (not in the general lexicon: never reported as a typo), known (the\n"
    "# domain's vocabulary, used for suggestions) or flagged (questioned by the TYPO rules:\n"
    "# listed for review and ignored; change the kind to new to accept one).\n"
    "# Use it with, in pyproject.toml:\n"
    '#   [tool.reportlint]\n#   lexicon = ["{name}"]\n'
)
FUNCTION = set("的地得了着过是在和与及或也都就又还才再而且但并把被将让使给对向从于以为由因所之其此这那")


@dataclass
class Learned:
    new: Counter
    known: Counter
    files: int
    chars: int
    flagged: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        rows = [(w, n, "new") for w, n in self.new.items()]
        rows += [(w, n, "known") for w, n in self.known.items() if w not in self.new]
        rows += [(w, n, "flagged") for w, n in self.flagged.items() if w not in self.new]
        return [f"{w}\t{n}\t{k}" for w, n, k in sorted(rows)]


def loose_runs(doc: Document) -> Iterable[tuple[int, int]]:
    """Spans of two or more consecutive single-character, non-function tokens (双|长|制)."""

    def loose(w) -> bool:
        return w is not None and len(w.text) == 1 and w.tag != "eng" and w.text not in FUNCTION

    run: list = []
    for w in [*doc.words, None]:
        if loose(w) and (not run or run[-1].end == w.start):
            run.append(w)
            continue
        if len(run) >= 2:
            yield run[0].start, run[-1].end
        run = [w] if loose(w) else []


def learn_documents(docs: Iterable[Document], min_count: int = 2) -> Learned:
    from reportlint.config import Config
    from reportlint.engine import build_rules
    from reportlint.lexicon import get_lexicon
    from reportlint.registry import load_rules

    lex = get_lexicon()
    typo = tuple(c for c in load_rules() if c.startswith("TYPO") and c not in ("TYPO004", "TYPO005"))
    rules = build_rules(Config(select=typo, typo_level="review"))
    new: Counter = Counter()
    known: Counter = Counter()
    flagged: Counter = Counter()
    new_docs: dict[str, set[int]] = {}
    known_docs: dict[str, set[int]] = {}
    files = chars = 0
    for k, doc in enumerate(docs):
        files += 1
        chars += len(doc.text)
        text = doc.text
        spans = list(loose_runs(doc))
        for s, e in spans:
            if e - s <= 8:
                new[text[s:e]] += 1
                new_docs.setdefault(text[s:e], set()).add(k)
        for w in doc.words:
            if len(w.text) >= 2 and w.known:
                known[w.text] += 1
                known_docs.setdefault(w.text, set()).add(k)
        for rule in rules:
            for f in rule.check(doc):
                s, e = f.span.start, f.span.end
                # The loose run around the finding, else the finding's own span.
                around = next(((a, b) for a, b in spans if a <= s and e <= b), (s, e))
                flagged[text[around[0] : around[1]]] += 1

    def often(counts: Counter, where: dict[str, set[int]], w: str) -> bool:
        return counts[w] >= min_count and len(where.get(w, ())) >= 2

    keep_new = Counter(
        {w: n for w, n in new.items() if often(new, new_docs, w) and not lex.freq(w) and w not in flagged}
    )
    keep_known = Counter({w: n for w, n in known.items() if often(known, known_docs, w)})
    return Learned(keep_new, keep_known, files, chars, flagged)


def write_lexicon(learned: Learned, out: Path) -> None:
    from reportlint.fixer import write_text_atomic

    write_text_atomic(out, HEADER.format(name=out.name) + "\n".join(learned.lines()) + "\n")


def read_lexicon(path: Path) -> dict[str, tuple[int, str]]:
    """word -> (count, kind) from a file written by ``write_lexicon``."""
    from reportlint.safeio import LEXICON_LIMIT, read_small_text

    text = read_small_text(path, LEXICON_LIMIT, "lexicon")
    out: dict[str, tuple[int, str]] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        try:
            word, count = parts[0].strip(), int(parts[1]) if len(parts) > 1 else 1
        except ValueError:
            raise UsageError(f"{path}:{n}: expected word<TAB>count") from None
        kind = parts[2].strip() if len(parts) > 2 else "new"
        if word:
            out[word] = (count, kind)
    return out


@lru_cache(maxsize=16)
def load_domain_words(paths: tuple[str, ...]) -> dict[str, int]:
    """word -> count over the lexicon files named in the config (cached per run)."""
    words: dict[str, int] = {}
    for p in paths:
        for w, (n, kind) in read_lexicon(Path(p)).items():
            if kind != "flagged":
                words[w] = words.get(w, 0) + n
    return words
