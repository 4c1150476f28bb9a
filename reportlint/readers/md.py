"""Markdown: the prose of a Markdown file, at the same offsets, lines and columns as the source.

The file is parsed with markdown-it-py (CommonMark plus tables). The Document's
text is the source with everything that is not prose blanked out, character for
character, so that offsets, lines and columns of findings are the source file's:

- blanked with spaces (newlines kept): front matter, fenced and indented code,
  HTML blocks (comments included), thematic breaks, link reference definitions,
  table delimiter rows and pipes, and the markers before the text of headings,
  list items and block quotes (``#``, ``-``, ``1.``, ``>``);
- replaced with U+FFFC (OBJECT REPLACEMENT CHARACTER) inside a paragraph: inline
  code, URLs, autolinks, inline HTML and comments, images, footnote references,
  and the syntax of links (``[``, ``](url "title")``) whose text stays. An object
  mark is neither a space nor Chinese, so removing ``运行`make`命令`` leaves no
  "stray space" and no word is glued to its neighbour.

Paragraphs are Markdown's blocks, not lines: a paragraph wrapped over several
source lines is one paragraph (its ``text`` holds the newlines), so hard-wrapped
Markdown is not "broken paragraphs". Headings are headings whatever their text;
list items and table cells count as enumerated items (``is_numbered_heading``),
so an item without a full stop is not a broken paragraph either.

The source text is kept in ``doc.meta["source"]``: fixes apply to it unchanged
(offsets are identical), and ``reportlint.readers.rebuild`` parses it again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from reportlint.document import Document, Paragraph

OBJ = "\ufffc"  # stands for an inline object (code, URL, link syntax) in the text rules read

_FRONT_OPEN = re.compile(r"(?:---|\+\+\+)[ \t]*\n")
_URL_RE = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\u3000，。；！？、“”（）《》\ufffc]+", re.I)
_AUTOLINK_RE = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+"
    r"(?:\.[A-Za-z0-9-]+)*)>"
)
_ATTR = r"(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)"
_HTML_RE = re.compile(
    r"<!--.*?-->"
    rf"|<[A-Za-z][A-Za-z0-9-]*{_ATTR}*\s*/?>"
    r"|</[A-Za-z][A-Za-z0-9-]*\s*>"
    r"|<\?.*?\?>|<![A-Za-z][^>]*>|<!\[CDATA\[.*?\]\]>",
    re.S,
)
_FOOTNOTE_REF_RE = re.compile(r"\[\^[^\]\s]+\](?::)?")
_HEADING_BLOCKS = frozenset({"heading"})
_ITEM_BLOCKS = frozenset({"item", "cell"})
# Blocks that are not prose (code, HTML, rules, link definitions) leave one object mark at
# their first character: a barrier, so that the paragraphs around them are never taken
# for the two halves of one broken paragraph (whose fix would delete the block).
_BARRIER_TOKENS = {"fence": "code", "code_block": "code", "html_block": "html", "hr": "rule"}
_BARRIER_BLOCKS = frozenset(_BARRIER_TOKENS.values()) | {"reference"}


@dataclass(frozen=True, slots=True)
class MdParagraph(Paragraph):
    """A paragraph of a Markdown file, knowing which block it is."""

    block: str = "paragraph"  # paragraph, heading, item (in a list) or cell (of a table)

    @property
    def is_numbered_heading(self) -> bool:
        if self.block in _HEADING_BLOCKS or self.block in _ITEM_BLOCKS or self.block in _BARRIER_BLOCKS:
            return True
        return Paragraph.is_numbered_heading.fget(self)  # type: ignore[attr-defined]

    @property
    def is_heading(self) -> bool:
        if self.block in _HEADING_BLOCKS:
            return True
        t = self.text
        return Paragraph.is_numbered_heading.fget(self) or (  # type: ignore[attr-defined]
            len(t) <= 40 and not any(c in t for c in "。！？；，、")
        )


@dataclass(eq=False)
class MarkdownDocument(Document):
    """A Document whose paragraphs are the Markdown blocks found by the reader."""

    @cached_property
    def paragraphs(self) -> list[Paragraph]:  # type: ignore[override]
        out: list[Paragraph] = []
        text = self.text
        for start, end, block in self.meta.get("blocks", ()):
            s, e = start, end
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                out.append(MdParagraph(len(out), s, e, text[s:e], self.line_col(s)[0], block))
        return out

    def line_text(self, line: int) -> str:
        """A line as written in the file (for showing findings; same columns as the text)."""
        source = self.meta.get("source")
        if not isinstance(source, str) or len(source) != len(self.text):
            return super().line_text(line)
        starts = self.line_starts
        s = starts[line - 1]
        e = starts[line] - 1 if line < len(starts) else len(source)
        return source[s:e]


def markdown_document(
    text: str, path: str = "<string>", encoding: str = "utf-8", bom: bool = False
) -> MarkdownDocument:
    """Parse Markdown source into a MarkdownDocument (line endings normalised to ``\\n``)."""
    newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text else "\n")
    source = text.replace("\r\n", "\n").replace("\r", "\n")
    blanked, blocks = prose_of(source)
    doc = MarkdownDocument(path=path, text=blanked, encoding=encoding, bom=bom, newline=newline, kind="md")
    doc.meta["format"] = "md"
    doc.meta["source"] = source
    doc.meta["blocks"] = blocks
    return doc


# ----------------------------------------------------------------------------- parsing
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def front_matter_end(source: str) -> int:
    """Offset just past a YAML (``---``) or TOML (``+++``) front matter block, or 0."""
    m = _FRONT_OPEN.match(source)
    if not m:
        return 0
    fence = source[:3]
    closers = (fence, "...") if fence == "---" else (fence,)
    pos = m.end()
    while pos < len(source):
        nl = source.find("\n", pos)
        line_end = len(source) if nl == -1 else nl
        if source[pos:line_end].rstrip() in closers:
            return line_end
        pos = line_end + 1
    return 0


def prose_of(source: str) -> tuple[str, list[tuple[int, int, str]]]:
    """(text with non-prose blanked, [(start, end, block kind)] of the prose blocks)."""
    out = [c if c == "\n" else " " for c in source]
    fm = front_matter_end(source)
    parse_src = "".join(out[:fm]) + source[fm:] if fm else source
    line_starts = [0] + [i + 1 for i, c in enumerate(source) if c == "\n"]
    lines = source.split("\n")
    env: dict = {}
    tokens = _parser().parse(parse_src, env)
    refs = {k for k in env.get("references", {})}
    blocks: list[tuple[int, int, str]] = []
    stack: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.nesting == 1:
            stack.append(tok.type)
        elif tok.nesting == -1 and stack:
            stack.pop()
        if tok.type in _BARRIER_TOKENS and tok.map is not None:
            blocks.extend(_barrier(lines, line_starts, tok.map[0], _BARRIER_TOKENS[tok.type], out))
            continue
        if tok.type != "inline" or tok.map is None:
            continue
        parent = stack[-1] if stack else ""
        if parent in ("th_open", "td_open"):
            if _is_first_cell(tokens, i):
                blocks.extend(_reveal_row(source, lines, line_starts, tok.map[0], out, refs))
            continue
        if parent == "heading_open":
            kind = "heading"
        elif "list_item_open" in stack:
            kind = "item"
        else:
            kind = "paragraph"
        span = _reveal_inline(source, lines, line_starts, tok.map, tok.content, out, refs)
        if span is not None:
            blocks.append((span[0], span[1], kind))
    for ref in env.get("references", {}).values():
        if ref.get("map"):
            blocks.extend(_barrier(lines, line_starts, ref["map"][0], "reference", out))
    blocks.sort()
    return "".join(out), blocks


def _barrier(
    lines: list[str], line_starts: list[int], ln: int, kind: str, out: list[str]
) -> list[tuple[int, int, str]]:
    line = lines[ln] if ln < len(lines) else ""
    col = len(line) - len(line.lstrip())
    if col >= len(line):
        return []
    pos = line_starts[ln] + col
    out[pos] = OBJ
    return [(pos, pos + 1, kind)]


def _is_first_cell(tokens: list, i: int) -> bool:
    j = i - 1
    while j >= 0 and tokens[j].type in ("th_open", "td_open"):
        j -= 1
    return tokens[j].type == "tr_open" if j >= 0 else False


def _content_columns(line: str, content: str) -> int:
    """Where a line of a block's inline content starts in its source line, or -1."""
    if not content:
        return len(line.rstrip())
    stripped = line.rstrip()
    if stripped.endswith(content):
        return len(stripped) - len(content)
    return line.find(content)


