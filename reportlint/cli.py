"""Command line: parse options, load config, run the engine, pick a formatter, set the exit code.

Exit codes: 0 no findings, 1 findings, 2 usage, config or input errors.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import sys
from collections.abc import Callable
from functools import partial, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from reportlint import __version__
from reportlint.errors import InputError, UsageError, localize
from reportlint.formatters import FORMATS

# Everything else is imported where a command uses it: `--version`, `--help` and `rules`
# pay for nothing they do not use (config, readers, the engine, numpy, rich).
if TYPE_CHECKING:
    from reportlint.config import Config
    from reportlint.engine import Report
    from reportlint.finding import Finding
    from reportlint.runner import ConfigResolver, RunResult
    from reportlint.suppress import Suppressor

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
_FORCE = click.option(
    "--force", is_flag=True, help="Write over a file that is read or that reportlint did not write."
)


def _err(message: str) -> None:
    click.echo(f"reportlint: {message}", err=True)


class _ClosedStream(io.TextIOBase):
    """Standard output when the process was started without one: writing fails clearly."""

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, s: str) -> int:
        import errno

        raise OSError(errno.EBADF, "standard output is closed")


def _rule_error() -> type[Exception]:
    """The registry's error class; evaluated only when an exception is on its way out."""
    if "reportlint.registry" not in sys.modules:  # never imported: none can be raised
        return UsageError
    from reportlint.registry import RuleError

    return RuleError


def _guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every expected error into one line on stderr and exit code 2."""

    @wraps(fn)
    def inner(*args: Any, **kwargs: Any) -> Any:
        if sys.stdout is None:  # started with standard output closed (>&-)
            sys.stdout = _ClosedStream()
        try:
            return fn(*args, **kwargs)
        except (UsageError, _rule_error()) as e:
            _err(str(e))
            sys.exit(EXIT_ERROR)
        except InputError as e:
            _err(str(e))
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            _err("interrupted")
            # Leave at once: the ``finally`` blocks on the way here have run (a --fix temp file
            # is gone), and waiting for stopped worker processes at exit could hang.
            with contextlib.suppress(Exception):
                sys.stdout.flush()
            with contextlib.suppress(Exception):
                sys.stderr.flush()
            os._exit(130)
        except BrokenPipeError:  # the reader of a pipe went away (| head): end quietly
            _silence_stdout()
            sys.exit(EXIT_OK)
        except MemoryError:
            _err("out of memory; try a smaller --max-file-size or split the input")
            sys.exit(EXIT_ERROR)
        except OSError as e:  # standard output closed, a full disk (/dev/full), an I/O error
            if getattr(e, "filename", None):
                _err(f"{e.filename}: {e.strerror or e}")
            else:
                _err(f"cannot write the output ({e.strerror or e}); nothing more was written")
            sys.exit(EXIT_ERROR)
        except Exception as e:  # a bug: still one line, the traceback on request
            if os.environ.get("REPORTLINT_DEBUG"):
                raise
            _err(f"internal error: {type(e).__name__}: {e} (set REPORTLINT_DEBUG=1 for details)")
            sys.exit(EXIT_ERROR)

    return inner


def _split(values: tuple[str, ...]) -> tuple[str, ...] | None:
    if not values:
        return None
    out = tuple(t for v in values for t in v.replace(" ", ",").split(",") if t)
    return out


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportlint")
def main() -> None:
    """reportlint: proofread Chinese report text before it goes to print."""


def _common_check_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by ``check`` and ``baseline create``: what to check and how."""
    for opt in reversed(
        [
            click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True)),
            click.option(
                "--select",
                multiple=True,
                help="Rule codes or prefixes to enable (e.g. PUNCT,LAYOUT001).",
            ),
            click.option(
                "--extend-select",
                multiple=True,
                help="Rule codes or prefixes to add to the selection.",
            ),
            click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable."),
            click.option(
                "--config",
                "config_path",
                type=click.Path(dir_okay=False),
                default=None,
                help="Use this config file instead of searching for one.",
            ),
            click.option("--isolated", is_flag=True, help="Ignore all config files."),
            click.option("--max-file-size", default=None, help="Largest file to read, e.g. 64MB."),
            click.option(
                "--cross-file/--no-cross-file",
                default=None,
                help="Also look for text copied between the files checked [default: on].",
            ),
            click.option(
                "--jobs",
                "-j",
                type=click.IntRange(1, 64),
                default=None,
                help="Worker processes for many files [default: all cores].",
            ),
            click.option(
                "--against",
                default=None,
                metavar="INDEX",
                help="Also report text copied from this archive index (reportlint index build).",
            ),
            click.option(
                "--typo-level",
                type=click.Choice(["lint", "review"]),
                default=None,
                help="Typo suspects to report: lint (quiet, for CI) or review (more, most likely first) "
                "[default: lint].",
            ),
            click.option(
                "--changed-since",
                metavar="REV",
                default=None,
                help="Only check files changed in git since REV (and uncommitted).",
            ),
        ]
    ):
        fn = opt(fn)
    return fn


