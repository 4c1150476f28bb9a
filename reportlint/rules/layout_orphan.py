from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from reportlint.document import Document, Paragraph, is_han
from reportlint.finding import Finding, Msg, Severity, Span
from reportlint.lexicon import cuts_word, get_lexicon
from reportlint.registry import Rule
from reportlint.rules._common import CLOSING, PAIRS
from reportlint.rules._layout import (
    FIELD_RE,
    NON_INITIAL_MARKS,
    ends_open,
    furniture_lines,
    is_debris,
    is_formula,
    is_list_item,
    unclosed_opener,
)
from reportlint.rules._standalone import WINDOW, Judgement, first_word, last_word, standalone_stats

MAX_LEN = 20  # longer paragraphs are judged by nothing here
# Log-likelihood ratios of a repeated tail: the paragraph is also the end of a longer sentence
# elsewhere in the text, cut there inside a word, after a word that binds it, or after another
# word. Of real tails, every tail left behind by a moved passage or a section printed twice
# repeats its sentence, a tail whose start was simply deleted does not. On the tune part, 3 of
# the 1,439 short paragraphs that end a sentence and are not formulae, headings, list items,
# first lines or continuations end another sentence after a Chinese character: none cut inside a
# word, 1 after a binding word (…肖捷等|陪同人员同机抵达。, a news transcript, +0.7 on its
# words), 2 after another word (restatements: …大会|主席团常务主席赵乐际主持会议。, …副委员长|
# 李鸿忠主持座谈会。). The weight after a binding word is the most that adds no finding on the
# clean tune text; after another word, seen twice as often there (few as the counts are), it is
# that weight less log 2; a cut inside a word shows that the paragraph begins inside a word, the
# evidence of a first word that begins almost no sentence (OVERWHELMING).
REPEAT_EVIDENCE = 2.5
REPEAT_OTHER_EVIDENCE = 1.8
# Evidence this strong (a word that begins almost no sentence) outweighs a series or a couplet.
OVERWHELMING = -6.0
REPEAT_IN_WORD_EVIDENCE = -OVERWHELMING
SENTENCE_END = "。！？；!?;…"
_CLAUSE_SPLIT = re.compile("[，、；]")
CLOSE_MARKS = "”’）》」』)\"'"
_END_RE = re.compile(f"[{re.escape(SENTENCE_END + CLOSE_MARKS)}]")


SHORT_LINE = 30  # a whole sentence this short standing as its own line


def _short_line(t: str) -> bool:
    """A whole short sentence on a line of its own: ends a sentence, no longer than SHORT_LINE."""
    return len(t) <= SHORT_LINE and t.rstrip(CLOSE_MARKS)[-1:] in SENTENCE_END


def _short_run(earlier: str | None, before: str, after: str | None, later: str | None) -> bool:
    """The paragraph stands in a run of four or more short whole sentences, each a line of its
    own: both neighbours are, and one of the lines beyond them."""
    if after is None or not (_short_line(before) and _short_line(after)):
        return False
    return any(x is not None and _short_line(x) for x in (earlier, later))


def _short_sentence(p: Paragraph) -> bool:
    t = p.text
    return len(t) <= MAX_LEN and t.rstrip(CLOSE_MARKS)[-1:] in SENTENCE_END


def _stray_closer(text: str) -> str | None:
    """The first closing mark (” ） 》) that no earlier opening mark in the text pairs with."""
    depth: dict[str, int] = {}
    for c in text:
        if c in PAIRS:
            depth[c] = depth.get(c, 0) + 1
        elif c in CLOSING:
            o = CLOSING[c]
            if depth.get(o, 0) > 0:
                depth[o] -= 1
            elif c in "”’）》」』】〕":
                return c
    return None


def _parallel(t: str, other: str | None) -> bool:
    """Two paragraphs of one series: they begin with the same word or end alike."""
    if not other:
        return False
    body, ob = t.rstrip(CLOSE_MARKS), other.rstrip(CLOSE_MARKS)
    if len(body) > 5 and body[-5:] == ob[-5:]:
        return True
    w = first_word(body)
    return w is not None and body[:1] == ob[:1] and first_word(ob) == w


