"""Run the selected rules over documents; apply fixes.

The engine knows nothing of the command line or of output formats.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from reportlint import split
from reportlint.config import Config
from reportlint.document import Document
from reportlint.errors import InputError
from reportlint.finding import Finding
from reportlint.registry import Rule, select_rules


@dataclass
class FileResult:
    path: str
    doc: Document | None
    findings: list[Finding] = field(default_factory=list)
    error: InputError | None = None


@dataclass
class Report:
    files: list[FileResult]
    lang: str = "zh"

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    @property
    def checked(self) -> list[FileResult]:
        return [r for r in self.files if r.doc is not None]

    @property
    def chars(self) -> int:
        return sum(r.doc.chars for r in self.checked if r.doc is not None)


def build_rules(config: Config) -> list[Rule]:
    classes = select_rules(config.select, config.ignore, config.extend_select)
    rules = []
    for cls in classes:
        rule = cls(**config.options_for(cls.code))
        rule.context = {
            "allow_words": frozenset(config.allow_words),
            "confusions": dict(config.confusions),
            "cross_file": config.cross_file,
            "domain_words": _domain_words(config),
        }
        rules.append(rule)
    return rules


def _domain_words(config: Config) -> dict[str, int]:
    """Words of the lexicon files named by the config key ``lexicon`` (reportlint learn)."""
    if not getattr(config, "lexicon", ()):
        return {}
    from reportlint.learn import load_domain_words

    return load_domain_words(tuple(config.lexicon))


def check_document(doc: Document, rules: Iterable[Rule]) -> list[Finding]:
    """Every finding of ``rules`` on ``doc``, deduplicated by (code, start, end), sorted.

    A text longer than the window (``reportlint.windowed``) is checked window by window,
    so that memory stays bounded.
    """
    from reportlint.windowed import check_windowed, needs_windows

    if needs_windows(doc):
        return check_windowed(doc, rules)
    rules = list(rules)
    codes = [r.code for r in rules]
    if split.should_split(len(doc.text), codes):
        heavy = [r for r in rules if r.code.startswith(split.HEAVY_FAMILIES)]
        light = [r for r in rules if not r.code.startswith(split.HEAVY_FAMILIES)]
        results = split.run_split(lambda: _run(doc, heavy), lambda: _run(doc, light))
    else:
        results = _run(doc, rules)
    found: dict[tuple, Finding] = {}
    for f in results:
        found.setdefault((f.code, f.span.start, f.span.end), f)
    return sorted(found.values(), key=Finding.sort_key)


def _run(doc: Document, rules: Sequence[Rule]) -> list[Finding]:
    return [f for rule in rules for f in rule.check(doc)]


def check_many(docs: Sequence[Document], rules: Iterable[Rule]) -> list[Finding]:
    """Findings that need all documents at once (e.g. text copied from another file).

    Documents checked in windows (longer than the window) are left out: comparing them
    would build all their views at once.
    """
    from reportlint.windowed import needs_windows

    docs = [d for d in docs if not needs_windows(d)]
    out: list[Finding] = []
    if len(docs) < 2:
        return out
    for rule in rules:
        out.extend(rule.check_many(list(docs)))
    return out


def run(docs: Sequence[Document], config: Config) -> dict[str, list[Finding]]:
    """Check documents with one config; return path -> sorted findings."""
    rules = build_rules(config)
    result = {doc.path: check_document(doc, rules) for doc in docs}
    if config.cross_file:
        for f in check_many(docs, rules):
            result.setdefault(f.path, []).append(f)
        for path in result:
            result[path].sort(key=Finding.sort_key)
    return result


def apply_fixes(text: str, findings: Iterable[Finding], unsafe: bool = False) -> tuple[str, list[Finding]]:
    """Apply non-overlapping fixes in one pass; return the new text and the findings fixed.

    Fixes are taken in order of position; one that overlaps an earlier one is left
    for a later run. Unsafe fixes are applied only when ``unsafe`` is true.
    """
    chosen: list[tuple[int, int, str, Finding]] = []
    last_end = -1
    candidates = []
    for f in findings:
        rng = f.fix_range()
        if rng is None or (f.fix is not None and not f.fix.safe and not unsafe):
            continue
        candidates.append((rng[0], rng[1], f))
    for start, end, f in sorted(candidates, key=lambda c: (c[0], c[1])):
        if start < last_end or (start == last_end and start == end and chosen and chosen[-1][0] == start):
            continue
        assert f.fix is not None
        chosen.append((start, end, f.fix.replacement, f))
        last_end = max(last_end, end)
    parts: list[str] = []
    pos = 0
    for start, end, repl, _ in chosen:
        parts.append(text[pos:start])
        parts.append(repl)
        pos = end
    parts.append(text[pos:])
    return "".join(parts), [c[3] for c in chosen]