def _early_child(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A check of one file long enough for the two-core split starts the heavy family's child
    before the check loads anything (``reportlint.split.start_early``; the ``reportlint``
    script has started it already, see ``reportlint.launch``), and stops one the options show
    is not needed. It is stopped when the check ends, used or not."""

    @wraps(fn)
    def inner(*args: Any, **kwargs: Any) -> Any:
        from reportlint import split
        from reportlint.launch import early_child_for

        paths = kwargs.get("paths") or ()
        early_child_for(() if kwargs.get("scheduler") or kwargs.get("changed_since") else paths)
        try:
            return fn(*args, **kwargs)
        finally:
            split.dismiss_early()

    return inner


def _resolver(
    select, extend_select, ignore, lang, config_path, isolated, max_file_size, cross_file, typo_level=None
):
    from reportlint.config import Config, check_selectors, load_config, parse_size
    from reportlint.runner import ConfigResolver

    overrides = {
        "typo_level": typo_level,
        "select": check_selectors(_split(select), "--select") if select else None,
        "extend_select": check_selectors(_split(extend_select), "--extend-select") if extend_select else None,
        "ignore": check_selectors(_split(ignore), "--ignore") if ignore else None,
        "lang": lang,
        "max_file_size": parse_size(max_file_size, "--max-file-size") if max_file_size else None,
        "cross_file": cross_file,
    }
    if select and not ignore:
        overrides["ignore"] = ()  # an explicit --select is not undone by the file's ignore list
    fixed: Config | None = None
    if isolated:
        fixed = Config()
    elif config_path:
        if not Path(config_path).is_file():
            raise UsageError(f"{config_path}: config file not found")
        fixed = load_config(Path(config_path), explicit=True)
    return ConfigResolver(fixed, overrides)


def _progress(label: str = "checking", min_total: int = 20) -> Callable[[int, int], None] | None:
    """A progress bar on stderr for runs of ``min_total`` items or more in a terminal; nothing in
    CI logs."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    from rich.progress import Progress

    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if total < min_total:
            return
        if "bar" not in state:
            from rich.console import Console

            state["bar"] = Progress(transient=True, console=Console(stderr=True))
            state["bar"].start()
            state["task"] = state["bar"].add_task(label, total=total)
        state["bar"].update(state["task"], completed=done)
        if done >= total:
            state["bar"].stop()

    return update


def _collect(paths, resolver, jobs, changed_since, scheduler=None, idle=None) -> RunResult:
    from reportlint import split
    from reportlint.engine import Report
    from reportlint.gitfiles import changed_files
    from reportlint.runner import RunResult, run_paths

    split.quiet_gc()
    paths = list(paths)
    if changed_since:
        paths = changed_files(paths, changed_since)
        if not paths:
            return RunResult(Report([]))
    if scheduler:  # check the files on Dask workers
        from reportlint.archive.commands import dask_client

        with dask_client(scheduler, jobs) as client:
            return run_paths(paths, resolver, progress=_progress(), executor=client.get_executor())
    return run_paths(paths, resolver, jobs=jobs, progress=_progress(), idle=idle)


@main.command()
@_common_check_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--output",
    "-o",
    "output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the output (any format, the diff, the statistics) to FILE instead of standard output.",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Message language [default: zh].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default="info",
    show_default=True,
    help="Exit 1 only for findings of at least this severity.",
)
@click.option(
    "--fix",
    is_flag=True,
    help="Apply safe fixes to the files (.txt, .md; a .docx with --annotate: as tracked changes).",
)
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply unsafe fixes.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; change nothing.")
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Report only findings not recorded in this baseline file.",
)
@click.option("--statistics", is_flag=True, help="Print counts per rule instead of the findings.")
@click.option(
    "--show-unused-suppressions",
    is_flag=True,
    help="Also report accepted findings (sidecar entries) that no longer occur.",
)
@click.option(
    "--annotate",
    "annotate_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write a copy of the checked .docx file with a Word comment on each finding"
    " (with --fix, the safe fixes as tracked changes too).",
)
@click.option(
    "--track-changes",
    "track_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write a copy of the checked .docx file with the safe fixes as tracked changes and comments"
    " (the same as --fix --annotate FILE).",
)
@click.option("--comment-author", default=None, help="Author of --annotate comments [default: reportlint].")
@click.option(
    "--force",
    is_flag=True,
    help="Write --output/--annotate even over a file that reportlint did not write or that is read.",
)
@click.option("--color/--no-color", default=None, help="Colour the text output [default: when a terminal].")
@click.option(
    "--scheduler", default=None, metavar="URL|local", help="Check the files on Dask (tcp://HOST:PORT)."
)
@_guarded
@_early_child
def check(
    paths: tuple[str, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: str | None,
    isolated: bool,
    max_file_size: str | None,
    cross_file: bool | None,
    jobs: int | None,
    changed_since: str | None,
    typo_level: str | None,
    fmt: str,
    output: str | None,
    lang: str | None,
    exit_zero: bool,
    fail_on: str,
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    baseline_path: str | None,
    statistics: bool,
    show_unused_suppressions: bool,
    color: bool | None,
    annotate_path: str | None = None,
    track_path: str | None = None,
    comment_author: str | None = None,
    against: str | None = None,
    scheduler: str | None = None,
    force: bool = False,
) -> None:
    """Check report files (.txt, .md, .docx, .pdf), folders of them, or - for standard input."""
    from reportlint.engine import drop_conflicting_fixes
    from reportlint.finding import Severity
    from reportlint.formatters import write
    from reportlint.outputs import check_output
    from reportlint.suppress import Suppressor, load_baseline

    if unsafe_fixes and not (fix or diff or track_path):
        raise UsageError("--unsafe-fixes applies only with --fix or --diff (nothing would be fixed)")
    if track_path:
        if annotate_path and annotate_path != track_path:
            raise UsageError("--track-changes and --annotate name two different files; give one")
        annotate_path, fix = track_path, True
    for target, option in ((output, "--output"), (annotate_path, "--annotate")):
        if target:  # before anything is checked: a slip must cost nothing
            check_output(target, paths, force, option)
    resolver = _resolver(
        select, extend_select, ignore, lang, config_path, isolated, max_file_size, cross_file, typo_level
    )
    _use_archive(resolver, against)
    # While the second core finishes a file's word-level rules, this one loads the output code.
    idle = partial(importlib.import_module, f"reportlint.formatters.{fmt}_format")
    run = _collect(paths, resolver, jobs, changed_since, scheduler, idle=idle)
    report = run.report
    if resolver.first.typo_level == "review":
        for r in report.files:  # a proofreading pass: the likeliest typos first
            r.findings.sort(key=_review_order)
    out_lang = lang or resolver.first.lang
    report.lang = out_lang

    baseline = load_baseline(Path(baseline_path)) if baseline_path else None
    suppressor = Suppressor(baseline, Path(baseline_path).parent if baseline_path else None)
    for r in report.files:
        if r.doc is not None:
            suppressor.filter(r)
            suppressor.note_checked(r.path, _codes(resolver, r.path))

    for w in run.warnings:
        _err(localize(w, out_lang))
    for r in report.files:  # reader warnings, e.g. traditional characters found
        for zh, en in r.doc.meta.get("warnings", ()) if r.doc is not None else ():
            _err(f"{r.path}: {en if out_lang == 'en' else zh}")
    errors = list(run.errors)
    out = io.StringIO()
    would_change = False
    word_fix = bool(fix and not diff and annotate_path)
    if fix or diff:
        fix_errors, would_change = _apply_fixes(
            report,
            resolver,
            suppressor,
            unsafe_fixes,
            write_files=fix and not diff,
            out=out,
            lang=out_lang,
            word_fix=word_fix,
        )
        errors += fix_errors
    for r in report.files:
        drop_conflicting_fixes(r.findings)
    for e in errors:
        _err(f"{e.path}: {e.text(out_lang)}")

    if annotate_path:
        from reportlint.annotate import annotate_report

        done = annotate_report(
            report, annotate_path, comment_author, out_lang, track_changes=word_fix, unsafe=unsafe_fixes
        )
        if out_lang == "en":
            changes = f", {done.revisions} tracked change(s)" if word_fix else ""
            _err(f"wrote {done.path} ({done.comments} comment(s){changes})")
        else:
            changes = f"，{done.revisions} 处修订" if word_fix else ""
            _err(f"已写出 {done.path}（{done.comments} 条批注{changes}）")
    if statistics:
        _print_statistics(report, out_lang, out)
    elif not diff:
        if color is None and output is None:
            color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        report.unused_suppressions = [
            {"file": str(sc), "path": rec.path, "code": rec.code, "fingerprint": rec.fingerprint}
            for sc, rec in suppressor.unused_records()
        ]
        write(fmt, report, out, lang=out_lang, color=color if output is None else False)
    unused = suppressor.unused() if show_unused_suppressions else []
    for u in unused:
        _err(u)
    _emit(out.getvalue(), output)
    if errors and (not report.checked or any(not e.warning for e in errors)):
        sys.exit(EXIT_ERROR)
    threshold = Severity(fail_on).rank
    failing = any(f.severity.rank >= threshold for f in report.findings) or (diff and would_change)
    if (failing or unused) and not exit_zero:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


def _codes(resolver: ConfigResolver, path: str) -> frozenset[str]:
    """The codes of the rules that check ``path``."""
    from reportlint.registry import select_codes

    cfg = resolver("-" if path == "<stdin>" else path)
    return frozenset(select_codes(cfg.select, cfg.ignore, cfg.extend_select))


def _emit(text: str, output: str | None) -> None:
    """Write the output to standard output (a closed pipe ends it quietly) or to a file."""
    from reportlint.fixer import write_text_atomic

    if output:
        write_text_atomic(Path(output), text)
        return
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()


def _silence_stdout() -> None:
    """After the reader of a pipe went away (``| head``): drop what is left, quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


# Why a file cannot be fixed in place: (zh, en)
_NOT_WRITABLE = {
    "stdin": (
        "标准输入无法写回，--fix 不能修改；用 --diff 查看修改",
        "standard input cannot be written back; use --diff to see the fixes",
    ),
    "docx": (
        "Word 文件不能直接修改；用 --fix --annotate out.docx 把修改写成修订（另存副本）",
        "a Word file is not changed in place; --fix --annotate out.docx writes the fixes as "
        "tracked changes in a copy",
    ),
    "pdf": (
        "PDF 校样不能修改；请在源文件中修改",
        "a PDF proof cannot be fixed; fix the document it was made from",
    ),
}


def _use_archive(resolver: ConfigResolver, against: str | None) -> None:
    """Check against an archive index (DUP006-DUP008); fail early when it cannot be opened."""
    if against:
        from reportlint.archive.commands import check_index

        check_index(against)
        resolver.overrides["against"] = against


def _review_order(f: Finding) -> tuple:
    """Scored findings first, most confident first; the others after them, in text order."""
    if f.confidence is None:
        return (1, 0.0, f.sort_key())
    return (0, -f.confidence, f.sort_key())


def _apply_fixes(
    report: Report,
    resolver: ConfigResolver,
    suppressor: Suppressor,
    unsafe: bool,
    write_files: bool,
    out: TextIO,
    lang: str,
    word_fix: bool = False,
) -> tuple[list[InputError], bool]:
    """Fix (or print the diff of) each file; return errors and whether anything would change.

    Suppressions hold throughout: only reported findings are fixed, every round's
    re-check is filtered again, and the findings left after fixing are filtered too.
    """
    from reportlint.engine import plan_fixes
    from reportlint.fixer import fix_document, unified_diff, write_atomic

    errors: list[InputError] = []
    changed = False
    for r in report.files:
        doc = r.doc
        if doc is None or not r.findings:
            continue
        stdin = doc.path == "<stdin>"
        kind = "docx" if doc.kind == "docx" else "pdf" if doc.kind == "pdf" else "stdin" if stdin else None
        if kind is not None and not (kind == "stdin" and not write_files):
            if kind == "docx" and word_fix:
                continue  # written as tracked changes by --annotate
            if plan_fixes(r.findings, unsafe):
                zh, en = _NOT_WRITABLE[kind]
                errors.append(InputError(doc.path, en if lang == "en" else zh))
            continue
        cfg = resolver("-" if stdin else doc.path)
        outcome = fix_document(doc, r.findings, cfg, unsafe, hidden=r.hidden, suppress=suppressor.partition)
        if not outcome.changed:
            continue
        changed = True
        if not write_files:
            out.write(unified_diff(doc, outcome.new_text))
            continue
        try:
            write_atomic(doc, outcome.new_text)
        except InputError as e:
            errors.append(e)
            continue
        assert outcome.final_doc is not None
        r.doc = outcome.final_doc
        r.findings = outcome.remaining
        r.hidden = outcome.hidden
        n = len(outcome.fixed)
        _err(f"{doc.path}: fixed {n} finding(s)" if lang == "en" else f"{doc.path}: 已修复 {n} 处")
    return errors, changed


def _print_statistics(report: Report, lang: str, out: TextIO) -> None:
    from collections import Counter

    counts = Counter(
        (f.code, f.name, f.severity.value, f.fix is not None and f.fix.safe) for f in report.findings
    )
    for (code, name, sev, fixable), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        mark = "[*]" if fixable else "   "
        out.write(f"{n:6d}  {code:<10} {mark} {name} ({sev})\n")
    out.write(f"{sum(counts.values()):6d}  {'total' if lang == 'en' else '合计'}\n")


def _collect_quietly(
    paths: tuple[str, ...],
    *,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: str | None,
    isolated: bool,
    max_file_size: str | None,
    cross_file: bool | None,
    jobs: int | None,
    changed_since: str | None,
    against: str | None = None,
    typo_level: str | None = None,
) -> tuple[RunResult, Suppressor]:
    """Check PATHS for ``accept`` and ``baseline``: findings are recorded, not printed."""
    from reportlint.suppress import Suppressor

    resolver = _resolver(
        select, extend_select, ignore, None, config_path, isolated, max_file_size, cross_file, typo_level
    )
    _use_archive(resolver, against)
    run = _collect(paths, resolver, jobs, changed_since)
    for e in run.errors:
        _err(str(e))
    suppressor = Suppressor()
    for r in run.report.files:
        if r.doc is not None:
            suppressor.filter(r)  # already-accepted findings are not recorded twice
            suppressor.note_checked(r.path, _codes(resolver, r.path))
    return run, suppressor


@main.command()
@_common_check_options
@click.option("--reason", default="", help="Why these findings are accepted (stored with each entry).")
@click.option(
    "--code",
    "codes",
    multiple=True,
    help="Accept only findings of these codes or prefixes (e.g. PUNCT001).",
)
@click.option(
    "--line",
    "lines",
    type=click.IntRange(1),
    multiple=True,
    help="Accept only the findings on this line (repeatable).",
)
@click.option(
    "--fingerprint",
    "fingerprints_",
    multiple=True,
    help='Accept only the finding with this fingerprint (the "fingerprint" of --format json).',
)
@click.option(
    "--prune",
    is_flag=True,
    help="Remove the entries for PATHS that match no current finding; accept nothing new.",
)
@_guarded
def accept(
    paths: tuple[str, ...],
    reason: str,
    codes: tuple[str, ...],
    lines: tuple[int, ...],
    fingerprints_: tuple[str, ...],
    prune: bool,
    **opts: Any,
) -> None:
    """Accept findings of PATHS: record them in reportlint-accepted.toml.

    Without --code, --line or --fingerprint, every current finding is accepted.
    """
    from reportlint.registry import resolve_code
    from reportlint.suppress import (
        SIDECAR,
        Record,
        append_sidecar,
        find_sidecar,
        records_for,
        remove_from_sidecar,
    )

    code_prefixes = [resolve_code(c) for c in _split(codes) or ()]
    if prune and (codes or lines or fingerprints_):
        raise UsageError("--prune removes stale entries; it takes no --code, --line or --fingerprint")
    run, suppressor = _collect_quietly(paths, **opts)
    if prune:
        stale = suppressor.unused_records()
        by_sidecar: dict[Path, list[Record]] = {}
        for sc, rec in stale:
            by_sidecar.setdefault(sc, []).append(rec)
        for sc, recs in by_sidecar.items():
            click.echo(f"{sc}: {remove_from_sidecar(sc, recs)} stale entry(ies) removed")
        if not by_sidecar:
            click.echo("no stale entries")
        sys.exit(EXIT_ERROR if run.errors else EXIT_OK)
    written: dict[Path, int] = {}
    matched = 0
    for r in run.report.files:
        if r.doc is None:
            continue
        folder = Path.cwd() if r.path == "<stdin>" else Path(r.path).parent
        sidecar = find_sidecar(folder) or (Path.cwd() / SIDECAR)
        recs = records_for([r], sidecar.parent)
        chosen = [
            rec
            for f, rec in zip(r.findings, recs, strict=True)
            if (not code_prefixes or any(f.code.startswith(c) for c in code_prefixes))
            and (not lines or any(f.span.line <= n <= f.span.end_line for n in lines))
            and (not fingerprints_ or rec.fingerprint in fingerprints_)
        ]
        matched += len(chosen)
        if chosen:
            written[sidecar] = written.get(sidecar, 0) + append_sidecar(sidecar, chosen, reason)
    if (codes or lines or fingerprints_) and not matched:
        raise UsageError("no current finding matches the --code/--line/--fingerprint given")
    for sc, n in written.items():
        click.echo(f"{sc}: {n} finding(s) accepted")
    if not written:
        click.echo("0 finding(s) accepted")
    sys.exit(EXIT_ERROR if run.errors else EXIT_OK)


@main.group()
def baseline() -> None:
    """Record today's findings so that checks report only new ones."""


@baseline.command("create")
@_common_check_options
@click.option(
    "--output",
    "-o",
    "output",
    type=click.Path(dir_okay=False),
    default="reportlint-baseline.json",
    show_default=True,
    help="Baseline file to write.",
)
@_FORCE
@_guarded
def baseline_create(paths: tuple[str, ...], output: str, force: bool, **opts: Any) -> None:
    """Write the findings of PATHS to a baseline file (use with check --baseline)."""
    from reportlint.outputs import check_output
    from reportlint.suppress import records_for, save_baseline

    check_output(output, paths, force, "--output")
    run, _ = _collect_quietly(paths, **opts)
    out = Path(output)
    records = records_for(run.report.files, out.resolve().parent)
    save_baseline(out, records)
    click.echo(f"{out}: {len(records)} finding(s) recorded")
    sys.exit(EXIT_ERROR if run.errors else EXIT_OK)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_guarded
def rules_cmd(fmt: str) -> None:
    """List every rule: code, name, severity, fixable, summary."""
    from reportlint.registry import load_rules

    rules = load_rules()
    if fmt == "json":
        import json

        data = [
            {
                "code": c,
                "name": r.name,
                "severity": r.severity.value,
                "fixable": r.fixable,
                "default": r.default_enabled,
                "summary": r.summary(),
            }
            for c, r in rules.items()
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for col in ("code", "name", "severity", "fixable", "summary"):
        table.add_column(col)
    for code, r in rules.items():
        name = r.name if r.default_enabled else f"{r.name} (off by default)"
        table.add_row(code, name, r.severity.value, "yes" if r.fixable else "", r.summary())
    Console(highlight=False, width=160 if not sys.stdout.isatty() else None).print(table)


@main.command("rule")
@click.argument("code")
@_guarded
def rule_cmd(code: str) -> None:
    """Print the full explanation of one rule (by code or name)."""
    from reportlint.registry import load_rules, resolve_code

    rules = load_rules()
    prefix = resolve_code(code)
    cls = rules.get(prefix)
    if cls is None:
        matching = [c for c in rules if c.startswith(prefix)]
        raise UsageError(f"{code!r} names several rules: {', '.join(matching)}")
    click.echo(rule_toml(cls))


def toml_value(value: Any) -> str:
    """A TOML literal for an option's value (strings, numbers, booleans, lists, tables)."""
    import json
    import math

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return repr(value)
        return "nan" if value != value else "inf" if value > 0 else "-inf"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"{json.dumps(str(k), ensure_ascii=False)} = {toml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    raise UsageError(f"cannot write {value!r} as TOML")


def rule_toml(cls: Any) -> str:
    """A rule's explanation as TOML comments, then its options with their defaults as a table.

    The whole text is valid TOML: the table can be pasted into pyproject.toml as it is.
    """
    head = f"{cls.code} ({cls.name})\nseverity: {cls.severity.value}{', fixable' if cls.fixable else ''}\n\n"
    lines = [f"# {ln}".rstrip() for ln in (head + cls.explanation()).splitlines()]
    if not cls.options:
        lines += ["#", "# No options."]
        return "\n".join(lines)
    lines += [
        "#",
        "# Options, with their defaults. In pyproject.toml as below; in reportlint.toml the same,",
        f"# or without the tool.reportlint. prefix: [rules.{cls.code}].",
        f"[tool.reportlint.rules.{cls.code}]",
    ]
    lines += [f"{k} = {toml_value(v)}" for k, v in cls.options.items() if v is not None]
    return "\n".join(lines)


@main.command("learn")
@click.argument("folder", type=click.Path(exists=True, file_okay=True, dir_okay=True))
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False),
    default="domain-lexicon.txt",
    show_default=True,
    help="The lexicon file to write.",
)
@click.option(
    "--min-count",
    type=click.IntRange(1),
    default=2,
    show_default=True,
    help="Keep terms used at least this many times (in at least two files).",
)
@_FORCE
@_guarded
def learn_cmd(folder: str, output: str, min_count: int, force: bool) -> None:
    """Build a domain lexicon from a folder of correct past reports (silences TYPO false alarms).

    Use the file it writes with `lexicon = ["domain-lexicon.txt"]` in [tool.reportlint].
    """
    from reportlint.learn import learn_documents, write_lexicon
    from reportlint.outputs import check_output
    from reportlint.readers import expand_paths, read_path

    check_output(output, [folder], force, "--output")
    files, problems = expand_paths([folder])
    for e in problems:
        _err(str(e))

    def docs():
        for path in files:
            try:
                yield read_path(path)
            except InputError as e:
                _err(str(e))

    learned = learn_documents(docs(), min_count=min_count)
    if not learned.files:
        raise UsageError(f"{folder}: no report files found")
    write_lexicon(learned, Path(output))
    click.echo(
        f"{output}: {len(learned.new)} new terms and {len(learned.known)} known words "
        f"from {learned.files} files ({learned.chars} characters); "
        f"{len(learned.flagged)} strings the TYPO rules question listed as flagged, not added",
        err=True,
    )


from reportlint.archive.commands import index_group  # noqa: E402  (click only)

main.add_command(index_group)

if __name__ == "__main__":  # pragma: no cover
    main()
