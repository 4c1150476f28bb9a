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
    """Text files under ``paths`` changed since ``rev`` (committed, staged, unstaged or new).

    ``rev`` is the user's: it is never handed to git where it could be read as an option
    (``--output=FILE`` would make git write a file). It must name a commit; git resolves it
    after ``--end-of-options`` and the diff gets the commit's full hash, not the text typed.
    """
    if not rev or rev.startswith("-") or any(c in rev for c in "\0\n"):
        raise UsageError(f"--changed-since: {rev!r} is not a revision")
    cwd = Path.cwd()
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    try:
        commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], top)
    except UsageError:
        commit = ""
    commit = commit.strip()
    if len(commit) not in (40, 64) or any(c not in "0123456789abcdef" for c in commit):
        raise UsageError(f"--changed-since: {rev!r} names no commit in this repository")
    names = set(_git(["diff", "--name-only", "--diff-filter=ACMR", commit, "--"], top).splitlines())
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
