"""Archive-scale copy detection: build rate, index size, query time, recall and precision.

    python bench/archive.py --sizes 1000,10000          # the small archives (minutes)
    python bench/archive.py --sizes 100000              # the large one (about an hour here)
    python bench/archive.py --sizes 10000 --redis --dask  # the same findings on Redis and Dask?

For each size a synthetic archive is written (bench/archive_synth.py: corpus sentences of
the chosen part, lightly edited, in documents of 4-14 paragraphs, some copying earlier
ones) with a 30,000-character draft holding planted copies. Then:

- build: ``ArchiveIndex.update`` of the folder into a fresh SQLite index (``--jobs``
  worker processes), documents per minute, index size on disk;
- query: the draft read and matched against the loaded index (warm), median of 5;
- truth: every paragraph of the draft of at least 50 characters of text is compared
  with every archived paragraph (Jaccard similarity of character trigram sets, exact),
  with a pigeonhole filter that cannot lose a pair at or above the threshold
  (``--verify-brute`` compares it with the plain all-pairs loop);
  recall = truly copied paragraphs reported / truly copied paragraphs (J >= 0.8),
  precision = reported paragraphs whose reported source truly has J >= 0.8 / reported.
- planted passages: the share of pasted three-sentence passages reported (DUP008).

Results go to bench/results/archive-<part>.json; the split (bench/common.py) decides
which corpus text the archive is made of: ``--part tune`` to choose parameters, ``--part
test`` (default) to measure.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.archive_synth import Synth, sentence_pool, write_archive, write_draft
from bench.common import meta, news_files, report_files, require_corpus, write_result

THRESHOLD = 0.8
MIN_CHARS = 50


# ----------------------------------------------------------------------------- truth


def draft_units(path: Path):
    from reportlint.readers import read_path
    from reportlint.rules._dup import units_of

    doc = read_path(str(path))
    return [u for u in units_of(doc) if not u.heading and len(u.key) >= MIN_CHARS]


def archived_paragraphs(folder: Path) -> dict[tuple[str, int], str]:
    """(file name, line) -> key of every logical paragraph of the archive, read and cut as
    ``check`` reads and cuts (a paragraph that lost its final punctuation continues on the
    next line, as across a page break)."""
    from reportlint.readers import read_path
    from reportlint.rules._dup import units_of

    out = {}
    for f in sorted(folder.iterdir()):
        for u in units_of(read_path(str(f))):
            out[(f.name, u.line)] = u.key
    return out


def truth(units, archive: dict[tuple[str, int], str], brute: bool = False) -> dict[int, dict]:
    """unit n -> {(archived file, line): J} for every archived paragraph with J >= THRESHOLD."""
    from reportlint.archive.features import jaccard, shingles

    qs = {u.n: shingles(u.key) for u in units}
    prefix: dict[str, list[int]] = {}
    for n, q in qs.items():
        # any x with J(q, x) >= t holds at least ceil(t|q|) of q's shingles, so it holds
        # at least one of any |q| - ceil(t|q|) + 1 of them
        need = len(q) - math.ceil(THRESHOLD * len(q)) + 1
        for s in sorted(q, key=hash)[:need]:
            prefix.setdefault(s, []).append(n)
    keys = set(prefix)
    out: dict[int, dict[tuple[str, int], float]] = {n: {} for n in qs}
    for where, key in archive.items():
        xs = shingles(key)
        if brute:
            cands = qs
        else:
            hits = xs & keys
            if not hits:
                continue
            cands = {n for s in hits for n in prefix[s]}
        for n in cands:
            j = jaccard(qs[n], xs)
            if j >= THRESHOLD:
                out[n][where] = j
    return out


# ----------------------------------------------------------------------------- runs


def _size(path: str) -> int:
    return sum(os.path.getsize(path + s) for s in ("", "-wal", "-shm") if os.path.exists(path + s))


def build(folder: Path, spec: str, jobs: int, client=None) -> dict:
    from reportlint.archive.index import ArchiveIndex

    t = time.perf_counter()
    idx = ArchiveIndex(spec, create=True)
    res = idx.update([str(folder)], jobs=jobs, client=client)
    stats = idx.stats()
    idx.close()
    secs = time.perf_counter() - t
    return {"seconds": round(secs, 1), "docs_per_min": round(res.added / secs * 60), "stats": stats}


def query(draft: Path, spec: str, repeat: int = 5) -> tuple[list, float]:
    from reportlint.archive.query import Options, find_copies, open_index
    from reportlint.readers import read_path

    index = open_index(spec)
    times = []
    matches: list = []
    for _ in range(repeat + 1):  # the first run warms the page cache and loads numpy, datasketch
        t = time.perf_counter()
        doc = read_path(str(draft))
        matches = find_copies(doc, index, Options())
        times.append(time.perf_counter() - t)
    return matches, statistics.median(times[1:])


def signature(matches) -> list[tuple]:
    return sorted(
        (m.unit.n, m.kind, m.start, m.end, m.source.path, m.source.n, round(m.score, 6), m.others)
        for m in matches
    )


def score(matches, units, true: dict, archive: dict[tuple[str, int], str]) -> dict:
    whole = {m.unit.n: m for m in matches if m.kind != "passage"}
    eligible = {u.n for u in units}
    positives = {n for n, hits in true.items() if hits}
    reported = {n for n in whole if n in eligible}
    correct = set()
    from reportlint.archive.features import jaccard, shingles

    for n in reported:
        src = whole[n].source
        key = archive.get((Path(src.path).name, src.span.line), "")
        u = next(u for u in units if u.n == n)
        if jaccard(shingles(u.key), shingles(key)) >= THRESHOLD:
            correct.add(n)
    tp = len(correct & positives)
    return {
        "true_copies": len(positives),
        "reported": len(reported),
        "found": tp,
        "recall": round(tp / len(positives), 4) if positives else None,
        "precision": round(len(correct) / len(reported), 4) if reported else None,
        "missed": sorted(positives - reported),
        "wrong": sorted(reported - correct),
    }


def planted_passages(matches, plan, units, true) -> dict:
    """Pasted passages of at least DUP008's 100 characters of text: reported at all? Fresh
    paragraphs with a passage finding (false alarms); edited copies below the similarity
    threshold that DUP008 still reports as edited passages."""
    from reportlint.rules._dup import normalize

    lines = {p.line for p in plan if p.kind == "passage" and len(normalize(p.copied)) >= 100}
    found = {m.unit.line for m in matches}
    passages = {m.unit.line for m in matches if m.kind == "passage"}
    hit = len(lines & found)
    fresh = {p.line for p in plan if p.kind == "fresh"}
    below = {u.line for u in units if not true.get(u.n)} & {p.line for p in plan if p.kind == "edit"}
    return {
        "planted": len(lines),
        "found": hit,
        "recall": round(hit / len(lines), 4) if lines else None,
        "fresh_paragraphs": len(fresh),
        "fresh_with_a_finding": len(fresh & found),
        "edited_below_threshold": len(below),
        "edited_below_threshold_found_as_passage": len(below & passages),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(folder: Path) -> tuple[subprocess.Popen, int] | None:
    exe = shutil.which("redis-server")
    if exe is None:
        return None
    port = free_port()
    proc = subprocess.Popen(
        [
            exe,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    for _ in range(100):
        try:
            redis.Redis(port=port).ping()
            return proc, port
        except redis.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    return None


def findings_via(draft: Path, spec: str, executor=None) -> list[tuple]:
    from reportlint.config import Config
    from reportlint.runner import ConfigResolver, run_paths

    cfg = Config(select=("DUP006", "DUP007", "DUP008"), against=spec, cross_file=False)
    run = run_paths([str(draft)], ConfigResolver(cfg, {}), jobs=1, executor=executor)
    return sorted(
        (
            f.code,
            f.span.line,
            f.span.column,
            f.span.end,
            f.message.zh,
            [(r.span.path, r.span.line) for r in f.related],
        )
        for r in run.report.files
        for f in r.findings
    )


def run_size(n: int, work: Path, synth: Synth, args) -> dict:
    folder = work / f"archive_{n}"
    draft = work / f"draft_{n}.txt"
    t = time.perf_counter()
    kept, names = write_archive(folder, n, synth)
    plan = write_draft(draft, kept, names, synth)
    gen = time.perf_counter() - t
    chars = sum(f.stat().st_size for f in folder.iterdir()) // 3
    print(f"[{n}] archive written in {gen:.0f} s (~{chars:,} characters)", flush=True)
    spec = str(work / f"index_{n}.idx")
    b = build(folder, spec, args.jobs)
    b["bytes"] = _size(spec)
    print(
        f"[{n}] built: {b['seconds']} s, {b['docs_per_min']:,} docs/min, {b['bytes'] / 2**20:.0f} MiB",
        flush=True,
    )
    matches, qtime = query(draft, spec)
    print(f"[{n}] query: {qtime * 1000:.0f} ms, {len(matches)} matches", flush=True)
    units = draft_units(draft)
    t = time.perf_counter()
    archive = archived_paragraphs(folder)
    true = truth(units, archive)
    tt = time.perf_counter() - t
    if args.verify_brute:
        assert truth(units, archive, brute=True) == true, "the filtered truth differs from all pairs"
    sc = score(matches, units, true, archive)
    print(f"[{n}] truth in {tt:.0f} s: recall {sc['recall']}, precision {sc['precision']}", flush=True)
    out = {
        "documents": n,
        "archive_chars": chars,
        "draft_chars": draft.stat().st_size // 3,
        "build": b,
        "query_seconds": round(qtime, 3),
        "paragraphs": sc,
        "passages": planted_passages(matches, plan, units, true),
        "matches_by_kind": {
            k: sum(m.kind == k for m in matches) for k in ("exact", "normalised", "near", "passage")
        },
    }
    base = findings_via(draft, spec)
    if args.redis:
        got = start_redis(work)
        if got is None:
            out["redis"] = "redis-server could not be started"
        else:
            proc, port = got
            try:
                rspec = f"redis://127.0.0.1:{port}/0"
                rb = build(folder, rspec, args.jobs)
                rmatches, rq = query(draft, rspec)
                import redis

                mem = redis.Redis(port=port).info("memory")["used_memory"]
                out["redis"] = {
                    "build_seconds": rb["seconds"],
                    "docs_per_min": rb["docs_per_min"],
                    "used_memory": mem,
                    "query_seconds": round(rq, 3),
                    "same_matches": signature(rmatches) == signature(matches),
                    "same_findings": findings_via(draft, rspec) == base,
                }
            finally:
                proc.terminate()
                proc.wait(10)
        print(f"[{n}] redis: {out['redis']}", flush=True)
    if args.dask:
        from distributed import Client, LocalCluster

        with (
            LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            dspec = str(work / f"index_{n}_dask.idx")
            db = build(folder, dspec, args.jobs, client=client)
            dmatches, _ = query(draft, dspec)
            out["dask"] = {
                "build_seconds": db["seconds"],
                "docs_per_min": db["docs_per_min"],
                "same_index": {
                    k: db["stats"][k] for k in ("documents", "lsh_entries", "sentence_fingerprints")
                }
                == {k: b["stats"][k] for k in ("documents", "lsh_entries", "sentence_fingerprints")},
                "same_matches": signature(dmatches) == signature(matches),
                "same_findings_checked_on_dask": findings_via(draft, spec, client.get_executor()) == base,
            }
        print(f"[{n}] dask: {out['dask']}", flush=True)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="archive sizes, comma-separated")
    ap.add_argument("--part", choices=["tune", "test"], default="test")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--redis", action="store_true", help="also build and query on a local redis-server")
    ap.add_argument("--dask", action="store_true", help="also build and check on a 2-worker LocalCluster")
    ap.add_argument("--verify-brute", action="store_true", help="check the truth filter against all pairs")
    ap.add_argument("--work", default=None, help="folder for the archives [default: a temporary one]")
    ap.add_argument("--keep", action="store_true", help="keep the archives written")
    args = ap.parse_args()
    from bench.common import console

    if not require_corpus(console(), "archive benchmark"):
        return 0
    pool = sentence_pool(report_files(args.part) + news_files(args.part))
    synth = Synth(pool, seed=19)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="reportlint-archive-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for n in [int(x) for x in args.sizes.split(",") if x]:
            results.append(run_size(n, work, synth, args))
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    name = f"archive-{args.part}-{args.sizes.replace(',', '-')}.json"
    path = write_result(name, meta(part=args.part, jobs=args.jobs, sentences=len(pool), sizes=results))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
