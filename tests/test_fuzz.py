"""Property-based tests over random and mutated text: rules never crash, spans are sound,
JSON always parses, and fixing converges (a second --fix changes nothing).

CI runs a modest number of examples; a longer campaign:
    REPORTLINT_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportlint.config import Config
from reportlint.document import Document
from reportlint.engine import FileResult, Report, apply_fixes, build_rules, check_document
from reportlint.fixer import fix_document
from reportlint.formatters.json_format import report_dict

EXAMPLES = int(os.environ.get("REPORTLINT_FUZZ_EXAMPLES", "120"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

SAMPLE = (Path(__file__).parent / "data" / "sample_report.txt").read_text(encoding="utf-8")
HAN = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所"
    "民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日"
    "那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想"
    "已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
    "几九区强放决西被干做必战先回则任取据处理队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共"
    "权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今"
    "集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约"
    "支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适"
    "属圆包火住调满县局照参红细引听该铁价严龙飞"
)
PUNCT = "，。、；：？！“”‘’（）《》【】〔〕—…·,.;:?!()[]\"'"
OTHER = "0123456789０１２３PMGDPand 5G\u3000 \t\n\n\n%％×—-/"
ALPHABET = HAN + PUNCT + OTHER

texts = st.text(alphabet=ALPHABET, max_size=400)


@st.composite
def mutated_report(draw) -> str:
    text = SAMPLE
    for _ in range(draw(st.integers(0, 12))):
        pos = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "duplicate", "newline"]))
        if kind == "insert":
            text = text[:pos] + draw(st.text(alphabet=ALPHABET, min_size=1, max_size=8)) + text[pos:]
        elif kind == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 20)) :]
        elif kind == "duplicate":
            end = min(len(text), pos + draw(st.integers(5, 200)))
            text = text[:end] + text[pos:end] + text[end:]
        else:
            text = text[:pos] + "\n\n" + text[pos:]
    return text


CONFIG = Config()
RULES = build_rules(CONFIG)


def check_sound(text: str) -> None:
    doc = Document.from_text(text, path="fuzz.txt")
    findings = check_document(doc, RULES)
    n = len(doc.text)
    for f in findings:
        s = f.span
        assert 0 <= s.start <= s.end <= n, f
        assert (s.line, s.column) == doc.line_col(s.start)
        assert (s.end_line, s.end_column) == doc.line_col(s.end)
        for r in f.related:
            assert 0 <= r.span.start <= r.span.end <= n, f
        rng = f.fix_range()
        if rng is not None:
            assert 0 <= rng[0] <= rng[1] <= n, f
    data = json.loads(json.dumps(report_dict(Report([FileResult(doc.path, doc, findings)]))))
    assert len(data["findings"]) == len(findings)
    # fixing converges: after fix_document, nothing fixable is left to change
    outcome = fix_document(doc, findings, CONFIG, unsafe=False)
    again = Document.from_text(outcome.new_text, path="fuzz.txt")
    new_text, _ = apply_fixes(again.text, check_document(again, RULES))
    assert new_text == again.text


@FUZZ
@given(texts)
def test_random_text(text: str) -> None:
    check_sound(text)


@FUZZ
@given(mutated_report())
def test_mutated_report(text: str) -> None:
    check_sound(text)


@FUZZ
@given(
    st.lists(
        st.sampled_from(
            [
                "（一）持续扩大投资。",
                "一是",
                "二是",
                "五个方面",
                "各位代表！",
                "\n",
                "\n\n",
                "推进高质量发展，",
                "要 闻",
                "（上接第一版）",
                "志志",
                " and ",
                "“",
                "”",
            ]
        ),
        max_size=40,
    )
)
def test_report_shaped_fragments(parts: list[str]) -> None:
    check_sound("".join(parts))
