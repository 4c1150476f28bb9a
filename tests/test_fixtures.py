"""Every rule's fixture cases: positive cases find what the header says, Okay cases nothing."""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from fixturelib import Case, findings_for, parse_fixture

from reportlint.registry import load_rules

CASES: list[Case] = [c for path in sorted(FIXTURES.glob("*.txt")) for c in parse_fixture(path)]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.code}:{c.lineno}" for c in CASES])
def test_fixture_case(case: Case) -> None:
    assert findings_for(case) == sorted(case.expected), case.text


def test_every_rule_has_positive_and_okay_fixtures() -> None:
    by_code: dict[str, list[Case]] = {}
    for c in CASES:
        by_code.setdefault(c.code, []).append(c)
    for code in load_rules():
        cases = by_code.get(code, [])
        assert any(not c.okay for c in cases), f"{code} has no positive fixture"
        assert any(c.okay for c in cases), f"{code} has no Okay fixture"


def test_fixture_files_name_real_rules() -> None:
    rules = load_rules()
    for path in FIXTURES.glob("*.txt"):
        assert path.stem in rules, f"fixture {path.name} names no rule"
