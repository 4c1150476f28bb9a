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
from dataclasses import dataclass, field
from pathlib import Path

from reportlint.config import Config
from reportlint.document import Document
from reportlint.engine import apply_fixes, build_rules, check_document
from reportlint.errors import InputError
from reportlint.finding import Finding
from reportlint.readers import rebuild, source_text

MAX_PASSES = 6


@dataclass
class FixOutcome:
    doc: Document
    new_text: str
    fixed: list[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.new_text != source_text(self.doc)


def fix_document(doc: Document, findings: list[Finding], config: Config, unsafe: bool) -> FixOutcome:
    """Apply fixes, re-check, and repeat until nothing fixable remains (or MAX_PASSES)."""
    # Markdown: fixes apply to the source (same offsets as the text rules read), re-parsed each pass
    text, fixed = apply_fixes(source_text(doc), findings, unsafe=unsafe)
    all_fixed = list(fixed)
    rules = build_rules(config)
    for _ in range(MAX_PASSES - 1):
        if not fixed:
            break
        again = rebuild(doc, text)
        text, fixed = apply_fixes(text, check_document(again, rules), unsafe=unsafe)
        all_fixed.extend(fixed)
    return FixOutcome(doc, text, all_fixed)


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
