"""Small helpers shared by several rules (character classes, pairs)."""

from __future__ import annotations

from reportlint.document import is_han

# Chinese punctuation that may stand where a Chinese character would for context checks.
CN_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』—…·"
PAIRS = {
    "“": "”",
    "‘": "’",
    "（": "）",
    "《": "》",
    "〈": "〉",
    "【": "】",
    "〔": "〕",
    "「": "」",
    "『": "』",
    "(": ")",
    "[": "]",
}
CLOSING = {v: k for k, v in PAIRS.items()}


def is_cn(ch: str) -> bool:
    """A Chinese character or Chinese (full-width) punctuation mark."""
    return bool(ch) and (is_han(ch) or ch in CN_PUNCT)


def is_ascii_alnum(ch: str) -> bool:
    return bool(ch) and ch.isascii() and ch.isalnum()
