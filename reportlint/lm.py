"""A character n-gram language model of modern official Chinese, read from memory-mapped arrays.

Built by ``tools/build_lm.py`` from the tune part of the corpus (新闻联播 transcripts up to
December 2024 and the 2026 provincial reports): interpolated modified Kneser-Ney of order 5,
n-grams of orders 3-5 seen once pruned, backoff weights renormalised after pruning, log
probabilities and backoff weights quantised to 256 levels per order. Stored in
``reportlint/data/lm/`` as ``.npy`` files opened with ``np.load(mmap_mode="r")``: loading
costs a few file opens, and look-ups touch only the pages they read.

Tokens: one per Chinese character of the vocabulary (characters seen at least twice), ``UNK``
for other Chinese characters, one token for a run of digits (``NUM``) or of Latin letters
(``LAT``), one per common punctuation mark (half-width marks read as their full-width
forms), ``SYM`` for anything else, and ``B`` for a line break (a paragraph boundary).
Spaces are skipped. An n-gram of up to five token ids (12 bits each) is packed into one
uint64 key; each order's keys are sorted, so a whole text is scored with one
``np.searchsorted`` per order.

``logprob(rows)`` gives, for each row of ``N`` token ids, the natural-log probability of the
last token given the others (a backoff model: the longest stored n-gram, plus the backoff
weights of the longer histories that were not found).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

ORDER = 5
BITS = 12
MAX_VOCAB = 1 << BITS
B, UNK, NUM, LAT, SYM = 0, 1, 2, 3, 4
# Punctuation with a token of its own; the half-width forms map to the same token.
PUNCT = "，。、；：？！“”‘’《》（）—…·【】〔〕%"
HALF = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", "％": "%"}
FIRST_CHAR = 5 + len(PUNCT)
DROP = 0xFFFF
SORTED_SEARCH = 2000  # more keys than this are searched in sorted order
SPACES = " \t\r\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"
_HAN_BMP = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


def base_table() -> np.ndarray:
    """Code point (BMP) -> token id, without the vocabulary's characters."""
    tab = np.full(0x10000, SYM, dtype=np.uint16)
    for lo, hi in _HAN_BMP:
        tab[lo : hi + 1] = UNK
    for lo, hi in ((0x30, 0x39), (0xFF10, 0xFF19)):
        tab[lo : hi + 1] = NUM
    for lo, hi in ((0x41, 0x5A), (0x61, 0x7A), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)):
        tab[lo : hi + 1] = LAT
    for i, ch in enumerate(PUNCT):
        tab[ord(ch)] = 5 + i
    for half, full in HALF.items():
        tab[ord(half)] = 5 + PUNCT.index(full)
    for ch in SPACES:
        tab[ord(ch)] = DROP
    tab[ord("\n")] = B
    return tab


def make_table(vocab: np.ndarray) -> np.ndarray:
    tab = base_table()
    tab[vocab.astype(np.int64)] = np.arange(FIRST_CHAR, FIRST_CHAR + len(vocab), dtype=np.uint16)
    return tab


