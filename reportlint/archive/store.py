"""Where an archive index lives: a SQLite file (the default, nothing to start) or Redis.

Both stores keep the same things under the same interface, so that building and querying
are one code path whatever the store:

- documents: path, content hash, size, modification time and the packed paragraphs;
- exact fingerprints: paragraph key hash -> paragraph, sentence key hash -> paragraph;
- the LSH tables of the paragraphs' MinHash signatures.

A paragraph is named by a *ref*, ``doc_id << 20 | n`` (n: the paragraph's number in its
document), so that fingerprint and LSH tables hold plain integers.
"""

from __future__ import annotations

import os
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from reportlint.archive.features import DocFeatures, Params, UnitRecord
from reportlint.errors import UsageError

REF_BITS = 20
MAX_UNITS = 1 << REF_BITS


def ref(doc_id: int, n: int) -> int:
    return (doc_id << REF_BITS) | n


def split_ref(r: int) -> tuple[int, int]:
    return r >> REF_BITS, r & (MAX_UNITS - 1)


@dataclass
class DocInfo:
    id: int
    path: str
    sha256: str
    size: int
    mtime_ns: int


class Store(ABC):
    """The storage interface of an archive index."""

    params: Params

    @abstractmethod
    def doc_info(self, path: str) -> DocInfo | None: ...

    @abstractmethod
    def docs_with_sha(self, sha256: str) -> list[int]: ...

    @abstractmethod
    def docs(self) -> Iterable[DocInfo]: ...

    @abstractmethod
    def add(self, feat: DocFeatures) -> int: ...

    @abstractmethod
    def touch(self, doc_id: int, size: int, mtime_ns: int) -> None: ...

    @abstractmethod
    def remove(self, doc_id: int, feat: DocFeatures) -> None:
        """Remove a document; ``feat`` holds its hashes (recomputed from its stored paragraphs)."""

    @abstractmethod
    def units(self, doc_id: int) -> tuple[str, list[UnitRecord]]:
        """The path and stored paragraphs of a document."""

    def records(self, refs: Iterable[int]) -> dict[int, tuple[str, UnitRecord]]:
        """(path, stored paragraph) of each ref, read in as few requests as possible."""
        out: dict[int, tuple[str, UnitRecord]] = {}
        by_doc: dict[int, list[int]] = {}
        for r in refs:
            by_doc.setdefault(split_ref(r)[0], []).append(r)
        for doc_id, rs in by_doc.items():
            path, units = self.units(doc_id)
            got = {u.n: u for u in units}
            for r in rs:
                rec = got.get(split_ref(r)[1])
                if rec is not None:
                    out[r] = (path, rec)
        return out

    @abstractmethod
    def lookup(self, table: str, hashes: Sequence[int], limit: int) -> dict[int, list[int]]:
        """Refs of each hash in ``table`` ("para" or "sent"), at most ``limit`` + 1 each."""

    @abstractmethod
    def lsh_candidates(self, sigs: np.ndarray, bands: np.ndarray, limit: int) -> list[set[int]]:
        """Refs whose LSH band keys collide with each row's (at most ``limit`` + 1 per band)."""

    @abstractmethod
    def stats(self) -> dict: ...

    def commit(self) -> None:  # noqa: B027 - optional for stores that write at once
        pass

    def close(self) -> None:  # noqa: B027
        pass


