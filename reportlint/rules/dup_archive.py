"""DUP006-DUP008: text of the checked document copied from an archive of past documents.

These rules report only with ``check --against INDEX`` (an index built with
``reportlint index build``); without an archive they find nothing and import nothing.
The three share one search of the archive, made with the settings of all three (where
their ``template_files`` differ, the smallest applies).
"""

from __future__ import annotations

from collections.abc import Iterator

from reportlint.document import Document
from reportlint.finding import Finding, Msg, Severity
from reportlint.registry import Rule

LABEL = Msg("存档原文", "the archived text")


def _analyse(rule: Rule, doc: Document) -> list:
    """The archive's copies in ``doc``: one search for the three rules, with the settings of all
    three (DUP006's paragraph size, DUP007's similarity and size, DUP008's passage size), so that
    each rule reads the same matches and the search is made once."""
    spec = rule.context.get("against")
    if not spec:
        return []
    from reportlint.archive.query import Options, analyse

    given = rule.context.get("rule_options", {})

    def opt(cls: type[Rule], key: str):
        if isinstance(rule, cls):
            return rule.opts[key]  # the rule's own options, as it was built with them
        return given.get(cls.code, {}).get(key, cls.options[key])

    classes = (CopiedFromArchive, NearCopyFromArchive, PassageFromArchive)
    options = Options(
        dup_min=opt(CopiedFromArchive, "min_chars"),
        near_threshold=float(opt(NearCopyFromArchive, "threshold")),
        near_min=opt(NearCopyFromArchive, "min_chars"),
        passage_min=opt(PassageFromArchive, "min_chars"),
        template_docs=min(opt(c, "template_files") for c in classes),
    )
    return analyse(doc, spec, options)


def _runs(matches: list, kinds: set[str]) -> list[list]:
    """Consecutive copied paragraphs of one archived document, in the same order: one block."""
    runs: list[list] = []
    for m in matches:
        if m.kind not in kinds:
            continue
        if runs:
            last = runs[-1][-1]
            gap = m.unit.n - last.unit.n
            if 0 < gap <= 3 and m.source.doc_id == last.source.doc_id and m.source.n - last.source.n == gap:
                runs[-1].append(m)
                continue
        runs.append([m])
    return runs


def _where(run: list) -> tuple[str, str]:
    a, b = run[0].source.span, run[-1].source.span
    if a.line == b.end_line:
        return f"{a.path} 第{a.line}行", f"{a.path} line {a.line}"
    return f"{a.path} 第{a.line}—{b.end_line}行", f"{a.path} lines {a.line}-{b.end_line}"


def _others(run: list) -> tuple[str, str]:
    k = max(m.others for m in run)
    if not k:
        return "", ""
    return f"；另有{k}篇存档文件含有相同文字", f"; also in {k} other archived document(s)"


def _report(rule: Rule, doc: Document, run: list, zh: str, en: str) -> Finding:
    first, last = run[0], run[-1]
    start = first.unit.doc_offset(first.start)
    end = last.unit.doc_end(last.end)
    a, b = first.source.span, last.source.span
    span = type(a)(a.path, a.start, b.end, a.line, a.column, b.end_line, b.end_column)
    return rule.finding(doc, start, end, zh=zh, en=en, related=[(span, LABEL)])


class CopiedFromArchive(Rule):
    """A paragraph, or a block of paragraphs, copied from a document of the archive.

    ## What it does
    With `check --against INDEX`, looks up every paragraph of at least `min_chars`
    characters of text in an archive index (`reportlint index build`) of past reports
    and articles, ignoring differences of whitespace, punctuation width and markup. A
    run of consecutive paragraphs copied from one archived document, in the same order,
    is one finding; a run that also holds slightly edited paragraphs says how many. The
    related location is the archived text: its path, line and column.

    ## Why is this bad?
    Before a report goes out, editors must know which of its paragraphs were taken
    from last year's report, another city's report or an old article: reused text
    repeats figures and commitments that may no longer hold, and copying another
    body's report is an embarrassment when readers notice.

    ## Not reported
    Paragraphs found in `template_files` or more archived documents (set formulae,
    standard openings and closings); headings; the checked document itself when it is
    in the archive (same path or same content). Without `--against` the rule is silent.

    ## Example
    `reportlint check 2025.txt --against archive.idx` → `2025.txt:12:1 DUP006
    本段与存档文件 archive/2024.txt 第15行的段落相同`, related to archive/2024.txt:15:1.
    """

    code = "DUP006"
    name = "copied-from-archive"
    severity = Severity.WARNING
    options = {"min_chars": 50, "template_files": 10}

    def check(self, doc: Document) -> Iterator[Finding]:
        found = _analyse(self, doc)
        for run in _runs(found, {"exact", "normalised", "near"}):
            if all(m.kind == "near" for m in run):
                continue  # DUP007
            n = len(run)
            where, where_en = _where(run)
            if n == 1:
                zh, en = (
                    f"本段与存档文件 {where}的段落相同",
                    f"this paragraph repeats {where_en} of the archive",
                )
            else:
                zh = f"连续{n}段与存档文件 {where}的{n}段相同"
                en = f"these {n} paragraphs repeat {where_en} of the archive"
            near = sum(m.kind == "near" for m in run)
            if near:
                zh += f"，其中{near}段略有改动"
                en += f"; {near} of them with small edits"
            elif all(m.kind == "normalised" for m in run):
                zh += "（仅空白、标点或格式不同）"
                en += " (differing only in spaces, punctuation or markup)"
            ozh, oen = _others(run)
            yield _report(self, doc, run, zh + ozh, en + oen)