def _couplet(t: str) -> bool:
    """Clauses of one length, three characters or more each (立良法，促善治。 察势者智，驭势者赢。):
    a line composed as a whole, as headings and slogans are; a cut at a random place leaves a
    first clause of any length."""
    body = t.rstrip(CLOSE_MARKS).rstrip(SENTENCE_END)
    if "，" not in body and "；" not in body:
        return False  # words listed with 、 (任务书、路线图。) are a sentence's object, not its clauses
    clauses = _CLAUSE_SPLIT.split(body)
    return len(clauses) >= 2 and len(clauses[0]) >= 3 and len({len(c) for c in clauses}) == 1


class _SentenceEnds:
    """Where a short paragraph ends a longer sentence of the text, cut inside a word there.

    The sentence ends are indexed once by their last ``KEY`` characters (fewer for a shorter
    paragraph; built on first use, linear in the text), so a paragraph costs one dict read, a
    comparison with the few ends that share its last characters (the ends of an ending many
    share are indexed by their whole length), and at most ``TRIES`` word checks, whatever the
    text repeats."""

    TRIES = 4
    SEARCHES = 32  # the first paragraphs asked about are searched for in the text directly
    KEY = 5  # sentence ends are indexed by their last characters, this many at most
    SHARED = 64  # more ends than this share a paragraph's last characters: index them exactly

    def __init__(self, text: str) -> None:
        self.text = text
        self.ends: list[int] | None = None
        self.by_key: dict[int, dict[str, list[int]]] = {}
        self.by_len: dict[tuple[str, int], dict[str, list[int]]] = {}
        self.asked = 0

    def _places(self, t: str) -> list[int] | Iterator[int]:
        """Where ``t`` ends a longer sentence: after a Chinese character (so never the paragraph
        itself). A few paragraphs are found by searching the text (a short text, a few short
        paragraphs: no index); after them, by the index of the sentence ends, so that a text
        of many short paragraphs stays linear."""
        text, n = self.text, len(t)
        self.asked += 1
        if self.asked <= self.SEARCHES:
            return (s for s in _find_all(text, t) if s > 0 and is_han(text[s - 1]))
        if self.ends is None:
            self.ends = [m.end() for m in _END_RE.finditer(text)]
        k = min(n, self.KEY)
        index = self.by_key.get(k)
        if index is None:
            index = self.by_key[k] = {}
            for e in self.ends:
                if e > k:
                    index.setdefault(text[e - k : e], []).append(e)
        key = t[-k:]
        ends = index.get(key, ())
        if len(ends) <= self.SHARED:
            return [e - n for e in ends if e > n and text[e - n : e] == t and is_han(text[e - n - 1])]
        # an ending many sentences share (…全面发展。): those ends indexed by their last n
        # characters, once per length asked
        exact = self.by_len.get((key, n))
        if exact is None:
            exact = self.by_len[key, n] = {}
            for e in ends:
                if e > n and is_han(text[e - n - 1]):
                    exact.setdefault(text[e - n : e], []).append(e - n)
        return exact.get(t, [])

    def repeated_tail(self, t: str) -> tuple[int, float] | None:
        """Where else in the text ``t`` ends a longer sentence, and the weight of that evidence by
        where the cut falls there: inside a word (面发展。 beside …全面发展。), after a word that
        binds ``t`` (区域创新载体。 beside …和区域创新载体。) or after another word, where it may be
        a restatement (李鸿忠主持座谈会。 beside …副委员长李鸿忠主持座谈会。)."""
        if len(t) < 3 or not is_han(t[0]) or not _END_RE.fullmatch(t[-1]):
            return None
        text = self.text
        best: tuple[int, float] | None = None
        for tried, s in enumerate(self._places(t), 1):
            w = _cut_weight(text, s)
            if best is None or w > best[1]:
                best = (s, w)
            if w == REPEAT_IN_WORD_EVIDENCE or tried == self.TRIES:
                break
        return best


def _find_all(text: str, t: str) -> Iterator[int]:
    """Every place where ``t`` occurs in ``text``, overlapping ones included, in order."""
    i = text.find(t)
    while i >= 0:
        yield i
        i = text.find(t, i + 1)


# Parts of speech of a word that binds what follows it: particles (的, 等), conjunctions (和, 并) and
# prepositions (为, 把, 向). A sentence is not restated without them; a verb may be a modifier
# (引水|工程全面竣工) and an adverb may be dropped (进一步|完善…).
BINDING_TAGS = ("u", "c", "p")


