"""The TYPO family's data files are linted: sorted, unique, well-formed, no cycles, quiet on clean text."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from conftest import CORPUS, needs_corpus

from reportlint.document import HAN_RE

DATA = resources.files("reportlint.data")
PLAIN = [
    "allowed_terms.txt",
    "confusions.txt",
    "corpus_terms.txt",
    "english_words.txt",
    "near_shapes.txt",
    "pinyin.txt",
    "similar_shape.txt",
    "surnames.txt",
]


def body(name: str) -> list[str]:
    text = DATA.joinpath(name).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines and lines[0].startswith("# "), f"{name}: starts with a header comment"
    return [ln for ln in lines if ln and not ln.startswith("#")]


@pytest.mark.parametrize("name", [*PLAIN, "lexicon.txt"])
def test_header_says_what_and_where_from(name: str) -> None:
    text = DATA.joinpath(name).read_text(encoding="utf-8")
    head = "\n".join(ln for ln in text.splitlines()[:8] if ln.startswith("#"))
    assert len(head) > 60, f"{name}: the header explains the file"
    assert re.search(r"licen[cs]e|general knowledge|written for reportlint", head, re.I), name


@pytest.mark.parametrize("name", [*PLAIN, "lexicon.txt"])
def test_sorted_and_unique(name: str) -> None:
    lines = body(name)
    keys = [ln.split("\t")[0] for ln in lines]
    assert keys == sorted(keys), f"{name}: entries sorted"
    assert len(keys) == len(set(keys)), f"{name}: entries unique"
    assert all(ln == ln.strip(" \u3000") for ln in lines), f"{name}: no stray spaces"


def test_lexicon_rows() -> None:
    for ln in body("lexicon.txt")[::997]:
        word, freq, tag = ln.split("\t")
        assert word and int(freq) > 0 and tag


def test_the_packaged_trie_holds_the_words_of_lexicon_txt() -> None:
    from reportlint.lexicon import Lexicon

    trie = Lexicon.load(str(DATA.joinpath("lexicon.marisa")), DATA.joinpath("lexicon.idx").read_bytes())
    rows = [ln.split("\t") for ln in body("lexicon.txt")]
    assert trie.size == len(rows)
    words = [w for w, _, _ in rows]
    for k, (w, f, t) in enumerate(rows):
        freq, longer, tag = trie._probe(w)
        assert (freq, tag) == (int(f), t), w
        # a longer word starts with it exactly when the next word of the sorted list does
        assert longer == (k + 1 < len(words) and words[k + 1].startswith(w)), w
    head = DATA.joinpath("lexicon.txt").read_text(encoding="utf-8")[:1000]
    assert trie.total == int(re.search(r"total frequency (\d+)", head).group(1))


def test_confusions_well_formed() -> None:
    rows = [ln.split("\t") for ln in body("confusions.txt")]
    for row in rows:
        assert len(row) == 5, row
        wrong, right, kind, context, note = row
        assert wrong != right and wrong and right and note, row
        assert kind in ("safe", "suggest", "style"), row
        if context != "-":
            re.compile(context)
        if kind == "safe":
            assert context == "-", f"{wrong}: an entry that needs context is a suggestion"


def test_confusions_have_no_cycles_or_chains() -> None:
    pairs = [ln.split("\t")[:2] for ln in body("confusions.txt")]
    wrongs = {w for w, _ in pairs}
    for wrong, right in pairs:
        assert right not in wrongs, f"{wrong} -> {right} -> ...: a chain or a cycle"


def test_confusion_right_forms_are_not_wrong_forms_inside_each_other() -> None:
    pairs = [ln.split("\t")[:2] for ln in body("confusions.txt")]
    for wrong, _ in pairs:
        for _, right in pairs:
            assert wrong not in right, f"{wrong!r} would fire inside the right form {right!r}"


def test_allowed_terms_carry_a_reason() -> None:
    for ln in body("allowed_terms.txt"):
        term, reason = ln.split("\t")
        assert all(HAN_RE.match(c) or c.isalnum() for c in term), term
        assert len(reason) >= 4, f"{term}: give a reason"


def test_english_words_are_lowercase_with_a_chinese_equivalent() -> None:
    for ln in body("english_words.txt"):
        word, zh = ln.split("\t")
        assert word.isascii() and word.islower() and word.isalpha(), word
        assert zh


def test_shape_groups_and_surnames_are_single_characters() -> None:
    shapes = dict(ln.split("\t") for ln in body("similar_shape.txt"))
    for ch, alikes in shapes.items():
        assert len(ch) == 1 and alikes and list(alikes) == sorted(set(alikes)) and ch not in alikes
        assert all(ch in shapes.get(a, "") for a in alikes), f"{ch}: look-alike is symmetric"
    for ln in body("surnames.txt"):
        assert len(ln) == 1 and HAN_RE.match(ln), ln


def test_near_shape_groups_are_disjoint_and_among_the_candidates() -> None:
    from reportlint.lexicon import NEAR_SHAPE, confusables

    seen: set[str] = set()
    for group in body("near_shapes.txt"):
        assert len(group) >= 2 and list(group) == sorted(set(group)), group
        assert all(HAN_RE.match(c) for c in group), group
        assert not seen & set(group), f"{group}: a character in two groups"
        seen |= set(group)
        for a in group:
            for b in group.replace(a, ""):
                assert confusables(a).get(b) == NEAR_SHAPE, (a, b)


def test_pinyin_rows() -> None:
    for ln in body("pinyin.txt")[::101]:
        ch, usage, readings, common = ln.split("\t")
        assert len(ch) == 1 and int(usage) >= 0
        assert all(re.fullmatch(r"[a-zü]+[1-5]", r) for r in readings.split()), ln
        assert common and set(common.split()) <= set(readings.split()), ln


def test_corpus_chars_are_rare_in_the_lexicon_and_read_as_pinyin_says() -> None:
    from reportlint.lexicon import (
        COMMON_USAGE,
        SAME_TONE,
        _pinyin_row,
        candidate_chars,
        common_chars,
        common_readings,
        confusables,
        corpus_chars,
    )

    rows = [ln.split("\t") for ln in body("corpus_chars.txt")]
    assert rows, "corpus_chars.txt is empty"
    for ch, count, readings in rows:
        assert HAN_RE.match(ch) and int(count) > 0
        assert readings.split() == list(common_readings(ch)), ch
    chars = corpus_chars()
    assert len(chars) == len(rows) and not chars & common_chars()
    assert candidate_chars() == common_chars() | chars
    # A corpus character is a candidate for its sound-alikes (址 → 祉 of 福祉) only where its
    # usage in the lexicon's words is below the common characters' floor.
    rare = rows[0][0]
    assert _pinyin_row(rare)[0] < COMMON_USAGE
    mates = [c for c in common_chars() if set(common_readings(c)) & set(common_readings(rare))]
    assert mates and all(confusables(c).get(rare) == SAME_TONE for c in mates[:20] if c != rare)


@needs_corpus()
def test_no_confusion_or_english_entry_fires_on_the_clean_corpus() -> None:
    from reportlint.config import Config
    from reportlint.document import Document
    from reportlint.engine import build_rules, check_document

    rules = build_rules(Config(select=("TYPO004", "TYPO005")))
    fired = []
    for path in sorted((CORPUS / "reports").glob("*.txt")):
        doc = Document.from_text(path.read_text(encoding="utf-8"), path=path.name)
        fired += [f"{path.name}:{f.span.line} {f.excerpt}" for f in check_document(doc, rules)]
    assert fired == []
