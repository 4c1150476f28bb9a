"""Speed and memory: `reportlint check` as a cold process, the duplicate search, and peer tools.

    python bench/speed.py                  # 5 runs per case, medians
    python bench/speed.py --quick          # 3 runs (1 for the 10 MB case), short timeouts
    python bench/speed.py --quick --huge   # the same, plus the 25, 50 and 100 MB files
    python bench/speed.py --huge-only      # only the 25, 50 and 100 MB files (speed_huge.json)
    python bench/speed.py --install-peers  # first install autocorrect-py and zhlint under /tmp

Writes bench/results/speed.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    ROOT,
    SEED,
    console,
    load_reports,
    meta,
    registered_rules,
    require_corpus,
    write_result,
)

GNU_TIME = "/usr/bin/time"
PEERS_HOME = Path(os.environ.get("PEERS_HOME", Path(tempfile.gettempdir()) / "peers-env"))
AUTOCORRECT_VERSION = "2.14.0"
ZHLINT_VERSION = "0.8.2"
TEN_MB = 10 * 1024 * 1024
BIG = 5_000_000  # inputs this large get fewer runs
PEER_TIMEOUT = 120.0  # zhlint does not finish 10 MB in 300 s (../shared/FACTS.md): do not wait longer
SLOW_PEERS = {"zhlint": "skipped in --quick (over 300 s on 10 MB per ../shared/FACTS.md)"}
FOLDER_FILES = 200
FOLDER_FILE_BYTES = 60_000  # about a report (the 37 average 60 KB)
DISTINCT_MB = (1, 10)  # distinct text (reports, then news, nothing twice)
HUGE_MB = (25, 50, 100)  # files this large (reports concatenated) show how memory grows
HUGE_ARGS = ["--max-file-size", "200MB"]  # whatever the default limit
HUGE_TIMEOUT = 3600.0  # they take minutes: one run each, whatever --quick says
DUP_PARAGRAPHS = 20_000

# autocorrect-py has no command line; this lints files (or every file of a folder) with lint_for().
AUTOCORRECT_SCRIPT = """\
import json, os, sys
import autocorrect_py as ac
paths = []
for arg in sys.argv[1:]:
    if os.path.isdir(arg):
        paths += sorted(os.path.join(arg, f) for f in os.listdir(arg))
    else:
        paths.append(arg)
for path in paths:
    with open(path, encoding="utf-8") as f:
        r = ac.lint_for(f.read(), path)
    json.dump({"filepath": r.filepath,
               "lines": [{"l": x.line, "c": x.col, "old": x.old, "new": x.new} for x in r.lines]},
              sys.stdout, ensure_ascii=False)
    print()
