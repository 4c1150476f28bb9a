"""Speed work changes how findings are computed, never which: the findings on the shared corpus
match a digest stored before the work.

Each input's findings (code, offsets, lines, message in both languages, related locations, fix,
confidence rounded to 4 places) are hashed; ``tests/data/findings_digest.json`` holds the hash
and count per input. Inputs: the seed, the folder of reports (run as a folder, cross-file search
included), one news month of each part of the split, and one news month checked in small windows
(``REPORTLINT_WINDOW_CHARS``) so the windowed path is covered too.

When a rule is changed on purpose, write the digest again and say so in the commit:

    PYTHONPATH=$PWD python tests/test_same_findings.py --write
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import CORPUS, SEED, needs_corpus

DIGEST = Path(__file__).resolve().parent / "data" / "findings_digest.json"
NEWS = ("xwlb_202412.txt", "xwlb_202506.txt")  # one month of the tune part, one of the test part
WINDOWED = ("xwlb_202309.txt", 150_000)  # checked in windows of this many characters


def finding_lines(findings: Iterable) -> list[str]:
    out = []
    for f in findings:
        s = f.span
        rel = ";".join(f"{r.span.start}-{r.span.end}:{r.message.zh}|{r.message.en}" for r in f.related)
        fix = ""
        if f.fix is not None:
            edits = ",".join(f"{e.start}-{e.end}={e.replacement!r}" for e in f.fix_edits())
            fm = f.fix_message()
            fix = f"{int(f.fix.safe)}:{edits}:{fm.zh if fm else ''}"
        conf = "" if f.confidence is None else f"{f.confidence:.4f}"
        out.append(
            "\t".join(
                map(
                    str,
                    (
                        Path(s.path).name,
                        f.code,
                        s.start,
                        s.end,
                        s.line,
                        s.column,
                        s.end_line,
                        s.end_column,
                        f.severity.value,
                        f.message.zh,
                        f.message.en,
                        f.excerpt,
                        rel,
                        fix,
                        conf,
                    ),
                )
            )
        )
    return out


def digest(lines: list[str]) -> dict:
    # Messages name other files by the path they were given; the corpus lies elsewhere in CI.
    lines = [ln.replace(str(CORPUS), "<corpus>") for ln in lines]
    return {"findings": len(lines), "sha256": hashlib.sha256("\n".join(lines).encode()).hexdigest()}


def _run(paths: list[str]) -> dict[str, list[str]]:
    from reportlint.config import Config
    from reportlint.runner import ConfigResolver, run_paths

    run = run_paths(paths, ConfigResolver(Config(), {}), jobs=1)
    return {Path(r.path).name: finding_lines(r.findings) for r in run.report.files}


def compute() -> dict[str, dict]:
    out: dict[str, dict] = {}
    out["seed"] = digest(_run([str(SEED)])[SEED.name])
    reports = _run([str(CORPUS / "reports")])
    out["reports"] = digest([ln for name in sorted(reports) for ln in reports[name]])
    for name in NEWS:
        out[name] = digest(_run([str(CORPUS / "news" / name)])[name])
    name, size = WINDOWED
    old = os.environ.get("REPORTLINT_WINDOW_CHARS")
    os.environ["REPORTLINT_WINDOW_CHARS"] = str(size)
    try:
        out[f"{name} windowed {size}"] = digest(_run([str(CORPUS / "news" / name)])[name])
    finally:
        if old is None:
            del os.environ["REPORTLINT_WINDOW_CHARS"]
        else:
            os.environ["REPORTLINT_WINDOW_CHARS"] = old
    return out


@needs_corpus()
def test_findings_match_the_stored_digest() -> None:
    if not DIGEST.is_file():
        pytest.skip("no stored digest")
    stored = json.loads(DIGEST.read_text(encoding="utf-8"))
    got = compute()
    assert set(got) == set(stored["inputs"])
    changed = {k: (stored["inputs"][k], got[k]) for k in got if got[k] != stored["inputs"][k]}
    assert not changed, f"findings changed: {changed}"


if __name__ == "__main__":
    if "--write" in sys.argv:
        data = {"note": "findings on the shared corpus; see tests/test_same_findings.py", "inputs": compute()}
        DIGEST.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(json.dumps(data, indent=1))
    else:
        print(json.dumps(compute(), indent=1))
