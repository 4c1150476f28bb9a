"""Plain text: decode bytes, detecting the encoding when the file is not UTF-8."""

from __future__ import annotations

import codecs

from reportlint.errors import InputError

_MAGIC = (
    (b"PK\x03\x04", "a zip archive (a .docx, .xlsx or .zip file?)"),
    (b"%PDF", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Word/Excel file (.doc/.xls)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)

# Encodings we accept from detection; anything else is more likely a misdetection.
_ACCEPTED = {
    "gb18030": "gb18030",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "hz": None,
    "big5": "big5",
    "big5hkscs": "big5hkscs",
    "cp950": "big5",
    "utf_16": "utf-16",
    "utf_16_le": "utf-16-le",
    "utf_16_be": "utf-16-be",
    "utf_32": "utf-32",
    "utf_8": "utf-8",
}


def _plausible(text: str) -> bool:
    """Decoded text looks like Chinese or plain text, not mojibake."""
    if not text:
        return True
    sample = text[:20000]
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f") or 0xE000 <= ord(c) <= 0xF8FF)
    return bad / len(sample) < 0.01


def decode_bytes(data: bytes, path: str) -> tuple[str, str, bool]:
    """Return (text, encoding, had_bom). Raise InputError for binary or undecodable data."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), "utf-8", True
        except UnicodeDecodeError as e:
            raise InputError(path, _bad_utf8(e, 3)) from None
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(enc), enc.replace("-le", "").replace("-be", ""), True
            except UnicodeDecodeError:
                raise InputError(path, f"invalid {enc.upper()} text after its byte-order mark") from None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(path, f"binary file ({what}), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        first_error = e
    else:
        if "\x00" in text:
            raise InputError(path, "binary file (contains NUL bytes), not text")
        return text, "utf-8", False

    # UTF-16 without a BOM: every other byte is NUL for mostly-ASCII text, rarely so otherwise.
    guess = _utf16_without_bom(data)
    if guess:
        try:
            text = data.decode(guess)
            if _plausible(text):
                return text, guess, False
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:65536]:
        raise InputError(path, "binary file (contains NUL bytes), not text")

    from charset_normalizer import from_bytes  # imported only for non-UTF-8 input

    best = from_bytes(data[:1_000_000]).best()
    if best is not None:
        enc = _ACCEPTED.get(best.encoding.lower().replace("-", "_"))
        if enc:
            try:
                text = data.decode(enc)
            except (UnicodeDecodeError, LookupError):
                text = None
            if text is not None and _plausible(text):
                return text, enc, False
    # Strict GB18030 is the commonest non-UTF-8 encoding of Chinese text.
    try:
        text = data.decode("gb18030")
        if _plausible(text) and _mostly_han_or_ascii(text):
            return text, "gb18030", False
    except UnicodeDecodeError:
        pass
    raise InputError(path, _bad_utf8(first_error, 0) + "; no other encoding fits")


def _mostly_han_or_ascii(text: str) -> bool:
    sample = text[:20000]
    ok = sum(1 for c in sample if ord(c) < 128 or 0x3000 <= ord(c) <= 0x9FFF or 0xFF00 <= ord(c) <= 0xFFEF)
    return ok / max(1, len(sample)) > 0.97


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nul > 0.3 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.3 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None


def _bad_utf8(e: UnicodeDecodeError, shift: int) -> str:
    byte = e.object[e.start : e.start + 1].hex()
    return f"not valid UTF-8 (byte 0x{byte} at offset {e.start + shift})"