class NearCopyFromArchive(Rule):
    """A paragraph that is a copy, with small edits, of a paragraph of the archive.

    ## What it does
    With `check --against INDEX`, finds paragraphs of at least `min_chars` characters
    of text whose character trigrams have a Jaccard similarity of at least `threshold`
    with a paragraph of an archived document, without being equal to it: a copy with a
    few words or figures changed. Candidates come from the index's MinHash LSH tables;
    each is compared exactly, so the similarity reported is the true one. The message
    gives the similarity and the first differences; the related location is the
    archived paragraph.

    ## Why is this bad?
    A paragraph copied from last year's report with the figures updated is the most
    common kind of reuse, and the easiest to miss: every figure changed must be right,
    and the words around them may no longer be.

    ## Not reported
    Paragraphs nearly equal to paragraphs of `template_files` or more archived
    documents (set formulae); near copies inside a block of exact copies (DUP006 reports
    the block); headings. An index built for similarity 0.8 (the default) finds lower
    `threshold` values less reliably. Without `--against` the rule is silent.

    ## Example
    `全年新增城镇就业四万八千人，…` against the archived `全年新增城镇就业四万六千人，…`
    → `本段与存档文件 2024.txt 第7行的段落近似（相似度91%）：「四万六千人」→「四万八千人」`.
    """

    code = "DUP007"
    name = "near-copy-from-archive"
    severity = Severity.WARNING
    options = {"threshold": 0.8, "min_chars": 50, "template_files": 10}

    def check(self, doc: Document) -> Iterator[Finding]:
        found = _analyse(self, doc)
        for run in _runs(found, {"exact", "normalised", "near"}):
            if any(m.kind != "near" for m in run):
                continue  # DUP006
            where, where_en = _where(run)
            pct = round(100 * min(m.score for m in run))
            if len(run) == 1:
                from reportlint.rules._dup import describe_diff

                m = run[0]
                dzh, den = describe_diff(m.source.text, m.unit.text)
                zh = f"本段与存档文件 {where}的段落近似（相似度{pct}%）：{dzh}"
                en = f"this paragraph is a near copy ({pct}% similar) of {where_en} of the archive: {den}"
            else:
                n = len(run)
                zh = f"连续{n}段与存档文件 {where}的{n}段近似（相似度不低于{pct}%）"
                en = (
                    f"these {n} paragraphs are near copies (at least {pct}% similar) "
                    f"of {where_en} of the archive"
                )
            ozh, oen = _others(run)
            yield _report(self, doc, run, zh + ozh, en + oen)


class PassageFromArchive(Rule):
    """A passage of a paragraph copied from a paragraph of the archive.

    ## What it does
    With `check --against INDEX`, finds a run of sentences or clauses of at least
    `min_chars` characters of text that also stands in a paragraph of an archived
    document, in a paragraph that is not a copy as a whole (DUP006/DUP007 report
    those): sentences taken from an old report into a new paragraph. Small edits inside
    the passage are bridged, so a paragraph copied with several figures changed (too
    many for DUP007's similarity on trigrams) is reported here as a whole; the passage
    starts and ends at clause boundaries. The related location is the passage in the
    archived document.

    ## Why is this bad?
    Copied passages carry old figures, dates and names into a new text, and copying
    from another body's report is an embarrassment when readers notice.

    ## Not reported
    Passages found in `template_files` or more archived documents, and sentences found
    in many archived paragraphs (set political formulae, which reports of one
    government share by the dozen); passages shorter than `min_chars`. Without
    `--against` the rule is silent.

    ## Example
    A 2025 paragraph whose last three sentences (120 characters) stand in a paragraph
    of archive/2023.txt → `这段文字（120字）与存档文件 archive/2023.txt 第40行相同`.
    """

    code = "DUP008"
    name = "passage-from-archive"
    severity = Severity.WARNING
    options = {"min_chars": 100, "template_files": 10}

    def check(self, doc: Document) -> Iterator[Finding]:
        found = _analyse(self, doc)
        for m in found:
            if m.kind != "passage":
                continue
            where, where_en = _where([m])
            zh = f"这段文字（{m.chars}字）与存档文件 {where}相同"
            en = f"this passage ({m.chars} characters) repeats {where_en} of the archive"
            if m.edited:
                zh = f"这段文字（{m.chars}字）与存档文件 {where}基本相同，仅有少量改动"
                en = f"this passage ({m.chars} characters) repeats {where_en} of the archive with small edits"
            ozh, oen = _others([m])
            yield _report(self, doc, [m], zh + ozh, en + oen)
