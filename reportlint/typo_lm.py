"""The language-model view of a document that the TYPO rules share: token scores and edits.

``DocLM(text, lm)`` tokenises a text once and scores every token under the character
n-gram model (``reportlint/lm.py``). ``replace_llr`` then gives, for many edits at once,
the log-likelihood ratio of the text with the edit against the text as written: the change
in log-probability of the tokens whose n-grams see the edit (the new tokens and the
``order - 1`` tokens after them, so the right context counts as much as the left).
"""

from __future__ import annotations

import numpy as np

from reportlint.lm import FIRST_CHAR, B, CharLM


class DocLM:
    """Token ids, offsets and log-probabilities of one text."""

    def __init__(self, text: str, lm: CharLM) -> None:
        self.lm = lm
        self.text = text
        self.ids, self.pos = lm.tokenize(text)
        self.n = len(self.ids)
        self.orders = np.zeros(self.n, dtype=np.int64)
        self.lp = lm.score(self.ids, self.orders)
        self.tok = np.full(len(text) + 1, -1, dtype=np.int64)
        self.tok[self.pos] = np.arange(self.n)

    def token_at(self, offset: int) -> int:
        """The token starting at a character offset, -1 if none (a space, inside a number)."""
        return int(self.tok[offset]) if 0 <= offset < len(self.text) else -1

    def replace_llr(
        self, starts: np.ndarray, length: int, new: np.ndarray, orders: np.ndarray | None = None
    ) -> np.ndarray:
        """ln P(text with ids[s:s+length] replaced by a row of ``new``) - ln P(text), per edit.

        ``starts``: (m,) token indices; ``new``: (m, k) replacement token ids (k may be 0,
        a deletion). Only the tokens whose histories reach the edit are scored. ``orders``,
        an (m, k + order - 1) array, receives the longest n-gram found for each new token.
        """
        m = len(starts)
        if m == 0:
            return np.zeros(0)
        k = new.shape[1]
        h = self.lm.order - 1
        ids, n = self.ids, self.n
        # The local new sequence: h tokens before, the new tokens, h tokens after.
        before = starts[:, None] + np.arange(-h, 0)[None, :]
        after = starts[:, None] + length + np.arange(h)[None, :]
        pre = np.where(before >= 0, ids[np.clip(before, 0, n - 1)], B)
        post_ok = after < n
        post = np.where(post_ok, ids[np.clip(after, 0, n - 1)], B)
        local = np.concatenate([pre, new.astype(ids.dtype), post], axis=1)
        width = h + 1
        scored = k + h
        idx = np.arange(scored)[None, :, None] + np.arange(width)[None, None, :]  # (1, scored, width)
        rows = local[:, idx[0]]  # (m, scored, width)
        found = np.zeros(m * scored, dtype=np.int64)
        new_lp = self.lm.logprob(rows.reshape(-1, width), found).reshape(m, scored)
        if orders is not None:
            orders[:] = found.reshape(m, scored)
        mask = np.concatenate([np.ones((m, k), dtype=bool), post_ok], axis=1)
        gain = np.where(mask, new_lp, 0.0).sum(axis=1)
        old_idx = starts[:, None] + np.arange(length + h)[None, :]
        old_ok = old_idx < n
        loss = np.where(old_ok, self.lp[np.clip(old_idx, 0, n - 1)], 0.0).sum(axis=1)
        return gain - loss


# Candidate search for wrong characters: a funnel from cheap to exact.
SUSPECT_WINDOW = -9.0  # ln P of a token and the next: below this, the position is a suspect
QUICK_MIN = -2.0  # the bigram estimate of the gain must exceed this
QUICK_KEEP = 8  # the best candidates per position by the bigram estimate
LLR_MIN = 3.0  # exact gains below this are dropped (they never reach the review threshold)


def window_sums(lp: np.ndarray, width: int) -> np.ndarray:
    """Sum of lp[t : t + width] for every t (fewer terms at the end)."""
    c = np.concatenate([[0.0], np.cumsum(lp)])
    n = len(lp)
    end = np.minimum(np.arange(n) + width, n)
    return c[end] - c[:n]