def tokenize(table: np.ndarray, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Token ids of a text and the offset of each token's first character.

    Runs of digits (a decimal point between digits included) and of Latin letters are one
    token each; spaces are dropped.
    """
    if not text:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    ids = table[np.minimum(cp, 0xFFFF)].astype(np.int64)
    astral = cp > 0xFFFF
    if astral.any():
        han = (cp >= 0x20000) & (cp <= 0x323AF)
        ids[astral] = np.where(han[astral], UNK, SYM)
    # A decimal point or comma between digits belongs to the number (6.5, 1,000).
    dot = (cp == 0x2E) | (cp == 0xFF0E) | (cp == 0x2C)
    if dot.any():
        inner = np.zeros(len(ids), dtype=bool)
        inner[1:-1] = dot[1:-1] & (ids[:-2] == NUM) & (ids[2:] == NUM)
        ids[inner] = NUM
    pos = np.arange(len(ids), dtype=np.int64)
    keep = ids != DROP
    ids, pos = ids[keep], pos[keep]
    run = (ids == NUM) | (ids == LAT)
    same = np.zeros(len(ids), dtype=bool)
    same[1:] = run[1:] & (ids[1:] == ids[:-1])
    return ids[~same], pos[~same]


def pack(cols: np.ndarray) -> np.ndarray:
    """uint64 keys of n-grams given as the columns of an (m, n) id array."""
    key = np.zeros(cols.shape[0], dtype=np.uint64)
    for j in range(cols.shape[1]):
        key = (key << np.uint64(BITS)) | cols[:, j].astype(np.uint64)
    return key


class CharLM:
    """The n-gram arrays and the scoring of token rows."""

    def __init__(
        self,
        vocab: np.ndarray,
        keys: list[np.ndarray],
        probs: list[np.ndarray],
        bows: list[np.ndarray],
        prob_books: np.ndarray | None,
        bow_books: np.ndarray | None,
        meta: dict[str, Any] | None = None,
    ) -> None:
        self.vocab = vocab
        self.order = len(keys)
        self.keys = keys  # keys[n-1]: sorted uint64 keys of the n-grams
        self.probs = probs  # uint8 codes of log p(w | h)
        self.bows = bows  # uint8 codes of log backoff(h) for orders 1..N-1
        self.prob_books = prob_books  # (N, 256) float32
        self.bow_books = bow_books  # (N - 1, 256) float32
        self.meta = meta or {}
        self.table = make_table(vocab)
        self.size = FIRST_CHAR + len(vocab)
        # Optional extras (see tools/build_lm.py): a dense bigram table for quick estimates,
        # and the candidate characters of each vocabulary character (the channel model).
        self.bigram: np.ndarray | None = None
        self.bigram_book: np.ndarray | None = None
        self.conf_ptr: np.ndarray | None = None
        self.conf_ids: np.ndarray | None = None
        self.conf_kind: np.ndarray | None = None
        # Per token id (see tools/build_lm.py): how much more often the character stands in
        # foreign names than in text at large (ln ratio, 0.1 steps), and whether it is a
        # country's one-character abbreviation (中美, 中阿关系).
        self.foreign: np.ndarray | None = None
        self.abbrev: np.ndarray | None = None
        self.unk_types = float(self.meta.get("unk_types", 1))
        self.floor = float(self.meta.get("floor", -20.0))
        self._char_id: dict[str, int] = {}

    # -- loading ------------------------------------------------------------------
    @classmethod
    def load(cls, folder: Path) -> CharLM:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        n = meta["order"]

        def arr(name: str) -> np.ndarray:
            # A plain array over the mapped file: indexing a np.memmap costs more.
            return np.asarray(np.load(folder / name, mmap_mode="r", allow_pickle=False))

        books = np.load(folder / "books.npy", allow_pickle=False)
        lm = cls(
            np.load(folder / "vocab.npy", allow_pickle=False),
            [arr(f"keys{k}.npy") for k in range(1, n + 1)],
            [arr(f"prob{k}.npy") for k in range(1, n + 1)],
            [arr(f"bow{k}.npy") for k in range(1, n)],
            books[0],
            books[1, : n - 1],
            meta,
        )
        if (folder / "bigram.npy").is_file():
            lm.bigram = np.asarray(arr("bigram.npy")).reshape(-1)
            lm.bigram_book = np.load(folder / "bigram_book.npy", allow_pickle=False)
        if (folder / "conf_ptr.npy").is_file():
            lm.conf_ptr = np.load(folder / "conf_ptr.npy", allow_pickle=False)
            lm.conf_ids = np.load(folder / "conf_ids.npy", allow_pickle=False)
            lm.conf_kind = np.load(folder / "conf_kind.npy", allow_pickle=False)
        if (folder / "names.npy").is_file():
            names = np.load(folder / "names.npy", allow_pickle=False)
            lm.foreign = names[0].astype(np.float64) / 10.0
            lm.abbrev = names[1] > 0
        return lm

    def save(self, folder: Path) -> None:
        """Write the arrays as .npy files (the same input gives the same bytes)."""
        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / "vocab.npy", self.vocab.astype(np.uint32))
        for k in range(1, self.order + 1):
            np.save(folder / f"keys{k}.npy", np.ascontiguousarray(self.keys[k - 1], dtype=np.uint64))
            np.save(folder / f"prob{k}.npy", np.ascontiguousarray(self.probs[k - 1], dtype=np.uint8))
            if k < self.order:
                np.save(folder / f"bow{k}.npy", np.ascontiguousarray(self.bows[k - 1], dtype=np.uint8))
        books = np.zeros((2, self.order, 256), dtype=np.float32)
        books[0] = self.prob_books
        books[1, : self.order - 1] = self.bow_books
        np.save(folder / "books.npy", books)
        if self.bigram is not None and self.bigram_book is not None:
            table = np.ascontiguousarray(self.bigram, dtype=np.uint8).reshape(self.size, self.size)
            np.save(folder / "bigram.npy", table)
            np.save(folder / "bigram_book.npy", self.bigram_book.astype(np.float32))
        if self.conf_ptr is not None and self.conf_ids is not None and self.conf_kind is not None:
            np.save(folder / "conf_ptr.npy", self.conf_ptr.astype(np.int32))
            np.save(folder / "conf_ids.npy", self.conf_ids.astype(np.uint16))
            np.save(folder / "conf_kind.npy", self.conf_kind.astype(np.uint8))
        if self.foreign is not None and self.abbrev is not None:
            names = np.stack([np.round(self.foreign * 10.0), self.abbrev.astype(np.float64)])
            np.save(folder / "names.npy", names.astype(np.int8))
        (folder / "meta.json").write_text(
            json.dumps(self.meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )

    # -- tokens -------------------------------------------------------------------
    def tokenize(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        return tokenize(self.table, text)

    def char_id(self, ch: str) -> int:
        """The token id of one character (UNK for a Chinese character outside the vocabulary)."""
        i = self._char_id.get(ch)
        if i is None:
            i = int(tokenize(self.table, ch)[0][0]) if ch not in SPACES else int(DROP)
            self._char_id[ch] = i
        return i

    # -- quick estimates and candidates ------------------------------------------------
    def bigram_lp(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """ln P(b | a) under the model's bigram level, from the dense table (one gather)."""
        if self.bigram is None or self.bigram_book is None:
            return self.logprob(np.stack([a, b], axis=1))
        return self.bigram_book[self.bigram[a * self.size + b]]

    @property
    def unigram_lp(self) -> np.ndarray:
        """ln P(token) of every token id."""
        u = self.__dict__.get("_unigram")
        if u is None:
            u = self.__dict__["_unigram"] = self.logprob(np.arange(self.size)[:, None])
        return u

    def cohesion(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Pointwise mutual information of adjacent tokens: ln P(b | a) - ln P(b)."""
        return self.bigram_lp(a, b) - self.unigram_lp[b]

    def candidates(self, tokens: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every (row, candidate id, kind) for tokens[row]: the characters it may stand for."""
        if self.conf_ptr is None or self.conf_ids is None or self.conf_kind is None:
            z = np.zeros(0, dtype=np.int64)
            return z, z, z
        tokens = np.asarray(tokens, dtype=np.int64)
        ok = tokens < len(self.conf_ptr) - 1
        start = np.where(ok, self.conf_ptr[np.minimum(tokens, len(self.conf_ptr) - 2)], 0)
        count = np.where(ok, self.conf_ptr[np.minimum(tokens, len(self.conf_ptr) - 2) + 1] - start, 0)
        rows = np.repeat(np.arange(len(tokens)), count)
        first = np.repeat(np.cumsum(count) - count, count)
        at = np.repeat(start, count) + (np.arange(len(rows)) - first)
        return rows, self.conf_ids[at].astype(np.int64), self.conf_kind[at].astype(np.int64)

    # -- scoring --------------------------------------------------------------------
    def _find(self, n: int, key: np.ndarray, order: np.ndarray | None = None) -> np.ndarray:
        """Index of each key in the order-n table, -1 where absent.

        Many keys are searched in sorted order: numpy's binary search then starts from the
        previous result, about twice as fast on a whole text. ``order``, when given, is the
        permutation that sorts ``key`` (``_chain`` keeps it from order to order).
        """
        keys = self.keys[n - 1]
        if order is None and len(key) > SORTED_SEARCH:
            order = np.argsort(key)
        if order is not None:
            idx = np.empty(len(key), dtype=np.int64)
            idx[order] = np.searchsorted(keys, key[order])
        else:
            idx = np.searchsorted(keys, key)
        idx[idx >= len(keys)] = len(keys) - 1
        hit = keys[idx] == key
        return np.where(hit, idx, -1)

    @staticmethod
    def _value(books: np.ndarray | None, codes: list[np.ndarray], k: int, idx: np.ndarray) -> np.ndarray:
        """Values of entries ``idx`` of table k: codebook values, or the floats themselves."""
        if books is None:
            return codes[k][idx]
        return books[k][codes[k][idx]]

    @property
    def unigram_index(self) -> np.ndarray:
        """Token id -> its entry in the unigram table (-1 if never seen): no search needed."""
        u = self.__dict__.get("_uni_index")
        if u is None:
            u = np.full(max(self.size, int(self.keys[0][-1]) + 1), -1, dtype=np.int64)
            u[self.keys[0].astype(np.int64)] = np.arange(len(self.keys[0]))
            self.__dict__["_uni_index"] = u
        return u

    def _chain(
        self, cols: np.ndarray, n_max: int, every: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """For token columns read right to left (cols[:, -1] first), the longest n-gram found.

        Returns (order found, its entry index); order 0 where even the last token is unseen.
        The key grows one token at a time, and only rows found so far are searched further.
        ``every``, an (m, n_max) array, receives the entry of each order (-1 if absent).
        """
        m, width = cols.shape
        best = np.zeros(m, dtype=np.int64)
        best_idx = np.full(m, -1, dtype=np.int64)
        if every is not None:
            every[:] = -1
        uni = self.unigram_index
        last = cols[:, -1].astype(np.int64)
        idx = np.where(last < len(uni), uni[np.minimum(last, len(uni) - 1)], -1)
        active = np.flatnonzero(idx >= 0)
        best[active] = 1
        best_idx[active] = idx[active]
        if every is not None:
            every[active, 0] = idx[active]
        key = last[active].astype(np.uint64)
        # The order that sorts the keys, kept from one n to the next: each new token becomes
        # the key's most significant part, so a stable sort of the previous order by that token
        # (a radix sort of 16-bit values) sorts the new keys, far quicker than sorting them anew.
        order = None
        if len(active) > SORTED_SEARCH and n_max > 1 and int(cols.max(initial=0)) < 1 << 16:
            order = np.argsort(key.astype(np.uint16), kind="stable")
        for n in range(2, n_max + 1):
            if len(active) == 0:
                break
            tok = cols[:, width - n][active]  # one column, then the rows: quicker than both at once
            key = key | (tok.astype(np.uint64) << np.uint64(BITS * (n - 1)))
            if order is not None:
                order = order[np.argsort(tok[order].astype(np.uint16), kind="stable")]
            idx = self._find(n, key, order)
            hit = idx >= 0
            if order is not None:
                if np.count_nonzero(hit) > SORTED_SEARCH:
                    order = (np.cumsum(hit) - 1)[order[hit[order]]]
                else:
                    order = None
            active, key = active[hit], key[hit]
            best[active] = n
            best_idx[active] = idx[hit]
            if every is not None:
                every[active, n - 1] = idx[hit]
        return best, best_idx

    def logprob(self, rows: np.ndarray, orders: np.ndarray | None = None) -> np.ndarray:
        """ln P(last token | the tokens before it) for each row of an (m, N) id array.

        Rows shorter in history are padded on the left with ``B`` by the caller. An ``UNK``
        token's probability is shared among the rare characters it stands for. When
        ``orders`` (an (m,) int array) is given, it receives the order of the longest
        n-gram found for each row (0: a token never seen).

        Searches go up from order 1 and stop where a row's n-gram is missing: pruning keeps
        every suffix and prefix of a kept n-gram, so no longer one can exist.
        """
        m, width = rows.shape
        n_max = min(self.order, width)
        out = np.full(m, self.floor, dtype=np.float64)
        best, best_idx = self._chain(rows, n_max)
        for n in range(1, n_max + 1):
            sel = np.flatnonzero(best == n)
            if len(sel):
                out[sel] = self._value(self.prob_books, self.probs, n - 1, best_idx[sel])
        # Backoff weights of the histories at least as long as the n-gram found; the
        # history of length h exists only if the one of length h - 1 does.
        alive = np.flatnonzero((best < n_max) & (best > 0))
        if len(alive):
            every = np.empty((len(alive), n_max - 1), dtype=np.int64)
            self._chain(rows[alive, :-1], n_max - 1, every)
            for h in range(1, n_max):
                sel = np.flatnonzero((every[:, h - 1] >= 0) & (best[alive] <= h))
                if len(sel):
                    out[alive[sel]] += self._value(self.bow_books, self.bows, h - 1, every[sel, h - 1])
        if orders is not None:
            orders[:] = best
        last = rows[:, -1] == UNK
        if last.any():
            out[last] -= math.log(self.unk_types)
        return out

    def windows(self, ids: np.ndarray) -> np.ndarray:
        """(len(ids), N) rows: each token with the N-1 tokens before it (``B`` before the start)."""
        pad = np.concatenate([np.full(self.order - 1, B, dtype=ids.dtype), ids])
        return np.lib.stride_tricks.sliding_window_view(pad, self.order)

    def score(self, ids: np.ndarray, orders: np.ndarray | None = None) -> np.ndarray:
        """ln P of every token of a token sequence given the tokens before it."""
        if len(ids) == 0:
            return np.zeros(0)
        return self.logprob(self.windows(ids), orders)


@lru_cache(maxsize=1)
def get_lm() -> CharLM:
    """The packaged model, loaded once (memory-mapped)."""
    return CharLM.load(Path(str(resources.files("reportlint.data").joinpath("lm"))))
