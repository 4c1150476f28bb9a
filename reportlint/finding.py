"""The one diagnostic type every rule yields and every formatter reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True, slots=True)
class Msg:
    """A message in both languages; formatters pick one with ``text(lang)``."""

    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True, slots=True)
class Span:
    """A range of a document: code-point offsets (end exclusive) with derived line/column.

    Lines and columns are 1-based; ``end_column`` is exclusive, like ``end``.
    """

    path: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Related:
    span: Span
    message: Msg


@dataclass(frozen=True, slots=True)
class Fix:
    """Replace the finding's span (or ``start``/``end`` when given) with ``replacement``."""

    replacement: str
    safe: bool = True
    start: int | None = None
    end: int | None = None


@dataclass(slots=True)
class Finding:
    code: str
    name: str
    severity: Severity
    message: Msg
    span: Span
    excerpt: str = ""
    related: list[Related] = field(default_factory=list)
    fix: Fix | None = None

    @property
    def path(self) -> str:
        return self.span.path

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")

    def fix_range(self) -> tuple[int, int] | None:
        if self.fix is None:
            return None
        start = self.span.start if self.fix.start is None else self.fix.start
        end = self.span.end if self.fix.end is None else self.fix.end
        return start, end

    def sort_key(self) -> tuple:
        return (self.span.path, self.span.start, self.span.end, self.code)
