from __future__ import annotations

from collections.abc import Iterator

from reportlint.document import Document, Sentence
from reportlint.finding import Finding, Fix, Msg, Severity
from reportlint.registry import Rule
from reportlint.rules._dup import ALNUM_RE, doc_analysis, folded_text, normalize, units_of

_MESSAGE = Msg("删除重复的句子", "delete the repeated sentence")


class RepeatedSentence(Rule):
    """A sentence that a paragraph says twice.

    ## What it does
    Finds a sentence (ended by `。！？；`) that repeats an earlier sentence of the
    same paragraph, ignoring spaces and punctuation width. Consecutive repeated
    sentences that repeat consecutive earlier ones are one finding.

    ## Why is this bad?
    A sentence said twice within a few lines is a paste or editing slip; in print
    it reads as carelessness.

    ## Not reported
    Sentences shorter than `min_chars` characters of text (`抓落实。`), and the same
    sentence in two different paragraphs (a refrain, or a heading-like sentence
    such as `加强社会保障体系建设。` opening two sections); paragraphs that are
    themselves copies (DUP001 reports those).

    ## Example
    `推进老旧小区改造。推进老旧小区改造。完善配套设施。` → the second sentence is
    reported; when it directly follows the first copy and is identical, the fix
    deleting it is safe.
    """

    code = "DUP004"
    name = "repeated-sentence"
    severity = Severity.WARNING
    fixable = True
    options = {"min_chars": 8}

    def check(self, doc: Document) -> Iterator[Finding]:
        analysis = doc_analysis(doc)
        least = self.opts["min_chars"]
        folded = folded_text(doc)
        for u in units_of(doc):
            if analysis.is_copy(u) or len(u.key) < 2 * least:
                continue
            sents = [s for p in u.paras for s in doc.paragraph_sentences(p.index)]
            if len(sents) < 2:
                continue
            first: dict[str, int] = {}
            reps: list[tuple[int, int]] = []
            if folded is None:
                keys = [normalize(s.text) for s in sents]
            else:  # the same keys from the document folded once
                keys = ["".join(ALNUM_RE.findall(folded[s.start : s.end])) for s in sents]
            for i, k in enumerate(keys):
                if len(k) >= least and k in first:
                    reps.append((i, first[k]))
                else:
                    first.setdefault(k, i)
            done = -1
            for run in _runs(reps):
                if run[0][0] <= done:
                    continue
                # take in the short sentences that go on repeating the original (`…。发展特色种养业。`)
                while True:
                    i, o = run[-1][0] + 1, run[-1][1] + 1
                    if i >= len(sents) or o >= run[0][0] or not keys[i] or keys[i] != keys[o]:
                        break
                    run.append((i, o))
                done = run[-1][0]
                yield self._report(doc, sents, run)

    def _report(self, doc: Document, sents: list[Sentence], run: list[tuple[int, int]]) -> Finding:
        i0, i1 = run[0][0], run[-1][0]
        o0, o1 = run[0][1], run[-1][1]
        rep, orig = sents[i0 : i1 + 1], sents[o0 : o1 + 1]
        adjacent = o1 + 1 == i0
        same = all(a.text == b.text for a, b in zip(rep, orig, strict=True))
        if adjacent and same:
            fix = Fix("", safe=True, start=orig[-1].end, end=rep[-1].end, message=_MESSAGE)
        else:
            fix = Fix("", safe=False, start=rep[0].start, end=rep[-1].end, message=_MESSAGE)
        n = len(run)
        if n == 1:
            zh = "本段中这句话重复出现" + ("（紧接着重复）" if adjacent else "")
            en = "this sentence repeats an earlier sentence of the paragraph"
        else:
            zh = f"本段中这{n}句话重复出现" + ("（紧接着重复）" if adjacent else "")
            en = f"these {n} sentences repeat earlier sentences of the paragraph"
        return self.finding(
            doc,
            rep[0].start,
            rep[-1].end,
            zh=zh,
            en=en,
            related=[(doc.span(orig[0].start, orig[-1].end), Msg("首次出现", "first occurrence"))],
            fix=fix,
        )


def _runs(reps: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Group (repeat, original) pairs into runs of consecutive sentences."""
    runs: list[list[tuple[int, int]]] = []
    for i, o in reps:
        if runs:
            li, lo = runs[-1][-1]
            if i == li + 1 and o == lo + 1 and o < runs[-1][0][0]:
                runs[-1].append((i, o))
                continue
        runs.append([(i, o)])
    return runs
