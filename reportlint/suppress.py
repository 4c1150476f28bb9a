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
        for f, fp in zip(r.findings, fingerprints(r.doc, r.findings), strict=True):
            out.append(Record(_norm_path(r.path, base), f.code, fp, f.excerpt[:40]))
    return out


def save_baseline(path: Path, records: list[Record]) -> None:
    data = {
        "schema": 1,
        "findings": [
            {"path": r.path, "code": r.code, "fingerprint": r.fingerprint, "excerpt": r.excerpt}
            for r in sorted(records, key=lambda r: r.key)
        ],
    }
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def load_baseline(path: Path) -> list[Record]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [
            Record(d["path"], d["code"], d["fingerprint"], d.get("excerpt", "")) for d in data["findings"]
        ]
    except FileNotFoundError:
        raise UsageError(f"{path}: baseline file not found") from None
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise UsageError(f"{path}: not a reportlint baseline ({e})") from None


def find_sidecar(start: Path) -> Path | None:
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / SIDECAR
        if candidate.is_file():
            return candidate
    return None


def load_sidecar(path: Path) -> list[Record]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise UsageError(f"{path}: cannot read accepted findings ({e})") from None
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


def append_sidecar(path: Path, records: list[Record], reason: str = "") -> int:
    existing = {r.key for r in load_sidecar(path)} if path.is_file() else set()
    new = [r for r in records if r.key not in existing]
    if not new:
        return 0
    lines = []
    for r in new:
        lines += [
            "",
            "[[accepted]]",
            f"path = {_toml_str(r.path)}",
            f"code = {_toml_str(r.code)}",
            f"fingerprint = {_toml_str(r.fingerprint)}",
            f"excerpt = {_toml_str(r.excerpt)}",
            f"reason = {_toml_str(reason)}",
        ]
    old = (
        path.read_text(encoding="utf-8")
        if path.is_file()
        else ("# Findings accepted by the editors; see `reportlint accept --help`.\n")
    )
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(old.rstrip("\n") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return len(new)


# --------------------------------------------------------------------------- filtering


class Suppressor:
    """Drops accepted findings (sidecar, inline markers) and baseline findings; tracks use."""

    def __init__(self, baseline: list[Record] | None = None, baseline_base: Path | None = None) -> None:
        self.baseline = {r.key for r in baseline or []}
        self.baseline_base = baseline_base
        self.sidecars: dict[Path, list[Record]] = {}
        self.used: set[tuple[Path, tuple[str, str, str]]] = set()
        self.inline_unused: list[tuple[str, int, str]] = []
        self.suppressed = 0
        self.baselined = 0

    def _sidecar_for(self, path: str) -> tuple[Path | None, list[Record]]:
        folder = Path.cwd() if path == "<stdin>" else Path(path).parent
        sc = find_sidecar(folder)
        if sc is None:
            return None, []
        if sc not in self.sidecars:
            self.sidecars[sc] = load_sidecar(sc)
        return sc, self.sidecars[sc]

    def filter(self, result: FileResult) -> None:
        doc = result.doc
        if doc is None or not result.findings:
            return
        fps = fingerprints(doc, result.findings)
        sc, records = self._sidecar_for(result.path)
        accepted = {r.key for r in records}
        rel = _norm_path(result.path, sc.parent) if sc else None
        base_rel = _norm_path(result.path, self.baseline_base)
        regions = inline_regions(doc)
        kept = []
        for f, fp in zip(result.findings, fps, strict=True):
            if sc is not None and (rel, f.code, fp) in accepted:
                self.used.add((sc, (rel, f.code, fp)))
                self.suppressed += 1
                continue
            if _inline_suppressed(f, regions):
                self.suppressed += 1
                continue
            if (base_rel, f.code, fp) in self.baseline:
                self.baselined += 1
                continue
            kept.append(f)
        result.findings = kept

    def unused(self) -> list[str]:
        out = []
        for sc, records in self.sidecars.items():
            for r in records:
                if (sc, r.key) not in self.used:
                    out.append(f"{sc}: unused accepted finding {r.code} in {r.path} ({r.fingerprint})")
        return out


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
        else:
            for key in [k for k in open_at if not codes or k == codes]:
                regions.append((open_at.pop(key), m.start(), key))
    for key, start in open_at.items():
        regions.append((start, len(source), key))
    return regions


def _inline_suppressed(f: Finding, regions: list[tuple[int, int, frozenset[str]]]) -> bool:
    for start, end, codes in regions:
        if start <= f.span.start < end and (not codes or any(f.code.startswith(c) for c in codes)):
            return True
    return False
