"""The character language model, the TYPO scores and their plumbing (confidence, typo-level)."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from reportlint.config import Config, config_from_dict
from reportlint.document import Document
from reportlint.engine import run
from reportlint.errors import UsageError
from reportlint.lm import FIRST_CHAR, LAT, NUM, UNK, B, get_lm
from reportlint.typo_lm import DocLM
from reportlint.typo_score import FEATURES, typo_model

ROOT = Path(__file__).resolve().parent.parent
LM_DIR = Path(str(resources.files("reportlint.data").joinpath("lm")))


def test_model_files_within_budget() -> None:
    size = sum(f.stat().st_size for f in LM_DIR.iterdir())
    assert size <= 40 * 1024 * 1024
    meta = json.loads((LM_DIR / "meta.json").read_text(encoding="utf-8"))
    assert meta["order"] >= 4 and "Kneser-Ney" in meta["smoothing"]


def test_tokens_and_offsets() -> None:
    lm = get_lm()
    text = "2024年GDP增长 5.2%，\n䶮"
    ids, pos = lm.tokenize(text)
    assert ids[0] == NUM and pos[0] == 0  # a run of digits is one token
    assert lm.char_id("年") >= FIRST_CHAR and ids[1] == lm.char_id("年") and pos[1] == 4
    assert ids[2] == LAT and ids[5] == NUM and pos[5] == 11  # the space is skipped
    assert B in ids and ids[-1] == UNK  # a line break; a rare character
    assert lm.char_id(",") == lm.char_id("，")  # half-width punctuation reads as full-width


def test_probabilities_sum_to_about_one() -> None:
    lm = get_lm()
    ids, _ = lm.tokenize("推进高质量发展")
    hist = ids[-4:]
    rows = np.tile(np.append(hist, 0), (lm.size, 1))
    rows[:, -1] = np.arange(lm.size)
    lp = lm.logprob(rows)
    lp[UNK] += np.log(lm.unk_types)
    assert 0.9 < np.exp(lp).sum() < 1.1


def test_fluent_text_is_more_probable_than_a_slip() -> None:
    lm = get_lm()
    d = DocLM("推进社会信用体系建设", lm)
    t = d.token_at(8)
    gain = d.replace_llr(np.array([t]), 1, np.array([[lm.char_id("键")]]))
    assert gain[0] < -5  # 建设 -> 键设 makes the text much less probable
    delete = d.replace_llr(np.array([t]), 1, np.zeros((1, 0), dtype=np.int64))
    assert delete[0] < 0


def test_name_statistics_of_characters() -> None:
    lm = get_lm()
    assert lm.foreign is not None and lm.abbrev is not None
    assert lm.foreign[lm.char_id("斯")] > 1.0 > 0.0 > lm.foreign[lm.char_id("的")]
    assert lm.abbrev[lm.char_id("美")] and not lm.abbrev[lm.char_id("的")]


def test_name_statistics_are_read_from_the_texts() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    from build_lm import add_name_stats, build_model

    texts = ["外长塔希尔·努努会见了伊万·佩特罗夫。中美关系稳定，中法关系发展。", "推进高质量发展。"] * 3
    lm = build_model(texts)
    add_name_stats(lm, texts)
    assert lm.foreign is not None and lm.abbrev is not None
    assert lm.foreign[lm.char_id("努")] > 0 > lm.foreign[lm.char_id("发")]
    assert lm.abbrev[lm.char_id("美")] and lm.abbrev[lm.char_id("法")] and not lm.abbrev[lm.char_id("关")]


def test_injected_doublings_are_where_the_fitting_says() -> None:
    import random

    sys.path.insert(0, str(ROOT / "tools"))
    from fit_typo import inject_dbl

    text = (
        "全市统筹贸易、投资、通道、平台建设，围绕主导产业延链补链强链，推动经济平稳运行。"
        "我们要坚持稳中求进的工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局。"
    ) * 12
    new, injected = inject_dbl(text, random.Random(7))
    assert injected and len(text) <= len(new) <= len(text) + len(injected)
    # (a series head is doubled in place, 延链补链 → 链链补链: the text keeps its length there)
    for p, w, r in injected:
        assert new[p : p + 2] == w and w == r * 2
    assert any(w == "链链" and new[p + 2 : p + 6] == "补链强链" for p, w, _ in injected)


def test_score_equals_row_by_row_scoring() -> None:
    lm = get_lm()
    ids, _ = lm.tokenize("全面贯彻党的二十大精神，\n扎实推进中国式现代化。")
    assert np.allclose(lm.score(ids), lm.logprob(lm.windows(ids)))


def test_build_is_deterministic_on_a_small_text() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    from build_lm import build_model

    texts = ["推进高质量发展。\n扎实推进乡村振兴。", "加快建设现代化产业体系，推进高质量发展。"] * 3
    a, b = build_model(texts), build_model(texts)
    for x, y in zip(a.keys + a.probs + a.bows, b.keys + b.probs + b.bows, strict=True):
        assert np.array_equal(x, y)


def test_scores_have_weights_for_every_feature() -> None:
    model = typo_model()
    for kind, names in FEATURES.items():
        m = model[kind]
        assert m["features"] == list(names)
        assert len(m["weights"]) == len(m["mean"]) == len(m["scale"]) == len(names)
        assert 0 < m["thresholds"]["review"] < m["thresholds"]["lint"] < 1


# ------------------------------------------------------------------ confidence, typo-level


def test_json_has_confidence_for_every_finding() -> None:
    from reportlint.engine import FileResult, Report
    from reportlint.formatters.json_format import report_dict

    doc = Document.from_text("推进社会信用体系键设,持续优化营商环境。")
    found = run([doc], Config())[doc.path]
    data = report_dict(Report([FileResult(doc.path, doc, found)]))
    codes = {f["code"]: f["confidence"] for f in data["findings"]}
    assert isinstance(codes["TYPO003"], float) and 0 < codes["TYPO003"] <= 1
    assert any(v is None for c, v in codes.items() if not c.startswith("TYPO"))


def test_sarif_carries_confidence() -> None:
    import io

    from reportlint.engine import FileResult, Report
    from reportlint.formatters.sarif_format import write

    doc = Document.from_text("推进社会信用体系键设。")
    found = run([doc], Config(select=("TYPO",)))[doc.path]
    out = io.StringIO()
    write(Report([FileResult(doc.path, doc, found)]), out)
    result = json.loads(out.getvalue())["runs"][0]["results"][0]
    assert result["properties"]["confidence"] == found[0].confidence


def test_typo_level_config_key() -> None:
    assert config_from_dict({"typo-level": "review"}).typo_level == "review"
    assert Config().typo_level == "lint"
    try:
        config_from_dict({"typo-level": "loud"})
    except UsageError as e:
        assert "typo-level" in str(e)
    else:  # pragma: no cover
        raise AssertionError("a bad typo-level is an error")


def test_review_level_on_the_command_line_orders_by_confidence(tmp_path: Path) -> None:
    from reportlint.cli import main

    path = tmp_path / "r.txt"
    path.write_text("每年对下级单位进行考合。推进社会信用体系键设 ,持续改进。\n", encoding="utf-8")
    lint = CliRunner().invoke(main, ["check", str(path), "--isolated", "--format", "json"])
    review = CliRunner().invoke(
        main, ["check", str(path), "--isolated", "--format", "json", "--typo-level", "review"]
    )
    lint_codes = [f["code"] for f in json.loads(lint.output)["findings"]]
    found = json.loads(review.output)["findings"]
    assert len(found) > len(lint_codes)
    confs = [f["confidence"] for f in found if f["confidence"] is not None]
    assert confs == sorted(confs, reverse=True)
    assert found[0]["confidence"] is not None  # scored findings come first
    bad = CliRunner().invoke(main, ["check", str(path), "--typo-level", "loud"])
    assert bad.exit_code == 2