"""


# --------------------------------------------------------------------------- running and timing


def reportlint_command() -> list[str]:
    """The installed console script beside this Python (no pyenv shim in the timing)."""
    beside = Path(sys.executable).parent / "reportlint"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("reportlint")
    return [found] if found else [sys.executable, "-m", "reportlint"]


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (KiB), from /proc."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def timed_run(cmd: list[str], cwd: Path, timeout: float, sample_tree: bool = True) -> dict:
    """One cold run: wall seconds and peak memory; output thrown away.

    ``rss_kib`` is GNU time's %M (the largest single process); ``tree_kib`` is the largest
    sum over the process and its workers, sampled every 10 ms from /proc. Sampling costs
    CPU that the measured process would otherwise have (reportlint uses both cores on one
    report), so runs timed for the median do not sample (``sample_tree=False``): they
    block in ``wait`` and a timer ends a run that takes too long.
    """
    use_gnu = Path(GNU_TIME).is_file()
    tfile = cwd / ".time.out"
    tfile.unlink(missing_ok=True)
    full = [GNU_TIME, "-f", "%e %M", "-o", str(tfile), *cmd] if use_gnu else cmd
    sample = sample_tree and Path("/proc/self/task").is_dir()
    tree = 0
    t0 = time.perf_counter()
    with open(os.devnull, "wb") as devnull, tempfile.TemporaryFile() as errf:
        # A session of its own, so a timeout ends the whole tree (time, the tool, its workers).
        proc = subprocess.Popen(full, cwd=cwd, stdout=devnull, stderr=errf, start_new_session=True)
        if sample:
            while proc.poll() is None:
                if time.perf_counter() - t0 > timeout:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
                    return {"wall": None, "rss_kib": None, "tree_kib": tree or None, "rc": None}
                tree = max(tree, _tree_rss_kib(proc.pid))
                time.sleep(0.01)
        else:
            expired = threading.Event()

            def stop() -> None:
                expired.set()
                with contextlib.suppress(OSError):
                    os.killpg(proc.pid, signal.SIGKILL)

            timer = threading.Timer(timeout, stop)
            timer.start()
            proc.wait()
            timer.cancel()
            if expired.is_set():
                return {"wall": None, "rss_kib": None, "tree_kib": None, "rc": None}
        wall = time.perf_counter() - t0
        errf.seek(0)
        err = errf.read()
    rss = None
    if use_gnu and tfile.is_file():
        last = tfile.read_text().strip().splitlines()[-1].split()
        if len(last) == 2:
            rss = int(last[1])
    else:  # no GNU time: the largest child so far (an upper bound)
        import resource

        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = {"wall": round(wall, 4), "rss_kib": rss, "tree_kib": tree or None, "rc": proc.returncode}
    if proc.returncode not in (0, 1):
        out["stderr"] = err.decode("utf-8", "replace")[-500:]
    return out


def measure(cmd: list[str], cwd: Path, runs: int, timeout: float) -> dict:
    """The median of ``runs`` cold runs; with 3 or more, the runs timed do not sample
    memory and one more run samples the worker tree (its time is not counted)."""
    results = []
    quiet = runs >= 3
    for _ in range(runs):
        r = timed_run(cmd, cwd, timeout, sample_tree=not quiet)
        results.append(r)
        if r["wall"] is None:  # a timeout: do not wait for it again
            break
    sampled = results
    if quiet and all(r["wall"] is not None for r in results):
        sampled = [*results, timed_run(cmd, cwd, timeout, sample_tree=True)]
    walls = [r["wall"] for r in results if r["wall"] is not None]
    rss = [r["rss_kib"] for r in sampled if r["rss_kib"] is not None]
    tree = [r["tree_kib"] for r in sampled if r.get("tree_kib")]
    failed = [r for r in results if r.get("rc") not in (0, 1, None)]
    return {
        "runs": len(results),
        "median_s": round(statistics.median(walls), 3) if walls else None,
        "min_s": round(min(walls), 3) if walls else None,
        "peak_mib": round(max(rss) / 1024, 1) if rss else None,
        "tree_peak_mib": round(max(tree) / 1024, 1) if tree else None,
        "timeout_s": timeout if any(r["wall"] is None for r in results) else None,
        "error": failed[0].get("stderr") if failed else None,
        "all_s": walls,
    }


# --------------------------------------------------------------------------- inputs


def write_concatenated(path: Path, reports: list[tuple[str, str]], size: int) -> int:
    """The reports one after another, again and again, until ``size`` bytes; returns the bytes."""
    written = 0
    with path.open("w", encoding="utf-8") as f:
        while written < size:
            for _, t in reports:
                t = t if t.endswith("\n") else t + "\n"
                f.write(t)
                written += len(t.encode("utf-8"))
                if written >= size:
                    break
    return written


def distinct_sources() -> list[Path]:
    """The files distinct text is made of: every report, then the news months, oldest first
    (both parts of the split: speed inputs judge no rule)."""
    from bench.common import news_files, report_files

    return [*report_files(), *news_files()]


def write_distinct(path: Path, size: int) -> int:
    """Reports and news one after another, each file once, cut at a line end near ``size``
    bytes: text that does not repeat (unlike ``write_concatenated``). Returns the bytes."""
    written = 0
    with path.open("w", encoding="utf-8") as f:
        for src in distinct_sources():
            for line in src.read_text(encoding="utf-8").splitlines(keepends=True):
                line = line if line.endswith("\n") else line + "\n"
                n = len(line.encode("utf-8"))
                if written + n > size and written:
                    return written
                f.write(line)
                written += n
    if written < size:
        raise SystemExit(f"the corpus holds only {written} bytes of distinct text, {size} asked")
    return written


def prepare_huge(tmp: Path, reports: list[tuple[str, str]]) -> dict[str, dict]:
    """The 25, 50 and 100 MB files (reports concatenated), in ``tmp`` (never in the project)."""
    out = {}
    for mb in HUGE_MB:
        p = tmp / f"huge_{mb}mb.txt"
        size = write_concatenated(p, reports, mb << 20)
        out[f"{mb} MB file, {' '.join(HUGE_ARGS)}"] = {"path": p, "bytes": size}
    return out


def write_folder(folder: Path, n: int, size: int) -> int:
    """``n`` report-sized files of distinct text: the reports themselves first, then the news
    cut at line ends into files of about ``size`` bytes. Returns the bytes written."""
    folder.mkdir()
    total = 0
    k = 0
    buf: list[str] = []
    have = 0
    for src in distinct_sources():
        is_report = src.parent.name == "reports"
        for line in src.read_text(encoding="utf-8").splitlines(keepends=True):
            line = line if line.endswith("\n") else line + "\n"
            buf.append(line)
            have += len(line.encode("utf-8"))
            if not is_report and have >= size:
                (folder / f"{k:03d}.txt").write_text("".join(buf), encoding="utf-8")
                total, k, buf, have = total + have, k + 1, [], 0
                if k == n:
                    return total
        if is_report and buf:  # one report, one file
            (folder / f"{k:03d}_{src.name}").write_text("".join(buf), encoding="utf-8")
            total, k, buf, have = total + have, k + 1, [], 0
            if k == n:
                return total
    raise SystemExit(f"the corpus holds only {k} files of {size} bytes")


def prepare_inputs(tmp: Path, reports: list[tuple[str, str]]) -> dict[str, dict]:
    """seed, a typical report, 1 MB and 10 MB of distinct text, the 10 MB of repeated reports,
    and a folder of 200 report-sized files, in ``tmp``."""
    inputs: dict[str, dict] = {}
    if SEED.is_file():
        p = tmp / "seed.txt"
        shutil.copyfile(SEED, p)
        inputs["seed report"] = {"path": p}
    by_size = sorted(reports, key=lambda r: len(r[1]))
    name, text = by_size[len(by_size) // 2]
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    inputs[f"typical report ({name})"] = {"path": p}
    for mb in DISTINCT_MB:
        p = tmp / f"distinct_{mb}mb.txt"
        write_distinct(p, mb << 20)
        inputs[f"{mb} MB distinct"] = {"path": p}
    big = tmp / "big_10mb.txt"
    write_concatenated(big, reports, TEN_MB)
    inputs["10 MB repeated reports"] = {"path": big}
    folder = tmp / "folder200"
    write_folder(folder, FOLDER_FILES, FOLDER_FILE_BYTES)
    inputs[f"folder of {FOLDER_FILES} files"] = {"path": folder}
    for info in inputs.values():
        p = info["path"]
        files = sorted(p.iterdir()) if p.is_dir() else [p]
        info["bytes"] = sum(f.stat().st_size for f in files)
    return inputs


# --------------------------------------------------------------------------- peers


def install_peers(con) -> None:
    PEERS_HOME.mkdir(parents=True, exist_ok=True)
    venv = PEERS_HOME / "venv"
    con.print(f"installing autocorrect-py=={AUTOCORRECT_VERSION} into {venv}")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", f"autocorrect-py=={AUTOCORRECT_VERSION}"], check=True
    )
    if shutil.which("npm"):
        con.print(f"installing zhlint@{ZHLINT_VERSION} into {PEERS_HOME / 'node'}")
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(PEERS_HOME / "node"),
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                f"zhlint@{ZHLINT_VERSION}",
            ],
            check=True,
        )
    else:
        con.print("[yellow]npm is not installed: zhlint skipped[/]")


def find_peers(tmp: Path) -> dict[str, dict]:
    """Peer tools installed under PEERS_HOME (the layout of ../shared/tools/run_peers.sh)."""
    peers: dict[str, dict] = {}
    py = PEERS_HOME / "venv" / "bin" / "python"
    if (
        py.is_file()
        and subprocess.run([str(py), "-c", "import autocorrect_py"], capture_output=True).returncode == 0
    ):
        script = tmp / "autocorrect_lint.py"
        script.write_text(AUTOCORRECT_SCRIPT, encoding="utf-8")
        peers["autocorrect-py"] = {"cmd": [str(py), str(script)], "relative": False}
    zh = PEERS_HOME / "node" / "node_modules" / ".bin" / "zhlint"
    if zh.exists() and shutil.which("node"):
        # zhlint wants paths relative to its working folder, and a glob for a folder.
        peers["zhlint"] = {"cmd": [str(zh)], "relative": True}
    return peers


def peer_args(peer: dict, path: Path, tmp: Path) -> list[str]:
    if not peer["relative"]:
        return [*peer["cmd"], str(path)]
    rel = path.relative_to(tmp)
    return [*peer["cmd"], f"{rel}/*.txt" if path.is_dir() else str(rel)]


# --------------------------------------------------------------------------- duplicate search


def synthetic_paragraphs(reports: list[tuple[str, str]], n: int, rng: random.Random) -> tuple[list[str], int]:
    """``n`` paragraphs: every real prose paragraph once, then new ones built from random clauses.

    Also returns how many exact copies were planted (1% of ``n``), so the search has
    real work to find.
    """
    real, seen = [], set()
    for _, text in reports:
        for line in text.splitlines():
            t = line.strip(" \u3000\t")
            if len(t) >= 30 and "。" in t and t not in seen:
                seen.add(t)
                real.append(t)
    clauses = [c for p in real for c in re.split("[，；。！？]", p) if 4 <= len(c) <= 40]
    paras = real[: n - n // 100]
    while len(paras) < n - n // 100:
        k = rng.randint(3, 10)
        paras.append("，".join(rng.choice(clauses) for _ in range(k)) + "。")
    planted = n - len(paras)
    for _ in range(planted):
        paras.insert(rng.randrange(len(paras)), rng.choice(paras))
    return paras, planted


def dup_search(reports: list[tuple[str, str]], n: int) -> dict:
    """Wall time of the DUP rules in-process on one document of ``n`` paragraphs, and on
    the same paragraphs as a folder of 200 documents (cross-file search)."""
    codes = registered_rules().get("DUP", [])
    if not codes:
        return {"status": "missing", "note": "no DUP rules are registered yet"}
    from reportlint.config import Config
    from reportlint.document import Document
    from reportlint.engine import build_rules, check_document, check_many

    paras, planted = synthetic_paragraphs(reports, n, random.Random(7))
    rules = build_rules(Config(select=("DUP",), cross_file=True))
    out: dict = {"status": "ok", "paragraphs": len(paras), "planted_copies": planted, "rules": codes}

    text = "\n".join(paras) + "\n"
    t0 = time.perf_counter()
    doc = Document.from_text(text, path="dup20k.txt")
    _ = doc.paragraphs, doc.sentences
    parse = time.perf_counter() - t0
    per_rule, found = {}, {}
    for r in rules:
        t = time.perf_counter()
        fs = list(r.check(doc))
        per_rule[r.code] = round(time.perf_counter() - t, 3)
        found[r.code] = len(fs)
    out["document"] = {
        "chars": len(text),
        "parse_s": round(parse, 3),
        "per_rule_s": per_rule,
        "total_s": round(parse + sum(per_rule.values()), 3),
        "findings": found,
    }

    per = -(-len(paras) // FOLDER_FILES)
    docs = [
        Document.from_text("\n".join(paras[i : i + per]) + "\n", path=f"f{i // per:03d}.txt")
        for i in range(0, len(paras), per)
    ]
    t = time.perf_counter()
    single = sum(len(check_document(d, rules)) for d in docs)
    t_single = time.perf_counter() - t
    t = time.perf_counter()
    cross = len(check_many(docs, rules))
    t_cross = time.perf_counter() - t
    out["folder"] = {
        "documents": len(docs),
        "per_document_s": round(t_single, 3),
        "cross_file_s": round(t_cross, 3),
        "findings": single,
        "cross_file_findings": cross,
    }
    return out


# --------------------------------------------------------------------------- printing


def fmt_s(m: dict | None) -> str:
    if not m or m.get("skipped"):
        return "–"
    if m.get("error"):
        return "[red]error[/]"
    if m["median_s"] is None:
        return f"> {m['timeout_s']:.0f} s"
    extra = f" (>{m['timeout_s']:.0f} s once)" if m.get("timeout_s") else ""
    return f"{m['median_s']:.3f} s{extra}"


def fmt_mib(m: dict | None) -> str:
    """Peak of the largest process; with the sum over worker processes when larger."""
    if not m or m.get("peak_mib") is None:
        return "–"
    tree = m.get("tree_peak_mib")
    if tree and tree > 1.2 * m["peak_mib"]:
        return f"{m['peak_mib']:.0f} (all {tree:.0f})"
    return f"{m['peak_mib']:.0f}"


def ratio(a: dict | None, b: dict | None) -> str:
    """a's median over b's; a bound when one of them timed out."""
    if not a or not b or a.get("skipped") or b.get("skipped") or a.get("error") or b.get("error"):
        return "–"
    am, bm, at, bt = a.get("median_s"), b.get("median_s"), a.get("timeout_s"), b.get("timeout_s")
    if am is not None and bm is not None:
        return f"{am / bm:.2f}"
    if am is not None and bt:
        return f"< {am / bt:.2f}"
    if bm is not None and at:
        return f"> {at / bm:.1f}"
    return "–"


def print_markdown(con, res: dict) -> None:
    """The README's speed table, ready to paste."""
    peers = list(res["peers"])
    head = ["input", "MB", "reportlint", "peak MiB", *(f"{p}" for p in peers), *(f"rl / {p}" for p in peers)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, row in res["cases"].items():
        rl = row["reportlint"]
        cells = [name, f"{row['bytes'] / 1e6:.2f}", fmt_s(rl), fmt_mib(rl)]
        cells += [fmt_s(row.get(p)) for p in peers]
        cells += [ratio(rl, row.get(p)) for p in peers]
        lines.append("| " + " | ".join(cells) + " |")
    con.print("\n".join(lines), markup=False)


def print_report(con, res: dict) -> None:
    from rich.table import Table

    peers = list(res["peers"])
    t = Table(title=f"Cold-process wall time (median of runs) and peak memory, {res['meta']['cpus']} CPUs")
    t.add_column("input")
    t.add_column("MB", justify="right")
    t.add_column("reportlint", justify="right")
    t.add_column("MiB", justify="right")
    for p in peers:
        t.add_column(p, justify="right")
        t.add_column("MiB", justify="right")
        t.add_column("rl / " + p, justify="right")
    for name, row in res["cases"].items():
        rl = row["reportlint"]
        cells = [name, f"{row['bytes'] / 1e6:.2f}", fmt_s(rl), fmt_mib(rl)]
        for p in peers:
            pm = row.get(p)
            cells += [fmt_s(pm), fmt_mib(pm), ratio(rl, pm)]
        t.add_row(*cells)
    con.print(t)
    for name, row in res["cases"].items():
        for tool, m in row.items():
            if isinstance(m, dict) and m.get("error"):
                con.print(f"[red]{tool} on {name} failed:[/] {m['error'].strip()[-300:]}")
    if not peers:
        con.print(
            "[yellow]No peer tool installed; run `python bench/speed.py --install-peers` once "
            f"(installs autocorrect-py and zhlint under {PEERS_HOME}).[/]"
        )
    else:
        con.print(
            "rl / peer: reportlint's time divided by the peer's (above 1: reportlint is slower). "
            "The peers check far less (spacing and punctuation only)."
        )
    con.print(
        "MiB: peak resident memory of the largest process (GNU time %M); "
        "'all': the sum over reportlint's worker processes, sampled."
    )

    skipped = {
        f"{tool}: {m['skipped']}"
        for row in res["cases"].values()
        for tool, m in row.items()
        if isinstance(m, dict) and m.get("skipped")
    }
    for note in sorted(skipped):
        con.print(f"– {note}")

    st = res.get("startup")
    if st:
        con.print(
            f"Start-up: reportlint --version {fmt_s(st['reportlint --version'])}, "
            f"python -c pass {fmt_s(st['python -c pass'])}: {st.get('ratio')}x"
        )
    par = res.get("parallel")
    if par:
        cpus = par["cpus"]
        con.print(
            f"Folder: {par['files']:,} files ({par['bytes'] / 1e6:.1f} MB), --no-cross-file: "
            f"-j 1 {fmt_s(par.get('j1'))}, -j {cpus} {fmt_s(par.get(f'j{cpus}'))} "
            f"(speed-up {par.get('speedup', '-')}x); one process checking them in a loop "
            f"{fmt_s(par.get('loop'))} (-j 1 / loop {par.get('j1_over_loop', '-')})"
        )
    fam = res.get("families")
    if fam:
        t = Table(title=f"Seconds of CPU per MB, in-process, {fam['input_mb']} MB of distinct text")
        for col in ("rules", "CPU s", "s / MB", "findings"):
            t.add_column(col, justify="right" if col != "rules" else "left")
        for name in FAMILY_SETS:
            m = fam.get(name)
            if not m:
                continue
            label = "all but TYPO" if name == "DUP,NUM,PUNCT,LAYOUT" else "all" if name == "ALL" else name
            if "error" in m:
                t.add_row(label, "error", "", "")
                continue
            t.add_row(label, f"{m['cpu_s']:.2f}", f"{m['cpu_s_per_mb']:.2f}", str(m["findings"]))
        con.print(t)
        con.print(
            "Each row in a process of its own, after the data is loaded (on the seed); the text in "
            "one piece, no split. A family's row includes the document views it needs."
        )
    print_markdown(con, res)

    d = res["dup_search"]
    if d["status"] != "ok":
        con.print(f"[yellow]Duplicate search: {d['note']}[/]")
        return
    t = Table(
        title=f"Duplicate search, in-process: {d['paragraphs']:,} paragraphs "
        f"({d['planted_copies']} planted exact copies)"
    )
    for col in ("layout", "chars / docs", "time", "per rule (s)", "findings"):
        t.add_column(col, overflow="fold")
    doc = d["document"]
    t.add_row(
        "one document",
        f"{doc['chars']:,} chars",
        f"{doc['total_s']:.2f} s (parse {doc['parse_s']:.2f})",
        ", ".join(f"{k} {v:.2f}" for k, v in doc["per_rule_s"].items()),
        ", ".join(f"{k} {v}" for k, v in doc["findings"].items()),
    )
    f = d["folder"]
    t.add_row(
        f"{f['documents']} documents",
        f"{f['documents']} docs",
        f"{f['per_document_s'] + f['cross_file_s']:.2f} s",
        f"per document {f['per_document_s']:.2f}, cross-file {f['cross_file_s']:.2f}",
        f"{f['findings']} + {f['cross_file_findings']} cross-file",
    )
    con.print(t)
    con.print("Per rule: the first DUP rule builds the analysis the others reuse (cached per document).")


# --------------------------------------------------------------------------- start-up, families, folders

# Checks a folder's files one after the other in one process, the plain loop `-j 1` is
# compared with: read, check, nothing else (no cross-file search, no output).
LOOP_SCRIPT = """\
import os, sys
sys.path.insert(0, {root!r})
from reportlint.config import Config
from reportlint.engine import build_rules, check_document
from reportlint.readers import read_path
folder = sys.argv[1]
n = 0
for name in sorted(os.listdir(folder)):
    doc = read_path(os.path.join(folder, name))
    n += len(check_document(doc, build_rules(Config()), split_ok=False))
print(n)
"""

# One family's rules on one text, in a process of its own: the data is loaded and the patterns
# compiled on the seed first, then the text is checked in one piece (no windows, no split).
FAMILY_SCRIPT = """\
import json, os, sys, time
sys.path.insert(0, {root!r})
os.environ["REPORTLINT_NO_FORK"] = "1"
os.environ["REPORTLINT_WINDOW_CHARS"] = "0"
from reportlint.config import Config
from reportlint.document import Document
from reportlint.engine import build_rules, check_document
select = None if sys.argv[1] == "ALL" else tuple(sys.argv[1].split(","))
rules = build_rules(Config(select=select))
seed = open(sys.argv[3], encoding="utf-8").read()
check_document(Document.from_text(seed, path="seed.txt"), rules)
text = open(sys.argv[2], encoding="utf-8").read()
c, w = time.process_time(), time.perf_counter()
found = check_document(Document.from_text(text, path="in.txt"), build_rules(Config(select=select)))
print(json.dumps({{"cpu": time.process_time() - c, "wall": time.perf_counter() - w, "findings": len(found)}}))
"""
FAMILY_SETS = ("DUP", "NUM", "PUNCT", "LAYOUT", "TYPO", "DUP,NUM,PUNCT,LAYOUT", "ALL")


def startup(rl: list[str], tmp: Path, runs: int) -> dict:
    """`reportlint --version` against a bare `python -c pass` (both cold processes)."""
    out = {
        "python -c pass": measure([sys.executable, "-c", "pass"], tmp, max(runs, 5), 30),
        "reportlint --version": measure([*rl, "--version"], tmp, max(runs, 5), 30),
    }
    a, b = out["reportlint --version"]["median_s"], out["python -c pass"]["median_s"]
    out["ratio"] = round(a / b, 2) if a and b else None
    return out


def family_costs(con, path: Path, runs: int, timeout: float) -> dict:
    """Seconds per MB of each family on ``path``, in-process (median of ``runs``)."""
    script = path.parent / "family_cost.py"
    script.write_text(FAMILY_SCRIPT.format(root=str(ROOT)), encoding="utf-8")
    mb = path.stat().st_size / (1 << 20)
    out: dict = {"input_mb": round(mb, 2), "runs": runs}
    for fam in FAMILY_SETS:
        con.print(f"[dim]family {fam} on {path.name}…[/]")
        got = []
        for _ in range(runs):
            r = subprocess.run(
                [sys.executable, str(script), fam, str(path), str(SEED)],
                capture_output=True,
                text=True,
                timeout=timeout,
            )
            if r.returncode != 0:
                out[fam] = {"error": r.stderr[-300:]}
                break
            got.append(json.loads(r.stdout.strip().splitlines()[-1]))
        if got:
            cpu = statistics.median(g["cpu"] for g in got)
            wall = statistics.median(g["wall"] for g in got)
            out[fam] = {
                "cpu_s": round(cpu, 3),
                "wall_s": round(wall, 3),
                "cpu_s_per_mb": round(cpu / mb, 3),
                "findings": got[0]["findings"],
            }
    return out


def folder_scaling(con, folder: Path, rl: list[str], runs: int, timeout: float) -> dict:
    """The folder with one worker and with one per core (no cross-file search), and the plain
    in-process loop over its files."""
    files = sorted(folder.iterdir())
    out: dict = {"files": len(files), "bytes": sum(f.stat().st_size for f in files), "cpus": os.cpu_count()}
    loop = folder.parent / "loop_check.py"
    loop.write_text(LOOP_SCRIPT.format(root=str(ROOT)), encoding="utf-8")
    cpus = os.cpu_count() or 1
    for jobs in sorted({1, cpus}):
        con.print(f"[dim]timing {len(files)} files with -j {jobs}…[/]")
        out[f"j{jobs}"] = measure(
            [*rl, "check", str(folder), "--format", "json", "--no-cross-file", "-j", str(jobs)],
            folder.parent,
            runs,
            timeout,
        )
    con.print(f"[dim]timing {len(files)} files in a loop in one process…[/]")
    out["loop"] = measure([sys.executable, str(loop), str(folder)], folder.parent, runs, timeout)
    one, many, plain = out.get("j1", {}), out.get(f"j{cpus}", {}), out["loop"]
    if one.get("median_s") and many.get("median_s"):
        out["speedup"] = round(one["median_s"] / many["median_s"], 2)
    if one.get("median_s") and plain.get("median_s"):
        out["j1_over_loop"] = round(one["median_s"] / plain["median_s"], 2)
    return out


def compile_package() -> None:
    """Byte-compile the package as an install does, so that no run compiles its sources
    (``PYTHONDONTWRITEBYTECODE`` would otherwise make every cold run do it)."""
    import compileall

    import reportlint

    compileall.compile_dir(str(Path(reportlint.__file__).parent), quiet=1)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="3 runs, 1 for the large cases, 8 s timeout")
    ap.add_argument("--runs", type=int, help="runs per small case (default 5, quick 3; large: at most 3)")
    ap.add_argument(
        "--timeout", type=float, help="seconds before a run is stopped (default 900, quick 8; peers ≤ 120)"
    )
    ap.add_argument("--install-peers", action="store_true", help=f"install the peer tools under {PEERS_HOME}")
    ap.add_argument("--no-peers", action="store_true", help="time reportlint only")
    ap.add_argument("--no-dup", action="store_true", help="skip the in-process duplicate search")
    ap.add_argument("--no-families", action="store_true", help="skip the per-family seconds per MB")
    ap.add_argument("--only", help="time only the inputs whose name contains this (e.g. 'seed')")
    huge = ap.add_mutually_exclusive_group()
    huge.add_argument(
        "--huge", action="store_true", help="with --quick: also the 25, 50 and 100 MB files (minutes)"
    )
    huge.add_argument("--no-huge", action="store_true", help="skip the 25, 50 and 100 MB files")
    huge.add_argument(
        "--huge-only", action="store_true", help="only the 25, 50 and 100 MB files (no peers, no DUP search)"
    )
    args = ap.parse_args(argv)
    with_huge = args.huge or args.huge_only or not (args.quick or args.no_huge)
    con = console()
    if args.install_peers:
        install_peers(con)
    if not require_corpus(con, "speed"):
        return 0
    runs = args.runs or (3 if args.quick else 5)
    big_runs = 1 if args.quick else min(runs, 3)
    timeout = args.timeout or (8.0 if args.quick else 900.0)
    peer_timeout = min(timeout, PEER_TIMEOUT)
    reports = load_reports()
    t_start = time.perf_counter()
    compile_package()
    res: dict = {"cases": {}}
    with tempfile.TemporaryDirectory(prefix="reportlint-speed-") as d:
        tmp = Path(d)
        inputs = {} if args.huge_only else prepare_inputs(tmp, reports)
        peers = {} if args.no_peers or args.huge_only else find_peers(tmp)
        rl = reportlint_command()
        if not args.huge_only:
            con.print("[dim]start-up…[/]")
            res["startup"] = startup(rl, tmp, runs)
        cases = [(name, info, [], True) for name, info in inputs.items()]
        if args.only:
            cases = [c for c in cases if args.only in c[0]]
        if with_huge:  # reportlint only: the peers are timed on the 10 MB file
            cases += [(name, info, HUGE_ARGS, False) for name, info in prepare_huge(tmp, reports).items()]
        folder = next((c for c in cases if c[1]["path"].is_dir()), None)
        if folder and not args.quick:  # the same folder without the cross-file search
            cases.insert(
                cases.index(folder) + 1,
                (folder[0] + ", --no-cross-file", folder[1], ["--no-cross-file"], False),
            )
        for name, info, extra, with_peers in cases:
            path = info["path"]
            is_huge = extra is HUGE_ARGS
            n = 1 if is_huge else big_runs if info["bytes"] >= BIG else runs
            con.print(f"[dim]timing {name} ({n} run(s))…[/]")
            row: dict = {"bytes": info["bytes"], "runs": n}
            row["reportlint"] = measure(
                [*rl, "check", str(path), "--format", "json", *extra],
                tmp,
                n,
                max(timeout, HUGE_TIMEOUT) if is_huge else timeout,
            )
            for pname, peer in peers.items() if with_peers else ():
                if args.quick and pname in SLOW_PEERS and info["bytes"] >= BIG:
                    row[pname] = {"skipped": SLOW_PEERS[pname]}
                    continue
                row[pname] = measure(peer_args(peer, path, tmp), tmp, n, peer_timeout)
            res["cases"][name] = row
        folder_path = inputs.get(f"folder of {FOLDER_FILES} files", {}).get("path")
        if folder_path is not None and not args.only:
            res["parallel"] = folder_scaling(con, folder_path, rl, 1 if args.quick else min(runs, 3), timeout)
        one_mb = inputs.get("1 MB distinct", {}).get("path")
        if one_mb is not None and not args.no_families and not args.only:
            res["families"] = family_costs(con, one_mb, 1 if args.quick else 3, max(timeout, 300.0))
    if args.no_dup or args.huge_only:
        res["dup_search"] = {"status": "skipped", "note": "--no-dup" if args.no_dup else "--huge-only"}
    else:
        con.print("[dim]duplicate search…[/]")
        res["dup_search"] = dup_search(reports, DUP_PARAGRAPHS)
    res["peers"] = {p: {"home": str(PEERS_HOME)} for p in peers}
    res["command"] = " ".join(rl) + " check PATH --format json > /dev/null"
    res["meta"] = meta(
        quick=args.quick,
        runs=runs,
        timeout_s=timeout,
        peer_timeout_s=peer_timeout,
        big_runs=big_runs,
        huge=with_huge,
        gnu_time=Path(GNU_TIME).is_file(),
        total_s=round(time.perf_counter() - t_start, 1),
    )
    print_report(con, res)
    # --huge-only keeps the full run's speed.json
    path = write_result("speed_huge.json" if args.huge_only else "speed.json", res)
    con.print(f"[dim]{res['meta']['total_s']:.1f} s; results in {path}[/]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
