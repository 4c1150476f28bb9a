"""Archive-scale copy detection: the index (SQLite, Redis), its upkeep, check --against, Dask."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS, needs_corpus

np = pytest.importorskip("numpy")

from reportlint.archive.features import Params, jaccard, minhashes, permutations, shingle_hashes, shingles  # noqa: E402
from reportlint.archive.index import ArchiveIndex  # noqa: E402
from reportlint.archive.query import Options, find_copies  # noqa: E402
from reportlint.cli import main  # noqa: E402
from reportlint.config import Config  # noqa: E402
from reportlint.document import Document  # noqa: E402
from reportlint.readers import read_path  # noqa: E402
from reportlint.runner import ConfigResolver, run_paths  # noqa: E402

# Self-written archive: three past documents.
FARM = (
    "深入实施乡村振兴战略，新建高标准农田八万亩，培育市级农业产业化龙头企业二十家，"
    "发展农村电商服务站点三百个。加快补齐农村供水短板，新建改造农村供水工程四十处，"
    "让群众喝上放心水。推进农村公路提档升级，新改建农村公路二百公里。"
    "加强农村人居环境整治，农村卫生厕所普及率达到百分之九十二。"
)
TRADE = (
    "全力稳住外贸外资基本盘，进出口总额增长百分之八点六，实际使用外资增长百分之十一，"
    "新设外资企业五十二家，跨境电商交易额突破六十亿元，综合保税区进出口增长百分之二十。"
)
SCHOOLS = (
    "办好人民满意的教育，新建改扩建中小学校十四所，新增学位一万五千个，"
    "普惠性幼儿园覆盖率达到百分之九十三，职业院校毕业生就业率保持在百分之九十六以上。"
)
HEALTH = (
    "推进健康城市建设，新建社区卫生服务中心六个，二级以上公立医院全部开展远程医疗，"
    "家庭医生签约服务覆盖率达到百分之四十五，居民健康档案电子化率达到百分之九十。"
)
GREEN = (
    "持续改善生态环境，完成造林绿化三万亩，空气质量优良天数比例达到百分之八十八，"
    "国控考核断面水质优良比例达到百分之百，建成区黑臭水体全部消除。"
)
FORMULA = (
    "各位代表，让我们紧密团结在以习近平同志为核心的党中央周围，"
    "坚定信心、真抓实干，奋力谱写高质量发展新篇章，为全面建设社会主义现代化国家作出新的更大贡献！"
)
FRESH = (
    "今年要统筹推进城市更新行动，改造提升老旧街区十二片，建设口袋公园三十个，"
    "新增公共停车泊位八千个，让城市更加宜居、韧性、智慧。"
)


def write(folder: Path, name: str, *paras: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text("\n\n".join(paras) + "\n", encoding="utf-8")
    return p


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    a = tmp_path / "archive"
    write(a, "2022.txt", "2022年政府工作报告", TRADE, SCHOOLS)
    write(a, "2023.txt", "2023年政府工作报告", FARM, HEALTH, GREEN)
    write(a, "city_b.txt", "某市政府工作报告", FORMULA)
    return a


def build(spec: str, *paths: Path, **kw) -> ArchiveIndex:
    idx = ArchiveIndex(spec, create=True)
    idx.update([str(p) for p in paths], jobs=1, **kw)
    return idx


def draft_text() -> str:
    near = SCHOOLS.replace("十四所", "十六所")  # one figure changed
    passage = "今年要扎实推进农业农村现代化。" + FARM[FARM.index("培育市级") :]
    return "\n".join(["2025年政府工作报告", FRESH, TRADE, passage, near, HEALTH, GREEN]) + "\n"


def codes(findings) -> list[tuple[str, int]]:
    return sorted((f.code, f.span.line) for f in findings)


def check(spec: str, text: str, path: str = "draft.txt", **cfg):
    doc = Document.from_text(text, path=path)
    from reportlint.engine import run

    return run([doc], Config(select=("DUP006", "DUP007", "DUP008"), against=spec, **cfg))[path]


# ----------------------------------------------------------------------------- features


def test_minhash_is_datasketch_minhash() -> None:
    MinHash = pytest.importorskip("datasketch").MinHash

    p = Params()
    keys = [
        "推进义务教育优质均衡发展新增学位一万个",
        "ab",
        "全年新增城镇就业四万六千人发放创业担保贷款二十亿元" * 3,
    ]
    for key, sig in zip(keys, minhashes(keys, p), strict=True):
        m = MinHash(num_perm=p.num_perm, seed=p.seed, hashfunc=lambda x: x)
        m.update_batch([int(h) for h in shingle_hashes(key)])
        assert np.array_equal(m.hashvalues, sig)
    a, b = permutations(128, 7)
    assert np.array_equal(MinHash(num_perm=128, seed=7).permutations, np.array([a, b]))


def test_jaccard_of_shingles() -> None:
    assert jaccard(shingles("abcdef"), shingles("abcdef")) == 1.0
    assert jaccard(shingles("abcdef"), shingles("abcxef")) == pytest.approx(1 / 7)
    assert jaccard(set(), shingles("abc")) == 0.0


# ----------------------------------------------------------------------------- SQLite


def test_copies_from_the_archive(tmp_path: Path, archive: Path) -> None:
    spec = str(tmp_path / "a.idx")
    build(spec, archive).close()
    found = check(spec, draft_text())
    assert codes(found) == [("DUP006", 3), ("DUP006", 6), ("DUP007", 5), ("DUP008", 4)]
    by_line = {f.span.line: f for f in found}
    trade = by_line[3]
    assert trade.related[0].span.path.endswith("2022.txt") and trade.related[0].span.line == 3
    assert "2022.txt" in trade.message.zh and "第3行" in trade.message.zh
    block = by_line[6]  # HEALTH and GREEN: one block copied from 2023.txt lines 5-7
    assert (block.span.line, block.span.end_line) == (6, 7) and "连续2段" in block.message.zh
    assert (block.related[0].span.line, block.related[0].span.end_line) == (5, 7)
    near = by_line[5]
    assert "「校十四所，」→「校十六所，」" in near.message.zh and "91%" in near.message.zh
    psg = by_line[4]
    assert psg.excerpt.startswith("培育市级") and psg.related[0].span.line == 3
    assert psg.related[0].span.column == FARM.index("培育市级") + 1


def test_the_three_rules_share_one_search_with_all_their_settings(
    tmp_path: Path, archive: Path, monkeypatch
) -> None:
    from reportlint.archive import query

    spec = str(tmp_path / "a.idx")
    build(spec, archive).close()
    calls = []
    real = query.find_copies
    monkeypatch.setattr(query, "find_copies", lambda *a: calls.append(a[2]) or real(*a))
    opts = {"DUP008": {"min_chars": 80}, "DUP007": {"threshold": 0.95}}
    found = check(spec, draft_text(), rule_options=opts)
    assert len(calls) == 1  # one search for DUP006, DUP007 and DUP008
    assert (calls[0].passage_min, calls[0].near_threshold, calls[0].dup_min) == (80, 0.95, 50)
    # the 91% near copy is below DUP007's threshold now, and no other rule takes it up
    assert ("DUP007", 5) not in codes(found) and all(f.span.line != 5 for f in found)


def test_figures_updated_throughout_is_an_edited_passage(tmp_path: Path, archive: Path) -> None:
    spec = str(tmp_path / "a.idx")
    build(spec, archive).close()
    updated = FARM
    for old, new in (
        ("八万亩", "九万亩"),
        ("二十家", "二十五家"),
        ("三百个", "四百个"),
        ("四十处", "五十处"),
    ):
        updated = updated.replace(old, new)
    updated = updated.replace("二百公里", "三百公里").replace("市级", "省级")
    assert jaccard(shingles(updated), shingles(FARM)) < 0.8
    [f] = check(spec, updated + "\n")
    assert (f.code, f.span.start, f.span.end) == ("DUP008", 0, len(updated))
    assert "少量改动" in f.message.zh and "small edits" in f.message.en
    # two different paragraphs sharing one formula sentence are not chained into a passage
    other = "今年要稳步推进农业现代化，粮食产量稳定在八十万吨以上。" + FARM[FARM.index("加强农村") :]
    assert check(spec, other + "\n") == []


def test_normalised_copy_and_english(tmp_path: Path, archive: Path) -> None:
    spec = str(tmp_path / "a.idx")
    build(spec, archive).close()
    text = TRADE.replace("，", ", ").replace("。", ". ") + "\n"
    [f] = check(spec, text, lang="en")
    assert f.code == "DUP006" and "标点" in f.message.zh and "punctuation" in f.message.en


def test_nothing_without_an_archive_and_nothing_fresh(tmp_path: Path, archive: Path) -> None:
    doc = Document.from_text(draft_text(), path="d.txt")
    from reportlint.engine import run

    assert run([doc], Config(select=("DUP006", "DUP007", "DUP008")))["d.txt"] == []
    spec = str(tmp_path / "a.idx")
    build(spec, archive).close()
    assert check(spec, FRESH + "\n" + FRESH[:30] + "。\n") == []


def test_template_paragraphs_are_not_copies(tmp_path: Path) -> None:
    a = tmp_path / "archive"
    for i in range(4):
        write(a, f"r{i}.txt", f"报告{i}", [TRADE, SCHOOLS, HEALTH, GREEN][i], FORMULA)
    spec = str(tmp_path / "a.idx")
    build(spec, a).close()
    text = f"{FRESH}\n{FORMULA}\n"
    assert codes(check(spec, text)) == [("DUP006", 2)]
    opts = {"DUP006": {"template_files": 3}}
    assert check(spec, text, rule_options=opts) == []


def test_a_document_is_not_a_copy_of_itself(tmp_path: Path, archive: Path) -> None:
    spec = str(tmp_path / "a.idx")
    build(spec, archive).close()
    p = archive / "2023.txt"
    idx = ArchiveIndex(spec)
    assert find_copies(read_path(str(p)), idx, Options()) == []  # same path, same content
    moved = tmp_path / "copy_of_2023.txt"
    shutil.copy(p, moved)
    assert find_copies(read_path(str(moved)), idx, Options()) == []  # same content elsewhere
    p.write_text(p.read_text(encoding="utf-8") + "\n" + FRESH + "\n", encoding="utf-8")
    assert find_copies(read_path(str(p)), idx, Options()) == []  # a new version of itself
    idx.close()


def test_incremental_update_and_remove(tmp_path: Path, archive: Path) -> None:
    spec = str(tmp_path / "a.idx")
    idx = build(spec, archive)
    first = idx.stats()
    assert first["documents"] == 3
    res = idx.update([str(archive)], jobs=1)
    assert (res.added, res.updated, res.unchanged) == (0, 0, 3)
    # touched but unchanged: read again, skipped by content hash
    p = archive / "2022.txt"
    p.write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    res = idx.update([str(archive)], jobs=1)
    assert (res.added, res.updated, res.unchanged) == (0, 0, 3)
    # changed: the old record goes, the new one comes
    p.write_text("2022年政府工作报告\n\n" + FRESH + "\n", encoding="utf-8")
    res = idx.update([str(archive)], jobs=1)
    assert (res.added, res.updated, res.unchanged) == (0, 1, 2)
    assert codes(find_copies_doc(idx, TRADE)) == []
    assert [m.kind for m in find_copies_doc(idx, FRESH)] == ["exact"]
    # removed: by file and by folder; the tables are empty again
    assert idx.remove([str(p)]).removed == 1
    assert idx.remove([str(archive)]).removed == 2
    st = idx.stats()
    assert (
        st["documents"],
        st["paragraph_fingerprints"],
        st["sentence_fingerprints"],
        st["lsh_entries"],
    ) == (
        0,
        0,
        0,
        0,
    )
    idx.close()


def find_copies_doc(idx: ArchiveIndex, text: str):
    return find_copies(Document.from_text(text + "\n", path="<d>"), idx, Options())


def test_readers_as_for_check(tmp_path: Path) -> None:
    a = tmp_path / "archive"
    write(a, "notes.md", "# 2023年工作回顾", HEALTH.replace("新建社区", "**新建**社区"))
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("2022年报告")
    d.add_paragraph(TRADE)
    d.save(str(a / "old.docx"))
    spec = str(tmp_path / "a.idx")
    build(spec, a).close()
    found = check(spec, f"{HEALTH}\n{TRADE}\n")
    assert codes(found) == [("DUP006", 1), ("DUP006", 2)]
    assert {Path(f.related[0].span.path).name for f in found} == {"notes.md", "old.docx"}


# ----------------------------------------------------------------------------- command line


def test_cli_index_and_check(tmp_path: Path, archive: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    res = runner.invoke(main, ["index", "build", str(archive), "--index", "a.idx", "-j", "1"])
    assert res.exit_code == 0, res.output
    assert "3 added" in res.output
    res = runner.invoke(main, ["index", "build", str(archive), "--index", "a.idx", "-j", "1"])
    assert "3 unchanged" in res.output
    res = runner.invoke(main, ["index", "stats", "--index", "a.idx", "--format", "json"])
    assert json.loads(res.output)["documents"] == 3
    draft = tmp_path / "draft.txt"
    draft.write_text(draft_text(), encoding="utf-8")
    args = ["check", "--isolated", "--select", "DUP006,DUP007,DUP008", str(draft), "--against", "a.idx"]
    res = runner.invoke(main, [*args, "--format", "json"])
    assert res.exit_code == 1, res.output
    data = json.loads(res.output)
    assert sorted((f["code"], f["line"]) for f in data["findings"]) == [
        ("DUP006", 3),
        ("DUP006", 6),
        ("DUP007", 5),
        ("DUP008", 4),
    ]
    rel = next(f for f in data["findings"] if f["line"] == 3)["related"][0]
    assert rel["path"] == str(Path("archive") / "2022.txt") and rel["line"] == 3
    for fmt in ("text", "concise", "sarif", "github", "gitlab", "junit", "html"):
        res = runner.invoke(main, [*args, "--format", fmt])
        assert res.exit_code == 1 and "DUP006" in res.output, fmt
    # a baseline silences them; so does the sidecar of accepted findings
    res = runner.invoke(main, ["baseline", "create", "--isolated", str(draft), "--against", "a.idx"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, [*args, "--baseline", "reportlint-baseline.json"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(
        main, ["accept", "--isolated", "--select", "DUP007", str(draft), "--against", "a.idx"]
    )
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, [*args, "--format", "json"])
    assert "DUP007" not in res.output and "DUP006" in res.output
    # remove
    res = runner.invoke(main, ["index", "remove", str(archive / "2022.txt"), "--index", "a.idx"])
    assert "1 document(s) removed" in res.output


def test_cli_bad_index_is_one_line(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text(FRESH, encoding="utf-8")
    runner = CliRunner()
    for spec in (str(tmp_path / "missing.idx"), str(tmp_path), str(draft)):
        res = runner.invoke(main, ["check", str(draft), "--against", spec])
        assert res.exit_code == 2, res.output
        assert res.output.count("\n") == 1 and res.output.startswith("reportlint: "), res.output
    res = runner.invoke(main, ["index", "stats", "--index", str(tmp_path / "none.idx")])
    assert res.exit_code == 2 and "no such index" in res.output
    res = runner.invoke(main, ["index", "stats", "--index", "redis://127.0.0.1:1/0"])
    assert res.exit_code == 2 and res.output.count("\n") == 1, res.output


def test_cli_bad_scheduler_is_one_line(tmp_path: Path, archive: Path) -> None:
    pytest.importorskip("distributed")
    runner = CliRunner()
    spec = str(tmp_path / "a.idx")
    res = runner.invoke(main, ["index", "build", str(archive), "--index", spec, "--scheduler", "nowhere"])
    assert res.exit_code == 2 and res.output.startswith("reportlint: --scheduler")
    assert res.output.count("\n") == 1
    draft = tmp_path / "d.txt"
    draft.write_text(FRESH + "\n", encoding="utf-8")
    res = runner.invoke(main, ["check", str(draft), "--scheduler", "tcp://127.0.0.1:1"])
    assert res.exit_code == 2 and res.output.count("\n") == 1, res.output


def test_plain_check_imports_no_archive_machinery(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text(FRESH + "\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from reportlint.cli import main\n"
        "try:\n"
        f"    main(['check', {str(draft)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        # numpy is the TYPO rules' (the language model); the archive's own machinery is not loaded
        "names = ('datasketch', 'sqlite3', 'redis', 'distributed', 'scipy')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parent.parent
    )
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout + out.stderr


# ----------------------------------------------------------------------------- Redis


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def redis_url(tmp_path: Path):
    redis = pytest.importorskip("redis")
    pytest.importorskip("datasketch")
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    cmd = [
        exe,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(tmp_path),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                redis.Redis(port=port).ping()
                break
            except redis.ConnectionError:
                if proc.poll() is not None:
                    pytest.skip("redis-server could not start")
                time.sleep(0.05)
        else:
            pytest.skip("redis-server did not answer")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


def _signature(findings) -> list[tuple]:
    return [
        (
            f.code,
            f.span.line,
            f.span.column,
            f.span.end,
            f.message.zh,
            [(r.span.path, r.span.line) for r in f.related],
        )
        for f in findings
    ]


def test_redis_index_gives_the_same_findings(tmp_path: Path, archive: Path, redis_url: str) -> None:
    spec = str(tmp_path / "a.idx")
    build(spec, archive).close()
    ridx = build(redis_url, archive)
    assert ridx.stats()["documents"] == 3
    ridx.close()
    assert _signature(check(redis_url, draft_text())) == _signature(check(spec, draft_text()))
    # incremental and removal work there too
    ridx = ArchiveIndex(redis_url)
    assert ridx.update([str(archive)], jobs=1).unchanged == 3
    assert ridx.remove([str(archive / "2022.txt")]).removed == 1
    ridx.close()
    assert [f.code for f in check(redis_url, TRADE + "\n")] == []
    res = CliRunner().invoke(main, ["index", "stats", "--index", redis_url])
    assert res.exit_code == 0 and "redis" in res.output


# ----------------------------------------------------------------------------- Dask


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as c,
        distributed.Client(c) as client,
    ):
        yield client


def test_dask_builds_and_checks_the_same(tmp_path: Path, archive: Path, dask_client) -> None:
    local, remote = str(tmp_path / "local.idx"), str(tmp_path / "dask.idx")
    build(local, archive).close()
    idx = ArchiveIndex(remote, create=True)
    res = idx.update([str(archive)], client=dask_client)
    assert res.added == 3
    idx.close()
    drafts = [tmp_path / "d1.txt", tmp_path / "d2.txt"]
    drafts[0].write_text(draft_text(), encoding="utf-8")
    drafts[1].write_text(f"{GREEN}\n{FRESH}\n{SCHOOLS}\n", encoding="utf-8")

    def findings(spec: str, executor=None):
        cfg = Config(select=("DUP006", "DUP007", "DUP008"), against=spec)
        run = run_paths([str(d) for d in drafts], ConfigResolver(cfg, {}), jobs=1, executor=executor)
        return [_signature(r.findings) for r in run.report.files]

    base = findings(local)
    assert base[0] and base[1]
    assert findings(remote) == base
    assert findings(local, dask_client.get_executor()) == base


# ----------------------------------------------------------------------------- the corpus


@needs_corpus()
def test_synthetic_archive_from_the_corpus(tmp_path: Path) -> None:
    """Recall and precision of copied paragraphs (J >= 0.8) against the exact comparison."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.archive import archived_paragraphs, draft_units, score, truth
    from bench.archive_synth import Synth, sentence_pool, write_archive, write_draft

    files = sorted((CORPUS / "news").glob("xwlb_2025*.txt"))[:2] + sorted(
        (CORPUS / "reports").glob("0[4-5]*.txt")
    )
    synth = Synth(sentence_pool(files), seed=3)
    folder, draft = tmp_path / "archive", tmp_path / "draft.txt"
    kept, names = write_archive(folder, 300, synth)
    plan = write_draft(draft, kept, names, synth, chars=12_000)
    assert {p.kind for p in plan} >= {"exact", "edit", "passage"}
    spec = str(tmp_path / "a.idx")
    idx = build(spec, folder)
    matches = find_copies(read_path(str(draft)), idx, Options())
    units = draft_units(draft)
    archive = archived_paragraphs(folder)
    true = truth(units, archive)
    assert true == truth(units, archive, brute=True)
    sc = score(matches, units, true, archive)
    assert sc["true_copies"] >= 20
    assert sc["recall"] >= 0.95 and sc["precision"] >= 0.99, sc
    idx.close()
