"""One self-contained HTML page: the documents with every finding highlighted, and a list.

``reportlint check report.txt --format html > report.html``. The page needs no
network: CSS and JavaScript are inline (from ``html_template.html``). It shows

- a summary: findings by severity, characters, findings per 10,000 characters, and
  each file's detected encoding (and any reader warning, e.g. traditional characters);
- a side list grouped by file, rule family and severity; clicking an entry scrolls
  the document to the finding and flashes it;
- each document with line numbers, the findings highlighted by severity, and the
  related places (the first copy of a duplicate, the other value of a conflicting
  number) outlined and linked: clicking a highlight opens its details, whose
  related links jump to the other place.

Markdown files are shown as written (the reader keeps offsets identical); Word and
PDF files as the text extracted from them, with the Word paragraph or PDF page of
each finding in the list.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from importlib import resources
from typing import Any, TextIO

from reportlint import __version__
from reportlint.document import Document
from reportlint.engine import Report
from reportlint.finding import Finding, Severity
from reportlint.formatters import failed_note, fix_label, hidden_note
from reportlint.readers import source_location

FAMILY_ORDER = ("DUP", "NUM", "TYPO", "PUNCT", "LAYOUT")
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "html_lang": "zh-CN",
        "title": "reportlint 校对报告",
        "findings": "处问题",
        "files": "个文件",
        "chars": "字符",
        "per10k": "每万字符",
        "encoding": "编码",
        "bom": "带 BOM",
        "none": "未发现问题",
        "failed": "未能检查",
        "line": "行",
        "col": "列",
        "page": "第 {n} 页",
        "para": "Word 第 {n} 段",
        "list": "问题列表",
        "error": "错误",
        "warning": "警告",
        "info": "提示",
        "DUP": "重复",
        "NUM": "数字",
        "TYPO": "错别字",
        "PUNCT": "标点",
        "LAYOUT": "版面",
        "format": "格式",
        "pages": "页",
    },
    "en": {
        "html_lang": "en",
        "title": "reportlint report",
        "findings": "findings",
        "files": "files",
        "chars": "characters",
        "per10k": "per 10,000 characters",
        "encoding": "encoding",
        "bom": "with BOM",
        "none": "No findings",
        "failed": "not checked",
        "line": "line",
        "col": "col",
        "page": "page {n}",
        "para": "Word paragraph {n}",
        "list": "Findings",
        "error": "errors",
        "warning": "warnings",
        "info": "info",
        "DUP": "Duplicates",
        "NUM": "Numbers",
        "TYPO": "Typos",
        "PUNCT": "Punctuation",
        "LAYOUT": "Layout",
        "format": "format",
        "pages": "pages",
    },
}


def esc(s: str) -> str:
    return html.escape(s, quote=True)


def shown_text(doc: Document) -> str:
    """The text to show: a Markdown file as written (same offsets), others as read."""
    src = doc.meta.get("source")
    return src if isinstance(src, str) and len(src) == len(doc.text) else doc.text


def _where(f: Finding, doc: Document | None, lab: dict[str, str]) -> str:
    parts = [f"{lab['line']} {f.span.line}, {lab['col']} {f.span.column}"]
    loc = source_location(doc, f.span.start, f.span.end)
    if "page" in loc:
        parts.append(lab["page"].format(n=loc["page"]))
    if "docx" in loc and loc["docx"].get("part") == "body":
        parts.append(lab["para"].format(n=loc["docx"]["paragraph"] + 1))
    return " · ".join(parts)


# ----------------------------------------------------------------------------- documents
def render_document(text: str, spans: list[tuple[int, int, str, str, str]], prefix: str) -> str:
    """Lines of ``text`` with spans marked.

    ``spans``: (start, end, kind, key, css) with kind ``f`` (a finding, key = its id)
    or ``r`` (a related place, key = ``id.j``); css holds its severity/family classes.
    """
    opens: dict[int, list[int]] = defaultdict(list)
    closes: dict[int, list[int]] = defaultdict(list)
    empties: dict[int, list[int]] = defaultdict(list)
    bounds = {0, len(text)}
    for n, (s, e, _kind, _key, _css) in enumerate(spans):
        s = max(0, min(s, len(text)))
        e = max(s, min(e, len(text)))
        if s == e:
            empties[s].append(n)
            bounds.add(s)
            continue
        opens[s].append(n)
        closes[e].append(n)
        bounds.update((s, e))
    order = sorted(bounds)
    active: dict[int, None] = {}
    out: list[str] = []
    line_no = 1

    def open_line() -> None:
        out.append(f'<div class="l" id="{prefix}L{line_no}"><span class="n">{line_no}</span><span class="t">')

    open_line()
    for idx, pos in enumerate(order):
        for n in closes.get(pos, ()):
            active.pop(n, None)
        for n in empties.get(pos, ()):
            s, e, kind, key, css = spans[n]
            aid = f"f{key}" if kind == "f" else f"f{key.replace('.', 'r')}"
            attr = f'data-f="{key}"' if kind == "f" else f'data-r="{key}"'
            out.append(f'<a class="anchor" id="{aid}"></a><span class="caret {css}" {attr}></span>')
        for n in opens.get(pos, ()):
            s, e, kind, key, css = spans[n]
            aid = f"f{key}" if kind == "f" else f"f{key.replace('.', 'r')}"
            out.append(f'<a class="anchor" id="{aid}"></a>')
            active[n] = None
        if idx + 1 >= len(order):
            break
        seg = text[pos : order[idx + 1]]
        pieces = seg.split("\n")
        for k, piece in enumerate(pieces):
            if k:
                out.append("</span></div>\n")
                line_no += 1
                open_line()
            if not piece:
                continue
            if active:
                out.append(_mark(piece, [spans[n] for n in active]))
            else:
                out.append(esc(piece))
    out.append("</span></div>\n")
    return "".join(out)


def _mark(piece: str, covering: list[tuple[int, int, str, str, str]]) -> str:
    fids = [key for _, _, kind, key, _ in covering if kind == "f"]
    rids = [key for _, _, kind, key, _ in covering if kind == "r"]
    classes: list[str] = ["hl"]
    sev = None
    for s in ("sev-error", "sev-warning", "sev-info"):
        if any(s in css.split() for _, _, kind, _, css in covering if kind == "f"):
            sev = s
            break
    if sev:
        classes.append(sev)
    else:
        classes.append("relonly")
    if rids:
        classes.append("rel")
    fams = sorted({c for _, _, _, _, css in covering for c in css.split() if c.startswith("fam-")})
    classes.extend(fams)
    attrs = f'class="{" ".join(classes)}"'
    if fids:
        attrs += f' data-f="{" ".join(fids)}"'
    if rids:
        attrs += f' data-r="{" ".join(rids)}"'
    return f"<span {attrs}>{esc(piece)}</span>"


# ----------------------------------------------------------------------------- list
def _item(k: int, f: Finding, doc: Document | None, lab: dict[str, str], lang: str) -> str:
    sev = f.severity.value
    parts = [
        f'<li class="item sev-{sev} fam-{f.family}" id="i{k}" data-f="{k}">',
        f'<div class="head"><span class="code">{esc(f.code)}</span>'
        f'<span class="loc">{esc(_where(f, doc, lab))}</span></div>',
        f'<div class="msg">{esc(f.message.text(lang))}</div>',
    ]
    if f.excerpt.strip():
        parts.append(f'<div><span class="excerpt">{esc(f.excerpt)}</span></div>')
    if f.fix is not None:
        parts.append(f'<div class="fix">{esc(fix_label(f, lang))}</div>')
    for j, r in enumerate(f.related):
        where = f"{r.span.line}:{r.span.column}"
        if r.span.path != f.span.path:
            where = f"{r.span.path}:{where}"
        parts.append(
            f'<a class="rel" href="#f{k}r{j}" data-r="{k}.{j}">↳ {esc(where)} {esc(r.message.text(lang))}</a>'
        )
    parts.append("</li>")
    return "".join(parts)


def write(report: Report, out: TextIO, lang: str = "zh", **_: Any) -> None:
    lang = "en" if lang == "en" else "zh"
    lab = LABELS[lang]
    files = [r for r in report.files if r.doc is not None]
    findings = [f for r in files for f in r.findings]
    ids = {id(f): k for k, f in enumerate(findings)}

    # spans to mark, per file: findings and the related places they point at
    spans: dict[str, list[tuple[int, int, str, str, str]]] = defaultdict(list)
    for f in findings:
        k = ids[id(f)]
        css = f"sev-{f.severity.value} fam-{f.family}"
        spans[f.span.path].append((f.span.start, f.span.end, "f", str(k), css))
        for j, r in enumerate(f.related):
            spans[r.span.path].append((r.span.start, r.span.end, "r", f"{k}.{j}", f"fam-{f.family}"))

    # summary
    counts = Counter(f.severity for f in findings)
    chars = sum(r.doc.chars for r in files if r.doc is not None)
    rate = len(findings) * 10000 / chars if chars else 0.0
    sev_parts = ", ".join(
        f'<span class="s-{s.value}">{counts[s]} {esc(lab[s.value])}</span>' for s in SEVERITIES if counts[s]
    )
    summary = (
        f"<b>{len(findings)}</b> {esc(lab['findings'])}"
        + (f" ({sev_parts})" if sev_parts else "")
        + f" · {len(files)} {esc(lab['files'])} · {chars} {esc(lab['chars'])}"
        + f" · <b>{rate:.1f}</b> {esc(lab['per10k'])}"
    )
    encodings = sorted({_encoding(r.doc, lab) for r in files if r.doc is not None and not _extracted(r.doc)})
    if encodings:
        summary += f" · {esc(lab['encoding'])}: " + esc(", ".join(encodings))
    for note in (hidden_note(report, lang), failed_note(report, lang)):
        if note:
            summary += f" · {esc(note)}"
    warnings = []
    for r in report.failed:
        assert r.error is not None
        warnings.append(
            f'<div class="warn">✖ {esc(r.path)}: {esc(lab["failed"])}：{esc(r.error.text(lang))}</div>'
        )
    for r in files:
        assert r.doc is not None
        for zh, en in r.doc.meta.get("warnings", ()):
            warnings.append(f'<div class="warn">⚠ {esc(r.path)}: {esc(en if lang == "en" else zh)}</div>')

    # side list: file → family → severity
    groups: list[str] = []
    for r in files:
        by_fam: dict[str, list[Finding]] = defaultdict(list)
        for f in r.findings:
            by_fam[f.family].append(f)
        fams = sorted(by_fam, key=lambda x: (FAMILY_ORDER.index(x) if x in FAMILY_ORDER else 99, x))
        inner = []
        for fam in fams:
            sevs = []
            for s in SEVERITIES:
                items = [f for f in by_fam[fam] if f.severity == s]
                if not items:
                    continue
                lis = "".join(_item(ids[id(f)], f, r.doc, lab, lang) for f in items)
                sevs.append(
                    f'<h3 class="sev sev-{s.value}">{esc(lab[s.value])} · {len(items)}</h3>'
                    f'<ul class="items">{lis}</ul>'
                )
            name = lab.get(fam, fam)
            inner.append(
                f'<details class="group fam fam-{fam}" open><summary>{esc(fam)} {esc(name)} '
                f'<span class="count">{len(by_fam[fam])}</span></summary>{"".join(sevs)}</details>'
            )
        body = "".join(inner) or f'<div class="none">{esc(lab["none"])}</div>'
        groups.append(
            f'<details class="group file" open><summary>{esc(r.path)} '
            f'<span class="count">{len(r.findings)}</span></summary>{body}</details>'
        )

    filters = [
        f'<label><input type="checkbox" checked data-filter="{s.value}"> {esc(lab[s.value])}</label>'
        for s in SEVERITIES
    ] + [
        f'<label><input type="checkbox" checked data-filter="fam-{fam}"> {esc(fam)}</label>'
        for fam in FAMILY_ORDER
        if any(f.family == fam for f in findings)
    ]

    sections = []
    for fi, r in enumerate(files):
        doc = r.doc
        assert doc is not None
        meta = [] if _extracted(doc) else [f"{esc(lab['encoding'])} {esc(_encoding(doc, lab))}"]
        meta.append(f"{doc.chars} {esc(lab['chars'])}")
        fmt = doc.meta.get("format")
        if fmt in ("md", "docx", "pdf"):
            meta.append(f"{esc(lab['format'])} {esc(fmt)}")
        if doc.meta.get("pages"):
            meta.append(f"{doc.meta['pages']} {esc(lab['pages'])}")
        body = render_document(shown_text(doc), spans.get(r.path, []), f"d{fi}-")
        sections.append(
            f'<section class="file" id="d{fi}"><h2>{esc(r.path)}<small>{" · ".join(meta)}</small></h2>'
            f'<div class="doc">{body}</div></section>'
        )
    if not files:
        sections.append(f'<div class="none">{esc(lab["none"])}</div>')

    title = lab["title"] + (": " + ", ".join(r.path for r in files[:3]) if files else "")
    template = resources.files("reportlint.formatters").joinpath("html_template.html").read_text("utf-8")
    values = {
        "LANG": lab["html_lang"],
        "VERSION": esc(__version__),
        "TITLE": esc(title),
        "HEADING": esc(title),
        "SUMMARY": summary,
        "WARNINGS": "".join(warnings),
        "LIST_LABEL": esc(lab["list"]),
        "FILTERS": "".join(filters),
        "LIST": "".join(groups),
        "DOCUMENTS": "".join(sections),
        "BODY_CLASS": f"lang-{lang}",
    }
    # one pass, so that text of the documents is never taken for a placeholder
    out.write(re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: values[m.group(1)], template))


def _extracted(doc: Document) -> bool:
    """Text extracted from Word or PDF: it has no encoding of its own to show."""
    return doc.meta.get("format") in ("docx", "pdf")


def _encoding(doc: Document | None, lab: dict[str, str]) -> str:
    if doc is None:
        return ""
    return doc.encoding + (f" ({lab['bom']})" if doc.bom else "")
