"""Every rule documents itself and stays pure (no printing, no CLI imports)."""

from __future__ import annotations

import ast
import inspect

import pytest

from reportlint.registry import CODE_RE, NAME_RE, load_rules

RULES = load_rules()


@pytest.mark.parametrize("code", list(RULES))
def test_rule_documents_itself(code: str) -> None:
    cls = RULES[code]
    assert CODE_RE.match(cls.code) and NAME_RE.match(cls.name)
    doc = cls.explanation()
    assert cls.summary() and len(cls.summary()) <= 100
    assert "## Why is this bad?" in doc, f"{code}: explain why it matters"
    assert "## Example" in doc, f"{code}: give an example"


@pytest.mark.parametrize("code", list(RULES))
def test_rule_is_pure(code: str) -> None:
    module = inspect.getmodule(RULES[code])
    assert module is not None
    tree = ast.parse(inspect.getsource(module))
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + [getattr(node, "module", "") or ""]
            assert not any(n.split(".")[0] in ("click", "rich") for n in names), code
            assert not any("reportlint.cli" in n or "reportlint.formatters" in n for n in names), code
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in (
            "print",
            "open",
            "input",
        ):
            pytest.fail(f"{code}: rules must not print or open files")


def test_names_are_unique() -> None:
    names = [c.name for c in RULES.values()]
    assert len(names) == len(set(names))
