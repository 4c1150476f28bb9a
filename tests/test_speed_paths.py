"""The fast paths give what the slow ones gave: prefilters that skip work only where there is
none, no process per file for a folder, one split for a file checked in windows, and a start-up
that imports only what the command uses."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportlint import numbers, split
from reportlint.config import Config
from reportlint.document import Document, Paragraph
from reportlint.engine import build_rules, check_document
from reportlint.rules import _num_claims as nc
from reportlint.rules import num_count_mismatch as ncm

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = Path(__file__).parent / "data" / "sample_report.txt"
can_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")

# Characters the period, mode and comparison patterns are made of, plus others around them.
ALPHABET = (
    "0123456789一二三四五六七八九十两前上下半年月日份个季度第末底截至到以来累计近这过去最多入冬汛"
    "今本明去全当初假期春节国庆元旦清明劳动端午中秋黄金周天昨首实际完成了现达超额好于预目标任务"
    "主要力争取确保拟计比较同环与和相对增长下降高低快慢时期间—–-~，。的在是为我省地区生产总值"
)
PERIOD_PATTERNS = (nc._SPAN_RE, nc._YEAR_MARK_RE, nc._MONTH_MARK_RE, nc._DAY_MARK_RE, nc._MODE_MARK_RE)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=24))
def test_period_prefilters_miss_no_mark(text: str) -> None:
    if not nc._PERIOD_CHARS_RE.search(text):
        assert not any(rx.search(text) for rx in PERIOD_PATTERNS)
    if not nc._MODE_HINT_RE.search(text):
        assert not nc._MODE_MARK_RE.search(text)
    if "比" not in text and "较" not in text:
        assert not nc._CMP_RE.search(text)
    present = set(nc._PERIOD_CHARS_RE.findall(text))
    for _, rx, chars in nc._PERIOD_FIELDS:
        if present.isdisjoint(chars):
            assert not rx.search(text)
    assert nc._may_hold_mode(text, present) == bool(nc._MODE_HINT_RE.search(text))


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=24))
def test_period_reading_as_the_plain_search_gives(text: str) -> None:
    """A mark is read where the five patterns, searched in full, find one."""
    period = nc._Period()
    period.read(text)
    marks = sorted(
        [(m.start(), f, m.group(0)) for f, rx, _ in nc._PERIOD_FIELDS for m in rx.finditer(text)]
        + [(m.start(), "mode", m.lastgroup or "") for m in nc._MODE_MARK_RE.finditer(text)]
    )
    plain = nc._Period()
    for _, field, value in marks:
        plain.set(field, value)
    assert (period.v, period.marks) == (plain.v, plain.marks)
    rest = text
    if nc._PERIOD_CHARS_RE.search(text):
        for rx in PERIOD_PATTERNS:
            rest = rx.sub("", rest)
    assert nc._period_only(text) == (len(rest.strip("　 的在")) <= 1)


# Patterns tried only where a match can start (``numbers.matches_at``), with what starts them.
STARTED = (
    (numbers._DATE_RE, numbers._DIGIT_RE),
    (numbers._DATE_RE, numbers._DATE_FIRST_RE),
    (numbers._YEAR_RANGE_RE, numbers._DIGIT_RE),
    (numbers._CN_RE, numbers._CN_NUM_RE),
    (nc._MODE_MARK_RE, nc._MODE_FIRST_RE),
    (ncm._ANNOUNCE_RE, ncm._ANNOUNCE_FIRST_RE),
    (ncm._INLINE_RE, ncm._INLINE_FIRST_RE),
    *((rx, numbers._RUNIN_FIRST[s]) for s, rx in numbers._RUNIN_RES if s in numbers._RUNIN_FIRST),
)
NUMERAL_TEXT = ALPHABET + "１２３百千万亿〇○零两%年月日个项大条类种方面“”（）()、：:；是要其第分之点余多—至"


# Whole marks among the loose characters, so that the patterns do match (random characters
# alone almost never spell a date or a year range).
NUMERAL_PIECES = (
    "2024年3月5日",
    "2021—2025年",
    "2021-2025",
    "３月１５日",
    "11月6日",
    "2024年",
    "三个方面",
    "五大",
    "一是",
    "第二，",
    "百分之五点六",
    "两千三百万",
    "其一",
    "（一）",
    "12.5%",
)


def pieces_and_characters(pieces: tuple[str, ...], characters: str, most: int):
    """Texts made of whole marks among loose characters."""
    return st.lists(st.one_of(st.sampled_from(pieces), st.sampled_from(list(characters))), max_size=most).map(
        "".join
    )


NUMERAL_TEXTS = pieces_and_characters(NUMERAL_PIECES, NUMERAL_TEXT, 12)


@settings(max_examples=2000, deadline=None)
@given(NUMERAL_TEXTS)
def test_patterns_tried_where_they_start_find_what_a_search_finds(text: str) -> None:
    for rx, first in STARTED:
        want = [(m.span(), m.groups()) for m in rx.finditer(text)]
        assert [(m.span(), m.groups()) for m in numbers.matches_at(rx, first, text)] == want, rx.pattern


SPACED = (
    "中国发展 \u3000\u00a0，。、；：？！“”（）《》a1\U00020000\t〔[［【〕]］】号2024办文规（下转第3版）上接页"
)


SPACED_PIECES = (
    "〔2024〕1号",
    "［２０２４］３号",
    "国发",
    "京政办发",
    "\U00020000办",
    "（下转第3版）",
    "（上接第一版）",
    "中国 发展",
    "发展 。",
)
SPACED_TEXTS = pieces_and_characters(SPACED_PIECES, SPACED, 10)


@settings(max_examples=3000, deadline=None)
@given(SPACED_TEXTS)
def test_scans_without_lookarounds_find_what_the_regexes_find(text: str) -> None:
    from reportlint.document import HAN_CLASS, _docnos
    from reportlint.rules._layout import CONTINUATION_RE, is_continuation_line
    from reportlint.rules.punct_stray_space import _stray_spaces

    docno = re.compile(f"(?:[{HAN_CLASS}]{{1,3}}[发办函字令文规])?[〔\\[［【]\\d{{4}}[〕\\]］】]\\d+号")
    assert _docnos(text) == [m.span() for m in docno.finditer(text)]
    spaces = re.compile(
        f"(?<=[{HAN_CLASS}，。、；：？！“”（）《》])[ \u3000\u00a0]+(?=[{HAN_CLASS}])"
        f"|(?<=[{HAN_CLASS}])[ \u3000\u00a0]+(?=[，。、；：？！”）》])"
    )
    assert [m.span() for m in _stray_spaces(text)] == [m.span() for m in spaces.finditer(text)]
    m = CONTINUATION_RE.search(text)
    whole = bool(m) and len(text) - (m.end() - m.start()) <= 1
    assert is_continuation_line(Paragraph(0, 0, len(text), text, 1)) == whole


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="中国发展ａＢｃ１２ＡΣİ xYz%，。\n", max_size=40))
def test_folding_and_bigram_counts_as_before(text: str) -> None:
    from collections import Counter
    from operator import add

    from reportlint.rules import _dup

    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join((c.lower().translate(_dup._WIDTH) or c)[0] for c in text)
    assert _dup.fold(text) == lowered.translate(_dup._WIDTH)
    key, kst, raw = _dup.key_offsets(text)
    toks = [(m.start(), m.group()) for m in _dup.ALNUM_RE.finditer(_dup.fold(text))]
    assert key == "".join(t for _, t in toks) and raw == [s for s, _ in toks]
    assert kst == [len("".join(t for _, t in toks[:i])) for i in range(len(toks))]
    doc = Document.from_text(text)
    counts, total = _dup._background(doc, {})
    plain: Counter = Counter()
    for u in _dup.units_of(doc):
        # each unit's key and offsets, sliced from the document's folded text, as its own text gives them
        assert (u.key, u.kst, u._raw) == _dup.key_offsets(u.text)
        plain.update(map(add, u.key, u.key[1:]))
    assert total == sum(plain.values())
    assert all(counts[_dup._bigram_code(g)] == n for g, n in plain.items())


def _codes(findings: list) -> list[tuple]:
    return [(f.code, f.span.start, f.span.end, f.message.zh) for f in findings]


@can_fork
def test_a_file_in_windows_is_split_once_with_the_same_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(split, "usable_cpus", lambda: 2)
    monkeypatch.setattr(split.threading, "active_count", lambda: 1)  # the test runner's threads
    monkeypatch.setattr(split, "SPLIT_MIN_CHARS", 10)
    monkeypatch.setenv("REPORTLINT_WINDOW_CHARS", "1500")
    sample = SAMPLE.read_text(encoding="utf-8")
    text = "\n".join(
        [
            sample,
            "全年完成统计、参事、档案、志志、气象等各项工作。",
            *(f"{sample}第{i}部分。" for i in range(8)),
        ]
    )
    calls = []
    real = split.run_split
    monkeypatch.setattr(
        split, "run_split", lambda h, li, *idle, **kw: calls.append(1) or real(h, li, *idle, **kw)
    )
    monkeypatch.delenv("REPORTLINT_NO_FORK", raising=False)
    forked = _codes(check_document(Document.from_text(text, path="w.txt"), build_rules(Config())))
    assert calls == [1], "one split for the whole file"
    monkeypatch.setenv("REPORTLINT_NO_FORK", "1")
    alone = _codes(check_document(Document.from_text(text, path="w.txt"), build_rules(Config())))
    assert forked == alone
    assert any(c.startswith("TYPO") for c, *_ in alone) and any(c.startswith("DUP") for c, *_ in alone)


@can_fork
def test_a_folder_is_checked_without_a_process_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlint.runner import ConfigResolver, run_paths

    monkeypatch.setattr(split, "usable_cpus", lambda: 2)
    monkeypatch.setattr(split, "SPLIT_MIN_CHARS", 10)
    monkeypatch.setattr(split.threading, "active_count", lambda: 1)
    monkeypatch.delenv("REPORTLINT_NO_FORK", raising=False)
    calls = []
    real = split.run_split
    monkeypatch.setattr(
        split, "run_split", lambda h, li, *idle, **kw: calls.append(1) or real(h, li, *idle, **kw)
    )
    text = SAMPLE.read_text(encoding="utf-8")
    for i in range(3):
        (tmp_path / f"r{i}.txt").write_text(text, encoding="utf-8")
    run = run_paths([str(tmp_path)], ConfigResolver(Config(), {}), jobs=1)
    assert len(run.report.checked) == 3 and not calls
    run_paths([str(tmp_path / "r0.txt")], ConfigResolver(Config(), {}), jobs=1)
    assert calls == [1], "a file checked alone may use both cores"


def test_version_and_help_import_nothing_they_do_not_use() -> None:
    code = (
        "import sys\n"
        "from reportlint.cli import main\n"
        "for args in (['--version'], ['--help'], ['check', '--help']):\n"
        "    sys.argv = ['reportlint', *args]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = ('numpy', 'rich', 'reportlint.config', 'reportlint.readers', 'reportlint.engine',\n"
        "         'reportlint.rules', 'multiprocessing', 'rjieba', 'rapidfuzz')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def _intro_reference(clause: str, mark: str) -> bool:
    return bool(
        mark in "：:"
        or nc._LEAD_RE.fullmatch(clause)
        or clause.endswith(("是", "为", "如下", "包括", "有"))
        or nc._MODE_MARK_RE.search(clause)
    )


def _clauses_reference(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, s, stack = [], start, []
    for i in range(start, end):
        c = text[i]
        if c in nc._OPEN_CLOSE:
            if len(stack) < 8:
                stack.append(nc._OPEN_CLOSE[c])
        elif stack and c == stack[-1]:
            stack.pop()
        elif not stack and c in nc._CLAUSE_MARKS:
            out.append((s, i))
            s = i + 1
    out.append((s, end))
    return out


CLAUSE_ALPHABET = ALPHABET + "（）()“”《》‘’【】，,；;：:据统计其中此外全省"


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=CLAUSE_ALPHABET, max_size=30), st.sampled_from(["", "，", "：", ":", "。"]))
def test_claim_helpers_match_their_plain_forms(text: str, mark: str) -> None:
    assert nc._intro(text, mark) == _intro_reference(text, mark)
    for a, b in ((0, len(text)), (len(text) // 3, len(text))):
        assert nc._clauses(text, a, b) == _clauses_reference(text, a, b)


# The words of a subject's tail not in ALPHABET (adverbs, comparisons, shares), and line breaks.
TAIL_EXTRA = "分别均都也还又再名义平每共合总力将要可能已经较相对占覆盖少快慢\n "
# and every character of the words a tail may be made of, so that a word added there is tried too
TAIL_EXTRA += "".join(sorted(set(nc._SHARES + nc._ADVERBS + nc._VERBS) - set("|")))


@settings(max_examples=4000, deadline=None)
@given(st.text(alphabet=ALPHABET + TAIL_EXTRA, max_size=30))
def test_subject_tail_found_where_the_search_finds_it(text: str) -> None:
    """NUM003's tail of a subject, tried only where it can start, is the regex search's."""
    m, got = nc._TAIL_RE.search(text), nc._tail(text)
    assert (m is None) == (got is None)
    if m is not None:
        assert got.span() == m.span() and got.groupdict() == m.groupdict()


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="加快推进项目建设，、,。XY12", max_size=40), st.integers(1, 6))
def test_repeated_phrase_prefilter_skips_only_texts_without_repeats(text: str, least: int) -> None:
    from reportlint.rules import dup_repeated_phrase as rp

    got = list(rp._repeats(text, least))
    real = rp._repeated_gram
    try:
        rp._repeated_gram = lambda s, k: True  # the search without the prefilter
        assert got == list(rp._repeats(text, least))
    finally:
        rp._repeated_gram = real


@settings(max_examples=3000, deadline=None)
@given(
    st.text(alphabet="ab建设，", max_size=90),
    st.integers(2, 8),
    st.sampled_from((8, 12, 16, 24, 32, 48, 64, 80)),
    st.integers(0, 20),
)
def test_tandem_search_finds_what_the_regex_finds(text: str, least: int, bound: int, pos: int) -> None:
    """DUP005's search tried only where a repeated unit can start gives the regex's match
    (leftmost start, shortest unit), from any position."""
    from reportlint.rules import dup_repeated_phrase as rp

    m = rp._repeat_re(least, bound).search(text, pos)
    got = rp._TandemSearch(text, least, bound).search(text, pos)
    if m is None:
        assert got is None
    else:
        assert got is not None and (got.start(), got.group(1)) == (m.start(), m.group(1))


def _scan_reference(text: str) -> tuple[list, list, list]:
    """PUNCT003's scan as a walk over every character."""
    from reportlint.rules.punct_unbalanced import CLOSE_TO_OPEN, LOOSE, OPEN_TO_CLOSE

    stack: list[tuple[int, str]] = []
    mismatched: list[tuple[int, str, int]] = []
    stray: list[tuple[int, str]] = []
    for i, ch in enumerate(text):
        if ch in OPEN_TO_CLOSE:
            stack.append((i, ch))
        elif ch == '"':
            if stack and stack[-1][1] == "“":
                mismatched.append((i, ch, stack.pop()[0]))
        elif ch in CLOSE_TO_OPEN:
            if stack and OPEN_TO_CLOSE[stack[-1][1]] == ch:
                stack.pop()
            elif stack and LOOSE.get(OPEN_TO_CLOSE[stack[-1][1]]) == ch:
                mismatched.append((i, ch, stack.pop()[0]))
            elif any(c == CLOSE_TO_OPEN[ch] for _, c in stack):
                while stack[-1][1] != CLOSE_TO_OPEN[ch]:
                    stray.append(stack.pop())
                stack.pop()
            else:
                stray.append((i, ch))
    return stack, mismatched, stray


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="()[]‘’“”〈〉《》「」『』【】〔〕（）\"'中文，。a1 ", max_size=40))
def test_unbalanced_pair_scan_visits_only_the_marks(text: str) -> None:
    from reportlint.rules.punct_unbalanced import _scan

    assert _scan(text) == _scan_reference(text)
