"""Where a command may write: never over what it reads, never over someone else's file.

Every option that names a file to write (``-o/--output``, ``--annotate``, ``baseline
create -o``, ``learn -o``) goes through ``check_output`` before anything is checked, so a
slip of the keyboard (``reportlint baseline create a.txt -o a.txt``) costs nothing. The
answer is one line and exit 2; ``--force`` writes anyway.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from reportlint.errors import UsageError

# The bytes of reportlint's own outputs carry its name (JSON, SARIF, GitLab, JUnit, HTML,
# baselines, learned lexicons, annotated Word files): such a file may be written again.
_MARK = b"reportlint"
_PEEK = 1 << 16
# An annotated Word file: its comments start with a rule code (``LAYOUT003 …``).
_CODE_RE = __import__("re").compile(rb">(?:DUP|NUM|TYPO|PUNCT|LAYOUT)\d{3} ")


def check_output(
    out: str | os.PathLike[str],
    inputs: Iterable[str],
    force: bool = False,
    option: str = "-o",
) -> None:
    """Refuse (UsageError) to write ``out`` when it is an input or a file reportlint did not write.

    ``inputs`` are the paths the command reads (files or folders).
    """
    path = Path(out)
    if path.is_dir():
        raise UsageError(f"{option} {path}: is a directory")
    if force:
        return
    real = os.path.realpath(path)
    suffix = path.suffix.lower()
    from reportlint.readers import TEXT_SUFFIXES

    for raw in inputs:
        if raw == "-":
            continue
        src = os.path.realpath(raw)
        if _same_file(real, src):
            raise UsageError(f"{option} {path}: is one of the files being read; choose another name")
        if os.path.isdir(src) and real.startswith(src + os.sep) and suffix in TEXT_SUFFIXES:
            raise UsageError(
                f"{option} {path}: lies in the folder being read ({raw}) and would be read as a "
                "report next time; choose another place or name, or pass --force"
            )
    if not os.path.lexists(path):
        return
    st = os.stat(path) if os.path.exists(path) else None
    if st is None or not stat.S_ISREG(st.st_mode):
        raise UsageError(f"{option} {path}: exists and is not a regular file; pass --force to replace it")
    if not written_by_reportlint(path):
        raise UsageError(
            f"{option} {path}: exists and was not written by reportlint; "
            "choose another name or pass --force to replace it"
        )


def _same_file(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def written_by_reportlint(path: Path) -> bool:
    """Whether an existing file is one of reportlint's own outputs (its name is in it)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_PEEK)
    except OSError:
        return False
    if not head:
        return True  # an empty file holds nothing to lose
    if head.startswith(b"PK"):  # a Word file: look inside for reportlint's comments
        return _zip_mentions(path)
    return _MARK in head or _is_text_report(head)


def _zip_mentions(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            for name in ("word/comments.xml",):
                try:
                    info = zf.getinfo(name)
                except KeyError:
                    continue
                if info.file_size <= (8 << 20) and _CODE_RE.search(zf.read(name)):
                    return True
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return False


def _is_text_report(head: bytes) -> bool:
    """A text, concise or GitHub report: every line a finding, a place, or a summary."""
    import re

    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return True
    finding = re.compile(r"^(?:::(?:error|warning|notice) .*|.+:\d+:\d+:? [A-Z]+\d{3}\b.*)$")
    return bool(finding.match(lines[0]) or re.match(r"^(?:未发现问题|No problems found)", lines[0]))
