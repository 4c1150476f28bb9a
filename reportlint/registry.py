"""The Rule base class, automatic discovery, and selection by code prefix.

A rule is a small class in any module under ``reportlint/rules/``::

    class StraySpace(Rule):
        \"\"\"A space between two Chinese characters.

        ## Why is this bad?
        ...
        ## Example
        ...
        \"\"\"

        code = "PUNCT001"
        name = "stray-space"
        severity = Severity.WARNING

        def check(self, doc):
            yield self.finding(doc, start, end, zh="…", en="…")

Defining the class registers it; nothing else needs to change.
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import itertools
import os
import pkgutil
import re
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, NamedTuple

from reportlint.document import Document
from reportlint.finding import Finding, Fix, Msg, Related, Severity, Span, describe_edits

FAMILIES = ("DUP", "NUM", "TYPO", "PUNCT", "LAYOUT")
CODE_RE = re.compile(r"^(DUP|NUM|TYPO|PUNCT|LAYOUT)\d{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")

_REGISTRY: dict[str, type[Rule]] = {}


class RuleError(ValueError):
    """A usage error about rules: unknown code, bad option. Shown to the user, exit 2."""


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    fixable: ClassVar[bool] = False
    # Option name -> default value. Values given in config are checked against the type.
    options: ClassVar[dict[str, Any]] = {}
    # False for rules that are off unless selected explicitly (e.g. house-style rules).
    default_enabled: ClassVar[bool] = True

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if inspect.isabstract(cls) or "code" not in cls.__dict__:
            return
        if not CODE_RE.match(cls.code):
            raise TypeError(f"{cls.__name__}: bad rule code {cls.code!r}")
        if not NAME_RE.match(cls.name):
            raise TypeError(f"{cls.__name__}: rule name must be kebab-case: {cls.name!r}")
        if not (cls.__doc__ or "").strip():
            raise TypeError(f"{cls.__name__}: a rule must have a docstring")
        other = _REGISTRY.get(cls.code)
        if other is not None and other.__qualname__ != cls.__qualname__:
            raise TypeError(f"rule code {cls.code} used twice: {other.__name__}, {cls.__name__}")
        _REGISTRY[cls.code] = cls

    def __init__(self, **opts: Any) -> None:
        values = dict(self.options)
        for key, value in opts.items():
            if key not in self.options:
                hint = _suggest(key, list(self.options))
                raise RuleError(f"{self.code}: unknown option {key!r}{hint}")
            default = self.options[key]
            if default is not None and not _same_type(default, value):
                raise RuleError(
                    f"{self.code}: option {key!r} must be {type(default).__name__}, got {value!r}"
                )
            values[key] = value
        self.opts = values
        self.context: dict[str, Any] = {}

    # -- the rule's work ----------------------------------------------------------
    def check(self, doc: Document) -> Iterator[Finding]:
        """Yield findings for one document."""
        return iter(())

    def check_many(self, docs: list[Document]) -> Iterator[Finding]:
        """Yield findings that need several documents at once (e.g. text copied across files).

        Called once per run with every document; the default does nothing.
        """
        return iter(())

    # -- helpers ------------------------------------------------------------------
    @classmethod
    def summary(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0].strip()

    @classmethod
    def explanation(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    def finding(
        self,
        doc: Document,
        start: int,
        end: int,
        *,
        zh: str,
        en: str,
        related: Iterable[tuple[Span, Msg]] = (),
        fix: Fix | None = None,
        severity: Severity | None = None,
        confidence: float | None = None,
    ) -> Finding:
        excerpt = doc.text[start:end]
        if len(excerpt) > 80:
            excerpt = excerpt[:38] + "…" + excerpt[-38:]
        if fix is not None:
            edits = tuple(sorted(fix.resolved(start, end), key=lambda e: (e.start, e.end)))
            message = fix.message or describe_edits(edits, doc.text)
            fix = Fix(fix.replacement, fix.safe, fix.start, fix.end, message, edits)
        return Finding(
            code=self.code,
            name=self.name,
            severity=severity or self.severity,
            message=Msg(zh, en),
            span=doc.span(start, end),
            excerpt=excerpt,
            related=[Related(span, msg) for span, msg in related],
            fix=fix,
            confidence=None if confidence is None else round(float(confidence), 3),
        )


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(default, (list, tuple)):
        return isinstance(value, (list, tuple))
    return isinstance(value, type(default))


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


_loaded = False


def load_rules() -> dict[str, type[Rule]]:
    """Import every module of ``reportlint.rules`` once; return code -> rule class."""
    global _loaded
    if not _loaded:
        import reportlint.rules as pkg

        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
            if not info.name.startswith("_"):
                importlib.import_module(f"{pkg.__name__}.{info.name}")
        _loaded = True
    return dict(sorted(_REGISTRY.items()))


class RuleInfo(NamedTuple):
    """What selection needs to know of a rule, read without importing its module."""

    code: str
    name: str
    module: str
    default_enabled: bool


# A rule class's own lines, as written in every module of ``reportlint/rules``:
#     code = "TYPO003"
#     name = "wrong-character"
#     default_enabled = False   (optional)
_CLASS_HEAD_RE = re.compile(r"^class \w+\(", re.M)
_CODE_LINE_RE = re.compile(r'^    code = "([^"\n]*)"[ \t]*$', re.M)
_NAME_LINE_RE = re.compile(r'^    name = "([^"\n]*)"[ \t]*$', re.M)
_ENABLED_LINE_RE = re.compile(r"^    default_enabled = (True|False)[ \t]*$", re.M)
_index: dict[str, RuleInfo] | None = None


def rule_index() -> dict[str, RuleInfo]:
    """Code -> RuleInfo of every rule, sorted by code.

    Read from the rule modules' source (a few milliseconds) rather than by importing them
    (their patterns, tables and numpy cost a quarter of a second): a check imports only the
    modules of the rules it runs, and the two halves of a split import only their own. If a
    module cannot be read this way, every module is imported instead.
    """
    global _index
    if _index is None:
        _index = _scan_rules()
        if _index is None:
            _index = {
                code: RuleInfo(code, cls.name, cls.__module__, cls.default_enabled)
                for code, cls in load_rules().items()
            }
    # Rule classes defined elsewhere (registered when their module was imported) count too.
    extra = {c: cls for c, cls in _REGISTRY.items() if c not in _index}
    if not extra:
        return _index
    merged = dict(_index)
    for code, cls in extra.items():
        merged[code] = RuleInfo(code, cls.name, cls.__module__, cls.default_enabled)
    return dict(sorted(merged.items()))


def _scan_rules() -> dict[str, RuleInfo] | None:
    import reportlint.rules as pkg

    found: dict[str, RuleInfo] = {}
    for folder in pkg.__path__:
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            return None
        for fname in names:
            if not fname.endswith(".py") or fname.startswith("_"):
                continue
            try:
                with open(os.path.join(folder, fname), encoding="utf-8") as f:
                    source = f.read()
            except (OSError, UnicodeDecodeError):
                return None
            module = f"{pkg.__name__}.{fname[:-3]}"
            heads = [m.start() for m in _CLASS_HEAD_RE.finditer(source)] + [len(source)]
            for start, end in itertools.pairwise(heads):
                body = source[start:end]
                codes = _CODE_LINE_RE.findall(body)
                if not codes:
                    continue
                names_ = _NAME_LINE_RE.findall(body)
                enabled = _ENABLED_LINE_RE.findall(body)
                if len(codes) != 1 or len(names_) != 1 or len(enabled) > 1 or not CODE_RE.match(codes[0]):
                    return None
                if codes[0] in found:
                    return None
                found[codes[0]] = RuleInfo(codes[0], names_[0], module, enabled != ["False"])
    return dict(sorted(found.items())) if found else None


def rule_class(code: str) -> type[Rule]:
    """The class of rule ``code``, importing its module if it is not loaded yet."""
    cls = _REGISTRY.get(code)
    if cls is None:
        info = rule_index().get(code)
        if info is not None:
            importlib.import_module(info.module)
        cls = _REGISTRY.get(code)
        if cls is None:  # the index and the module disagree: take what the modules define
            cls = load_rules()[code]
    return cls


def resolve_code(token: str) -> str:
    """Turn a code, a code prefix or a rule name into a code prefix; RuleError if unknown."""
    rules = rule_index()
    token = token.strip()
    if not token:
        raise RuleError("empty rule selector")
    if token.upper() == "ALL":
        return ""
    up = token.upper()
    if any(code.startswith(up) for code in rules):
        return up
    for code, info in rules.items():
        if info.name == token.lower():
            return code
    choices = list(rules) + [c.name for c in rules.values()] + list(FAMILIES)
    raise RuleError(f"unknown rule or prefix {token!r}{_suggest(token, choices)}")


def select_rules(
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    extend_select: Iterable[str] = (),
    families: Iterable[str] | None = None,
) -> list[type[Rule]]:
    """Rules chosen by code prefixes (see ``select_codes``); only their modules are imported.
    ``families``: keep only the rules of these families (code prefixes)."""
    codes = select_codes(select, ignore, extend_select)
    if families is not None:
        codes = [c for c in codes if c.startswith(tuple(families))]
    return [rule_class(code) for code in codes]


def select_codes(
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    extend_select: Iterable[str] = (),
) -> list[str]:
    """Codes of the rules chosen by code prefixes. Longest matching prefix wins, as in ruff."""
    rules = rule_index()
    sel = [resolve_code(t) for t in select] if select is not None else None
    ext = [resolve_code(t) for t in extend_select]
    ign = [resolve_code(t) for t in ignore]
    chosen = []
    for code, info in rules.items():
        if sel is None:
            best_sel = len("") if info.default_enabled else -1
        else:
            best_sel = max((len(p) for p in sel if code.startswith(p)), default=-1)
            # A default-off rule is only taken when named by its full code.
            if not info.default_enabled and code not in sel:
                best_sel = -1
        best_ext = max((len(p) for p in ext if code.startswith(p)), default=-1)
        if not info.default_enabled and code not in ext:
            best_ext = -1
        best_in = max(best_sel, best_ext)
        best_out = max((len(p) for p in ign if code.startswith(p)), default=-1)
        if best_in >= 0 and best_in > best_out:
            chosen.append(code)
    return chosen
