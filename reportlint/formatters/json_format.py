"""JSON output, schema 1 (see README)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from reportlint import __version__
from reportlint.document import Document
from reportlint.engine import Report
from reportlint.finding import Finding, Span
from reportlint.readers import source_location

SCHEMA = 1


def _pos(span: Span) -> dict[str, Any]:
    return {
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "offset": span.start,
        "end_offset": span.end,
    }


def _where(span: Span, docs: dict[str, Document] | None) -> dict[str, Any]:
    """Word paragraph/offset or PDF page of a span, for files whose text was extracted."""
    if not docs:
        return {}
    return source_location(docs.get(span.path), span.start, span.end)


def finding_dict(f: Finding, lang: str, docs: dict[str, Document] | None = None) -> dict[str, Any]:
    return {
        "path": f.span.path,
        "code": f.code,
        "name": f.name,
        "severity": f.severity.value,
        "message": f.message.text(lang),
        **_pos(f.span),
        **_where(f.span, docs),
        "excerpt": f.excerpt,
        "related": [
            {"path": r.span.path, **_pos(r.span), **_where(r.span, docs), "message": r.message.text(lang)}
            for r in f.related
        ],
        "fix": None if f.fix is None else {"replacement": f.fix.replacement, "safe": f.fix.safe},
    }


def _file_extras(doc: Document, lang: str) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    if doc.meta.get("format") in ("md", "docx", "pdf"):
        extras["format"] = doc.meta["format"]
    if doc.meta.get("pages"):
        extras["pages"] = doc.meta["pages"]
    warnings = doc.meta.get("warnings")
    if warnings:
        extras["warnings"] = [en if lang == "en" else zh for zh, en in warnings]
    return extras


def report_dict(report: Report, lang: str = "zh") -> dict[str, Any]:
    docs = {r.doc.path: r.doc for r in report.files if r.doc is not None}
    return {
        "schema": SCHEMA,
        "tool": {"name": "reportlint", "version": __version__},
        "files": [
            {
                "path": r.path,
                "encoding": r.doc.encoding,
                "chars": r.doc.chars,
                "findings": len(r.findings),
                **_file_extras(r.doc, lang),
            }
            for r in report.files
            if r.doc is not None
        ],
        "findings": [finding_dict(f, lang, docs) for f in report.findings],
    }


def write(report: Report, out: TextIO, lang: str = "zh", **_: Any) -> None:
    json.dump(report_dict(report, lang), out, ensure_ascii=False, indent=1)
    out.write("\n")
