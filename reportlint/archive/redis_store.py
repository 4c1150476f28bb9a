"""The archive index in Redis, for archives that outgrow one machine's disk or are shared
by many workers: ``--index redis://HOST:PORT/DB`` (``?prefix=NAME`` to keep several).

The LSH tables are datasketch's own ``MinHashLSH`` with its Redis storage (one set per
band bucket, and the band keys of every paragraph for removal); documents, their packed
paragraphs and the exact fingerprints are plain Redis hashes and sets under the same
prefix. Everything a query needs is in Redis, so any number of checking processes or
Dask workers can share one index.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from urllib.parse import parse_qs, urlparse

import numpy as np

from reportlint.archive.features import DocFeatures, Params, UnitRecord, unpack_units
from reportlint.archive.store import DocInfo, Store, read_params, ref
from reportlint.errors import UsageError

_PACK = struct.Struct(">q")


def _refs(values: Iterable[bytes]) -> list[int]:
    return sorted(_PACK.unpack(v)[0] for v in values)


class RedisStore(Store):
    def __init__(self, spec: str, create: bool = False, params: Params | None = None) -> None:
        import redis
        from datasketch import MinHashLSH

        url = urlparse(spec)
        self.prefix = (parse_qs(url.query).get("prefix") or ["reportlint"])[0]
        self.spec = spec
        try:
            self.r = redis.Redis.from_url(spec.split("?")[0])
            meta = {k.decode(): v.decode() for k, v in self.r.hgetall(self._k("meta")).items()}
        except (redis.RedisError, ValueError) as e:
            raise UsageError(f"{spec}: cannot use this Redis server ({e})") from None
        if not meta:
            if not create:
                raise UsageError(f"{spec}: no index here (create it with `reportlint index build`)")
            p = params or Params()
            meta = {k: str(v) for k, v in p.as_dict().items()}
            self.r.hset(self._k("meta"), mapping=meta)
        self.params = p = read_params(meta, spec)
        conn = self.r.connection_pool.connection_kwargs
        config = {
            "type": "redis",
            "basename": self._k("lsh").encode(),
            "redis": {
                k: conn[k] for k in ("host", "port", "db", "password", "username") if conn.get(k) is not None
            },
        }
        if "path" in conn:  # a unix socket
            config["redis"] = {"unix_socket_path": conn["path"], "db": conn.get("db", 0)}
        self.lsh = MinHashLSH(
            num_perm=p.num_perm, params=(p.bands, p.rows), storage_config=config, prepickle=False
        )
        self.session = None
        self.pipe = self.r.pipeline(transaction=False)

    def _k(self, *parts: object) -> str:
        return ":".join([self.prefix, *map(str, parts)])

    # ------------------------------------------------------------------ documents
    def doc_info(self, path: str) -> DocInfo | None:
        got = self.r.hget(self._k("paths"), path)
        if got is None:
            return None
        return self._info(int(got))

    def _info(self, doc_id: int) -> DocInfo | None:
        vals = self.r.hmget(self._k("doc", doc_id), "path", "sha256", "size", "mtime_ns")
        if vals[0] is None:
            return None
        return DocInfo(doc_id, vals[0].decode(), vals[1].decode(), int(vals[2]), int(vals[3]))

    def docs_with_sha(self, sha256: str) -> list[int]:
        return sorted(int(x) for x in self.r.smembers(self._k("sha", sha256)))

    def docs(self) -> Iterable[DocInfo]:
        self.commit()
        out = []
        for _path, doc_id in self.r.hscan_iter(self._k("paths")):
            info = self._info(int(doc_id))
            if info is not None:
                out.append(info)
        return out

    def add(self, feat: DocFeatures) -> int:
        from datasketch import LeanMinHash

        doc_id = int(self.r.incr(self._k("next")))
        base = ref(doc_id, 0)
        pipe = self.pipe
        pipe.hset(
            self._k("doc", doc_id),
            mapping={
                "path": feat.path,
                "sha256": feat.sha256,
                "size": feat.size,
                "mtime_ns": feat.mtime_ns,
                "chars": feat.chars,
                "units": len(feat.units),
                "data": feat.blob(),
            },
        )
        pipe.hset(self._k("paths"), feat.path, doc_id)
        pipe.sadd(self._k("sha", feat.sha256), doc_id)
        for h, n in feat.para:
            pipe.sadd(self._k("pf", h), _PACK.pack(base | n))
        for h, n in feat.sent:
            pipe.sadd(self._k("sf", h), _PACK.pack(base | n))
        if self.session is None:
            self.session = self.lsh.insertion_session(buffer_size=20000)
        if feat.sigs is not None:
            for n, sig in zip(feat.lsh_units, feat.sigs, strict=True):
                mh = LeanMinHash(seed=self.params.seed, hashvalues=sig, scheme="affine32")
                self.session.insert(_PACK.pack(base | n), mh, check_duplication=False)
        if len(pipe) > 20000:
            pipe.execute()
        return doc_id

    def touch(self, doc_id: int, size: int, mtime_ns: int) -> None:
        self.pipe.hset(self._k("doc", doc_id), mapping={"size": size, "mtime_ns": mtime_ns})

    def remove(self, doc_id: int, feat: DocFeatures) -> None:
        self.commit()
        base = ref(doc_id, 0)
        info = self._info(doc_id)
        pipe = self.r.pipeline(transaction=False)
        for h, n in feat.para:
            pipe.srem(self._k("pf", h), _PACK.pack(base | n))
        for h, n in feat.sent:
            pipe.srem(self._k("sf", h), _PACK.pack(base | n))
        if info is not None:
            pipe.hdel(self._k("paths"), info.path)
            pipe.srem(self._k("sha", info.sha256), doc_id)
        pipe.delete(self._k("doc", doc_id))
        pipe.execute()
        with self.lsh.deletion_session() as session:
            for n in feat.lsh_units:
                key = _PACK.pack(base | n)
                if key in self.lsh.keys:
                    session.remove(key)

    def units(self, doc_id: int) -> tuple[str, list[UnitRecord]]:
        path, data = self.r.hmget(self._k("doc", doc_id), "path", "data")
        if path is None:
            return "", []
        return path.decode(), unpack_units(data)

    # ------------------------------------------------------------------ lookups
    def lookup(self, table: str, hashes: Sequence[int], limit: int) -> dict[int, list[int]]:
        name = {"para": "pf", "sent": "sf"}[table]
        keys = sorted(set(hashes))
        pipe = self.r.pipeline(transaction=False)
        for h in keys:
            pipe.smembers(self._k(name, h))
        out = {}
        for h, members in zip(keys, pipe.execute(), strict=True):
            if members:
                out[h] = _refs(members)[: limit + 1]
        return out

    def lsh_candidates(self, sigs: np.ndarray, bands: np.ndarray, limit: int) -> list[set[int]]:
        out: list[set[int]] = [set() for _ in range(len(sigs))]
        if not len(sigs):
            return out
        lsh = self.lsh
        sigs = sigs.astype(np.uint32)
        for (start, end), table in zip(lsh.hashranges, lsh.hashtables, strict=True):
            buckets = table.getmany(*[lsh._H(sig[start:end]) for sig in sigs])
            for found, members in zip(out, buckets, strict=True):
                found.update(_refs(members)[: limit + 1])
        return out

    def stats(self) -> dict:
        self.commit()
        info = self.r.info("memory")
        n_docs = self.r.hlen(self._k("paths"))
        chars = units = 0
        for _, doc_id in self.r.hscan_iter(self._k("paths")):
            c, u = self.r.hmget(self._k("doc", int(doc_id)), "chars", "units")
            chars += int(c or 0)
            units += int(u or 0)
        return {
            "store": "redis",
            "location": self.spec,
            "documents": n_docs,
            "characters": chars,
            "paragraphs": units,
            "lsh_entries": self.lsh.keys.size() * self.params.bands,
            "redis_used_memory": info.get("used_memory"),
            "params": self.params.as_dict(),
        }

    def commit(self) -> None:
        if len(self.pipe):
            self.pipe.execute()
        if self.session is not None:
            self.session.close()
            self.session = None

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self.r.close()
