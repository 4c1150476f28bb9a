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
from reportlint.document import ENDING_OF_CODE, Document
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
    """The bytes to write: original line endings (each line's, when mixed), encoding, byte order, BOM."""
    endings = doc.meta.get("line_endings")
    if endings:
        text = _restore_endings(source_text(doc), text, endings, doc.newline)
    elif doc.newline != "\n":
        text = text.replace("\n", doc.newline)
    enc = doc.encoding
    if enc == "utf-8":
        data = text.encode("utf-8")
        return (b"\xef\xbb\xbf" + data) if doc.bom else data
    data = text.encode(enc)  # utf-16-le/-be, utf-32-le/-be: the byte order the file had
    if doc.bom and enc.startswith(("utf-16", "utf-32")):
        data = "\ufeff".encode(enc) + data
    return data


def _restore_endings(old: str, new: str, endings: str, default: str) -> str:
    """``new`` with each line ending as the matching line of ``old`` had it.

    ``endings`` has one code per line break of ``old`` (see ``newline_style``). Lines are
    matched as a patience diff does (lines unique in both texts anchor the match, the
    longest increasing run of them is kept, the gaps between are matched from both ends):
    linear in practice, where ``difflib`` is quadratic on files with many equal lines.
    A line that a fix made from several (a joined paragraph) keeps the ending of the
    last of them; a line with no counterpart gets the file's usual ending.
    """
    old_lines = old.split("\n")
    new_lines = new.split("\n")
    source = _match_lines(old_lines, new_lines)  # new line index -> old line index or -1
    breaks = len(new_lines) - 1
    parts: list[str] = []
    for j, line in enumerate(new_lines):
        parts.append(line)
        if j < breaks:
            i = source[j]
            parts.append(ENDING_OF_CODE[endings[i]] if 0 <= i < len(endings) else default)
    return "".join(parts)


def _match_lines(a: list[str], b: list[str]) -> list[int]:
    """For each line of ``b``, the index of the line of ``a`` it comes from (-1: none)."""
    from bisect import bisect_left
    from collections import Counter

    count_a, count_b = Counter(a), Counter(b)
    where_a = {line: i for i, line in enumerate(a) if count_a[line] == 1}
    pairs = [(where_a[line], j) for j, line in enumerate(b) if count_b[line] == 1 and line in where_a]
    pairs.sort()
    # Longest increasing subsequence of the b indices (patience sorting), with back links.
    tails: list[int] = []
    tail_at: list[int] = []
    back = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        x = bisect_left(tails, j)
        if x == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[x] = j
            tail_at[x] = k
        back[k] = tail_at[x - 1] if x else -1
    anchors: list[tuple[int, int]] = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        anchors.append(pairs[k])
        k = back[k]
    anchors.reverse()
    out = [-1] * len(b)
    prev_i = prev_j = -1
    for i_end, j_end in [*anchors, (len(a), len(b))]:
        i0, j0 = prev_i + 1, prev_j + 1
        # the gap between two anchors: equal lines from the front, then from the back,
        # and what is left right-aligned (a join keeps the last line's ending)
        while i0 < i_end and j0 < j_end and a[i0] == b[j0]:
            out[j0] = i0
            i0 += 1
            j0 += 1
        i1, j1 = i_end, j_end
        while i1 > i0 and j1 > j0 and a[i1 - 1] == b[j1 - 1]:
            i1 -= 1
            j1 -= 1
            out[j1] = i1
        n = j1 - j0
        for k in range(n):
            out[j0 + k] = max(i0, i1 - n + k) if i1 > i0 else -1
        if i_end < len(a):
            out[j_end] = i_end
        prev_i, prev_j = i_end, j_end
    return out


def unified_diff(doc: Document, new_text: str) -> str:
    a = source_text(doc).splitlines(keepends=True)
    b = new_text.splitlines(keepends=True)
    return "".join(difflib.unified_diff(a, b, fromfile=f"a/{doc.path}", tofile=f"b/{doc.path}"))