# ----------------------------------------------------------------------------- SQLite

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS doc (
    id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, chars INTEGER NOT NULL,
    units INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS unit (ref INTEGER PRIMARY KEY, heading INTEGER, text TEXT, segs TEXT);
CREATE INDEX IF NOT EXISTS doc_sha ON doc (sha256);
CREATE TABLE IF NOT EXISTS para (h INTEGER, ref INTEGER, PRIMARY KEY (h, ref)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sent (h INTEGER, ref INTEGER, PRIMARY KEY (h, ref)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lsh (h INTEGER, ref INTEGER, PRIMARY KEY (h, ref)) WITHOUT ROWID;
"""


def _segs(segs: list[tuple[int, int, int, int]]) -> str:
    return ";".join(",".join(map(str, s)) for s in segs)


def _record(r: int, heading: int, text: str, segs: str) -> UnitRecord:
    return UnitRecord(
        split_ref(r)[1], text, bool(heading), [tuple(map(int, s.split(","))) for s in segs.split(";")]
    )


def read_params(meta: dict[str, str], where: str) -> Params:
    try:
        p = Params(**{k: int(meta[k]) for k in Params().as_dict()})
    except (KeyError, ValueError):
        raise UsageError(f"{where}: not a reportlint archive index") from None
    if p.format != Params().format:
        raise UsageError(
            f"{where}: index format {p.format}, this version reads format {Params().format}; "
            "build the index again"
        )
    return p


class SQLiteStore(Store):
    """The embedded index: one SQLite file (standard library), nothing to start."""

    def __init__(self, path: str, create: bool = False, params: Params | None = None) -> None:
        self.path = path
        exists = os.path.exists(path)
        if not exists and not create:
            raise UsageError(f"{path}: no such index (create it with `reportlint index build`)")
        try:
            self.db = sqlite3.connect(path, timeout=60)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA cache_size=-262144")  # 256 MiB of page cache at most
            if create:
                self.db.executescript(_SCHEMA)
            meta = dict(self.db.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as e:
            raise UsageError(f"{path}: not a reportlint archive index ({e})") from None
        if not meta and create:
            p = params or Params()
            self.db.executemany(
                "INSERT INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in p.as_dict().items()]
            )
            self.db.commit()
            meta = {k: str(v) for k, v in p.as_dict().items()}
        self.params = read_params(meta, path)

    def doc_info(self, path: str) -> DocInfo | None:
        row = self.db.execute(
            "SELECT id, path, sha256, size, mtime_ns FROM doc WHERE path = ?", (path,)
        ).fetchone()
        return DocInfo(*row) if row else None

    def docs_with_sha(self, sha256: str) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM doc WHERE sha256 = ?", (sha256,))]

    def docs(self) -> Iterable[DocInfo]:
        return [DocInfo(*r) for r in self.db.execute("SELECT id, path, sha256, size, mtime_ns FROM doc")]

    def add(self, feat: DocFeatures) -> int:
        cur = self.db.execute(
            "INSERT INTO doc (path, sha256, size, mtime_ns, chars, units) VALUES (?, ?, ?, ?, ?, ?)",
            (feat.path, feat.sha256, feat.size, feat.mtime_ns, feat.chars, len(feat.units)),
        )
        doc_id = cur.lastrowid
        assert doc_id is not None
        base = ref(doc_id, 0)
        db = self.db
        db.executemany(
            "INSERT INTO unit VALUES (?, ?, ?, ?)",
            [(base | u.n, int(u.heading), u.text, _segs(u.segs)) for u in feat.units],
        )
        db.executemany("INSERT OR IGNORE INTO para VALUES (?, ?)", [(h, base | n) for h, n in feat.para])
        db.executemany("INSERT OR IGNORE INTO sent VALUES (?, ?)", [(h, base | n) for h, n in feat.sent])
        if feat.bands is not None and len(feat.lsh_units):
            rows = [
                (int(h), base | n)
                for n, hs in zip(feat.lsh_units, feat.bands.tolist(), strict=True)
                for h in hs
            ]
            db.executemany("INSERT OR IGNORE INTO lsh VALUES (?, ?)", rows)
        return doc_id

    def touch(self, doc_id: int, size: int, mtime_ns: int) -> None:
        self.db.execute("UPDATE doc SET size = ?, mtime_ns = ? WHERE id = ?", (size, mtime_ns, doc_id))

    def remove(self, doc_id: int, feat: DocFeatures) -> None:
        base = ref(doc_id, 0)
        db = self.db
        db.executemany("DELETE FROM para WHERE h = ? AND ref = ?", [(h, base | n) for h, n in feat.para])
        db.executemany("DELETE FROM sent WHERE h = ? AND ref = ?", [(h, base | n) for h, n in feat.sent])
        if feat.bands is not None:
            rows = [
                (int(h), base | n)
                for n, hs in zip(feat.lsh_units, feat.bands.tolist(), strict=True)
                for h in hs
            ]
            db.executemany("DELETE FROM lsh WHERE h = ? AND ref = ?", rows)
        db.execute("DELETE FROM unit WHERE ref BETWEEN ? AND ?", (base, base + MAX_UNITS - 1))
        db.execute("DELETE FROM doc WHERE id = ?", (doc_id,))

    def units(self, doc_id: int) -> tuple[str, list[UnitRecord]]:
        row = self.db.execute("SELECT path FROM doc WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return "", []
        base = ref(doc_id, 0)
        rows = self.db.execute(
            "SELECT ref, heading, text, segs FROM unit WHERE ref BETWEEN ? AND ? ORDER BY ref",
            (base, base + MAX_UNITS - 1),
        )
        return row[0], [_record(*r) for r in rows]

    def records(self, refs: Iterable[int]) -> dict[int, tuple[str, UnitRecord]]:
        out: dict[int, tuple[str, UnitRecord]] = {}
        keys = sorted(set(refs))
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            sql = (
                "SELECT unit.ref, doc.path, heading, text, segs FROM unit JOIN doc "
                f"ON doc.id = unit.ref >> {REF_BITS} "
                f"WHERE unit.ref IN ({','.join('?' * len(chunk))})"
            )
            for r, path, heading, text, segs in self.db.execute(sql, chunk):
                out[r] = (path, _record(r, heading, text, segs))
        return out

    def lookup(self, table: str, hashes: Sequence[int], limit: int) -> dict[int, list[int]]:
        assert table in ("para", "sent", "lsh")
        out: dict[int, list[int]] = {}
        keys = sorted(set(hashes))
        for i in range(0, len(keys), 500):  # a few statements, not one per hash
            chunk = keys[i : i + 500]
            sql = f"SELECT h, ref FROM {table} WHERE h IN ({','.join('?' * len(chunk))}) ORDER BY h, ref"
            for h, r in self.db.execute(sql, chunk):
                refs = out.setdefault(h, [])
                if len(refs) <= limit:
                    refs.append(r)
        return out

    def lsh_candidates(self, sigs: np.ndarray, bands: np.ndarray, limit: int) -> list[set[int]]:
        rows = bands.tolist()
        hits = self.lookup("lsh", [h for row in rows for h in row], limit)
        return [{r for h in row for r in hits.get(h, ())} for row in rows]

    def stats(self) -> dict:
        q = self.db.execute
        docs, chars, units = q(
            "SELECT count(*), coalesce(sum(chars), 0), coalesce(sum(units), 0) FROM doc"
        ).fetchone()
        self.db.commit()
        size = sum(os.path.getsize(self.path + s) for s in ("", "-wal") if os.path.exists(self.path + s))
        return {
            "store": "sqlite",
            "location": self.path,
            "documents": docs,
            "characters": chars,
            "paragraphs": units,
            "paragraph_fingerprints": q("SELECT count(*) FROM para").fetchone()[0],
            "sentence_fingerprints": q("SELECT count(*) FROM sent").fetchone()[0],
            "lsh_entries": q("SELECT count(*) FROM lsh").fetchone()[0],
            "bytes": size,
            "params": self.params.as_dict(),
        }

    def commit(self) -> None:
        self.db.commit()

    def close(self) -> None:
        try:
            self.db.commit()
            self.db.close()
        except sqlite3.Error:
            pass


def open_store(spec: str, create: bool = False, params: Params | None = None) -> Store:
    """The store an ``--index``/``--against`` value names: ``redis://HOST:PORT/DB`` or a file."""
    if spec.startswith(("redis://", "rediss://", "unix://")):
        from reportlint.archive.redis_store import RedisStore

        return RedisStore(spec, create=create, params=params)
    if os.path.isdir(spec):
        raise UsageError(f"{spec}: is a directory; the index is a file (e.g. archive.idx)")
    return SQLiteStore(spec, create=create, params=params)
