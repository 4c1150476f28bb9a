"""Readers turn a path (or standard input) into a Document.

Each reader knows one format. ``read_path`` picks the reader by suffix and turns
every problem with the input into an ``InputError`` with a one-line message.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
from pathlib import Path

from reportlint.document import HAN_RE, Document
from reportlint.errors import InputError, shown_path
from reportlint.readers.txt import decode_bytes

DEFAULT_MAX_SIZE = 64 * 1024 * 1024
# Suffixes of the files read (a folder is searched for these). Word and PDF need extras.
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".docx", ".pdf")
MARKDOWN_SUFFIXES = (".md", ".markdown")


def read_bytes(path: str, max_size: int = DEFAULT_MAX_SIZE) -> bytes:
    if path == "-":
        if sys.stdin is None:
            raise InputError("<stdin>", "standard input is closed")
        try:
            data = sys.stdin.buffer.read(max_size + 1)
        except OSError as e:
            raise InputError("<stdin>", f"cannot read ({e.strerror or e})") from None
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
        big, limit = _mib(st.st_size), _mib(max_size)
        if big == limit:  # rounding hides the difference: give bytes
            big, limit = f"{st.st_size:,} bytes", f"{max_size:,} bytes"
        raise InputError(
            path,
            f"file is {big}, larger than the maximum of {limit} (raise it with --max-file-size)",
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
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n / (1024 * 1024):.1f} MiB"


def read_path(path: str, max_size: int = DEFAULT_MAX_SIZE, display: str | None = None) -> Document:
    """Read one file (or ``-``) into a Document, with the reader its suffix (or content) names.

    Plain text is decoded (the encoding detected); Markdown is parsed so that code,
    front matter and markup are left out; Word (.docx) and PDF files are extracted
    with a map from the text back to Word paragraphs or PDF pages (``doc.meta``).
    """
    shown = display or ("<stdin>" if path == "-" else shown_path(path))
    data = read_bytes(path, max_size)
    lower = path.lower()
    fmt = _format_of(lower, data)
    if fmt == "docx":
        from reportlint.readers.docx import read_docx

        doc = read_docx(data, shown)
    elif fmt == "pdf":
        from reportlint.readers.pdf import read_pdf

        doc = read_pdf(data, shown)
    else:
        text, encoding, bom = decode_bytes(data, shown)
        if fmt == "md":
            from reportlint.readers.md import markdown_document

            doc = markdown_document(text, path=shown, encoding=encoding, bom=bom)
        else:
            doc = Document.from_text(text, path=shown, encoding=encoding, bom=bom, kind="txt")
    doc.meta["sha256"] = hashlib.sha256(data).hexdigest()  # --fix refuses to write if this changed
    if shown != path and path != "-":
        doc.meta["file"] = path  # the real name, for --fix and --annotate (``path`` is for showing)
    warn = traditional_warning(doc.text)
    if warn is not None:
        doc.meta.setdefault("warnings", []).append(warn)
    return doc


def _format_of(lower: str, data: bytes) -> str:
    if lower.endswith(".docx"):
        return "docx"
    if lower.endswith(".pdf"):
        return "pdf"
    if lower.endswith(MARKDOWN_SUFFIXES):
        return "md"
    if lower == "-":  # standard input: recognise Word and PDF by their first bytes
        if data.startswith(b"%PDF"):
            return "pdf"
        if data.startswith(b"PK\x03\x04") and b"word/" in data[:65536]:
            return "docx"
    return "txt"


# Characters used only in traditional Chinese (their simplified forms differ), common in
# reports. A handful in a file means it is written in traditional characters.
TRADITIONAL = frozenset(
    "們國這過對會來時說為發經現當動與後義實體點種關長開問學應樣機進給區陽華東車門"
    "書見話場產業網電氣綫線傳專層統將從無萬億億計設節員優質資術導環護議論幾總辦準"
    "範圍當處觀戰鬥視聽調購買賣運輸價驗證"
)


_TRADITIONAL_RE = re.compile(f"[{''.join(sorted(TRADITIONAL))}]")


def traditional_warning(text: str, minimum: int = 5) -> tuple[str, str] | None:
    """A warning (zh, en) when the text is written in traditional characters.

    A few traditional names quoted in simplified text do not count: the characters
    must be at least ``minimum`` and 0.2% of the Chinese characters.
    """
    found = _TRADITIONAL_RE.findall(text)
    if len(found) < minimum or len(found) < 0.002 * _count_han(text):
        return None
    counts: dict[str, int] = {}
    for ch in found:
        counts[ch] = counts.get(ch, 0) + 1
    examples = "".join(sorted(counts, key=lambda c: -counts[c])[:5])
    return (
        f"发现繁体字（如 {examples}），规则按简体中文编写，部分问题可能漏报",
        f"traditional Chinese characters found (e.g. {examples}); the rules are written "
        "for simplified Chinese and may miss problems",
    )


def _count_han(text: str, chunk: int = 1 << 16) -> int:
    """Chinese characters in ``text``, counted a slice at a time (no list as long as the text)."""
    return sum(len(HAN_RE.findall(text, i, i + chunk)) for i in range(0, len(text), chunk))


def source_text(doc: Document) -> str:
    """The text of the file as written, which fixes apply to (Markdown: with its markup)."""
    src = doc.meta.get("source")
    return src if isinstance(src, str) else doc.text


def rebuild(doc: Document, text: str) -> Document:
    """A Document like ``doc`` for new source text (after fixes); Markdown is parsed again."""
    if doc.kind == "md":
        from reportlint.readers.md import markdown_document

        new = markdown_document(text, path=doc.path, encoding=doc.encoding, bom=doc.bom)
        new.newline = doc.newline
    else:
        new = Document(
            path=doc.path, text=text, encoding=doc.encoding, bom=doc.bom, newline=doc.newline, kind=doc.kind
        )
    new.meta = {**doc.meta, **new.meta}
    return new


def source_location(doc: Document | None, start: int, end: int | None = None) -> dict:
    """Where an offset range is in the original file, for formats whose text was extracted.

    Word: ``{"docx": {"paragraph": i, "offset": k, ...}}``; PDF: ``{"page": n}``;
    nothing for plain text and Markdown (their line and column are the file's own).
    """
    if doc is None:
        return {}
    fmt = doc.meta.get("format")
    if fmt == "docx":
        from reportlint.readers.docx import locate

        return locate(doc, start, end)
    if fmt == "pdf":
        from reportlint.readers.pdf import page_of

        page = page_of(doc, start)
        return {} if page is None else {"page": page}
    return {}


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
                    if name.lower().endswith(TEXT_SUFFIXES) and not name.startswith((".", "~$")):
                        found.append(os.path.join(root, name))
            if not found:
                problems.append(InputError(raw, "directory holds no .txt, .md, .docx or .pdf files"))
            for f in found:
                key = os.path.realpath(f)
                if key not in seen:
                    seen.add(key)
                    files.append(f)
        else:
            files.append(raw)
    return files, problems