def source_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(doc: Document, new_text: str) -> None:
    """Write ``new_text`` over the document's file, keeping the file as it was; InputError if unsafe.

    The file keeps its place and its metadata: a symbolic link is followed and its target
    written; a file with several hard links is rewritten in place (a rename would split
    the links); owner, group and mode are kept; a read-only file is not written. Otherwise
    the new bytes go to an unnamed temporary file in the same folder (``O_TMPFILE``: nothing
    is left behind even if the process is killed), which is then renamed over the file.
    """
    try:
        data = encode(doc, new_text)
    except UnicodeEncodeError:
        raise InputError(
            doc.path, f"fixed text cannot be written back as {doc.encoding}; not changed"
        ) from None
    path = Path(os.path.realpath(doc.meta.get("file", doc.path)))  # a symbolic link: write its target
    try:
        current = path.read_bytes()
        st = path.stat()
    except OSError as e:
        raise InputError(doc.path, f"cannot re-read before writing ({e.strerror or e})") from None
    expected = doc.meta.get("sha256")
    if expected is not None and source_digest(current) != expected:
        raise InputError(doc.path, "file changed on disk since it was read; not fixed")
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise InputError(doc.path, "file is read-only; not fixed")
    try:
        if st.st_nlink > 1:
            _write_in_place(path, data)
        else:
            _replace(path, data, stat.S_IMODE(st.st_mode), (st.st_uid, st.st_gid))
    except OSError as e:
        raise InputError(doc.path, f"cannot write the fixed file ({e.strerror or e}); not changed") from None


def _write_in_place(path: Path, data: bytes) -> None:
    """Rewrite a hard-linked file through its inode, so every link sees the fix."""
    with open(path, "r+b") as fh:
        fh.write(data)
        fh.truncate()
        fh.flush()
        os.fsync(fh.fileno())


def _replace(path: Path, data: bytes, mode: int, owner: tuple[int, int] | None = None) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it over ``path``.

    The temporary file is unnamed (``O_TMPFILE``) until it is complete, so a killed
    process leaves nothing behind; where the system cannot name such a file afterwards,
    a named one with a short name is used, removed on any error. The new file gets
    ``mode`` and, where allowed, ``owner`` (uid, gid).
    """
    folder = path.parent  # Path("x").parent is Path(".")
    flag = getattr(os, "O_TMPFILE", 0)
    if flag:
        try:
            fd = os.open(folder, flag | os.O_WRONLY, 0o600)
        except OSError:
            fd = -1  # a file system without O_TMPFILE
        if fd >= 0:
            tmp = None
            with os.fdopen(fd, "wb") as fh:
                _fill(fh, data, mode, owner)
                with contextlib.suppress(OSError):
                    tmp = _link_unnamed(fh.fileno(), folder)
            if tmp is not None:
                _rename(tmp, path)
                return
    import tempfile  # only when writing: keeps start-up small

    # A short name: the file's own name may already be as long as the system allows.
    fd, tmp = tempfile.mkstemp(prefix=".reportlint-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            _fill(fh, data, mode, owner)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _rename(tmp, path)


def _fill(fh, data: bytes, mode: int, owner: tuple[int, int] | None) -> None:
    fh.write(data)
    fh.flush()
    os.fsync(fh.fileno())
    os.fchmod(fh.fileno(), mode)
    if owner is not None:
        with contextlib.suppress(OSError):  # keeping the owner needs the right to
            os.fchown(fh.fileno(), *owner)


def _rename(tmp: str, path: Path) -> None:
    try:
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
    from reportlint.errors import UsageError

    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        _replace(path, data, mode)
    except OSError as e:
        raise UsageError(f"{path}: cannot write ({e.strerror or e})") from None


def _link_unnamed(fd: int, folder: Path) -> str:
    """Give the unnamed file ``fd`` a (temporary) name in ``folder``; OSError when impossible."""
    import secrets

    name = str(folder / f".reportlint-{secrets.token_hex(6)}.tmp")
    try:
        os.link(f"/proc/self/fd/{fd}", name, follow_symlinks=True)
    except OSError:
        # Some systems refuse the /proc route; linkat(AT_EMPTY_PATH) needs privileges.
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        at_fdcwd, at_empty_path = -100, 0x1000
        if libc.linkat(fd, b"", at_fdcwd, os.fsencode(name), at_empty_path) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err)) from None
    return name
