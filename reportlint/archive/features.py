"""What the archive index keeps of a document, computed the same way when indexing and querying.

A document is cut into the DUP rules' logical paragraphs (``reportlint.rules._dup.units_of``:
page debris dropped, a paragraph cut by a page break joined again) and each one gets

- its *key* (letters, digits and Chinese characters, folded) and a 64-bit hash of the key:
  the exact fingerprint of a paragraph, equal for copies that differ only in spaces,
  punctuation or markup;
- the 64-bit hashes of its sentences' keys (sentences of at least ``SENTENCE_MIN`` key
  characters): seeds of copied passages;
- for paragraphs of at least ``LSH_MIN`` key characters, a MinHash signature of its
  character ``SHINGLE``-grams (datasketch's ``affine32`` scheme, computed for all the
  paragraphs of a document in one numpy pass) and the LSH band keys derived from it.

Nothing here touches storage: the records are plain data, so that they can be computed
in worker processes (or on Dask workers) and written by one writer.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass, field

import numpy as np

from reportlint.document import Document
from reportlint.rules._dup import Unit, _sentence_bounds, key_offsets, units_of

FORMAT = 2  # bump when the features change: an index of another format must be rebuilt
SHINGLE = 3  # characters of key in one shingle
SENTENCE_MIN = 8  # key characters of a sentence to be indexed
UNIT_MIN = 10  # key characters of a paragraph to be kept at all
LSH_MIN = 20  # key characters of a paragraph to get a MinHash signature


@dataclass(frozen=True)
class Params:
    """The parameters an index is built with (stored in it; a query uses the index's own)."""

    num_perm: int = 80
    bands: int = 16
    rows: int = 5
    seed: int = 1
    shingle: int = SHINGLE
    format: int = FORMAT

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in ("num_perm", "bands", "rows", "seed", "shingle", "format")}


# ----------------------------------------------------------------------------- hashing

_M32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_M64 = (
    np.uint64(33),
    np.uint64(0xFF51AFD7ED558CCD),
    np.uint64(33),
    np.uint64(0xC4CEB9FE1A85EC53),
    np.uint64(33),
)


def _fmix(hv: np.ndarray, consts: tuple) -> np.ndarray:
    """The MurmurHash3 finalizer (the pre-mix of datasketch's affine schemes), element-wise."""
    s1, m1, s2, m2, s3 = consts
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    return hv ^ (hv >> s3)


def key_hash(key: str) -> int:
    """A signed 64-bit hash of a key (SQLite integers are signed)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def shingle_hashes(key: str, k: int = SHINGLE) -> np.ndarray:
    """32-bit hashes of the character k-grams of ``key`` (one per position, repeats kept)."""
    cp = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(cp) < k:
        cp = np.concatenate([cp, np.zeros(k - len(cp), dtype=np.uint64)])
    n = len(cp) - k + 1
    v = cp[:n].copy()
    for j in range(1, k):
        v = (v << np.uint64(21)) ^ cp[j : j + n]
    return (_fmix(v, _M64) & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def shingles(key: str, k: int = SHINGLE) -> set[str]:
    """The set of character k-grams of ``key`` (the whole key when shorter)."""
    if len(key) <= k:
        return {key}
    return {key[i : i + k] for i in range(len(key) - k + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


_PERMS: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The permutations of datasketch's ``MinHash(num_perm, seed)`` in its affine32 scheme.

    Drawn exactly as datasketch draws them (a test compares the two), without importing
    datasketch, whose import pulls in scipy: a query should not pay a second for that.
    """
    got = _PERMS.get((num_perm, seed))
    if got is None:
        gen = np.random.RandomState(seed)
        a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
        got = (a, b)
        _PERMS[(num_perm, seed)] = got
    return got


