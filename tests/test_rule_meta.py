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


def test_the_index_read_from_source_matches_the_classes() -> None:
    from reportlint.registry import _scan_rules

    index = _scan_rules()
    assert index is not None, "a rule module's code/name lines could not be read"
    assert list(index) == list(RULES)
    for code, cls in RULES.items():
        assert index[code] == (code, cls.name, cls.__module__, cls.default_enabled), code


def test_a_selection_imports_only_its_rules_modules() -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from reportlint.config import Config\n"
        "from reportlint.engine import build_rules\n"
        "rules = build_rules(Config(select=('PUNCT', 'LAYOUT001')))\n"
        "codes = sorted(r.code for r in rules)\n"
        "assert codes == ['LAYOUT001', 'PUNCT001', 'PUNCT002', 'PUNCT003', 'PUNCT004']\n"
        "loaded = [m for m in sys.modules if m.startswith('reportlint.rules.') and '._' not in m]\n"
        "print(sorted(loaded), 'numpy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split("]")[0].count("reportlint.rules.") == 5
    assert out.strip().endswith("False")  # no TYPO module, so no numpy
