"""Human-readable output with rich: location, code, message, the line with the span marked."""

from __future__ import annotations

from collections import Counter
from typing import Any, TextIO

from rich.console import Console
from rich.text import Text

from reportlint.engine import Report
from reportlint.finding import Finding, Severity
from reportlint.formatters import failed_note, fix_label, hidden_note

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
WINDOW = 36  # characters of context shown on each side of a span

LABELS = {
    "zh": {
        "error": "错误",
        "warning": "警告",
        "info": "提示",
        "findings": "处问题",
        "files": "个文件",
        "chars": "字符",
        "per10k": "每万字符",
        "none": "未发现问题",
        "encoding": "编码",
        "see": "参见",
        "failed": "未能检查",
    },
    "en": {
        "error": "errors",
        "warning": "warnings",
        "info": "info",
        "findings": "findings",
        "files": "files",
        "chars": "characters",
        "per10k": "per 10,000 characters",
        "none": "No findings",
        "encoding": "encoding",
        "see": "see",
        "failed": "not checked",
    },
}


def _snippet(line: str, start_col: int, end_col: int) -> Text:
    """The line around [start_col, end_col) (0-based), with the span highlighted."""
    s = max(0, start_col - WINDOW)
    e = min(len(line), end_col + WINDOW)
    text = Text("    ")
    if s > 0:
        text.append("…", style="dim")
    text.append(line[s:start_col])
    marked = (line[start_col:end_col] or " ").replace(" ", "␣").replace("\u3000", "□")
    if len(marked) > 2 * WINDOW:  # a long span (a repeated paragraph): its two ends
        marked = marked[: WINDOW - 2] + " … " + marked[-(WINDOW - 2) :]
    text.append(marked, style="reverse bold")
    text.append(line[end_col:e])
    if e < len(line):
        text.append("…", style="dim")
    return text


def _render(f: Finding, report: Report, console: Console, lang: str) -> None:
    head = Text()
    head.append(f"{f.span.path}:{f.span.line}:{f.span.column}", style="bold")
    head.append(" ")
    head.append(f.code, style=STYLE[f.severity])
    head.append(f" {f.message.text(lang)}")
    console.print(head)
    doc = next((r.doc for r in report.files if r.path == f.span.path and r.doc), None)
    if doc is not None:
        line = doc.line_text(f.span.line)
        end_col = f.span.end_column - 1 if f.span.end_line == f.span.line else len(line)
        console.print(_snippet(line, f.span.column - 1, max(end_col, f.span.column - 1)))
    if f.fix is not None:
        console.print(Text(f"    {fix_label(f, lang)}", style="green"))
    for r in f.related[:6]:
        console.print(
            Text(
                f"    ↳ {r.span.path}:{r.span.line}:{r.span.column} {r.message.text(lang)}",
                style="dim",
            )
        )
    if len(f.related) > 6:
        console.print(Text(f"    ↳ … +{len(f.related) - 6}", style="dim"))


def write(report: Report, out: TextIO, lang: str = "zh", color: bool | None = None, **_: Any) -> None:
    console = Console(
        file=out,
        highlight=False,
        soft_wrap=True,
        force_terminal=color if color else None,
        no_color=color is False,
        emoji=False,
        markup=False,
    )
    lab = LABELS[lang]
    findings = report.findings
    for f in findings:
        _render(f, report, console, lang)
    for r in report.checked:
        if r.doc is not None and r.doc.encoding != "utf-8":
            console.print(Text(f"{r.path}: {lab['encoding']} {r.doc.encoding}", style="dim"))
    counts = Counter(f.severity for f in findings)
    chars = report.chars
    nfiles = len(report.checked)
    for r in report.failed:
        assert r.error is not None
        console.print(Text(f"{r.path}: {lab['failed']}: {r.error.text(lang)}", style="bold red"))
    notes = [n for n in (hidden_note(report, lang), failed_note(report, lang)) if n]
    tail = "".join(f" · {n}" for n in notes)
    if not findings:
        style = "bold red" if report.failed else "green"
        lead = lab["none"] if not report.failed else f"0 {lab['findings']}"
        console.print(Text(f"{lead} ({nfiles} {lab['files']}, {chars} {lab['chars']}){tail}", style=style))
        return
    rate = len(findings) * 10000 / chars if chars else 0.0
    parts = ", ".join(
        f"{counts[s]} {lab[s.value]}" for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]
    )
    console.print(
        Text(
            f"{len(findings)} {lab['findings']} ({parts}) · {nfiles} {lab['files']} · "
            f"{chars} {lab['chars']} · {rate:.1f} {lab['per10k']}{tail}",
            style="bold",
        )
    )
