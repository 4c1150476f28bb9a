"""Hostile files and options, as a user would hit them: whole `reportlint` processes.

    python bench/hostile.py            # every case, at 1x, 2x and 4x where it has a size
    python bench/hostile.py --quick    # the smallest size of each

Each case writes its input under a temporary folder, runs the console script as a cold
process under GNU time (`/usr/bin/time -f '%e %M'`: wall seconds and peak memory of the
largest process), and prints the exit code, the time, the memory and the first line of
standard error. Growth is time(4x) / time(1x); a linear path grows about 4x. The run
fails (exit 1) when a case takes more than 60 s or 1 GiB, or grows more than 4.5x for 4x
input while taking over a second: the bounds the README's guarantees state. Also run by
`python bench/adversarial.py --cli`.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOUND_SECONDS = 60.0
BOUND_MIB = 1024.0
MAX_GROWTH = 4.5


def console_script() -> list[str]:
    exe = Path(sys.executable).parent / "reportlint"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "reportlint"]


def timed(cmd: list[str], cwd: Path, stdin: bytes | None = None) -> tuple[int, float, float, str]:
    """(exit code, wall seconds, peak MiB, first line of stderr) of one cold run."""
    gnu = shutil.which("time") or "/usr/bin/time"
    fmt = "__T %e %M"
    p = subprocess.run(
        [gnu, "-f", fmt, *cmd], cwd=cwd, input=stdin, capture_output=True, timeout=BOUND_SECONDS * 10
    )
    err = p.stderr.decode("utf-8", "replace").splitlines()
    stats = [ln for ln in err if ln.startswith("__T ")]
    wall, kb = (float(x) for x in stats[-1].split()[1:3]) if stats else (float("nan"), float("nan"))
    first = next((ln for ln in err if ln and not ln.startswith(("__T ", "Command exited"))), "")
    return p.returncode, wall, kb / 1024, first[:110]


# --------------------------------------------------------------------------- cases
# Each case: name -> (make(folder, scale) -> argv after the console script, sized?)


def _file(folder: Path, name: str, data: bytes | str) -> str:
    f = folder / name
    f.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return str(f)


def md_brackets(folder: Path, k: int) -> list[str]:
    return ["check", _file(folder, "b.md", "[" * (20_000 * k) + "中文内容。\n")]


def md_links(folder: Path, k: int) -> list[str]:
    return ["check", _file(folder, "l.md", "[a](" * (30_000 * k) + "\n")]


def md_markers(folder: Path, k: int) -> list[str]:
    text = "".join(
        f"<!-- reportlint-disable TYPO00{i % 5 + 1} X{i} -->\n段落 {i}。\n" for i in range(8_000 * k)
    )
    return ["check", _file(folder, "m.md", text)]


def short_lines(folder: Path, k: int) -> list[str]:
    return ["check", _file(folder, "s.txt", "推进。\n" * (20_000 * k))]


def numbering_lines(folder: Path, k: int) -> list[str]:
    return ["check", _file(folder, "n.txt", "（一）\n" * (32_768 * k))]


def respectively(folder: Path, k: int) -> list[str]:
    return ["check", _file(folder, "r.txt", "分别为1、" * (20_000 * k) + "\n")]


def open_parens(folder: Path, k: int) -> list[str]:
    return ["check", "--format", "json", _file(folder, "p.txt", "（" * (200_000 * k) + "\n")]


def open_parens_windowed(folder: Path, k: int) -> list[str]:
    # 3 MB: past the one-million-character window, as in the report of this case
    return ["check", "--format", "json", _file(folder, "p.txt", "（" * 1_000_000 + "\n")]


def docx_bomb(folder: Path, k: int) -> list[str]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<x/>")
        zf.writestr("word/document.xml", b"\0" * (1500 << 20))  # 1.5 GB of zeros, about 1.5 MB zipped
    return ["check", _file(folder, "bomb.docx", buf.getvalue())]


def pdf_bomb(folder: Path, k: int) -> list[str]:
    import zlib

    comp = zlib.compressobj(9)
    stream = b"".join(comp.compress(b" " * (64 << 20)) for _ in range(16)) + comp.flush()  # 1 GiB inflated
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return ["check", _file(folder, "bomb.pdf", bytes(out))]


def lexicon_dev_zero(folder: Path, k: int) -> list[str]:
    (folder / "reportlint.toml").write_text('lexicon = ["/dev/zero"]\n', encoding="utf-8")
    return ["check", _file(folder, "a.txt", "今年经济运行总体平稳。\n")]


def huge_config(folder: Path, k: int) -> list[str]:
    (folder / "reportlint.toml").write_text("# padding\n" * 2_000_000, encoding="utf-8")  # 20 MB
    return ["check", _file(folder, "a.txt", "今年经济运行总体平稳。\n")]


def deep_config(folder: Path, k: int) -> list[str]:
    (folder / "reportlint.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    return ["check", _file(folder, "a.txt", "今年经济运行总体平稳。\n")]


def jobs_64(folder: Path, k: int) -> list[str]:
    for i in range(64):
        _file(folder, f"r{i}.txt", "今年经济运行总体平稳，稳中有进。\n" * 50)
    return ["check", "-j", "64", "--no-cross-file", str(folder)]


def baseline_onto_input(folder: Path, k: int) -> list[str]:
    f = _file(folder, "a.txt", "今年经济运行 总体平稳。\n")
    return ["baseline", "create", f, "-o", f]


def changed_since_option(folder: Path, k: int) -> list[str]:
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    _file(folder, "a.txt", "今年经济运行 总体平稳。\n")
    return ["check", ".", "--changed-since=--output=written.txt"]


# (make, sized): sized cases run at 1x, 2x and 4x
CASES: dict[str, tuple[Callable[[Path, int], list[str]], bool]] = {
    "Markdown: 20k nested [": (md_brackets, True),
    "Markdown: 30k nested [a](": (md_links, True),
    "Markdown: 8,000 disable markers": (md_markers, True),
    "推进。 on 20k lines": (short_lines, True),
    "（一） on 32k lines": (numbering_lines, True),
    "分别为1、 x 20k on one line": (respectively, True),
    "（ x 200k (findings capped)": (open_parens, True),
    "（ x 1M, 3 MB (windows, capped)": (open_parens_windowed, False),
    ".docx zip bomb (1.5 GB of zeros)": (docx_bomb, False),
    "PDF Flate bomb (1 GiB of spaces)": (pdf_bomb, False),
    "lexicon = /dev/zero": (lexicon_dev_zero, False),
    "20 MB reportlint.toml": (huge_config, False),
    "TOML nested 5,000 deep": (deep_config, False),
    "-j 64 on 64 files": (jobs_64, False),
    "baseline create a.txt -o a.txt": (baseline_onto_input, False),
    "--changed-since=--output=written.txt": (changed_since_option, False),
}


def run_cases(scales: tuple[int, ...], only: list[str] | None = None) -> tuple[list[dict], list[str]]:
    rows, failures = [], []
    exe = console_script()
    for name, (make, sized) in CASES.items():
        if only and not any(o.lower() in name.lower() for o in only):
            continue
        times = []
        for k in scales if sized else scales[:1]:
            with tempfile.TemporaryDirectory(prefix="reportlint-hostile-") as tmp:
                folder = Path(tmp)
                argv = make(folder, k)
                code, wall, mib, first = timed([*exe, *argv], folder)
                written = (folder / "written.txt").exists()
            times.append(wall)
            row = {
                "case": name,
                "scale": k,
                "exit": code,
                "seconds": wall,
                "mib": round(mib, 1),
                "stderr": first,
            }
            if written:
                row["stderr"] = "WROTE written.txt! " + first
                failures.append(f"{name}: an option wrote a file")
            rows.append(row)
            print(f"{name:38s} x{k}  exit {code}  {wall:7.2f} s  {mib:7.1f} MiB  {first}", flush=True)
            if wall > BOUND_SECONDS or mib > BOUND_MIB:
                failures.append(f"{name} x{k}: {wall:.1f} s, {mib:.0f} MiB")
            if code not in (0, 1, 2):
                failures.append(f"{name} x{k}: exit {code}")
        if sized and len(times) >= 2 and times[0] > 0:
            growth = times[-1] / times[0]
            rows[-1]["growth"] = round(growth, 2)
            if growth > MAX_GROWTH * (scales[-1] / scales[0]) / 4 and times[-1] > 1.0:
                failures.append(f"{name}: grew {growth:.1f}x for {scales[-1] // scales[0]}x input")
    return rows, failures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="only the smallest size of each case")
    ap.add_argument("--case", action="append", help="only cases whose name contains this")
    args = ap.parse_args(argv)
    scales = (1,) if args.quick else (1, 2, 4)
    rows, failures = run_cases(scales, args.case)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "hostile.json").write_text(
        json.dumps({"rows": rows, "failures": failures}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    for f in failures:
        print(f"FAILED: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
