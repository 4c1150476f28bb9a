"""SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, Azure DevOps)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from reportlint import __version__
from reportlint.document import Document
from reportlint.engine import FileResult, Report
from reportlint.finding import Finding, Severity, Span
from reportlint.registry import load_rules

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    """A path as a URI reference: forward slashes; bytes shown as ``\\xff`` (not UTF-8) percent-encoded."""
    import re

    path = re.sub(r"\\x([0-9a-f]{2})", lambda m: "%" + m.group(1).upper(), path)
    return path.replace("\\", "/")


def _region(span: Span, text: str | None = None) -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
        "charOffset": span.start,
        "charLength": span.end - span.start,
    }
    if text is not None:
        region["snippet"] = {"text": text}
    return region


def _location(span: Span, text: str | None = None) -> dict[str, Any]:
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(span.path)},
            "region": _region(span, text),
        }
    }


def write(report: Report, out: TextIO, lang: str = "zh", **_: Any) -> None:
    rules = load_rules()
    used = sorted({f.code for f in report.findings} | set())
    index = {code: i for i, code in enumerate(used)}
    driver_rules = []
    for code in used:
        cls = rules[code]
        driver_rules.append(
            {
                "id": code,
                "name": cls.name,
                "shortDescription": {"text": cls.summary()},
                "fullDescription": {"text": cls.explanation()},
                "help": {"text": cls.explanation(), "markdown": cls.explanation()},
                "defaultConfiguration": {"level": LEVEL[cls.severity]},
                "properties": {"family": code.rstrip("0123456789"), "fixable": cls.fixable},
            }
        )
    results = []
    for r in report.files:
        if r.doc is None:
            continue
        for f, fp in zip(r.findings, r.fingerprint_list(), strict=True):
            results.append(_result(f, fp, index[f.code], lang, r.doc))
    sarif = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "reportlint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": driver_rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "artifacts": [
                    {
                        "location": {"uri": _uri(r.path)},
                        "encoding": r.doc.encoding,
                        "length": r.doc.chars,
                    }
                    for r in report.files
                    if r.doc is not None
                ],
                "invocations": [
                    {
                        "executionSuccessful": not any(
                            r.error is not None and not r.error.warning for r in report.failed
                        ),
                        "toolExecutionNotifications": [_notification(r) for r in report.failed],
                    }
                ],
                "results": results,
            }
        ],
    }
    json.dump(sarif, out, ensure_ascii=False, indent=1)
    out.write("\n")


def _result(f: Finding, fp: str, rule_index: int, lang: str, doc: Document | None = None) -> dict[str, Any]:
    res: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": LEVEL[f.severity],
        "message": {"text": f.message.text(lang)},
        "locations": [_location(f.span, f.excerpt)],
        "partialFingerprints": {"reportlintFingerprint/v1": fp},
    }
    if f.confidence is not None:
        res["properties"] = {"confidence": f.confidence}
    if f.related:
        res["relatedLocations"] = [
            {"id": i + 1, **_location(r.span), "message": {"text": r.message.text(lang)}}
            for i, r in enumerate(f.related)
        ]
    msg = f.fix_message()
    if f.fix is not None and msg is not None:
        res["fixes"] = [
            {
                "description": {"text": msg.text(lang)},
                "artifactChanges": [
                    {
                        "artifactLocation": {"uri": _uri(f.span.path)},
                        "replacements": [
                            {
                                "deletedRegion": _edit_region(e.start, e.end, doc),
                                "insertedContent": {"text": e.replacement},
                            }
                            for e in f.fix_edits()
                        ],
                    }
                ],
                "properties": {"safe": f.fix.safe},
            }
        ]
    return res


def _edit_region(start: int, end: int, doc: Document | None) -> dict[str, Any]:
    if doc is None:
        return {"charOffset": start, "charLength": end - start}
    return _region(doc.span(start, end))


def _notification(r: FileResult) -> dict[str, Any]:
    """A file that could not be checked, for ``invocations[].toolExecutionNotifications``."""
    assert r.error is not None
    return {
        "level": "warning" if r.error.warning else "error",
        "message": {"text": str(r.error)},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(r.path)}}}],
        "descriptor": {"id": "input-error"},
    }
