"""Shared helpers for the benchmarks: paths, the corpus, running reportlint, results."""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/x.py` puts bench/ first, not the project root
    sys.path.insert(0, str(ROOT))

SHARED = Path(os.environ.get("REPORTLINT_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
REPORTS = CORPUS / "reports"
SEED = CORPUS / "seed" / "000_67534b0f1fd28a14.txt"
CSC = CORPUS / "csc"
RESULTS = ROOT / "bench" / "results"
FAMILIES = ("DUP", "NUM", "TYPO", "PUNCT", "LAYOUT")
NEWS = CORPUS / "news"

# The one split every benchmark and every build script uses (see bench/README.md):
# statistics are built and thresholds chosen on the TUNE part only; figures that judge the
# rules are measured on the TEST part, which nothing is tuned on.
#   tune: reports numbered up to 031 (2026 provincial reports), news up to December 2024
#   test: reports numbered from 033 (national reports 1979-2024), news of 2025
TUNE_REPORT_MAX = 31
TUNE_NEWS_LAST = "202412"


def report_part(name: str) -> str:
    """'tune' or 'test' for a report file name such as ``031_prov2026_xinjiang.txt``."""
    return "tune" if int(name[:3]) <= TUNE_REPORT_MAX else "test"


def news_part(name: str) -> str:
    """'tune' or 'test' for a news file name such as ``xwlb_202501.txt``."""
    return "tune" if name[5:11] <= TUNE_NEWS_LAST else "test"


def report_files(part: str | None = None) -> list[Path]:
    """The report files of one part ('tune', 'test') or all of them, sorted by name."""
    files = sorted(REPORTS.glob("*.txt"))
    return [f for f in files if part is None or report_part(f.name) == part]


def news_files(part: str | None = None) -> list[Path]:
    """The monthly news files of one part ('tune', 'test') or all of them, sorted by name."""
    files = sorted(NEWS.glob("xwlb_*.txt"))
    return [f for f in files if part is None or news_part(f.name) == part]


def console():
    from rich.console import Console

    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)  # progress lines show up when piped
    return Console(highlight=False, width=None if sys.stdout.isatty() else 150)


def require_corpus(con, what: str) -> bool:
    """True when the real corpus is there; otherwise say so (the caller exits 0)."""
    if REPORTS.is_dir() and any(REPORTS.glob("*.txt")):
        return True
    con.print(
        f"[bold yellow]{what}: the corpus is not present[/] (looked for {REPORTS}).\n"
        "The benchmarks run on the real reports in ../shared/corpus beside the project "
        "(or set REPORTLINT_SHARED). Nothing was measured."
    )
    return False


def load_reports(limit: int | None = None) -> list[tuple[str, str]]:
    """(file name, text) of each real report, sorted by name."""
    files = sorted(REPORTS.glob("*.txt"))[:limit]
    return [(f.name, f.read_text(encoding="utf-8")) for f in files]


def load_tsv(path: Path) -> list[tuple[str, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        src, sep, tgt = line.partition("\t")
        if sep:
            out.append((src, tgt))
    return out


def family(code: str) -> str:
    return code.rstrip("0123456789")


def registered_rules() -> dict[str, list[str]]:
    """Family -> the rule codes that exist now (default-enabled or not)."""
    from reportlint.registry import load_rules

    out: dict[str, list[str]] = {f: [] for f in FAMILIES}
    for code in load_rules():
        out.setdefault(family(code), []).append(code)
    return out


def make_config(select: Sequence[str] | None = None, options: dict | None = None):
    from reportlint.config import Config

    return Config(select=tuple(select) if select else None, cross_file=False, rule_options=options or {})


def lint_texts(
    items: Iterable[tuple[str, str]], select: Sequence[str] | None = None, options: dict | None = None
) -> dict[str, list]:
    """Run reportlint in-process on (path, text) pairs, each its own document: path -> findings
    (``options``: rule options, as ``[rules.CODE]`` tables give them)."""
    from reportlint.document import Document
    from reportlint.engine import run

    docs = [Document.from_text(text, path=path) for path, text in items]
    if not docs:
        return {}
    return run(docs, make_config(select, options))


def spans_of(f) -> list[tuple[int, int]]:
    """The finding's span and its related spans, as (start, end)."""
    return [(f.span.start, f.span.end)] + [(r.span.start, r.span.end) for r in f.related]


def overlaps(a: tuple[int, int], b: tuple[int, int], window: int = 0) -> bool:
    """[a) and [b) overlap, b widened by ``window`` on both sides; empty spans count as one char."""
    a0, a1 = a[0], max(a[1], a[0] + 1)
    b0, b1 = b[0] - window, max(b[1], b[0] + 1) + window
    return a0 < b1 and b0 < a1


def per_10k(n: int, chars: int) -> float:
    return round(n * 10_000 / chars, 3) if chars else 0.0


def snippet(text: str, start: int, end: int, context: int = 14) -> str:
    """The span in 【】 with some context, on one line."""
    end = max(end, start)
    core = text[start:end]
    if len(core) > 60:
        core = core[:28] + "…" + core[-28:]
    s = text[max(0, start - context) : start] + "【" + core + "】" + text[end : end + context]
    return s.replace("\n", "⏎").replace("\u3000", "□")


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=5
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
        )
        return (
            out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "") if out.returncode == 0 else None
        )
    except (OSError, subprocess.SubprocessError):
        return None


def meta(**extra) -> dict:
    return {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "commit": git_commit(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "corpus": str(CORPUS),
        **extra,
    }


def write_result(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"
