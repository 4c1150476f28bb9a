"""A synthetic archive with known copies, made from the corpus (reports and news of one part).

Every archived paragraph is new text: two to five sentences of the corpus, each taken
with light random edits (digits and about one character in twenty replaced), so that
paragraphs and sentences are not shared by accident while the language stays real. Some
archived documents copy paragraphs of earlier ones, as archives do. The draft (about
30,000 characters) mixes fresh paragraphs with paragraphs copied from archived documents:
exact, differing in punctuation, edited at rates that put their similarity on both sides
of the 0.8 threshold, and passages (three sentences) pasted into fresh paragraphs.
Nothing here reads the index: the truth comes from the text written.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

_SENT_RE = re.compile(r"[^。！？；]*[。！？；]")
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")


def sentence_pool(files: Iterable[Path], limit: int | None = None) -> list[str]:
    """Sentences of 10-120 characters from the files (one paragraph a line)."""
    out: list[str] = []
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            for m in _SENT_RE.finditer(line.strip()):
                s = m.group(0)
                if 10 <= len(s) <= 120 and len(_HAN_RE.findall(s)) >= 0.6 * len(s):
                    out.append(s)
        if limit and len(out) >= limit:
            break
    return out


@dataclass
class Synth:
    sentences: list[str]
    seed: int = 1
    rng: random.Random = field(init=False)
    han: str = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        sample = "".join(self.sentences[:5000])
        self.han = "".join(sorted(set(_HAN_RE.findall(sample))))

    # ------------------------------------------------------------------ text
    def mutate(self, s: str, rate: float = 0.05) -> str:
        """Digits redrawn and about ``rate`` of the Chinese characters replaced."""
        rng = self.rng
        chars = list(s)
        for i, c in enumerate(chars):
            if c.isdigit():
                chars[i] = str(rng.randint(0, 9))
            elif "\u4e00" <= c <= "\u9fff" and rng.random() < rate:
                chars[i] = rng.choice(self.han)
        return "".join(chars)

    def paragraph(self, lo: int = 2, hi: int = 5) -> str:
        return "".join(self.mutate(self.rng.choice(self.sentences)) for _ in range(self.rng.randint(lo, hi)))

    def edit(self, text: str, rate: float) -> str:
        """Substitutions, insertions and deletions at ``rate`` per character of ``text``."""
        rng = self.rng
        out: list[str] = []
        for c in text:
            r = rng.random()
            if r < rate / 3:
                out.append(rng.choice(self.han))  # substituted
            elif r < 2 * rate / 3:
                out.append(c + rng.choice(self.han))  # inserted after
            elif r < rate:
                continue  # deleted
            else:
                out.append(c)
        return "".join(out)

    def document(self) -> list[str]:
        """A title line and 4-14 paragraphs."""
        title = self.mutate(self.rng.choice(self.sentences))[:16].rstrip("。！？；，")
        return [title] + [self.paragraph() for _ in range(self.rng.randint(4, 14))]


@dataclass
class Planted:
    kind: str  # exact, punct, edit, passage, fresh
    line: int  # line of the draft (1-based)
    source: str = ""  # archived file name
    rate: float = 0.0
    copied: str = ""  # the pasted passage


def write_archive(
    folder: Path, n_docs: int, synth: Synth, copy_rate: float = 0.2
) -> tuple[list[list[str]], list[int]]:
    """Write ``n_docs`` documents (doc_000000.txt …); return the paragraphs of a sample of them
    (every document whose number is in ``keep``) for the draft to copy from."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = synth.rng
    keep = set(rng.sample(range(n_docs), min(n_docs, 400)))
    kept: dict[int, list[str]] = {}
    recent: list[list[str]] = []
    for i in range(n_docs):
        doc = synth.document()
        if recent and rng.random() < copy_rate:  # copies a few paragraphs of an earlier document
            src = rng.choice(recent)
            for _ in range(rng.randint(1, 3)):
                p = rng.choice(src[1:])
                doc.insert(rng.randint(1, len(doc)), p if rng.random() < 0.5 else synth.edit(p, 0.03))
        (folder / f"doc_{i:06d}.txt").write_text("\n".join(doc) + "\n", encoding="utf-8")
        recent.append(doc)
        if len(recent) > 50:
            recent.pop(0)
        if i in keep:
            kept[i] = doc
    return [kept[i] for i in sorted(kept)], sorted(kept)


def write_draft(
    path: Path, kept: list[list[str]], names: list[int], synth: Synth, chars: int = 30_000
) -> list[Planted]:
    """A draft of about ``chars`` characters with planted copies; the plan, line by line."""
    rng = synth.rng
    lines: list[str] = []
    plan: list[Planted] = []
    total = 0
    while total < chars:
        r = rng.random()
        k = rng.randrange(len(kept))
        src = kept[k]
        name = f"doc_{names[k]:06d}.txt"
        paras = [p for p in src[1:] if len(p) >= 60]
        if r < 0.45 or not paras:
            text, pl = synth.paragraph(), Planted("fresh", 0)
        elif r < 0.60:
            text, pl = rng.choice(paras), Planted("exact", 0, name)
        elif r < 0.65:
            text, pl = rng.choice(paras).replace("，", ", ").replace("。", ". "), Planted("punct", 0, name)
        elif r < 0.90:
            rate = rng.uniform(0.0, 0.15)
            text, pl = synth.edit(rng.choice(paras), rate), Planted("edit", 0, name, rate)
        else:
            p = rng.choice(paras)
            sents = _SENT_RE.findall(p)
            if len(sents) < 3:
                continue
            i = rng.randint(0, len(sents) - 3)
            copied = "".join(sents[i : i + 3])
            text, pl = synth.paragraph(1, 2) + copied, Planted("passage", 0, name, copied=copied)
        lines.append(text)
        pl.line = len(lines)
        plan.append(pl)
        total += len(text) + 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return plan