def minhashes(keys: list[str], p: Params) -> np.ndarray:
    """MinHash signatures (len(keys) x num_perm, uint32) of the keys' shingle sets.

    The same values as datasketch's ``MinHash(num_perm, seed).update_batch`` fed with
    ``shingle_hashes`` (scheme affine32), computed for all keys in one pass.
    """
    out = np.empty((len(keys), p.num_perm), dtype=np.uint32)
    if not keys:
        return out
    a, b = permutations(p.num_perm, p.seed)
    parts = [shingle_hashes(k, p.shingle) for k in keys]
    hv = _fmix(np.concatenate(parts), _M32)
    starts = np.cumsum([0] + [len(x) for x in parts[:-1]])
    chunk = max(1, 4_000_000 // p.num_perm)  # bound the temporary matrix
    if len(hv) <= chunk:
        phv = hv[:, None] * a[None, :] + b[None, :]
        return np.minimum.reduceat(phv, starts, axis=0)
    for i, key_part in enumerate(parts):  # a huge document: one paragraph at a time
        s = starts[i]
        seg = hv[s : s + len(key_part)]
        out[i] = (seg[:, None] * a[None, :] + b[None, :]).min(axis=0)
    return out


def band_keys(sigs: np.ndarray, p: Params) -> np.ndarray:
    """Signed 64-bit keys of the LSH bands (rows x bands): band index and its ``rows`` values."""
    n = sigs.shape[0]
    cols = sigs[:, : p.bands * p.rows].astype(np.uint64).reshape(n, p.bands, p.rows)
    h = np.broadcast_to(np.arange(1, p.bands + 1, dtype=np.uint64), (n, p.bands))
    mult = np.uint64(0x9E3779B97F4A7C15)
    for j in range(p.rows):
        h = _fmix(h * mult + cols[:, :, j], _M64)
    return np.ascontiguousarray(h).view(np.int64)


# ----------------------------------------------------------------------------- records


@dataclass
class UnitRecord:
    """One logical paragraph as stored: its text and where it stands in the document."""

    n: int  # number of the unit in the document
    text: str
    heading: bool
    segs: list[tuple[int, int, int, int]]  # (offset in text, document offset, line, column)

    def to_json(self) -> list:
        return [self.n, self.text, int(self.heading), self.segs]

    @classmethod
    def from_json(cls, data: list) -> UnitRecord:
        return cls(data[0], data[1], bool(data[2]), [tuple(s) for s in data[3]])


@dataclass
class DocFeatures:
    """Everything the index stores of one document."""

    path: str
    sha256: str
    size: int = 0
    mtime_ns: int = 0
    chars: int = 0
    units: list[UnitRecord] = field(default_factory=list)
    para: list[tuple[int, int]] = field(default_factory=list)  # (key hash, unit n)
    sent: list[tuple[int, int]] = field(default_factory=list)  # (sentence key hash, unit n)
    lsh_units: list[int] = field(default_factory=list)  # unit n of each signature row
    sigs: np.ndarray | None = None  # len(lsh_units) x num_perm, uint32
    bands: np.ndarray | None = None  # len(lsh_units) x bands, int64

    def blob(self) -> bytes:
        return pack_units(self.units)


def pack_units(units: list[UnitRecord]) -> bytes:
    data = json.dumps([u.to_json() for u in units], ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(data.encode("utf-8"), 6)


def unpack_units(blob: bytes) -> list[UnitRecord]:
    return [UnitRecord.from_json(x) for x in json.loads(zlib.decompress(blob).decode("utf-8"))]


def unit_record(doc: Document, u: Unit) -> UnitRecord:
    segs = []
    for off, start in u.segs:
        line, col = doc.line_col(start)
        segs.append((off, start, line, col))
    return UnitRecord(u.n, u.text, u.heading, segs)


def unit_from_record(rec: UnitRecord) -> Unit:
    """A Unit of the DUP helpers for a stored paragraph: its text, key and clause offsets, as
    ``Unit.__init__`` computes them, without a Document (only text offsets are used)."""
    u = Unit.__new__(Unit)
    u.doc, u.n, u.paras, u.text, u.segs = None, rec.n, [], rec.text, [(0, 0)]
    u.heading = rec.heading
    u.key, u.kst, u._raw = key_offsets(rec.text)
    return u


def sentence_keys(u: Unit) -> list[tuple[int, int]]:
    """Key ranges [s, e) of the sentences of ``u`` long enough to be indexed."""
    b = _sentence_bounds(u)
    return [(b[i], b[i + 1]) for i in range(len(b) - 1) if b[i + 1] - b[i] >= SENTENCE_MIN]


def features(doc: Document, p: Params, sha256: str = "", size: int = 0, mtime_ns: int = 0) -> DocFeatures:
    """The records of one document (``doc.path`` is stored as its path)."""
    feat = DocFeatures(doc.path, sha256 or doc.meta.get("sha256", ""), size, mtime_ns, len(doc.text))
    lsh_keys: list[str] = []
    for u in units_of(doc):
        if len(u.key) < UNIT_MIN:
            continue
        feat.units.append(unit_record(doc, u))
        add_unit_hashes(feat, u, lsh_keys)
    finish(feat, lsh_keys, p)
    return feat


def add_unit_hashes(feat: DocFeatures, u: Unit, lsh_keys: list[str]) -> None:
    if not u.heading:
        feat.para.append((key_hash(u.key), u.n))
    for s, e in sentence_keys(u):
        feat.sent.append((key_hash(u.key[s:e]), u.n))
    if len(u.key) >= LSH_MIN and not u.heading:
        feat.lsh_units.append(u.n)
        lsh_keys.append(u.key)


def finish(feat: DocFeatures, lsh_keys: list[str], p: Params) -> None:
    feat.para = sorted(set(feat.para))
    feat.sent = sorted(set(feat.sent))
    feat.sigs = minhashes(lsh_keys, p)
    feat.bands = band_keys(feat.sigs, p)


def features_of_records(path: str, units: list[UnitRecord], p: Params) -> DocFeatures:
    """The hashes of stored paragraphs again (to remove a document from the index)."""
    feat = DocFeatures(path, "")
    lsh_keys: list[str] = []
    for rec in units:
        u = unit_from_record(rec)
        u.heading = rec.heading
        feat.units.append(rec)
        add_unit_hashes(feat, u, lsh_keys)
    finish(feat, lsh_keys, p)
    return feat
