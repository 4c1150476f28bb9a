"""Readers turn a path (or standard input) into a Document.

Each reader knows one format. ``read_path`` picks the reader by suffix and turns
every problem with the input into an ``InputError`` with a one-line message.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path

from reportlint.document import Document
from reportlint.errors import InputError
from reportlint.readers.txt import decode_bytes

DEFAULT_MAX_SIZE = 64 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")


def read_bytes(path: str, max_size: int = DEFAULT_MAX_SIZE) -> bytes:
    if path == "-":
        data = sys.stdin.buffer.read(max_size + 1)
        if len(data) > max_size:
            raise InputError("<stdin>", f"input larger than the maximum of {_mib(max_size)}")
        return data
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        if p.is_symlink():
            raise InputError(path, "broken symbolic link") from None
        raise InputError(path, "no such file or directory") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except OSError as e:
        raise InputError(path, f"cannot read ({e.strerror or e})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(path, "is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(path, "not a regular file (device, FIFO or socket); skipped")
    if st.st_size > max_size:
        raise InputError(
            path,
            f"file is {_mib(st.st_size)}, larger than the maximum of {_mib(max_size)} "
            "(raise it with --max-file-size)",
        )
    try:
        with open(p, "rb") as fh:
            return fh.read(max_size + 1)
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory") from None
    except OSError as e:
        raise InputError(path, f"cannot read ({e.strerror or e})") from None


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB"


def read_path(path: str, max_size: int = DEFAULT_MAX_SIZE, display: str | None = None) -> Document:
    """Read and decode one file (or ``-``) into a Document."""
    shown = display or ("<stdin>" if path == "-" else path)
    data = read_bytes(path, max_size)
    text, encoding, bom = decode_bytes(data, shown)
    kind = "md" if path.lower().endswith((".md", ".markdown")) else "txt"
    doc = Document.from_text(text, path=shown, encoding=encoding, bom=bom, kind=kind)
    doc.meta["sha256"] = hashlib.sha256(data).hexdigest()  # --fix refuses to write if this changed
    return doc


def expand_paths(paths: list[str]) -> tuple[list[str], list[InputError]]:
    """Files to check, in a stable order: directories are searched for text files."""
    files: list[str] = []
    problems: list[InputError] = []
    seen: set[str] = set()
    for raw in paths:
        if raw == "-":
            files.append(raw)
            continue
        p = Path(raw)
        if p.is_dir():
            found = []
            for root, dirs, names in os.walk(p, followlinks=False, onerror=None):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.lower().endswith(TEXT_SUFFIXES) and not name.startswith("."):
                        found.append(os.path.join(root, name))
            if not found:
                problems.append(InputError(raw, "directory holds no .txt or .md files"))
            for f in found:
                key = os.path.realpath(f)
                if key not in seen:
                    seen.add(key)
                    files.append(f)
        else:
            files.append(raw)
    return files, problems
