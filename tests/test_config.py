from __future__ import annotations

import pytest

from reportlint.config import Config, config_from_dict, discover, find_config_file, parse_size
from reportlint.errors import UsageError
from reportlint.registry import select_rules


def codes(cfg: Config) -> set[str]:
    return {c.code for c in select_rules(cfg.select, cfg.ignore, cfg.extend_select)}


def test_pyproject_section_is_found_upwards(tmp_path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.reportlint]\nignore = ["PUNCT"]\n', encoding="utf-8")
    sub = tmp_path / "docs" / "2024"
    sub.mkdir(parents=True)
    report = sub / "r.txt"
    report.write_text("正文。", encoding="utf-8")
    cfg = discover(str(report))
    assert cfg.ignore == ("PUNCT",)
    assert not any(c.startswith("PUNCT") for c in codes(cfg))


def test_nearest_file_wins_and_reportlint_toml_beats_pyproject(tmp_path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.reportlint]\nignore = ["PUNCT"]\n', encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "reportlint.toml").write_text('select = ["LAYOUT001"]\n', encoding="utf-8")
    (sub / "pyproject.toml").write_text('[tool.reportlint]\nselect = ["PUNCT"]\n', encoding="utf-8")
    assert find_config_file(sub).name == "reportlint.toml"
    assert codes(discover(str(sub / "r.txt"))) == {"LAYOUT001"}


def test_pyproject_without_section_is_skipped(tmp_path) -> None:
    (tmp_path / "reportlint.toml").write_text('ignore = ["LAYOUT"]\n', encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert find_config_file(sub) == tmp_path / "reportlint.toml"


def test_cli_overrides_file() -> None:
    cfg = config_from_dict({"select": ["PUNCT"], "lang": "en"})
    merged = cfg.merged(select=("LAYOUT",), lang=None)
    assert merged.select == ("LAYOUT",) and merged.lang == "en"


def test_select_prefix_and_ignore_longest_prefix_wins() -> None:
    cfg = config_from_dict({"select": ["PUNCT", "LAYOUT001"], "ignore": ["PUNCT002"]})
    got = codes(cfg)
    assert "LAYOUT001" in got and "PUNCT001" in got
    assert "PUNCT002" not in got and "LAYOUT002" not in got


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"selct": ["PUNCT"]}, "unknown key 'selct' (did you mean 'select'?)"),
        ({"select": ["PUNKT"]}, "unknown rule or prefix 'PUNKT'"),
        ({"lang": "fr"}, "lang must be"),
        ({"rules": {"PUNCT009": {}}}, "unknown rule 'PUNCT009'"),
        ({"rules": {"PUNCT001": {"nope": 1}}}, "unknown option 'nope'"),
        ({"max-file-size": "lots"}, "expected a size"),
    ],
)
def test_bad_config_is_a_clear_error(data, message) -> None:
    with pytest.raises(UsageError) as e:
        config_from_dict(data, "pyproject.toml")
    assert message in str(e.value)


def test_sizes() -> None:
    assert parse_size("64MB") == 64 * 1024**2
    assert parse_size("1.5k") == 1536
    assert parse_size(1000) == 1000