def _reveal_inline(
    source: str,
    lines: list[str],
    line_starts: list[int],
    line_map: list[int],
    content: str,
    out: list[str],
    refs: set[str],
) -> tuple[int, int] | None:
    """Copy one block's inline content into ``out`` (inline objects replaced); its span."""
    parts = content.split("\n")
    first_line, end_line = line_map
    # A setext heading's content is its first line(s); the underline is not content.
    if len(parts) > end_line - first_line:
        return None
    positions: list[int] = []  # source offset of each character of content
    for k, part in enumerate(parts):
        ln = first_line + k
        col = _content_columns(lines[ln], part)
        if col < 0:
            return None  # cannot place it (tabs expanded, …): leave the block blank
        base = line_starts[ln] + col
        positions.extend(range(base, base + len(part)))
        if k + 1 < len(parts):
            positions.append(line_starts[ln] + len(lines[ln]))  # the newline
    if not positions:
        return None
    joined = "".join(source[p] for p in positions)
    if joined != content:
        return None
    for a, b in inline_objects(content, refs):
        for k in range(a, b):
            if content[k] != "\n":
                out[positions[k]] = OBJ
        content = content[:a] + "\0" * (b - a) + content[b:]
    for k, ch in enumerate(content):
        if ch != "\0" and ch != "\n":
            out[positions[k]] = ch
    return positions[0], positions[-1] + 1


