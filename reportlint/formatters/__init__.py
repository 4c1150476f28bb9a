"""Output formats: each module has ``write(report, out, lang)``."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # the CLI reads FORMATS at start-up: nothing heavy here
    from reportlint.engine import Report
    from reportlint.finding import Finding

FORMATS = ("text", "json", "concise", "sarif", "github", "gitlab", "junit", "html")


def write(fmt: str, report: Report, out: TextIO, **opts) -> None:
    module = importlib.import_module(f"reportlint.formatters.{fmt}_format")
    module.write(report, out, **opts)


def hidden_note(report: Report, lang: str) -> str:
    """``另有 N 处已接受/基线，未列出（…）`` for the findings hidden by suppressions, or ''."""
    counts = report.hidden_counts()
    accepted = counts.get("accepted", 0) + counts.get("inline", 0)
    baseline = counts.get("baseline", 0)
    total = accepted + baseline
    if not total:
        return ""
    if lang == "en":
        parts = [f"{accepted} accepted"] if accepted else []
        parts += [f"{baseline} in the baseline"] if baseline else []
        return f"{total} more finding(s) accepted or in the baseline, not shown ({', '.join(parts)})"
    parts = [f"已接受 {accepted} 处"] if accepted else []
    parts += [f"基线 {baseline} 处"] if baseline else []
    return f"另有 {total} 处已接受/基线，未列出（{'，'.join(parts)}）"


def failed_note(report: Report, lang: str) -> str:
    """``N 个文件未能检查`` for the files that could not be read, or ''."""
    n = len(report.failed)
    if not n:
        return ""
    return f"{n} file(s) could not be checked" if lang == "en" else f"{n} 个文件未能检查"


def fix_label(f: Finding, lang: str) -> str:
    """What a finding's fix does, for people: ``可自动修复：与下段合并``."""
    msg = f.fix_message()
    if f.fix is None or msg is None:
        return ""
    if lang == "en":
        return f"{'fix' if f.fix.safe else 'suggested fix (unsafe)'}: {msg.en}"
    return f"{'可自动修复' if f.fix.safe else '建议修改（需确认）'}：{msg.zh}"
