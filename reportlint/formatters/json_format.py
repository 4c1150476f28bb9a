"""JSON output, schema 2 (see README)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from reportlint import __version__
from reportlint.document import Document
from reportlint.engine import FileResult, Report
from reportlint.finding import Finding, Span
from reportlint.readers import source_location

SCHEMA = 2


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


def fix_dict(f: Finding, lang: str, doc: Document | None) -> dict[str, Any] | None:
    """``{"message", "safe", "edits": [{offset, end_offset, line, column, …, replacement}]}``."""
    msg = f.fix_message()
    if f.fix is None or msg is None:
        return None
    edits = []
    for e in f.fix_edits():
        if doc is not None:
            where = _pos(doc.span(e.start, e.end))
        else:  # no document to count lines in (not expected): offsets only
            where = {"offset": e.start, "end_offset": e.end}
        edits.append({**where, "replacement": e.replacement})
    return {"message": msg.text(lang), "safe": f.fix.safe, "edits": edits}


def finding_dict(
    f: Finding, lang: str, docs: dict[str, Document] | None = None, fingerprint: str | None = None
) -> dict[str, Any]:
    doc = docs.get(f.span.path) if docs else None
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
        "fingerprint": fingerprint,
        "fix": fix_dict(f, lang, doc),
        "confidence": f.confidence,
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


def _file_dict(r: FileResult, lang: str) -> dict[str, Any]:
    if r.doc is None:
        return {"path": r.path, "error": r.error.message if r.error else "not checked", "findings": 0}
    hidden: dict[str, int] = {}
    for why, _ in r.hidden:
        hidden[why] = hidden.get(why, 0) + 1
    return {
        "path": r.path,
        "encoding": r.doc.encoding,
        "chars": r.doc.chars,
        "findings": len(r.findings),
        "hidden": hidden,
        "error": None,
        **_file_extras(r.doc, lang),
    }


def report_dict(report: Report, lang: str = "zh") -> dict[str, Any]:
    docs = {r.doc.path: r.doc for r in report.files if r.doc is not None}
    findings = []
    for r in report.files:
        if r.doc is None:
            continue
        for f, fp in zip(r.findings, r.fingerprint_list(), strict=True):
            findings.append(finding_dict(f, lang, docs, fp))
    return {
        "schema": SCHEMA,
        "tool": {"name": "reportlint", "version": __version__},
        "files": [_file_dict(r, lang) for r in report.files],
        "findings": findings,
        "hidden": report.hidden_counts(),
        "unused_suppressions": report.unused_suppressions,
    }


def write(report: Report, out: TextIO, lang: str = "zh", **_: Any) -> None:
    json.dump(report_dict(report, lang), out, ensure_ascii=False, indent=1)
    out.write("\n")