def _cut_weight(text: str, s: int) -> float:
    """The evidence that a sentence cut at ``s`` leaves a tail, not a sentence restated: the cut
    splits a word (全|面发展), follows a word that binds the rest (…的|满园春色, …和|区域创新载体),
    or follows another word, as a restatement after a subject, a title or a modifier may
    (大会|主席团常务主席赵乐际主持会议, …副委员长|李鸿忠主持座谈会)."""
    if cuts_word(text, s, s, reach=8):
        return REPEAT_IN_WORD_EVIDENCE
    w = last_word(text[max(0, s - WINDOW) : s])
    if w is not None and get_lexicon().tag(w).startswith(BINDING_TAGS):
        return REPEAT_EVIDENCE
    return REPEAT_OTHER_EVIDENCE


@lru_cache(maxsize=8192)
def _judged(t: str) -> Judgement:
    """The statistics' judgement of a text (a text repeated line after line is judged once)."""
    return standalone_stats().judge(t)


class OrphanFragment(Rule):
    """A short paragraph that is the tail of a lost sentence, such as `面发展。` or `安全稳定环境。`.

    ## What it does
    Judges every paragraph of up to 20 characters that ends a sentence: is it a whole
    sentence (`加快发展服务业。`, `吴政隆参加上述活动。`) or the tail of one whose start
    is not there? It is a tail when it starts with a mark or character that begins no
    sentence (`，` `的` `面发展。`), closes a quote or bracket it never opened
    (`雄心壮志！”`), or when measured statistics say so: how often its first word
    begins a sentence rather than following other words (`局面`, `发展`, a character cut
    from inside a word), and whether its words have the shape of a sentence (a verb) or
    of a tail (`安全稳定环境。`: adjective, noun). The statistics come from the tune
    part of the corpus (`data/layout_stats.txt`, `tools/build_layout_stats.py`).
    A paragraph that also ends a longer sentence elsewhere in the text weighs further
    towards a tail: a moved passage or a section printed twice leaves such tails. The
    weight depends on where the cut falls in the other sentence: inside a word
    (`面发展。` beside `…社会事业全面发展。`, 全|面) weighs most, after a word that binds
    the rest (a particle, conjunction or preposition: `区域创新载体。` beside
    `…和区域创新载体。`) less, after another word, where the paragraph may be a sentence
    restated after a subject, a title or a modifier (`王明主持座谈会。` beside
    `…副委员长王明主持座谈会。`), least. The finding then points at
    the other sentence (`repeats = false` turns this evidence off).

    ## Why is this bad?
    Such fragments are what is left when a passage was cut or pasted over: the
    start of the sentence was deleted and its last characters stayed behind.

    ## Not reported
    Formulae (`各位代表！`, `谢谢大家！`, `特此报告。`, and an official document's closing
    lines: `特此通知。`, `请各单位认真贯彻执行。`, `妥否，请批示。`), a document's labelled
    fields (`抄送：市财政局。`, `联系人：李明。`), a line in a run of four or more short
    sentences each on its own line (a list, a poem: both neighbours and one line beyond them
    are whole sentences of up to 30 characters) unless its words are overwhelmingly a tail's or
    it repeats the end of a sentence elsewhere, headings and list items
    (`一是…`, `（一）…`), the first paragraph of a text, a paragraph right after a title
    line, paragraphs of a series that begin or end alike and couplets of clauses of one
    length (`立良法，促善治。`) unless their words are overwhelmingly a tail's (`体和各界
    人士，表示衷心感谢！`; a line repeated as it stands stays one of a series), and a short
    tail that continues an unfinished paragraph
    (LAYOUT003 reports that). Page furniture around
    the paragraph (`本版责编：…`, a column header) is looked through.
    With `thorough = true` less certain fragments are reported too, as information.

    ## Example
    `…按预期投产达效。` / `面发展。` / `三、深入实施制造业倍增行动`: `面发展。` is a fragment.
    """

    code = "LAYOUT004"
    name = "orphan-fragment"
    severity = Severity.WARNING
    options = {"thorough": False, "threshold": -2.0, "info_threshold": -1.0, "repeats": True}

    def check(self, doc: Document) -> Iterator[Finding]:
        paras = doc.paragraphs
        if not any(_short_sentence(p) or p.text[0] in NON_INITIAL_MARKS for p in paras):
            return
        stats = standalone_stats()
        ends = _SentenceEnds(doc.text)
        hi = float(self.opts["threshold"])
        lo = float(self.opts["info_threshold"]) if self.opts["thorough"] else hi
        prev: Paragraph | None = None  # the last paragraph before p that is not page debris
        prev2: Paragraph | None = None  # and the one before it
        furniture = furniture_lines(doc)
        for k, p in enumerate(paras):
            before, earlier, t = prev, prev2, p.text
            if is_debris(p) or k in furniture:
                continue  # page furniture (》》点击图片进入专题《《 is a web widget, LAYOUT001)
            prev, prev2 = p, prev
            if len(t) > MAX_LEN or not (_short_sentence(p) or t[0] in NON_INITIAL_MARKS):
                continue
            if is_formula(t) or p.is_numbered_heading or is_list_item(t) or FIELD_RE.match(t):
                continue
            if before is None or ends_open(before) or before.is_heading:
                # the text's first paragraph (a lone sentence is no fragment of a text), the tail
                # of a broken paragraph (LAYOUT003), or the first line under a title
                continue
            text_after = (q.text for q in paras[k + 1 : k + 4] if not (is_debris(q) or q.index in furniture))
            after = next(text_after, None)
            if (
                _short_run(earlier.text if earlier else None, before.text, after, next(text_after, None))
                and _judged(t).score >= OVERWHELMING
                and not (self.opts["repeats"] and ends.repeated_tail(t))
            ):
                continue  # one of a run of short sentences, each on its own line (a list, a poem)
            series = _parallel(t, before.text) or _parallel(t, after) or _couplet(t)
            # one of a series (给…记二等功。 / 给…记一等功。, …出席开幕式。 / …出席开幕式。) or a
            # couplet (立良法，促善治。), unless the words say overwhelmingly that it is a tail; a
            # line repeated as it stands is a series always (a duplicate, not a fragment)
            if series and (t in (before.text, after) or _judged(t).score >= OVERWHELMING):
                continue
            why, severity, related = self._judge(doc, ends, p, before, after, stats, hi, lo)
            if why is None:
                continue
            yield self.finding(
                doc,
                p.start,
                p.end,
                zh=f"孤立的句子残片“{t}”，前文缺失或为误粘贴：{why.zh}",
                en=f"orphan fragment '{t}': the start of its sentence is missing; {why.en}",
                severity=severity,
                related=related,
            )

    def _judge(
        self,
        doc: Document,
        ends: _SentenceEnds,
        p: Paragraph,
        before: Paragraph | None,
        after: str | None,
        stats,
        hi: float,
        lo: float,
    ) -> tuple[Msg | None, Severity | None, list[tuple[Span, Msg]]]:
        t = p.text
        if t[0] in NON_INITIAL_MARKS:
            return Msg(f"以“{t[0]}”开头", f"it starts with '{t[0]}'"), None, []
        closer = _stray_closer(t)
        if closer is not None and not (before is not None and unclosed_opener(before.text)):
            return Msg(f"“{closer}”前面没有配对的开头", f"'{closer}' closes nothing it opened"), None, []
        j = _judged(t)
        score = j.score + stats.cohesion_score(t, after)
        if score < lo:
            return _reason(j), (None if score < hi else Severity.INFO), []
        if not self.opts["repeats"] or score - REPEAT_IN_WORD_EVIDENCE >= lo:
            return None, None, []
        rep = ends.repeated_tail(t)
        if rep is None or score - rep[1] >= lo:
            return None, None, []
        at, weight = rep
        score -= weight
        m = doc.text.rfind("\n", 0, at) + 1
        whole = doc.text[max(m, at - 10) : at + len(t)]
        why = Msg(
            f"与别处句子“…{whole}”的句尾相同，像是移走或重印的句子留下的尾巴",
            f"it repeats the end of the sentence '…{whole}' elsewhere, as a moved or reprinted "
            "sentence leaves its tail",
        )
        related = [(doc.span(at, at + len(t)), Msg("同样的句尾", "the same sentence end"))]
        return why, (None if score < hi else Severity.INFO), related


def _reason(j: Judgement) -> Msg:
    if j.word is not None and j.word_score <= j.shape_score:
        return Msg(f"“{j.word}”很少用作句子开头", f"'{j.word}' rarely begins a sentence")
    return Msg("不成句（缺少主语或谓语）", "it is not a whole sentence (no subject or verb)")
