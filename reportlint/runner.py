"""Check many files: find configs, read, run rules (in parallel when it pays), compare files.

This is the orchestration the CLI calls; it prints nothing itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlint.config import Config, discover
from reportlint.document import Document
from reportlint.engine import FileResult, Report, build_rules, check_document, check_many
from reportlint.errors import InputError
from reportlint.finding import Finding
from reportlint.readers import expand_paths, read_path

PARALLEL_MIN_FILES = 8
PARALLEL_MIN_BYTES = 2_000_000


@dataclass
class RunResult:
    report: Report
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class ConfigResolver:
    """The config of each file: a fixed one, or the nearest file upwards, plus CLI overrides."""

    def __init__(self, fixed: Config | None, overrides: dict[str, Any]) -> None:
        self.fixed = fixed
        self.overrides = overrides
        self._by_folder: dict[str, Config] = {}

    def __call__(self, path: str) -> Config:
        if self.fixed is not None:
            key = "<fixed>"
            if key not in self._by_folder:
                self._by_folder[key] = self.fixed.merged(**self.overrides)
            return self._by_folder[key]
        folder = "." if path == "-" else str(Path(path).parent)
        if folder not in self._by_folder:
            self._by_folder[folder] = discover(path).merged(**self.overrides)
        return self._by_folder[folder]

    @property
    def first(self) -> Config:
        return next(iter(self._by_folder.values()), (self.fixed or Config()).merged(**self.overrides))


def _read_and_check(
    path: str, config: Config
) -> tuple[str, Document | None, list[Finding], InputError | None]:
    try:
        doc = read_path(path, config.max_file_size)
    except InputError as e:
        return path, None, [], e
    if not doc.text.strip():
        return path, doc, [], None
    return path, doc, check_document(doc, build_rules(config)), None


def run_paths(
    paths: list[str],
    resolve: ConfigResolver,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    files, problems = expand_paths(paths)
    result = RunResult(Report([]), errors=list(problems))
    configs = [resolve(p) for p in files]
    total_bytes = sum(_size(p) for p in files)
    workers = jobs if jobs is not None else os.cpu_count() or 1
    parallel = workers > 1 and (len(files) >= PARALLEL_MIN_FILES or total_bytes >= PARALLEL_MIN_BYTES)
    parallel = parallel and "-" not in files and len(files) > 1

    outcomes: list[tuple[str, Document | None, list[Finding], InputError | None]] = []
    if parallel:
        from concurrent.futures import ProcessPoolExecutor  # imported only when used

        with ProcessPoolExecutor(max_workers=min(workers, len(files))) as pool:
            futures = [pool.submit(_read_and_check, p, c) for p, c in zip(files, configs, strict=True)]
            for i, fut in enumerate(futures):
                outcomes.append(fut.result())
                if progress:
                    progress(i + 1, len(files))
    else:
        for i, (p, c) in enumerate(zip(files, configs, strict=True)):
            outcomes.append(_read_and_check(p, c))
            if progress:
                progress(i + 1, len(files))

    groups: dict[int, tuple[Config, list[FileResult]]] = {}
    named = {p for p in paths if p == "-" or not Path(p).is_dir()}
    for (path, doc, findings, error), cfg in zip(outcomes, configs, strict=True):
        if error is not None:
            if path in named:
                result.errors.append(error)
            else:  # found in a folder: skip it with a warning, the other files still count
                result.warnings.append(f"{error} (skipped)")
            continue
        assert doc is not None
        if not doc.text.strip():
            what = "empty file" if not doc.text else "only whitespace"
            result.warnings.append(f"{doc.path}: {what}, nothing to check")
        res = FileResult(doc.path, doc, findings)
        result.report.files.append(res)
        groups.setdefault(id(cfg), (cfg, []))[1].append(res)

    # Findings that need several files at once: text copied from one file into another.
    for cfg, group in groups.values():
        if not cfg.cross_file or len(group) < 2:
            continue
        docs = [r.doc for r in group if r.doc is not None and r.doc.text.strip()]
        by_path = {r.path: r for r in group}
        for f in check_many(docs, build_rules(cfg)):
            if f.path in by_path:
                by_path[f.path].findings.append(f)
        for r in group:
            r.findings.sort(key=Finding.sort_key)
    return result


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size if path != "-" else 0
    except OSError:
        return 0
