"""Command line: parse options, load config, run the engine, pick a formatter, set the exit code.

Exit codes: 0 no findings, 1 findings, 2 usage, config or input errors.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from reportlint import __version__
from reportlint.config import Config, check_selectors, discover, load_config, parse_size
from reportlint.engine import FileResult, Report, run
from reportlint.errors import InputError, UsageError
from reportlint.formatters import FORMATS, write
from reportlint.readers import expand_paths, read_path
from reportlint.registry import RuleError, load_rules, resolve_code

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _err(message: str) -> None:
    click.echo(f"reportlint: {message}", err=True)


def _guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every expected error into one line on stderr and exit code 2."""

    @wraps(fn)
    def inner(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (UsageError, RuleError) as e:
            _err(str(e))
            sys.exit(EXIT_ERROR)
        except InputError as e:
            _err(str(e))
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            _err("interrupted")
            sys.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(EXIT_ERROR)
        except MemoryError:
            _err("out of memory; try a smaller --max-file-size or split the input")
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


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=True, allow_dash=True))
@click.option("--select", multiple=True, help="Rule codes or prefixes to enable (e.g. PUNCT,LAYOUT001).")
@click.option("--extend-select", multiple=True, help="Rule codes or prefixes to add to the selection.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Message language [default: zh].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Use this config file instead of searching for one.")
@click.option("--isolated", is_flag=True, help="Ignore all config files.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--max-file-size", default=None, help="Largest file to read, e.g. 64MB.")
@click.option("--cross-file/--no-cross-file", default=None,
              help="Also look for text copied between the files checked [default: on].")
@click.option("--color/--no-color", default=None, help="Colour the text output [default: when a terminal].")
@_guarded
def check(
    paths: tuple[str, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    fmt: str,
    lang: str | None,
    config_path: str | None,
    isolated: bool,
    exit_zero: bool,
    max_file_size: str | None,
    cross_file: bool | None,
    color: bool | None,
) -> None:
    """Check report files (.txt, .md), folders of them, or - for standard input."""
    overrides = {
        "select": check_selectors(_split(select), "--select") if select else None,
        "extend_select": check_selectors(_split(extend_select), "--extend-select") if extend_select else None,
        "ignore": check_selectors(_split(ignore), "--ignore") if ignore else None,
        "lang": lang,
        "max_file_size": parse_size(max_file_size, "--max-file-size") if max_file_size else None,
        "cross_file": cross_file,
    }
    if select and not ignore:
        overrides["ignore"] = ()  # an explicit --select is not undone by the file's ignore list
    fixed_config: Config | None = None
    if isolated:
        fixed_config = Config()
    elif config_path:
        if not Path(config_path).is_file():
            raise UsageError(f"{config_path}: config file not found")
        fixed_config = load_config(Path(config_path))

    files, problems = expand_paths(list(paths))
    configs: dict[str, Config] = {}

    def config_for(path: str) -> Config:
        if fixed_config is not None:
            return fixed_config.merged(**overrides)
        folder = "." if path == "-" else str(Path(path).parent)
        if folder not in configs:
            configs[folder] = discover(path).merged(**overrides)
        return configs[folder]

    results: list[FileResult] = []
    groups: dict[int, tuple[Config, list]] = {}
    for path in files:
        cfg = config_for(path)
        try:
            doc = read_path(path, cfg.max_file_size)
        except InputError as e:
            results.append(FileResult(path, None, error=e))
            continue
        res = FileResult(doc.path, doc)
        results.append(res)
        if not doc.text.strip():
            _err(f"{doc.path}: empty file, nothing to check")
            continue
        groups.setdefault(id(cfg), (cfg, []))[1].append(res)

    for cfg, group in groups.values():
        found = run([r.doc for r in group], cfg)
        for r in group:
            r.findings = found.get(r.path, [])

    errors = problems + [r.error for r in results if r.error is not None]
    for e in errors:
        _err(str(e))
    out_lang = lang or (next(iter(configs.values())).lang if configs else None) or (
        fixed_config.lang if fixed_config else "zh"
    )
    report = Report([r for r in results if r.doc is not None], lang=out_lang)
    write(fmt, report, sys.stdout, lang=out_lang, color=color)
    sys.stdout.flush()
    if errors:
        sys.exit(EXIT_ERROR)
    if report.findings and not exit_zero:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_guarded
def rules_cmd(fmt: str) -> None:
    """List every rule: code, name, severity, fixable, summary."""
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
    rules = load_rules()
    prefix = resolve_code(code)
    cls = rules.get(prefix)
    if cls is None:
        matching = [c for c in rules if c.startswith(prefix)]
        raise UsageError(f"{code!r} names several rules: {', '.join(matching)}")
    opts = "".join(f"\n  {k} = {v!r}" for k, v in cls.options.items())
    click.echo(f"{cls.code} ({cls.name})\nseverity: {cls.severity.value}"
               f"{'  fixable' if cls.fixable else ''}\n")
    click.echo(cls.explanation())
    if opts:
        click.echo(f"\nOptions ([tool.reportlint.rules.{cls.code}]):{opts}")


if __name__ == "__main__":  # pragma: no cover
    main()
