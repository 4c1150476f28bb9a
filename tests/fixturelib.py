"""Fixture files: ``tests/fixtures/CODE.txt`` holds cases for rule CODE.

Each case starts with a header line::

    #: Okay                      no finding of this rule expected
    #: PUNCT001:1:11             one finding at line 1, column 11 of the case
    #: PUNCT001:1:11 PUNCT001:2:3

followed by the case's text (up to the next header; trailing blank lines dropped).
Lines and columns are 1-based and relative to the case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reportlint.config import Config
from reportlint.document import Document
from reportlint.engine import run

# Rules that compare with an archive: their cases are checked against an index of
# tests/fixtures/archive/ (built once per test session).
ARCHIVE_CODES = ("DUP006", "DUP007", "DUP008")
_ARCHIVE: dict[str, str] = {}


def archive_index() -> str:
    """An index of the fixture archive, built on first use in a temporary folder."""
    if "spec" not in _ARCHIVE:
        import tempfile

        from reportlint.archive.index import ArchiveIndex

        spec = str(Path(tempfile.mkdtemp(prefix="reportlint-fixture-")) / "archive.idx")
        idx = ArchiveIndex(spec, create=True)
        idx.update([str(Path(__file__).resolve().parent / "fixtures" / "archive")], jobs=1)
        idx.close()
        _ARCHIVE["spec"] = spec
    return _ARCHIVE["spec"]


HEADER_RE = re.compile(r"^#:\s*(.*)$")


@dataclass
class Case:
    code: str
    lineno: int  # line of the header in the fixture file
    expected: list[tuple[str, int, int]]
    text: str

    @property
    def okay(self) -> bool:
        return not self.expected


def parse_fixture(path: Path) -> list[Case]:
    code = path.stem
    cases: list[Case] = []
    header: tuple[int, list[tuple[str, int, int]]] | None = None
    body: list[str] = []

    def flush() -> None:
        if header is not None:
            while body and not body[-1].strip():
                body.pop()
            cases.append(Case(code, header[0], header[1], "\n".join(body)))

    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        m = HEADER_RE.match(line)
        if m:
            flush()
            body = []
            spec = m.group(1).strip()
            expected = []
            if spec != "Okay":
                for tok in spec.split():
                    c, ln, col = tok.split(":")
                    expected.append((c, int(ln), int(col)))
            header = (n, expected)
        elif header is not None:
            body.append(line)
    flush()
    return cases


def findings_for(case: Case, **config) -> list[tuple[str, int, int]]:
    doc = Document.from_text(case.text, path=f"{case.code}.txt")
    if case.code in ARCHIVE_CODES:
        config.setdefault("against", archive_index())
    cfg = Config(select=(case.code,), **config)
    found = run([doc], cfg)[doc.path]
    return sorted((f.code, f.span.line, f.span.column) for f in found if f.code == case.code)
