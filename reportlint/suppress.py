"""Accepted findings: inline markers in Markdown, a sidecar file for plain text, baselines.

Plain text has no comment syntax, so accepted findings live in a sidecar file,
``reportlint-accepted.toml``, found like the config (nearest folder upwards)::

    [[accepted]]
    path = "reports/2024.txt"      # relative to the sidecar's folder
    code = "PUNCT001"
    fingerprint = "3f2a9c0d11b7e845"
    excerpt = " "
    reason = "a deliberate space in a quoted slogan"

Fingerprints hash the flagged text and a little context, not the line number, so an
entry survives edits elsewhere in the file. A baseline (``reportlint baseline create``)
is the same list in JSON, used to report only new findings.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlint.document import Document
from reportlint.engine import FileResult
from reportlint.errors import UsageError
from reportlint.finding import Finding
from reportlint.fingerprint import fingerprints

SIDECAR = "reportlint-accepted.toml"


@dataclass(frozen=True)
class Record:
    path: str
    code: str
    fingerprint: str
    excerpt: str = ""
    reason: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.path, self.code, self.fingerprint)


def _norm_path(path: str, base: Path | None = None) -> str:
    p = Path(path)
    if base is not None:
        try:
            return os.path.relpath(p.resolve(), base.resolve()).replace(os.sep, "/")
        except ValueError:
            pass
    return p.as_posix()


# --------------------------------------------------------------------------- records


def records_for(results: Iterable[FileResult], base: Path | None = None) -> list[Record]:
    out = []
    for r in results:
        if r.doc is None:
            continue
        for f, fp in zip(r.findings, r.fingerprint_list(), strict=True):
            out.append(Record(_norm_path(r.path, base), f.code, fp, f.excerpt[:40]))
    return out


def save_baseline(path: Path, records: list[Record]) -> None:
    data = {
        "schema": 1,
        "tool": "reportlint",
        "findings": [
            {"path": r.path, "code": r.code, "fingerprint": r.fingerprint, "excerpt": r.excerpt}
            for r in sorted(records, key=lambda r: r.key)
        ],
    }
    from reportlint.fixer import write_text_atomic

    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def load_baseline(path: Path) -> list[Record]:
    from reportlint.safeio import SIDECAR_LIMIT, read_small_text

    text = read_small_text(path, SIDECAR_LIMIT, "baseline")
    try:
        data = json.loads(text)
        return [
            Record(d["path"], d["code"], d["fingerprint"], d.get("excerpt", "")) for d in data["findings"]
        ]
    except (ValueError, KeyError, TypeError, RecursionError) as e:
        raise UsageError(f"{path}: not a reportlint baseline ({e})") from None


def find_sidecar(start: Path) -> Path | None:
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / SIDECAR
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists():  # not above the repository's root
            return None
    return None


def load_sidecar(path: Path) -> list[Record]:
    from reportlint.safeio import SIDECAR_LIMIT, read_small_text

    text = read_small_text(path, SIDECAR_LIMIT, "accepted findings")
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as e:
        raise UsageError(f"{path}: cannot read accepted findings ({_short(e)})") from None
    out = []
    for i, entry in enumerate(data.get("accepted", [])):
        try:
            out.append(
                Record(
                    entry["path"],
                    entry["code"],
                    entry["fingerprint"],
                    entry.get("excerpt", ""),
                    entry.get("reason", ""),
                )
            )
        except (KeyError, TypeError):
            raise UsageError(f"{path}: entry {i + 1} needs path, code and fingerprint") from None
    return out


def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _entry(r: Record, reason: str) -> list[str]:
    """The TOML lines of one accepted finding."""
    return [
        "",
        "[[accepted]]",
        f"path = {_toml_str(r.path)}",
        f"code = {_toml_str(r.code)}",
        f"fingerprint = {_toml_str(r.fingerprint)}",
        f"excerpt = {_toml_str(r.excerpt)}",
        f"reason = {_toml_str(reason)}",
    ]


def append_sidecar(path: Path, records: list[Record], reason: str = "") -> int:
    existing = {r.key for r in load_sidecar(path)} if path.is_file() else set()
    new = [r for r in records if r.key not in existing]
    if not new:
        return 0
    lines = [line for r in new for line in _entry(r, reason)]
    old = (
        path.read_text(encoding="utf-8")
        if path.is_file()
        else ("# Findings accepted by the editors; see `reportlint accept --help`.\n")
    )
    from reportlint.fixer import write_text_atomic

    write_text_atomic(path, old.rstrip("\n") + "\n" + "\n".join(lines) + "\n")
    return len(new)


def remove_from_sidecar(path: Path, records: list[Record]) -> int:
    """Rewrite the sidecar without ``records`` (stale entries); return how many went."""
    drop = {r.key for r in records}
    keep = [r for r in load_sidecar(path) if r.key not in drop]
    removed = len(load_sidecar(path)) - len(keep)
    if not removed:
        return 0
    lines = ["# Findings accepted by the editors; see `reportlint accept --help`."]
    for r in keep:
        lines += _entry(r, r.reason)
    from reportlint.fixer import write_text_atomic

    write_text_atomic(path, "\n".join(lines) + "\n")
    return removed


# --------------------------------------------------------------------------- filtering


HIDDEN_KINDS = ("accepted", "inline", "baseline")


class Suppressor:
    """Hides accepted findings (sidecar, inline markers) and baseline findings; tracks use.

    ``partition`` sorts a file's findings into those reported and those hidden (with
    why: ``accepted``, ``inline`` or ``baseline``); ``filter`` does it for a FileResult
    and keeps the hidden ones on it (``result.hidden``), so that they can be counted and
    kept safe from ``--fix``.
    """

    def __init__(self, baseline: list[Record] | None = None, baseline_base: Path | None = None) -> None:
        self.baseline = {r.key for r in baseline or []}
        self.baseline_base = baseline_base
        self.sidecars: dict[Path, list[Record]] = {}
        self.used: set[tuple[Path, tuple[str, str, str]]] = set()
        self.checked: dict[Path, dict[str, frozenset[str] | None]] = {}

    def _sidecar_for(self, path: str) -> tuple[Path | None, list[Record]]:
        folder = Path.cwd() if path == "<stdin>" else Path(path).parent
        sc = find_sidecar(folder)
        if sc is None:
            return None, []
        if sc not in self.sidecars:
            self.sidecars[sc] = load_sidecar(sc)
        return sc, self.sidecars[sc]

    def note_checked(self, path: str, codes: Iterable[str] | None = None) -> None:
        """Record that ``path`` was checked (by rules ``codes``): its unused entries count."""
        sc, _ = self._sidecar_for(path)
        if sc is not None:
            self.checked.setdefault(sc, {})[_norm_path(path, sc.parent)] = (
                None if codes is None else frozenset(codes)
            )

    def partition(
        self, doc: Document, findings: list[Finding], path: str | None = None
    ) -> tuple[list[Finding], list[tuple[str, Finding]]]:
        """(findings reported, [(why, finding) hidden]) for one file's findings."""
        if not findings:
            return [], []
        path = doc.path if path is None else path
        fps = fingerprints(doc, findings)
        sc, records = self._sidecar_for(path)
        accepted = {r.key for r in records}
        rel = _norm_path(path, sc.parent) if sc else None
        base_rel = _norm_path(path, self.baseline_base)
        inline = inline_suppressed(findings, inline_regions(doc))
        kept: list[Finding] = []
        hidden: list[tuple[str, Finding]] = []
        for f, fp, off in zip(findings, fps, inline, strict=True):
            if sc is not None and (rel, f.code, fp) in accepted:
                self.used.add((sc, (rel, f.code, fp)))
                hidden.append(("accepted", f))
            elif off:
                hidden.append(("inline", f))
            elif (base_rel, f.code, fp) in self.baseline:
                hidden.append(("baseline", f))
            else:
                kept.append(f)
        return kept, hidden

    def filter(self, result: FileResult) -> None:
        doc = result.doc
        if doc is None:
            return
        result.findings, result.hidden = self.partition(doc, result.findings, result.path)

    def unused_records(self) -> list[tuple[Path, Record]]:
        """Sidecar entries for the files checked (by rules that ran) that matched nothing."""
        out = []
        for sc, records in self.sidecars.items():
            checked = self.checked.get(sc, {})
            for r in records:
                if r.path not in checked or (sc, r.key) in self.used:
                    continue
                codes = checked[r.path]
                if codes is not None and r.code not in codes:
                    continue  # its rule did not run: nothing to say about it
                out.append((sc, r))
        return out

    def unused(self) -> list[str]:
        return [
            f"{sc}: unused accepted finding {r.code} in {r.path} ({r.fingerprint})"
            for sc, r in self.unused_records()
        ]


