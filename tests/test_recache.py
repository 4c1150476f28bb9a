"""The command's cache of compiled patterns (``reportlint._recache``) gives what plain
compiling gives, and never stands in the way."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES

# Imports every module of the package with the cache installed, so that their patterns are
# compiled (and, on a second run, taken from the cache), then saves the cache.
IMPORT_ALL = """
import importlib, pkgutil, sys
from reportlint import _recache
_recache.install()
import reportlint
for m in pkgutil.walk_packages(reportlint.__path__, "reportlint."):
    if m.name.endswith("__main__"):
        continue
    try:
        importlib.import_module(m.name)
    except ImportError:
        pass
print(len(_recache._state.get("added", ())))
_recache.save()
"""


def run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)


def cache_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "REPORTLINT_NO_CACHE"}
    return {**env, "XDG_CACHE_HOME": str(tmp_path), **extra}


def stored(tmp_path: Path) -> dict:
    (f,) = (tmp_path / "reportlint").glob("patterns-*.marshal")
    return marshal.loads(f.read_bytes())


def test_stored_patterns_are_what_the_compiler_makes(tmp_path: Path) -> None:
    from reportlint._recache import compiled_args

    env = cache_env(tmp_path)
    first = run(IMPORT_ALL, env)
    assert first.returncode == 0, first.stderr
    table = stored(tmp_path)
    assert len(table) > 100  # the package's module-level patterns
    for (pattern, flags), args in table.items():
        assert args == compiled_args(pattern, flags), pattern
    # a second run compiles nothing anew
    second = run(IMPORT_ALL, env)
    assert second.returncode == 0, second.stderr
    assert int(first.stdout) > 100 and int(second.stdout) == 0


def test_patterns_from_the_cache_match_as_compiled_ones(tmp_path: Path) -> None:
    env = cache_env(tmp_path)
    assert run(IMPORT_ALL, env).returncode == 0
    # the cached compiler and plain compiling agree on what the fixtures' texts match
    check = f"""
import re, sys, glob, marshal
from reportlint import _recache
table = marshal.loads(_recache.cache_file().read_bytes())
plain = {{k: re.compile(*k) for k in table}}
re.purge()
_recache.install()
texts = [open(p, encoding="utf-8").read() for p in sorted(glob.glob({str(FIXTURES / "*.txt")!r}))]
bad = 0
for k, q in plain.items():
    c = re.compile(*k)
    same = (c.pattern, c.flags, c.groups, c.groupindex) == (q.pattern, q.flags, q.groups, q.groupindex)
    if not same or any([m.span() for m in c.finditer(t)] != [m.span() for m in q.finditer(t)] for t in texts):
        bad += 1
print(bad, len(plain))
"""
    out = run(check, env)
    assert out.returncode == 0, out.stderr
    bad, total = map(int, out.stdout.split())
    assert total > 100 and bad == 0


def test_a_damaged_cache_is_compiled_again(tmp_path: Path) -> None:
    env = cache_env(tmp_path)
    assert run(IMPORT_ALL, env).returncode == 0
    (f,) = (tmp_path / "reportlint").glob("patterns-*.marshal")
    f.write_bytes(b"\x00not marshal data")
    out = subprocess.run(
        [sys.executable, "-m", "reportlint", "check", str(FIXTURES / "PUNCT002.txt")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode in (0, 1) and "Traceback" not in out.stderr
    assert len(stored(tmp_path)) > 100  # written anew


def test_no_cache_when_turned_off(tmp_path: Path) -> None:
    env = cache_env(tmp_path, REPORTLINT_NO_CACHE="1")
    out = run(IMPORT_ALL, env)
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / "reportlint").exists()