# Suspect positions searched at once: the candidates of each are scored as rows of token ids,
# so memory grows with this (tens of candidates, 25 ids each) and not with the text.
CHUNK_SUSPECTS = 20_000


def substitution_candidates(
    d: DocLM,
    suspect: float = SUSPECT_WINDOW,
    quick_min: float = QUICK_MIN,
    keep: int = QUICK_KEEP,
    llr_min: float = LLR_MIN,
    extra: dict[int, list[tuple[int, int]]] | None = None,
) -> dict[str, np.ndarray]:
    """Single-character substitutions worth scoring: token index, candidate id, kind, gains.

    ``extra`` gives candidates (id, kind) for tokens the packaged lists do not cover (rare
    characters read as UNK), by token index.

    A long text is searched ``CHUNK_SUSPECTS`` suspect positions at a time, in order of
    position: each position's candidates are ranked and scored on their own, so the chunks
    together give exactly the arrays of one pass.
    """
    w = window_sums(d.lp, 2)
    sus = np.flatnonzero((w < suspect) & (d.ids >= FIRST_CHAR))
    if len(sus) <= CHUNK_SUSPECTS or not keep:
        return _substitutions_of(d, sus, quick_min, keep, llr_min, extra)
    parts = []
    extra = extra or {}
    for i in range(0, len(sus), CHUNK_SUSPECTS):
        lo = 0 if i == 0 else int(sus[i])
        hi = int(sus[i + CHUNK_SUSPECTS]) if i + CHUNK_SUSPECTS < len(sus) else d.n + 1
        mine = {t: v for t, v in extra.items() if lo <= t < hi}
        parts.append(_substitutions_of(d, sus[i : i + CHUNK_SUSPECTS], quick_min, keep, llr_min, mine))
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def _substitutions_of(
    d: DocLM,
    sus: np.ndarray,
    quick_min: float,
    keep: int,
    llr_min: float,
    extra: dict[int, list[tuple[int, int]]] | None,
) -> dict[str, np.ndarray]:
    """``substitution_candidates`` for the suspect token indices ``sus``."""
    lm = d.lm
    ids = d.ids
    n = d.n
    rows, cand, kind = lm.candidates(ids[sus])
    t = sus[rows]
    if extra:
        et = [k for k, v in extra.items() for _ in v]
        ec = [c for v in extra.values() for c, _ in v]
        ek = [kk for v in extra.values() for _, kk in v]
        t = np.concatenate([t, np.array(et, dtype=np.int64)])
        cand = np.concatenate([cand, np.array(ec, dtype=np.int64)])
        kind = np.concatenate([kind, np.array(ek, dtype=np.int64)])
    if len(t) == 0:
        z = np.zeros(0, dtype=np.int64)
        return {"t": z, "c": z, "kind": z, "quick": np.zeros(0), "llr": np.zeros(0)}
    o = ids[t]
    prev = np.where(t > 0, ids[np.maximum(t - 1, 0)], B)
    nxt = np.where(t < n - 1, ids[np.minimum(t + 1, n - 1)], B)
    here = lm.bigram_lp(prev, o) + lm.bigram_lp(o, nxt)
    quick = lm.bigram_lp(prev, cand) + lm.bigram_lp(cand, nxt) - here
    ok = quick > quick_min
    t, cand, kind, quick = t[ok], cand[ok], kind[ok], quick[ok]
    if len(t) and keep:
        order = np.lexsort((-quick, t))
        t, cand, kind, quick = t[order], cand[order], kind[order], quick[order]
        first = np.ones(len(t), dtype=bool)
        first[1:] = t[1:] != t[:-1]
        rank = np.arange(len(t)) - np.maximum.accumulate(np.where(first, np.arange(len(t)), 0))
        ok = rank < keep
        t, cand, kind, quick = t[ok], cand[ok], kind[ok], quick[ok]
    llr = d.replace_llr(t, 1, cand[:, None])
    ok = llr > llr_min
    return {"t": t[ok], "c": cand[ok], "kind": kind[ok], "quick": quick[ok], "llr": llr[ok]}
