"""Compiled regular expressions kept from one run of the command to the next.

Every process compiles its patterns anew. For reportlint that is about 80 ms of each start
(the seed's check takes about 0.25 s in all), most of it in ``re``'s compiler marking the
code points of classes with Chinese ranges one by one, 21,000 of them for 一-鿿, again in
every pattern that holds one. The compiler's output depends on nothing but the pattern, its
flags and the interpreter, so the command keeps it: ``install`` wraps ``re``'s compiler so
that a pattern compiled before is rebuilt from its stored code by ``_sre.compile`` (what the
compiler itself ends with), and ``save`` writes what was new to a file in the user's cache
folder (``$XDG_CACHE_HOME/reportlint`` or ``~/.cache/reportlint``), named after the
interpreter's version and ``_sre.MAGIC``, so that another interpreter keeps its own.

The file is ``marshal`` data, trusted as Python trusts its own ``__pycache__``. Anything
unexpected (no cache folder, a damaged or foreign file, a read-only disk, an interpreter
whose ``re`` lacks the parts used here) means plain compiling, never an error.
``REPORTLINT_NO_CACHE=1`` turns the cache off. Only the command installs it (``launch``);
importing reportlint as a library changes nothing in ``re``.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any

_state: dict[str, Any] = {}
MAX_PATTERNS = 4000  # the file starts again beyond this (the command uses about 300)


def cache_file() -> Path | None:
    """Where this interpreter's compiled patterns are kept, or None when caching is off."""
    if os.environ.get("REPORTLINT_NO_CACHE"):
        return None
    try:
        import _sre

        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        if not os.path.isabs(base):
            return None
        tag = f"{sys.implementation.cache_tag}-{_sre.MAGIC}"
    except Exception:
        return None
    return Path(base) / "reportlint" / f"patterns-{tag}.marshal"


def compiled_args(pattern: str, flags: int) -> tuple:
    """What ``re``'s compiler hands ``_sre.compile`` after the pattern: its flags, code,
    group count, group names both ways (plain ints, so that ``marshal`` stores them)."""
    from re import _compiler, _parser

    parsed = _parser.parse(pattern, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (
        int(flags | parsed.state.flags),
        [int(x) for x in _compiler._code(parsed, flags)],  # (named constants are ints to _sre)
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )


def install() -> None:
    """Wrap ``re``'s compiler with the stored patterns (once per process)."""
    if _state:
        return
    path = cache_file()
    if path is None:
        return
    try:
        import _sre
        from re import _compiler

        plain, debug = _compiler.compile, _compiler.SRE_FLAG_DEBUG
        compiled_args("[一-鿿]+(?P<x>a)", 0)  # the parts used here are there and work
    except Exception:
        return
    try:
        stored = marshal.loads(path.read_bytes())
        if not isinstance(stored, dict):
            stored = {}
    except Exception:
        stored = {}
    added: dict[tuple[str, int], tuple] = {}
    _state.update(path=path, added=added)

    def compile(p: Any, flags: int = 0) -> Any:
        if not isinstance(p, str) or flags & debug:
            return plain(p, flags)
        key = (p, flags)
        args = stored.get(key)
        if args is not None:
            try:
                return _sre.compile(p, *args)
            except Exception:
                pass  # not this interpreter's code after all: compile it again
        args = compiled_args(p, flags)
        compiled = _sre.compile(p, *args)
        stored[key] = args
        if len(added) < MAX_PATTERNS:
            added[key] = args
        return compiled

    _compiler.compile = compile


def save() -> None:
    """Add the patterns this process compiled anew to the file (read again, so that the
    two processes of a split check both add theirs; written atomically). Errors are
    ignored: the next run compiles those patterns again."""
    added = _state.get("added")
    if not added:
        return
    path: Path = _state["path"]
    _state["added"] = {}
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        try:
            stored = marshal.loads(path.read_bytes())
        except Exception:
            stored = {}
        if not isinstance(stored, dict) or len(stored) + len(added) > MAX_PATTERNS:
            stored = {}  # patterns made from text pile up: start again from this run's
        stored.update(added)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(marshal.dumps(stored))
        os.replace(tmp, path)
    except Exception:
        with contextlib.suppress(Exception):
            tmp.unlink(missing_ok=True)
