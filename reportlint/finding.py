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
class Edit:
    """Replace ``[start, end)`` of the document's text (code-point offsets) with ``replacement``."""

    start: int
    end: int
    replacement: str = ""


@dataclass(frozen=True, slots=True)
class Fix:
    """A fix: the edits that make it, whether it is safe, and what it does.

    A rule usually gives one edit in short form, ``Fix(replacement, start=…, end=…)``
    (the range defaults to the finding's span), and may say what the fix does in
    ``message`` (``Msg("与下段合并", "join with the next paragraph")``).
    ``Rule.finding`` resolves the short form into ``edits`` and fills in a default
    message, so that a finding's fix always carries explicit edits.
    """

    replacement: str = ""
    safe: bool = True
    start: int | None = None
    end: int | None = None
    message: Msg | None = None
    edits: tuple[Edit, ...] = ()

    def resolved(self, span_start: int, span_end: int) -> tuple[Edit, ...]:
        """The edits, the short form taking the finding's span where it gives no range."""
        if self.edits:
            return self.edits
        start = span_start if self.start is None else self.start
        end = span_end if self.end is None else self.end
        return (Edit(start, end, self.replacement),)

    def shifted(self, delta: int) -> Fix:
        """The same fix for a text where everything has moved by ``delta`` code points."""
        return Fix(
            self.replacement,
            self.safe,
            None if self.start is None else self.start + delta,
            None if self.end is None else self.end + delta,
            self.message,
            tuple(Edit(e.start + delta, e.end + delta, e.replacement) for e in self.edits),
        )


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
    # How sure the rule is that this is a real error (0-1), for rules that score their
    # findings (the TYPO family); None for the others.
    confidence: float | None = None

    @property
    def path(self) -> str:
        return self.span.path

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")

    def fix_edits(self) -> tuple[Edit, ...]:
        """The edits of the fix, sorted by position; empty without a fix."""
        if self.fix is None:
            return ()
        return tuple(
            sorted(self.fix.resolved(self.span.start, self.span.end), key=lambda e: (e.start, e.end))
        )

    def fix_range(self) -> tuple[int, int] | None:
        """From the first edit's start to the last edit's end (None without a fix)."""
        edits = self.fix_edits()
        if not edits:
            return None
        return edits[0].start, max(e.end for e in edits)

    def fix_message(self) -> Msg | None:
        """What the fix does, in both languages (None without a fix)."""
        if self.fix is None:
            return None
        if self.fix.message is not None:
            return self.fix.message
        return describe_edits(self.fix_edits(), None)

    def sort_key(self) -> tuple:
        return (self.span.path, self.span.start, self.span.end, self.code)


def _quote(text: str, limit: int = 12) -> str:
    if text and not text.strip(" \u3000\t"):
        return ""
    text = text.replace("\n", "↵")
    return text if len(text) <= limit else text[: limit // 2] + "…" + text[-(limit // 2) :]


def describe_edits(edits: tuple[Edit, ...], text: str | None) -> Msg:
    """A plain description of what edits do: 删除“…” / 改为“…” (``text``: the document's)."""
    if len(edits) == 1:
        e = edits[0]
        old = text[e.start : e.end] if text is not None else None
        if not e.replacement:
            if old is not None and old and not old.strip(" \u3000\t"):
                return Msg("删除空格", "delete the space" if len(old) == 1 else "delete the spaces")
            if old is not None and old.strip() and "\n" not in old.strip():
                q = _quote(old)
                return Msg(f"删除“{q}”", f"delete '{q}'")
            return Msg("删除", "delete it")
        new = _quote(e.replacement, 20)
        if old is not None and old and "\n" not in old:
            q = _quote(old)
            return Msg(f"“{q}”改为“{new}”", f"replace '{q}' with '{new}'")
        return Msg(f"改为“{new}”", f"replace with '{new}'")
    return Msg(f"{len(edits)} 处修改", f"{len(edits)} edits")
