"""Build and update an archive index: incremental, in parallel, locally or on Dask.

Files are matched to the index by absolute path. A file whose size and modification time
are those recorded is skipped without being read; one whose content hash is unchanged is
skipped after reading; a changed file replaces its old record. Reading and hashing run in
worker processes (``--jobs``) or on a Dask cluster (``--scheduler``); one writer puts the
records into the store.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from reportlint.archive.features import DocFeatures, Params, features, features_of_records
from reportlint.archive.store import MAX_UNITS, Store, open_store
from reportlint.errors import InputError
from reportlint.readers import DEFAULT_MAX_SIZE, expand_paths, read_bytes, read_path

BATCH = 32  # files per task sent to a worker
COMMIT_EVERY = 2000  # documents per transaction


@dataclass
class BuildResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.removed} removed, {len(self.errors)} error(s)"
        )


def archive_path(path: str) -> str:
    """The path under which a file is recorded: absolute, normalised."""
    return os.path.abspath(path)


def display_path(path: str) -> str:
    """A recorded path as shown in findings: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def extract(
    path: str, known_sha: str | None, params: Params, max_size: int = DEFAULT_MAX_SIZE
) -> DocFeatures | InputError | str:
    """Read one file and compute its records; its sha256 alone when it equals ``known_sha``."""
    try:
        st = os.stat(path)
        if known_sha is not None:
            sha = hashlib.sha256(read_bytes(path, max_size)).hexdigest()
            if sha == known_sha:
                return sha
        doc = read_path(path, max_size)
    except InputError as e:
        return e
    except OSError as e:
        return InputError(path, f"cannot read ({e.strerror or e})")
    feat = features(doc, params, size=st.st_size, mtime_ns=st.st_mtime_ns)
    feat.path = archive_path(path)
    if feat.units and feat.units[-1].n >= MAX_UNITS:
        return InputError(path, f"more than {MAX_UNITS} paragraphs; not indexed")
    return feat


def extract_batch(
    items: Sequence[tuple[str, str | None]], params: Params, max_size: int
) -> list[tuple[str, DocFeatures | InputError | str]]:
    return [(p, extract(p, sha, params, max_size)) for p, sha in items]


class ArchiveIndex:
    """An archive index in a store (a SQLite file or Redis)."""

    def __init__(self, spec: str, create: bool = False, params: Params | None = None) -> None:
        self.spec = spec
        self.store: Store = open_store(spec, create=create, params=params)
        self.params = self.store.params

    def close(self) -> None:
        self.store.close()

    # -------------------------------------------------------------------- building
    def update(
        self,
        paths: Sequence[str],
        jobs: int | None = None,
        client=None,
        max_size: int = DEFAULT_MAX_SIZE,
        progress: Callable[[int, int], None] | None = None,
    ) -> BuildResult:
        """Add the files of ``paths`` (folders searched), skipping unchanged ones."""
        files, problems = expand_paths(list(paths))
        res = BuildResult(errors=list(problems))
        todo: list[tuple[str, str | None]] = []
        known: dict[str, int] = {}
        for f in files:
            if f == "-":
                res.errors.append(InputError("-", "standard input cannot be indexed"))
                continue
            path = archive_path(f)
            info = self.store.doc_info(path)
            if info is not None:
                try:
                    st = os.stat(f)
                except OSError:
                    st = None
                if st is not None and st.st_size == info.size and st.st_mtime_ns == info.mtime_ns:
                    res.unchanged += 1
                    continue
                known[path] = info.id
                todo.append((f, info.sha256))
            else:
                todo.append((f, None))
        named = {p for p in paths if not os.path.isdir(p)}
        pending = 0
        for done, (f, out) in enumerate(self._extract_all(todo, jobs, client, max_size), start=1):
            path = archive_path(f)
            if isinstance(out, InputError):
                if f in named:
                    res.errors.append(out)
                else:  # found in a folder: skipped with a warning, the other files still count
                    res.warnings.append(f"{out} (skipped)")
            elif isinstance(out, str):  # content unchanged: record the new size and time
                st = os.stat(f)
                self.store.touch(known[path], st.st_size, st.st_mtime_ns)
                res.unchanged += 1
            else:
                old = known.get(path)
                if old is not None:
                    self._remove_id(old, path)
                    res.updated += 1
                else:
                    res.added += 1
                self.store.add(out)
                pending += 1
            if pending >= COMMIT_EVERY:
                self.store.commit()
                pending = 0
            if progress:
                progress(done, len(todo))
        self.store.commit()
        return res

    def _extract_all(
        self, todo: list[tuple[str, str | None]], jobs: int | None, client, max_size: int
    ) -> Iterator[tuple[str, DocFeatures | InputError | str]]:
        batches = [todo[i : i + BATCH] for i in range(0, len(todo), BATCH)]
        if client is not None:
            futures = client.map(extract_batch, batches, params=self.params, max_size=max_size, pure=False)
            for fut in futures:  # in order: documents get the same numbers as in a local build
                yield from fut.result()
                fut.release()
            return
        workers = jobs if jobs is not None else os.cpu_count() or 1
        if workers <= 1 or len(todo) < 2 * BATCH:
            for batch in batches:
                yield from extract_batch(batch, self.params, max_size)
            return
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            futs = [pool.submit(extract_batch, b, self.params, max_size) for b in batches]
            for fut in futs:
                yield from fut.result()

    # -------------------------------------------------------------------- removing
    def remove(self, paths: Sequence[str]) -> BuildResult:
        """Remove the recorded files at ``paths`` or under them (the files need not exist)."""
        res = BuildResult()
        targets = [archive_path(p) for p in paths]
        for info in list(self.store.docs()):
            if any(info.path == t or info.path.startswith(t.rstrip(os.sep) + os.sep) for t in targets):
                self._remove_id(info.id, info.path)
                res.removed += 1
        self.store.commit()
        return res

    def _remove_id(self, doc_id: int, path: str) -> None:
        _, units = self.store.units(doc_id)
        self.store.remove(doc_id, features_of_records(path, units, self.params))

    def stats(self) -> dict:
        return self.store.stats()
