"""Apply fixes to files: iterate to a fixed point in memory, then write atomically.

Guarantees: only text that a reported finding's fix covers changes; nothing is written
when nothing changes; the file keeps its encoding, BOM and line endings; the write goes
through a temporary file in the same folder and an atomic rename, keeps the file's
permissions, and is refused if the file changed on disk since it was read.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reportlint.config import Config
from reportlint.document import Document
from reportlint.engine import apply_fixes, build_rules, check_document
from reportlint.errors import InputError
from reportlint.finding import Edit, Finding
from reportlint.readers import rebuild, source_text

MAX_PASSES = 6


Suppress = Callable[[Document, list[Finding]], tuple[list[Finding], list[tuple[str, Finding]]]]


@dataclass
class FixOutcome:
    doc: Document
    new_text: str
    fixed: list[Finding] = field(default_factory=list)
    # the document after fixing, its findings (reported and hidden): what a check of the
    # fixed text reports, with the same suppressions
    final_doc: Document | None = None
    remaining: list[Finding] = field(default_factory=list)
    hidden: list[tuple[str, Finding]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.new_text != source_text(self.doc)


def fix_document(
    doc: Document,
    findings: list[Finding],
    config: Config,
    unsafe: bool,
    *,
    hidden: list[tuple[str, Finding]] | None = None,
    suppress: Suppress | None = None,
) -> FixOutcome:
    """Apply fixes, re-check, and repeat until nothing fixable remains (or MAX_PASSES).

    ``findings`` are the reported findings (suppressions already applied) and ``hidden``
    those the user accepted or baselined: they are never fixed. Each round's re-check
    goes through ``suppress`` again, and a hidden finding stays hidden where its text
    moved to (its fingerprint may change when a fix next to it changes its context).
    """
    rules = build_rules(config)
    text = source_text(doc)
    current = list(findings)
    kept_hidden = list(hidden or [])
    protected: dict[tuple[str, int, int], str] = {
        (f.code, f.span.start, f.span.end): why for why, f in kept_hidden
    }
    all_fixed: list[Finding] = []
    cur_doc = doc
    for _ in range(MAX_PASSES):
        new_text, fixed = apply_fixes(text, current, unsafe=unsafe)
        if not fixed:
            break
        all_fixed.extend(fixed)
        edits = sorted((e for f in fixed for e in f.fix_edits()), key=lambda e: (e.start, e.end))
        protected = {
            (code, *moved): why
            for (code, s, e), why in protected.items()
            if (moved := _moved(s, e, edits)) is not None
        }
        text = new_text
        cur_doc = rebuild(doc, text)
        found = check_document(cur_doc, rules)
        # the suppressions see every finding (fingerprints are numbered among them all)
        reported, kept_hidden = suppress(cur_doc, found) if suppress is not None else (found, [])
        protected.update({(f.code, f.span.start, f.span.end): why for why, f in kept_hidden})
        current = []
        for f in reported:
            why = protected.get((f.code, f.span.start, f.span.end))
            if why is not None:
                kept_hidden.append((why, f))
            else:
                current.append(f)
    return FixOutcome(doc, text, all_fixed, cur_doc, current, kept_hidden)


def _moved(start: int, end: int, edits: list[Edit]) -> tuple[int, int] | None:
    """Where ``[start, end)`` is after ``edits`` (sorted, not overlapping); None if edited."""
    shift = 0
    for e in edits:
        if e.end <= start and e.start < start:
            shift += len(e.replacement) - (e.end - e.start)
        elif e.start >= end and (e.start > start or end > start):
            break
        else:
            return None
    return start + shift, end + shift


def encode(doc: Document, text: str) -> bytes:
    """The bytes to write: original newline style, encoding and BOM."""
    if doc.newline != "\n":
        text = text.replace("\n", doc.newline)
    enc = doc.encoding
    if enc == "utf-8":
        data = text.encode("utf-8")
        return (b"\xef\xbb\xbf" + data) if doc.bom else data
    if enc in ("utf-16", "utf-32"):
        # Python's utf-16/utf-32 codecs write a BOM in native order
        data = text.encode(enc)
        return data if doc.bom else data[2 if enc == "utf-16" else 4 :]
    return text.encode(enc)


def unified_diff(doc: Document, new_text: str) -> str:
    a = source_text(doc).splitlines(keepends=True)
    b = new_text.splitlines(keepends=True)
    return "".join(difflib.unified_diff(a, b, fromfile=f"a/{doc.path}", tofile=f"b/{doc.path}"))


def source_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(doc: Document, new_text: str) -> None:
    """Write ``new_text`` over the document's file, atomically; InputError if unsafe to."""
    path = Path(doc.path)
    try:
        data = encode(doc, new_text)
    except UnicodeEncodeError:
        raise InputError(
            doc.path, f"fixed text cannot be written back as {doc.encoding}; not changed"
        ) from None
    try:
        current = path.read_bytes()
        st = path.stat()
    except OSError as e:
        raise InputError(doc.path, f"cannot re-read before writing ({e.strerror or e})") from None
    expected = doc.meta.get("sha256")
    if expected is not None and source_digest(current) != expected:
        raise InputError(doc.path, "file changed on disk since it was read; not fixed")
    import tempfile  # only when writing: keeps start-up small

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".reportlint-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and an atomic rename."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in its folder and an atomic rename.

    A new file gets the usual permissions (umask); an existing one keeps its own.
    UsageError (one line, exit 2) when the folder cannot be written.
    """
    import tempfile

    from reportlint.errors import UsageError

    folder = path.parent if str(path.parent) else Path(".")
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".reportlint-tmp", dir=folder)
    except OSError as e:
        raise UsageError(f"{path}: cannot write ({e.strerror or e})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise UsageError(f"{path}: cannot write ({e.strerror or e})") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
