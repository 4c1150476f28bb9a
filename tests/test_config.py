from __future__ import annotations

import pytest

from reportlint.config import Config, config_from_dict, discover, find_config_file, parse_size
from reportlint.errors import UsageError
from reportlint.registry import load_rules, select_rules


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
    for nothing in ("0.5b", "0.0001k", "0", 0, -3):  # a limit below one byte would refuse every file
        with pytest.raises(UsageError, match="at least one byte"):
            parse_size(nothing)
    for huge in ("9" * 400, "2048g", 1 << 41):  # a typo, not an internal error
        with pytest.raises(UsageError, match="largest size allowed"):
            parse_size(huge)


# ----------------------------------------------------------------------------- settings never lost silently
def _check(tmp_path, *args: str):
    from click.testing import CliRunner

    from reportlint.cli import main

    report = tmp_path / "r.txt"
    if not report.exists():
        report.write_text("把制造业作为核心竞争力 的强支撑,扎实推进。\n", encoding="utf-8")
    return CliRunner().invoke(main, ["check", "--format", "concise", *args, str(report)])


def test_broken_toml_in_pyproject_is_an_error_not_skipped(tmp_path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.reportlint]\nignore = ["PUNCT"\n', encoding="utf-8")
    r = _check(tmp_path)
    assert r.exit_code == 2 and "invalid TOML" in r.stderr and "--isolated" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.output
    assert _check(tmp_path, "--isolated").exit_code == 1  # the way out it names works


@pytest.mark.parametrize("name", ["pyproject.toml", "reportlint.toml"])
def test_a_misspelt_table_is_an_error_with_a_suggestion(tmp_path, name) -> None:
    (tmp_path / name).write_text('[tool.reportlnt]\nignore = ["PUNCT"]\n', encoding="utf-8")
    r = _check(tmp_path)
    assert r.exit_code == 2
    assert "unknown table [tool.reportlnt] (did you mean [tool.reportlint]?)" in r.stderr


def test_unknown_keys_are_errors_with_a_suggestion(tmp_path) -> None:
    (tmp_path / "reportlint.toml").write_text('allow_words = ["链长"]\n', encoding="utf-8")
    r = _check(tmp_path)
    assert r.exit_code == 2 and "unknown key 'allow_words' (did you mean 'allow-words'?)" in r.stderr
    (tmp_path / "reportlint.toml").write_text("colour = true\n", encoding="utf-8")
    r = _check(tmp_path)
    assert r.exit_code == 2 and "unknown key 'colour' (known keys: select, " in r.stderr


def test_reportlint_toml_takes_the_pyproject_form_too(tmp_path) -> None:
    """The README's [tool.reportlint] example pasted into reportlint.toml works as it is."""
    table = '[tool.reportlint]\nignore = ["PUNCT001"]\n\n[tool.reportlint.rules.DUP002]\nthreshold = 0.9\n'
    (tmp_path / "reportlint.toml").write_text(table, encoding="utf-8")
    r = _check(tmp_path)
    assert r.exit_code == 1 and "PUNCT001" not in r.stdout and "PUNCT002" in r.stdout
    cfg = discover(str(tmp_path / "r.txt"))
    assert cfg.ignore == ("PUNCT001",) and cfg.options_for("DUP002") == {"threshold": 0.9}
    (tmp_path / "reportlint.toml").write_text('ignore = ["PUNCT002"]\n' + table, encoding="utf-8")
    assert "not both" in _check(tmp_path).stderr


def test_config_option_names_a_pyproject_without_the_table(tmp_path) -> None:
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    r = _check(tmp_path, "--config", str(tmp_path / "cfg" / "pyproject.toml"))
    assert r.exit_code == 2 and "no [tool.reportlint] table" in r.stderr


@pytest.mark.parametrize("code", sorted(load_rules()))
def test_rule_prints_valid_toml_that_round_trips(tmp_path, code) -> None:
    import tomllib

    from click.testing import CliRunner

    from reportlint.cli import main

    out = CliRunner().invoke(main, ["rule", code]).stdout
    data = tomllib.loads(out)  # the whole output: explanation as comments, options as a table
    cls = load_rules()[code]
    assert cls.summary() in out
    if not cls.options:
        assert data == {}
        return
    assert data == {"tool": {"reportlint": {"rules": {code: dict(cls.options)}}}}
    for name in ("pyproject.toml", "reportlint.toml"):
        folder = tmp_path / name.split(".")[0]
        folder.mkdir()
        (folder / name).write_text(out, encoding="utf-8")  # pasted as it is
        cfg = discover(str(folder / "r.txt"))
        assert cfg.options_for(code) == dict(cls.options)
