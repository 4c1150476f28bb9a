"""Configuration: ``[tool.reportlint]`` in pyproject.toml, or reportlint.toml.

A reportlint.toml takes the same keys at its top level (or under ``[tool.reportlint]``).
Broken TOML, a misspelt ``[tool.reportlint]`` table and unknown keys are errors (exit 2,
one line, with a suggestion), never settings silently skipped.

The file is found from the checked file's folder upwards (the first folder that
has either file wins; ``reportlint.toml`` before ``pyproject.toml``). Options given
on the command line override it. Config files are data only: TOML, never executed.

Example::

    [tool.reportlint]
    select = ["DUP", "NUM", "PUNCT", "LAYOUT", "TYPO"]
    ignore = ["PUNCT002"]
    allow-words = ["双长制", "链长"]

    [tool.reportlint.rules.DUP002]
    threshold = 0.9
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlint.errors import UsageError
from reportlint.readers import DEFAULT_MAX_SIZE
from reportlint.registry import RuleError, _suggest, load_rules, resolve_code
from reportlint.safeio import CONFIG_LIMIT, read_small_text

CONFIG_FILES = ("reportlint.toml", ".reportlint.toml", "pyproject.toml")

KNOWN_KEYS = {
    "select": "list of rule codes or prefixes to enable",
    "extend-select": "rule codes or prefixes to enable on top of the selection",
    "ignore": "list of rule codes or prefixes to disable",
    "lang": "message language: zh or en",
    "max-file-size": "largest file to read, e.g. 64MB",
    "allow-words": "words never reported as typos (names, local terms)",
    "confusions": "extra wrong -> right word pairs, as a table",
    "lexicon": "domain word lists written by `reportlint learn` (paths from the config's folder)",
    "rules": "per-rule options, as [tool.reportlint.rules.CODE]",
    "cross-file": "compare files with each other for copied text (true/false)",
    "typo-level": "how many typo suspects to report: lint (quiet, for CI) or review (a proofreading pass)",
}
TYPO_LEVELS = ("lint", "review")


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    lang: str = "zh"
    max_file_size: int = DEFAULT_MAX_SIZE
    allow_words: tuple[str, ...] = ()
    confusions: tuple[tuple[str, str], ...] = ()
    lexicon: tuple[str, ...] = ()
    cross_file: bool = True
    against: str | None = None  # an archive index to compare with (check --against)
    typo_level: str = "lint"
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: str | None = None  # the file it came from, for messages

    def merged(self, **overrides: Any) -> Config:
        """A copy with the non-None overrides applied (the command line beats the file)."""
        clean = {k: v for k, v in overrides.items() if v is not None}
        return dataclasses.replace(self, **clean)

    def options_for(self, code: str) -> dict[str, Any]:
        return self.rule_options.get(code, {})


MAX_SIZE_LIMIT = 1 << 40  # 1 TiB: anything larger is a typo (and overflows reads)
_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.I)


def parse_size(value: Any, where: str = "max-file-size") -> int:
    """A size in bytes from 64MB, 500k, 1.5g or a whole number of bytes; at least one byte."""
    n: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        n = value
    elif isinstance(value, str) and (m := _SIZE_RE.match(value)):
        mult = {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[(m.group(2) or "b").lower()[0]]
        x = float(m.group(1)) * mult  # inf for a very long number: refused below, not converted
        n = MAX_SIZE_LIMIT + 1 if x > MAX_SIZE_LIMIT else int(x)
    if n is not None and n > MAX_SIZE_LIMIT:
        raise UsageError(f"{where}: {value!r} is more than the largest size allowed, 1 TiB")
    if n is None or n < 1:
        raise UsageError(f"{where}: expected a size of at least one byte, such as 64MB, got {value!r}")
    return n


def find_config_file(start: Path) -> Path | None:
    """The nearest config file from ``start`` (a folder) upwards, or None.

    A pyproject.toml counts when it has a ``[tool.reportlint]`` table, or a table whose
    name is a misspelling of it (an error then, rather than settings silently lost). A
    pyproject.toml that is not valid TOML is an error too: it may hold the settings.
    The search stops at the root of the repository the folder is in (a folder with
    ``.git``): a config above it belongs to something else.
    """
    start = start.resolve()
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file():
                if name == "pyproject.toml" and not _has_tool_section(candidate):
                    continue
                return candidate
        if (folder / ".git").exists():
            return None
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # only when a config file is found

    try:
        return tomllib.loads(read_small_text(path, CONFIG_LIMIT, "config"))
    except RecursionError:
        raise UsageError(f"{path}: invalid TOML (nested too deeply)") from None
    except tomllib.TOMLDecodeError as e:
        raise UsageError(
            f"{path}: invalid TOML ({e}); fix it, or use --isolated to check without it"
        ) from None


def _has_tool_section(path: Path) -> bool:
    tool = _read_toml(path).get("tool", {})
    return isinstance(tool, dict) and ("reportlint" in tool or _misspelt_table(tool) is not None)


def _misspelt_table(tool: dict[str, Any]) -> str | None:
    """A ``[tool.X]`` name that looks like a misspelling of ``reportlint``."""
    import difflib

    for name in tool:
        norm = name.lower().replace("-", "").replace("_", "")
        if name != "reportlint" and (
            norm == "reportlint" or difflib.SequenceMatcher(None, norm, "reportlint").ratio() >= 0.8
        ):
            return name
    return None


def _tool_table(data: dict[str, Any], path: Path, required: bool) -> dict[str, Any]:
    """The ``[tool.reportlint]`` table of a TOML file's data."""
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise UsageError(f"{path}: 'tool' must be a table")
    if "reportlint" in tool:
        table = tool["reportlint"]
        if not isinstance(table, dict):
            raise UsageError(f"{path}: tool.reportlint must be a table")
        return table
    wrong = _misspelt_table(tool)
    if wrong is not None:
        raise UsageError(f"{path}: unknown table [tool.{wrong}] (did you mean [tool.reportlint]?)")
    if required:
        raise UsageError(f"{path}: no [tool.reportlint] table")
    return {}