# Markdown: <!-- reportlint-disable CODE,CODE --> … <!-- reportlint-enable -->,
# and <!-- reportlint-disable-next-line CODE -->.
_INLINE_RE = re.compile(r"<!--\s*reportlint-(disable-next-line|disable|enable)\b([^>]*?)-->", re.I)


def inline_regions(doc: Document) -> list[tuple[int, int, frozenset[str]]]:
    """(start, end, codes) regions where findings are suppressed; empty codes = all."""
    if doc.kind != "md":
        return []
    source = doc.meta.get("source", doc.text)
    if "reportlint-" not in source:
        return []
    regions: list[tuple[int, int, frozenset[str]]] = []
    open_at: dict[frozenset[str], int] = {}
    for m in _INLINE_RE.finditer(source):
        kind = m.group(1).lower()
        codes = frozenset(c.strip().upper() for c in re.split(r"[,\s]+", m.group(2)) if c.strip())
        if kind == "disable-next-line":
            nl = source.find("\n", m.end())
            start = len(source) if nl == -1 else nl + 1
            end = source.find("\n", start)
            regions.append((start, len(source) if end == -1 else end, codes))
        elif kind == "disable":
            open_at.setdefault(codes, m.end())
        elif codes:
            if codes in open_at:
                regions.append((open_at.pop(codes), m.start(), codes))
        else:
            for key, start in open_at.items():
                regions.append((start, m.start(), key))
            open_at.clear()
    for key, start in open_at.items():
        regions.append((start, len(source), key))
    return regions


