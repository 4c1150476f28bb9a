"""Build the compact data files of the TYPO family from jieba and pypinyin (development time only).

    python3 tools/build_typo_data.py [--jieba-dict PATH] [--same-stroke PATH] [--char-similar DIR]

Writes, into reportlint/data/:

- ``lexicon.txt``: every word of jieba 0.42.1's ``dict.txt`` (MIT) as ``word<TAB>freq<TAB>tag``,
  sorted by code point: the readable form, and the source of
- ``lexicon.marisa`` and ``lexicon.idx``: the same words as a MARISA trie and their
  frequencies and tags by key id (``reportlint.lexicon.build_index``), the form the package
  loads (memory-mapped, no parsing).
- ``pinyin.txt``: the readings (tone numbers, all heteronyms) of every character used in the
  lexicon, from pypinyin 0.55's ``pinyin_dict`` (MIT), and the common ones among them (how the
  lexicon's words read the character, weighted by their frequency).
- ``similar_shape.txt``: groups of look-alike characters, from pycorrector 1.1.4's
  ``data/same_stroke.txt`` (Apache-2.0), kept to characters the lexicon uses, each group sorted.

jieba and pypinyin are needed only here (``pip install jieba==0.42.1 pypinyin==0.55.0``);
the package reads the files this script writes and depends on neither.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "reportlint" / "data"
sys.path.insert(0, str(ROOT))

from reportlint.lexicon import build_index  # noqa: E402


def _module_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise SystemExit(f"{name} is not installed: pip install {name}")
    return Path(spec.origin).parent


def _is_han(ch: str) -> bool:
    return "CJK UNIFIED IDEOGRAPH" in unicodedata.name(ch, "")


def build_lexicon(dict_path: Path) -> tuple[list[tuple[str, int, str]], Counter]:
    rows: dict[str, tuple[int, str]] = {}
    for line in dict_path.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) < 2:
            continue
        word, freq = parts[0], int(parts[1])
        tag = parts[2] if len(parts) > 2 else "x"
        if not word or "\t" in word or word.startswith("#"):
            continue
        if word in rows:
            freq = max(freq, rows[word][0])
        rows[word] = (freq, tag)
    chars: Counter = Counter()
    for word, (freq, _) in rows.items():
        for ch in set(word):
            if _is_han(ch):
                # Usage of a character: the summed frequency of the words (>= 20) that use it.
                chars[ch] += freq if freq >= 20 else 0
    return sorted((w, f, t) for w, (f, t) in rows.items()), chars


def write_lexicon(rows: list[tuple[str, int, str]], total: int) -> None:
    head = (
        "# Word lexicon of the TYPO rules: word<TAB>frequency<TAB>part-of-speech tag.\n"
        "# Derived from jieba 0.42.1 dict.txt (MIT licence, https://github.com/fxsjy/jieba),\n"
        "# unchanged but for order: sorted by code point for binary search.\n"
        f"# Built by tools/build_typo_data.py. {len(rows)} words, total frequency {total}.\n"
    )
    body = "".join(sorted(f"{w}\t{f}\t{t}\n" for w, f, t in rows))
    (DATA / "lexicon.txt").write_text(head + body, encoding="utf-8")
    # the form the package reads: a MARISA trie of the words and their frequencies and tags
    trie, index = build_index(rows, total)
    trie.save(str(DATA / "lexicon.marisa"))
    (DATA / "lexicon.idx").write_bytes(index)


# A reading counts as common when the lexicon's words read the character so in at least this
# share of its uses (和 is he2 in 99.8% of them, huo in 0.1%: a writer who means 和 types he).
COMMON_READING_SHARE = 0.01


def reading_usage(rows: list[tuple[str, int, str]]) -> dict[str, Counter]:
    """For each character, the summed frequency of the words (>= 20) reading it each way, as
    pypinyin reads the word (its phrase table picks the reading in context: 银行 hang2)."""
    from pypinyin import Style, lazy_pinyin

    use: dict[str, Counter] = {}
    for word, freq, _ in rows:
        if freq < 20 or not all(_is_han(ch) for ch in word):
            continue
        said = lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True)
        if len(said) == len(word):
            for ch, r in zip(word, said, strict=True):
                use.setdefault(ch, Counter())[r] += freq
    return use


def write_pinyin(chars: Counter, rows: list[tuple[str, int, str]]) -> None:
    from pypinyin.contrib.tone_convert import to_tone3
    from pypinyin.pinyin_dict import pinyin_dict

    use = reading_usage(rows)
    particles = {w for w, _, t in rows if len(w) == 1 and t.startswith("u")}
    lines = []
    for ch in sorted(chars):
        marked = pinyin_dict.get(ord(ch))
        if not marked:
            continue
        readings = []
        for p in marked.split(","):
            t3 = to_tone3(p, neutral_tone_with_five=True)
            if t3 and t3 not in readings:
                readings.append(t3)
        u = use.get(ch)
        total = sum(u.values()) if u else 0
        # (a neutral tone that words give a listed reading, 一个 ge5, is that reading weakened)
        common = (
            [r for r, n in u.most_common() if n >= COMMON_READING_SHARE * total and r in readings]
            if u
            else []
        )
        # A particle (jieba tag u*: 地, 着, 过) is read with the neutral tone when it stands alone,
        # which its longer words do not show: 地 is di4 in 土地 and de5 as the particle.
        if ch in particles:
            common += [r for r in readings if r.endswith("5") and r not in common]
        lines.append(f"{ch}\t{chars[ch]}\t{' '.join(readings)}\t{' '.join(common or readings[:1])}\n")
    head = (
        "# The characters of lexicon.txt: char<TAB>usage<TAB>readings<TAB>common readings. Usage is the\n"
        "# summed frequency of the lexicon words (frequency >= 20) that use the character. Readings are\n"
        "# pinyin with a tone number (5 = neutral), every heteronym, most common first, from pypinyin\n"
        "# 0.55.0 pinyin_dict (MIT licence, https://github.com/mozillazg/python-pinyin). Common readings:\n"
        "# those the lexicon's words use in at least 1% of the character's uses, as pypinyin reads\n"
        "# the words, most used first (the first reading where no word tells).\n"
        "# Built by tools/build_typo_data.py.\n"
    )
    (DATA / "pinyin.txt").write_text(head + "".join(lines), encoding="utf-8")


def _four_corner_groups(folder: Path, chars: Counter, min_usage: int = 2000) -> set[str]:
    """Common characters with the same four-corner code, structure and about as many strokes."""
    import json

    corner = json.loads((folder / "char_fourangle.dict").read_text(encoding="utf-8"))
    struct = json.loads((folder / "char_struct.dict").read_text(encoding="utf-8"))
    strokes = json.loads((folder / "char_number.dict").read_text(encoding="utf-8"))
    by_key: dict[tuple[str, str], list[str]] = {}
    for ch, code in corner.items():
        if len(ch) == 1 and chars.get(ch, 0) >= min_usage and ch in struct and ch in strokes:
            by_key.setdefault((code[:4], struct[ch]), []).append(ch)
    groups = set()
    for members in by_key.values():
        if not 2 <= len(members) <= 8:
            continue  # a code shared by many characters says little about their shape
        for a in members:
            near = sorted(b for b in members if abs(int(strokes[a]) - int(strokes[b])) <= 2)
            if len(near) >= 2:
                groups.add("".join(near))
    return groups


def _component_pairs(folder: Path, chars: Counter, min_usage: int = 1000) -> set[str]:
    """Pairs of common characters where one is a component of the other (分/贫, 完/院, 言/信),
    or both are two components sharing one in the same place and structure (洪/供, 请/清)."""
    import json

    parts = json.loads((folder / "char_stroke.dict").read_text(encoding="utf-8"))
    struct = json.loads((folder / "char_struct.dict").read_text(encoding="utf-8"))
    common = [c for c in parts if len(c) == 1 and chars.get(c, 0) >= min_usage]
    pairs: set[str] = set()
    by_part: dict[tuple[str, int, str], list[str]] = {}
    for c in common:
        comps = parts[c]
        if len(comps) != 2:
            continue
        for a in comps:
            if a != c and chars.get(a, 0) >= min_usage:
                pairs.add("".join(sorted((a, c))))
        for i, x in enumerate(comps):
            by_part.setdefault((x, i, str(struct.get(c))), []).append(c)
    for members in by_part.values():
        if 2 <= len(members) <= 12:
            for a in members:
                for b in members:
                    if a < b:
                        pairs.add(a + b)
    return pairs


def write_shapes(path: Path | None, chars: Counter, similar: Path | None = None) -> None:
    if path is None:
        return
    groups = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        g = sorted({c for c in line.split() if len(c) == 1 and chars.get(c, 0) > 0})
        if len(g) >= 2:
            groups.add("".join(g))
    if similar is not None:
        groups |= _four_corner_groups(similar, chars)
        groups |= _component_pairs(similar, chars)
    similar: dict[str, set[str]] = {}
    for g in groups:
        for c in g:
            similar.setdefault(c, set()).update(g)
    lines = [f"{c}\t{''.join(sorted(cs - {c}))}\n" for c, cs in sorted(similar.items())]
    head = (
        "# Look-alike characters: char<TAB>the characters that look like it, sorted; the shape\n"
        "# candidates of TYPO003. From pycorrector 1.1.4 data/same_stroke.txt (Apache-2.0 licence,\n"
        "# https://github.com/shibing624/pycorrector), kept to characters of lexicon.txt, and\n"
        "# groups of common characters with the same four-corner code, structure and stroke count\n"
        "# within two, and pairs where one character is a component of the other or both share a\n"
        "# component in the same place, from char-similar 0.0.2 data (MIT licence,\n"
        "# https://github.com/yongzhuo/char-similar). Built by tools/build_typo_data.py.\n"
    )
    (DATA / "similar_shape.txt").write_text(head + "".join(lines), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jieba-dict", type=Path, default=None)
    ap.add_argument(
        "--same-stroke", type=Path, default=None, help="pycorrector's data/same_stroke.txt (shape groups)"
    )
    ap.add_argument(
        "--char-similar",
        type=Path,
        default=None,
        help="char-similar's data/ folder (four-corner codes, structure, strokes)",
    )
    args = ap.parse_args()
    dict_path = args.jieba_dict or _module_dir("jieba") / "dict.txt"
    rows, chars = build_lexicon(dict_path)
    DATA.mkdir(parents=True, exist_ok=True)
    write_lexicon(rows, sum(f for _, f, _ in rows))
    write_pinyin(chars, rows)
    write_shapes(args.same_stroke, chars, args.char_similar)
    print(f"lexicon: {len(rows)} words; pinyin: {len(chars)} characters")


if __name__ == "__main__":
    main()
