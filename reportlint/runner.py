"""Check many files: find configs, read, run rules (in parallel when it pays), compare files.

This is the orchestration the CLI calls; it prints nothing itself.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlint.config import Config, discover
from reportlint.document import Document
from reportlint.engine import (
    WARM_UP_TEXT,
    FileResult,
    Report,
    build_rules,
    check_configured,
    check_document,
    check_many,
)
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
    path: str,
    config: Config,
    split_ok: bool = False,
    keep_views: bool = True,
    idle: Callable[[], object] | None = None,
) -> tuple[str, Document | None, list[Finding], InputError | None]:
    """Read and check one file. ``split_ok``: the file is checked alone, and may use the
    two-core split (``reportlint.split``); one of many files is checked in this process.
    ``keep_views=False`` drops the document's derived views once it is checked (as a worker
    process's document comes back), so that memory does not grow with the number of files."""
    try:
        doc = read_path(path, config.max_file_size)
    except InputError as e:
        return path, None, [], e
    if not doc.text.strip():
        return path, doc, [], None
    found = check_configured(doc, config, split_ok=split_ok, idle=idle)
    if not keep_views:
        doc.drop_views()
    return path, doc, found, None


def run_paths(
    paths: list[str],
    resolve: ConfigResolver,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    executor: Any = None,
    idle: Callable[[], object] | None = None,
) -> RunResult:
    """Read and check ``paths``; ``executor`` (a ``concurrent.futures`` executor, e.g. a Dask
    client's) runs the per-file work instead of local worker processes. ``idle``: work this
    process may do while a single file's two-core split keeps the other core busy."""
    files, problems = expand_paths(paths)
    result = RunResult(Report([]), errors=list(problems))
    result.report.files.extend(FileResult(e.path, None, error=e) for e in problems)
    configs = [resolve(p) for p in files]
    total_bytes = sum(_size(p) for p in files)
    from reportlint.split import usable_cpus

    cores = max(1, usable_cpus())
    workers = cores if jobs is None else jobs
    if workers > cores:  # more workers than cores only costs memory (each holds its lexicon)
        result.warnings.append(f"-j {jobs}: using {cores} worker(s), one per available core")
        workers = cores
    parallel = workers > 1 and (len(files) >= PARALLEL_MIN_FILES or total_bytes >= PARALLEL_MIN_BYTES)
    parallel = parallel and "-" not in files and len(files) > 1

    outcomes: list[tuple[str, Document | None, list[Finding], InputError | None]] = []
    if executor is not None and "-" not in files:
        futures = [executor.submit(_read_and_check, p, c) for p, c in zip(files, configs, strict=True)]
        for i, fut in enumerate(futures):
            outcomes.append(fut.result())
            if progress:
                progress(i + 1, len(files))
    elif parallel:
        from concurrent.futures import ProcessPoolExecutor  # imported only when used

        _warm_up(configs[0])  # the workers are forked with the data loaded: once, shared
        # Not a ``with`` block: leaving one waits for the workers, and a worker stopped in the
        # middle of a queue operation can make that wait endless.
        pool = ProcessPoolExecutor(max_workers=min(workers, len(files)), initializer=_worker_init)
        try:
            with _no_sigint():  # the workers are forked here: none may see Ctrl-C before it ignores it
                futures = [pool.submit(_read_and_check, p, c) for p, c in zip(files, configs, strict=True)]
            for i, fut in enumerate(futures):
                outcomes.append(fut.result())
                if progress:
                    progress(i + 1, len(files))
        except BaseException:  # Ctrl-C, a signal, an error: stop the workers now, not after their files
            _stop(pool)
            raise
        pool.shutdown(wait=True)
    else:
        # One file alone may use both cores (the two-core split); a run of files is checked
        # here one after the other, with no process per file.
        alone = len(files) == 1
        for i, (p, c) in enumerate(zip(files, configs, strict=True)):
            # views are kept for the cross-file comparison after the loop, which reads them
            outcomes.append(
                _read_and_check(p, c, split_ok=alone, keep_views=alone or bool(c.cross_file), idle=idle)
            )
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
            # listed in every output format, so that a file not checked never looks clean
            result.report.files.append(FileResult(error.path, None, error=error))
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


def _warm_up(config: Config) -> None:
    """Load the data the rules use in this process before workers are forked from it, so
    that they share it (copy-on-write) instead of each loading its own; ``gc.freeze`` keeps
    the collector from touching (and so copying) those pages in the workers."""
    import gc

    check_document(Document.from_text(WARM_UP_TEXT, path="<warm-up>"), build_rules(config), split_ok=False)
    gc.collect()
    gc.freeze()


def _worker_init() -> None:
    """Workers leave Ctrl-C to the parent, which stops them (no traceback from each worker)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def _no_sigint() -> Iterator[None]:
    """Ctrl-C held back while worker processes are forked (a fork made in between would get
    the parent's handler and print a traceback of its own); delivered once they exist."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pending.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pending:
        raise KeyboardInterrupt


def _stop(pool: Any) -> None:
    """Cancel what has not started and end the workers at once."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            proc.kill()
    with contextlib.suppress(Exception):
        pool.shutdown(wait=False, cancel_futures=True)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size if path != "-" else 0
    except OSError:
        return 0