def _reveal_row(
    source: str, lines: list[str], line_starts: list[int], ln: int, out: list[str], refs: set[str]
) -> list[tuple[int, int, str]]:
    """Copy the cells of one table row; pipes stay blank. One block per cell."""
    line = lines[ln]
    base = line_starts[ln]
    cells: list[tuple[int, int]] = []
    start = 0
    code = _code_spans(line)
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "|" and not any(a <= i < b for a, b in code):
            cells.append((start, i))
            start = i + 1
        i += 1
    cells.append((start, len(line)))
    blocks = []
    for a, b in cells:
        while a < b and line[a] in " \t":
            a += 1
        while b > a and line[b - 1] in " \t":
            b -= 1
        if a >= b:
            continue
        cell = line[a:b]
        marks = list(cell)
        for x, y in inline_objects(cell, refs):
            for k in range(x, y):
                marks[k] = OBJ
        for k, ch in enumerate(marks):
            out[base + a + k] = ch
        blocks.append((base + a, base + b, "cell"))
    return blocks


# ----------------------------------------------------------------------------- inline
def _code_spans(s: str) -> list[tuple[int, int]]:
    """Code spans (backtick runs closed by a run of the same length), as CommonMark pairs them."""
    spans = []
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        if ch == "\\":
            i += 2
            continue
        if ch != "`":
            i += 1
            continue
        j = i
        while j < n and s[j] == "`":
            j += 1
        k = j - i
        m = j
        close = -1
        while m < n:
            if s[m] == "`":
                e = m
                while e < n and s[e] == "`":
                    e += 1
                if e - m == k:
                    close = e
                    break
                m = e
            else:
                m += 1
        if close == -1:
            i = j  # an unmatched run of backticks is literal text
        else:
            spans.append((i, close))
            i = close
    return spans


def _normalise_label(label: str) -> str:
    return " ".join(label.split()).upper()


def _match_bracket(s: str, i: int, code: list[tuple[int, int]]) -> int:
    """Index of the ``]`` matching the ``[`` at ``i`` (nested brackets allowed), or -1."""
    depth = 0
    j = i
    while j < len(s):
        ch = s[j]
        if ch == "\\":
            j += 2
            continue
        inside = next((b for a, b in code if a <= j < b), None)
        if inside is not None:
            j = inside
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1


def _destination_end(s: str, i: int) -> int:
    """Given ``s[i] == "("`` after a link's ``]``, the index after the matching ``)``, or -1."""
    depth = 0
    j = i
    quote = ""
    while j < len(s):
        ch = s[j]
        if ch == "\\":
            j += 2
            continue
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'" and depth == 1 and j > i + 1 and s[j - 1].isspace():
            quote = ch
        elif ch == "<" and j == i + 1:
            close = s.find(">", j)
            if close == -1:
                return -1
            j = close
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        elif ch == "\n" and j + 1 < len(s) and s[j + 1] == "\n":
            return -1
        j += 1
    return -1


def inline_objects(s: str, refs: set[str]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ranges of ``s`` that are not prose (see the module doc)."""
    code = _code_spans(s)
    found: list[tuple[int, int]] = list(code)

    def free(a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y in found)

    for rx in (_AUTOLINK_RE, _HTML_RE):
        for m in rx.finditer(s):
            if free(m.start(), m.end()):
                found.append((m.start(), m.end()))
    for m in _FOOTNOTE_REF_RE.finditer(s):
        if free(m.start(), m.end()):
            found.append((m.start(), m.end()))
    # links and images
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            i += 2
            continue
        if ch != "[" or not free(i, i + 1):
            i += 1
            continue
        close = _match_bracket(s, i, code)
        if close == -1:
            i += 1
            continue
        image = i > 0 and s[i - 1] == "!" and free(i - 1, i)
        start = i - 1 if image else i
        after = close + 1
        end = -1
        if after < len(s) and s[after] == "(":
            end = _destination_end(s, after)
        elif after < len(s) and s[after] == "[":
            ref_close = s.find("]", after)
            if ref_close != -1:
                label = s[after + 1 : ref_close] or s[i + 1 : close]
                if _normalise_label(label) in refs:
                    end = ref_close + 1
        elif _normalise_label(s[i + 1 : close]) in refs:
            end = after
        if end == -1:
            i += 1
            continue
        if image:
            found.append((start, end))
            i = end
            continue
        found.append((i, i + 1))
        found.append((close, end))
        i += 1  # the link text is prose: scan it for nested objects
    for m in _URL_RE.finditer(s):
        a, b = m.start(), m.end()
        while b > a and s[b - 1] in ".,;:!?)]}'\"":
            b -= 1
        if b > a and free(a, b):
            found.append((a, b))
    found.sort()
    merged: list[tuple[int, int]] = []
    for a, b in found:
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged
