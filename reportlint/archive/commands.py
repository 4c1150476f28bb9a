"""``reportlint index …``: build, update, shrink and describe an archive index.

Only click is imported here; the index machinery (numpy, datasketch, Redis, Dask) is
imported when a command runs, so that ``reportlint check`` starts as fast as before.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager

import click

from reportlint.errors import UsageError

INDEX_HELP = "The index: a file (SQLite, created if missing) or redis://HOST:PORT/DB."
SCHEDULER_HELP = "Run on Dask: tcp://HOST:PORT of a scheduler, or `local` for a cluster on this machine."


def _need(module: str, extra: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise UsageError(f"this needs {module}: pip install 'reportlint[{extra}]'")


def _need_for(spec: str) -> None:
    """The optional packages an index of this kind needs (one line naming the extra if missing)."""
    _need("numpy", "archive")
    if spec.startswith(("redis://", "rediss://", "unix://")):
        _need("redis", "redis")
        _need("datasketch", "redis")


def check_index(spec: str) -> None:
    """Fail early, with one line, when ``check --against`` names no usable index."""
    _need_for(spec)
    from reportlint.archive.store import open_store

    open_store(spec).close()


@contextmanager
def dask_client(spec: str | None, workers: int | None = None):
    """A Dask client for ``--scheduler`` (None: no client)."""
    if not spec:
        yield None
        return
    _need("distributed", "dask")
    import logging

    from distributed import Client, LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)
    if spec == "local":
        import os

        n = workers or min(2, os.cpu_count() or 1)
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()
        return
    if not spec.startswith(("tcp://", "tls://", "inproc://")):
        raise UsageError(f"--scheduler: expected tcp://HOST:PORT or local, got {spec!r}")
    try:
        client = Client(spec, timeout="10s")
    except OSError as e:
        raise UsageError(f"--scheduler {spec}: cannot connect ({e})") from None
    try:
        yield client
    finally:
        client.close()


def _open(spec: str, create: bool):
    _need_for(spec)
    from reportlint.archive.index import ArchiveIndex

    return ArchiveIndex(spec, create=create)


def _index_option(fn):
    return click.option("--index", "spec", required=True, metavar="PATH|URL", help=INDEX_HELP)(fn)


@click.group("index")
def index_group() -> None:
    """Keep an index of past reports and articles, to check drafts against (check --against)."""


def _build(spec: str, paths: tuple[str, ...], jobs: int | None, scheduler: str | None, create: bool) -> None:
    from reportlint.cli import EXIT_ERROR, EXIT_OK, _err, _progress

    idx = _open(spec, create=create)
    try:
        with dask_client(scheduler, jobs) as client:
            bar = _progress("indexing", min_total=1)
            res = idx.update(list(paths), jobs=jobs, client=client, progress=bar)
    finally:
        idx.close()
    for w in res.warnings:
        _err(str(w))
    for e in res.errors:
        _err(str(e))
    click.echo(f"{spec}: {res.summary()}", err=True)
    sys.exit(EXIT_ERROR if res.errors else EXIT_OK)


def _guard(fn):
    from reportlint.cli import _guarded

    return _guarded(fn)


_jobs = click.option(
    "--jobs", "-j", type=click.IntRange(1, 64), default=None, help="Worker processes [default: all cores]."
)
_sched = click.option("--scheduler", default=None, metavar="URL|local", help=SCHEDULER_HELP)


@index_group.command("build")
@click.argument("archive", nargs=-1, required=True, type=click.Path())
@_index_option
@_jobs
@_sched
def build_cmd(archive: tuple[str, ...], spec: str, jobs: int | None, scheduler: str | None) -> None:
    """Index ARCHIVE (folders of .txt/.md/.docx/.pdf files); unchanged files are skipped."""
    _guard(_build)(spec, archive, jobs, scheduler, True)


@index_group.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@_index_option
@_jobs
@_sched
def add_cmd(files: tuple[str, ...], spec: str, jobs: int | None, scheduler: str | None) -> None:
    """Add FILES (or folders) to an existing index; changed files replace their old record."""
    _guard(_build)(spec, files, jobs, scheduler, False)


def _remove(spec: str, paths: tuple[str, ...]) -> None:
    idx = _open(spec, create=False)
    try:
        res = idx.remove(list(paths))
    finally:
        idx.close()
    click.echo(f"{spec}: {res.removed} document(s) removed", err=True)


@index_group.command("remove")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@_index_option
def remove_cmd(paths: tuple[str, ...], spec: str) -> None:
    """Remove the files at PATHS, or under the folders PATHS, from the index."""
    _guard(_remove)(spec, paths)


def _stats(spec: str, fmt: str) -> None:
    idx = _open(spec, create=False)
    try:
        st = idx.stats()
    finally:
        idx.close()
    if fmt == "json":
        click.echo(json.dumps(st, ensure_ascii=False, indent=1))
        return
    for k, v in st.items():
        click.echo(f"{k:<24} {v}")


@index_group.command("stats")
@_index_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def stats_cmd(spec: str, fmt: str) -> None:
    """Print what the index holds: documents, paragraphs, fingerprints, LSH entries, size."""
    _guard(_stats)(spec, fmt)