def load_config(path: Path, explicit: bool = False) -> Config:
    """The config of a file: ``[tool.reportlint]`` of a pyproject.toml, or a reportlint.toml.

    A reportlint.toml takes the keys of ``[tool.reportlint]`` at its top level, or the
    same ``[tool.reportlint]`` table as pyproject.toml (so that either can be pasted).
    ``explicit`` (``--config``): a pyproject.toml without the table is an error.
    """
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = _tool_table(data, path, required=explicit)
    elif "tool" in data:
        if set(data) != {"tool"}:
            raise UsageError(
                f"{path}: give the settings at the top level or under [tool.reportlint], not both"
            )
        data = _tool_table(data, path, required=True)
    return config_from_dict(data, str(path))


def _str_list(value: Any, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in re.split(r"[,\s]+", value) if v]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{where}: {key} must be a list of strings")
    return tuple(value)


def check_selectors(tokens: tuple[str, ...], where: str) -> tuple[str, ...]:
    try:
        for t in tokens:
            resolve_code(t)
    except RuleError as e:
        raise UsageError(f"{where}: {e}") from None
    return tokens


def config_from_dict(data: dict[str, Any], where: str = "config") -> Config:
    kw: dict[str, Any] = {"source": where}
    for key, value in data.items():
        if key not in KNOWN_KEYS:
            hint = _suggest(key, KNOWN_KEYS) or f" (known keys: {', '.join(KNOWN_KEYS)})"
            raise UsageError(f"{where}: unknown key {key!r}{hint}")
        if key in ("select", "extend-select", "ignore"):
            kw[key.replace("-", "_")] = check_selectors(_str_list(value, key, where), where)
        elif key == "lang":
            if value not in ("zh", "en"):
                raise UsageError(f"{where}: lang must be 'zh' or 'en', got {value!r}")
            kw["lang"] = value
        elif key == "max-file-size":
            kw["max_file_size"] = parse_size(value, f"{where}: max-file-size")
        elif key == "allow-words":
            kw["allow_words"] = _str_list(value, key, where)
        elif key == "cross-file":
            if not isinstance(value, bool):
                raise UsageError(f"{where}: cross-file must be true or false")
            kw["cross_file"] = value
        elif key == "typo-level":
            if value not in TYPO_LEVELS:
                raise UsageError(f"{where}: typo-level must be 'lint' or 'review', got {value!r}")
            kw["typo_level"] = value
        elif key == "lexicon":
            base = Path(where).parent if Path(where).is_file() else Path.cwd()
            kw["lexicon"] = tuple(str(base / p) for p in _str_list(value, key, where))
        elif key == "confusions":
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                raise UsageError(f'{where}: confusions must be a table of wrong = "right"')
            kw["confusions"] = tuple(sorted(value.items()))
        elif key == "rules":
            kw["rule_options"] = _rule_options(value, where)
    return Config(**kw)


def _rule_options(value: Any, where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise UsageError(f"{where}: rules must be a table of [rules.CODE] tables")
    rules = load_rules()
    by_name = {cls.name: code for code, cls in rules.items()}
    out: dict[str, dict[str, Any]] = {}
    for key, opts in value.items():
        code = key.upper() if key.upper() in rules else by_name.get(key)
        if code is None:
            hint = _suggest(key, list(rules) + list(by_name))
            raise UsageError(f"{where}: unknown rule {key!r} in [rules]{hint}")
        if not isinstance(opts, dict):
            raise UsageError(f"{where}: [rules.{key}] must be a table")
        try:
            rules[code](**opts)  # validates names and types
        except RuleError as e:
            raise UsageError(f"{where}: {e}") from None
        out[code] = dict(opts)
    return out


def discover(path: str) -> Config:
    """The config that applies to a checked path (``-`` means the current folder)."""
    folder = Path.cwd() if path == "-" else Path(path).parent
    found = find_config_file(folder)
    return load_config(found) if found else Config()