def inline_suppressed(findings: list[Finding], regions: list[tuple[int, int, frozenset[str]]]) -> list[bool]:
    """For each finding, whether an inline region hides it (its code starts with a region's code).

    One sweep over findings and regions in position order, keeping the codes of the open
    regions counted: linear in findings and markers, however many regions overlap.
    """
    import heapq
    from collections import Counter

    hidden = [False] * len(findings)
    if not regions or not findings:
        return hidden
    regions = sorted(regions, key=lambda r: r[0])
    active: Counter[str] = Counter()  # code (or "" for every code) -> open regions
    ends: list[tuple[int, int]] = []  # (end, index into regions)
    nxt = 0
    for k in sorted(range(len(findings)), key=lambda k: findings[k].span.start):
        pos = findings[k].span.start
        while nxt < len(regions) and regions[nxt][0] <= pos:
            for code in regions[nxt][2] or ("",):
                active[code] += 1
            heapq.heappush(ends, (regions[nxt][1], nxt))
            nxt += 1
        while ends and ends[0][0] <= pos:
            _, r = heapq.heappop(ends)
            for code in regions[r][2] or ("",):
                active[code] -= 1
                if not active[code]:
                    del active[code]
        if active:
            code = findings[k].code
            hidden[k] = "" in active or any(code[:n] in active for n in range(1, len(code) + 1))
    return hidden


def _short(e: BaseException) -> str:
    return "nested too deeply" if isinstance(e, RecursionError) else str(e)
