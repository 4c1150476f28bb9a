"""Which of the given paths changed in git since a revision (for --changed-since)."""

from __future__ import annotations

import os
from pathlib import Path

from reportlint.errors import UsageError
from reportlint.readers import TEXT_SUFFIXES


def _git(args: list[str], cwd: Path) -> str:
    try:
        import subprocess  # only with --changed-since

        p = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise UsageError("--changed-since needs git, which is not installed") from None
    if p.returncode != 0:
        msg = (p.stderr.strip().splitlines() or ["git failed"])[-1]
        raise UsageError(f"--changed-since: {msg}")
    return p.stdout


def changed_files(paths: list[str], rev: str) -> list[str]:
    """Text files under ``paths`` changed since ``rev`` (committed, staged, unstaged or new)."""
    cwd = Path.cwd()
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    names = set(_git(["diff", "--name-only", "--diff-filter=ACMR", rev, "--"], top).splitlines())
    names |= set(_git(["ls-files", "--others", "--exclude-standard"], top).splitlines())
    changed = {os.path.realpath(top / n) for n in names if n.lower().endswith(TEXT_SUFFIXES)}
    out = []
    for raw in paths:
        p = Path(raw)
        real = os.path.realpath(p)
        if p.is_dir():
            out += sorted(os.path.relpath(c) for c in changed if c.startswith(real + os.sep))
        elif real in changed:
            out.append(raw)
    return out
