"""Run the selected rules over documents; apply fixes.

The engine knows nothing of the command line or of output formats.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice

from reportlint import split
from reportlint.config import Config
from reportlint.document import Document
from reportlint.errors import InputError
from reportlint.finding import Edit, Finding, Msg
from reportlint.registry import Rule, select_codes, select_rules


@dataclass
class FileResult:
    path: str
    doc: Document | None
    findings: list[Finding] = field(default_factory=list)
    error: InputError | None = None
    # findings not reported because they are accepted or in the baseline: (why, finding)
    hidden: list[tuple[str, Finding]] = field(default_factory=list)

    def fingerprint_list(self) -> list[str]:
        """The fingerprints of ``findings``, numbered (``#2``) among all the file's findings,
        hidden ones included, so that a finding's fingerprint does not depend on what is shown."""
        if self.doc is None:
            return []
        from reportlint.fingerprint import fingerprints

        everything = sorted([*self.findings, *(f for _, f in self.hidden)], key=Finding.sort_key)
        fps = dict(zip(map(id, everything), fingerprints(self.doc, everything), strict=True))
        return [fps[id(f)] for f in self.findings]


@dataclass
class Report:
    files: list[FileResult]
    lang: str = "zh"
    # accepted-findings entries of the files checked that matched nothing (set by the CLI)
    unused_suppressions: list[dict[str, str]] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    @property
    def checked(self) -> list[FileResult]:
        return [r for r in self.files if r.doc is not None]

    @property
    def chars(self) -> int:
        return sum(r.doc.chars for r in self.checked if r.doc is not None)

    @property
    def failed(self) -> list[FileResult]:
        """Files that could not be checked (not found, unreadable, …), each with its error."""
        return [r for r in self.files if r.error is not None]

    def hidden_counts(self) -> dict[str, int]:
        """How many findings were hidden, by why: accepted, inline, baseline."""
        counts: dict[str, int] = {}
        for r in self.files:
            for why, _ in r.hidden:
                counts[why] = counts.get(why, 0) + 1
        return counts


def build_rules(config: Config, families: Sequence[str] | None = None) -> list[Rule]:
    """The rules ``config`` selects (only those of ``families``, code prefixes, if given)."""
    classes = select_rules(config.select, config.ignore, config.extend_select, families)
    rules = []
    for cls in classes:
        rule = cls(**config.options_for(cls.code))
        rule.context = {
            "allow_words": frozenset(config.allow_words),
            "confusions": dict(config.confusions),
            "cross_file": config.cross_file,
            "against": config.against,
            "rule_options": config.rule_options,  # rules that share one search (DUP006-DUP008)
            "domain_words": _domain_words(config),
            "typo_level": config.typo_level,
        }
        rules.append(rule)
    return rules


def _domain_words(config: Config) -> dict[str, int]:
    """Words of the lexicon files named by the config key ``lexicon`` (reportlint learn)."""
    if not getattr(config, "lexicon", ()):
        return {}
    from reportlint.learn import load_domain_words

    return load_domain_words(tuple(config.lexicon))


def check_document(doc: Document, rules: Iterable[Rule], split_ok: bool = True) -> list[Finding]:
    """Every finding of ``rules`` on ``doc``, deduplicated by (code, start, end), sorted.

    A text longer than the window (``reportlint.windowed``) is checked window by window,
    so that memory stays bounded. ``split_ok=False`` keeps the work in this process (no
    two-core split, ``reportlint.split``): for a file that is one of many.
    """
    from reportlint.windowed import check_windowed, needs_windows

    rules = list(rules)
    codes = [r.code for r in rules]
    split_now = split_ok and split.should_split(len(doc.text), codes)
    heavy = [r for r in rules if r.code.startswith(split.HEAVY_FAMILIES)]
    light = [r for r in rules if not r.code.startswith(split.HEAVY_FAMILIES)]
    if needs_windows(doc):
        # One split for the whole file: the heavy family goes through every window in the
        # child, the others in this process. Rules never share findings (the windows keep,
        # cap and deduplicate them per code), so the two halves together are the same.
        if not split_now:
            return check_windowed(doc, rules)
        halves = split.run_split(lambda: check_windowed(doc, heavy), lambda: check_windowed(doc, light))
        return sorted(halves, key=Finding.sort_key)
    if split_now:
        results = split.run_split(lambda: _run(doc, heavy), lambda: _run(doc, light))
    else:
        results = _run(doc, rules)
    found: dict[tuple, Finding] = {}
    for f in results:
        found.setdefault((f.code, f.span.start, f.span.end), f)
    return sorted(found.values(), key=Finding.sort_key)


def check_configured(
    doc: Document, config: Config, split_ok: bool = True, idle: Callable[[], object] | None = None
) -> list[Finding]:
    """``check_document(doc, build_rules(config), split_ok)``, with the two-core split made
    before the rules are built: the child imports and loads only what the heavy family
    uses (numpy, the lexicon, the language model), this process only what the others use,
    so that the start-up work of a single check is shared by the two cores too. ``idle``: what
    this process may do while it waits for the child (``split.run_split``)."""
    codes = select_codes(config.select, config.ignore, config.extend_select)
    if not (split_ok and split.should_split(len(doc.text), codes)):
        return check_document(doc, build_rules(config), split_ok=False)
    light = sorted({c.rstrip("0123456789") for c in codes if not c.startswith(split.HEAVY_FAMILIES)})
    halves = split.run_split(
        lambda: _heavy_half(doc, config),
        lambda: check_document(doc, build_rules(config, tuple(light)), split_ok=False),
        idle,
        order=(_heavy_half, (doc, config)),
    )
    return sorted(halves, key=Finding.sort_key)


def _heavy_half(doc: Document, config: Config) -> list[Finding]:
    """The findings of the heavy families (``split.HEAVY_FAMILIES``) alone: the child's half."""
    return check_document(doc, build_rules(config, split.HEAVY_FAMILIES), split_ok=False)


# A few lines that make every default rule load what it reads (lexicon, language model,
# statistics) and compile its patterns: checked in a process before workers are forked from it.
WARM_UP_TEXT = (
    "一、2025年工作回顾\n\n"
    "过去一年，全省地区生产总值增长5.2%，其中第一产业增长3.1%。城乡居民收入分别增长5.0%和6.3%。\n"
    "我们坚持稳中求进，推动高质量发展，新增就业12.5万人。\n"
)


def preload_heavy() -> None:
    """Import and load what the heavy families use (numpy, the lexicon, the language model,
    their tables): the early child's work while the parent starts up (``split.start_early``).
    Checking the warm-up text loads whatever the rules read; the tables only rare characters
    reach are loaded besides."""
    from reportlint.typo_score import load_rare_tables

    _heavy_half(Document.from_text(WARM_UP_TEXT, path="<warm-up>"), Config())
    load_rare_tables()


# At most this many findings of one rule are kept for one document; after them the rule is
# stopped and one last finding says more were left unlisted, so memory and time stay bounded
# by the input however hostile it is (a million unclosed brackets are not a million lines
# anyone will read).
MAX_FINDINGS_PER_RULE = 10_000


def _run(doc: Document, rules: Sequence[Rule]) -> list[Finding]:
    out: list[Finding] = []
    for rule in rules:
        found = rule.check(doc)
        out.extend(islice(found, MAX_FINDINGS_PER_RULE))
        first = next(found, None)
        if first is not None:
            out.append(more_of(first))
    return out


def more_of(first: Finding) -> Finding:
    """The finding that stands for the unlisted rest of one rule, at the first of them."""
    return replace(
        first,
        message=Msg(
            f"{first.message.zh}（从此处起还有同类问题未逐条列出：每条规则每个文件最多列出 "
            f"{MAX_FINDINGS_PER_RULE} 处）",
            f"{first.message.en} (from here on, more findings of this rule are not listed: at most "
            f"{MAX_FINDINGS_PER_RULE} per rule and file)",
        ),
        related=[],
        fix=None,
    )


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


def _conflict(a: Edit, b: Edit) -> bool:
    """Two edits that cannot both be applied: they overlap, or their order is ambiguous."""
    return (a.start < b.end and b.start < a.end) or a.start == b.start


def plan_fixes(findings: Iterable[Finding], unsafe: bool = True) -> list[Finding]:
    """The findings whose fixes are applied together, in order of position.

    No edit of one chosen fix conflicts with an edit of another. Safe fixes are taken
    first, in order of position (a fix overlapping an earlier one is left out); then,
    when ``unsafe`` is true, the unsafe fixes that conflict with none taken. The safe
    fixes chosen do not depend on ``unsafe``, so the plan with unsafe fixes is the plan
    of ``--fix`` plus the unsafe ones.
    """
    with_fix = sorted(
        (f for f in findings if f.fix is not None and f.fix_edits()),
        key=lambda f: (*(f.fix_range() or (0, 0)), f.code),
    )
    chosen: list[Finding] = []
    starts: list[int] = []  # the chosen edits, sorted by start
    edits: list[Edit] = []
    for want_safe in (True, False):
        if not want_safe and not unsafe:
            break
        for f in with_fix:
            assert f.fix is not None
            if f.fix.safe != want_safe:
                continue
            mine = f.fix_edits()
            if any(_conflict(a, b) for a, b in itertools.combinations(mine, 2)):
                continue
            if any(_clashes(e, starts, edits) for e in mine):
                continue
            chosen.append(f)
            for e in mine:
                k = bisect.bisect_right(starts, e.start)
                starts.insert(k, e.start)
                edits.insert(k, e)
    return sorted(chosen, key=lambda f: f.fix_range() or (0, 0))


def _clashes(e: Edit, starts: list[int], edits: list[Edit]) -> bool:
    k = bisect.bisect_left(starts, e.start)
    # chosen edits never overlap each other: of those starting before ``e``, only the last
    # can reach into it; of the others, those starting before its end (or at its start)
    if k > 0 and _conflict(e, edits[k - 1]):
        return True
    j = k
    while j < len(edits) and (starts[j] < e.end or starts[j] == e.start):
        if _conflict(e, edits[j]):
            return True
        j += 1
    return False


def apply_fixes(text: str, findings: Iterable[Finding], unsafe: bool = False) -> tuple[str, list[Finding]]:
    """Apply the fixes of ``plan_fixes`` in one pass; return the new text and the findings fixed.

    A fix that conflicts with one chosen is left for a later run. Unsafe fixes are
    applied only when ``unsafe`` is true.
    """
    chosen = plan_fixes(findings, unsafe)
    edits = sorted((e for f in chosen for e in f.fix_edits()), key=lambda e: (e.start, e.end))
    parts: list[str] = []
    pos = 0
    for e in edits:
        parts.append(text[pos : e.start])
        parts.append(e.replacement)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts), chosen


def drop_conflicting_fixes(findings: list[Finding]) -> int:
    """Take the fix off every finding whose fix conflicts with one ``plan_fixes`` chose.

    Reported findings then carry only fixes that can all be applied together (a tool
    applying every edit of the JSON output gets what ``--fix --unsafe-fixes`` makes in
    its first round). Returns how many fixes were dropped.
    """
    planned = {id(f) for f in plan_fixes(findings, unsafe=True)}
    dropped = 0
    for f in findings:
        if f.fix is not None and id(f) not in planned:
            f.fix = None
            dropped += 1
    return dropped
