"""Editorial CI: output formats, fixes, accepted findings, baselines, thresholds, many files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED, needs_corpus

from reportlint.cli import main

DATA = Path(__file__).parent / "data"
GOLDEN = Path(__file__).parent / "golden"
SAMPLE = DATA / "sample_report.txt"
STABLE = ["--select", "PUNCT,LAYOUT"]  # families whose output is pinned by golden files


def run(*args: str, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(main, list(args))
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(main, list(args))
    finally:
        os.chdir(old)


@pytest.fixture
def sample(tmp_path) -> Path:
    dst = tmp_path / "report.txt"
    shutil.copy(SAMPLE, dst)
    return dst


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize("fmt", ["concise", "github", "gitlab", "junit", "sarif", "json"])
def test_golden_output(fmt: str, sample: Path) -> None:
    r = run("check", "--format", fmt, *STABLE, "report.txt", cwd=sample.parent)
    assert r.exit_code == 1
    out = r.output.replace(__import__("reportlint").__version__, "VERSION")
    if fmt == "sarif":  # rule documentation is checked elsewhere; keep the golden file about results
        data = json.loads(out)
        for rule in data["runs"][0]["tool"]["driver"]["rules"]:
            rule.pop("fullDescription"), rule.pop("help")
        out = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    golden = GOLDEN / f"sample.{fmt}"
    if os.environ.get("REPORTLINT_UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_sarif_structure(sample: Path) -> None:
    data = json.loads(run("check", "--format", "sarif", *STABLE, str(sample)).output)
    assert data["version"] == "2.1.0" and data["$schema"].endswith("sarif-2.1.0.json")
    run_ = data["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    rules = run_["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(set(ids))
    for res in run_["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note")
        region = res["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert res["partialFingerprints"]["reportlintFingerprint/v1"]
    broken = [r for r in run_["results"] if r["ruleId"] == "LAYOUT003"]
    assert broken and all(r["relatedLocations"] for r in broken)


def test_github_escaping() -> None:
    from reportlint.formatters.github_format import escape_data, escape_property

    assert escape_data("a%b\nc") == "a%25b%0Ac"
    assert escape_property("x:y,z") == "x%3Ay%2Cz"


def test_gitlab_fingerprints_are_stable_under_edits_elsewhere(sample: Path) -> None:
    first = {
        i["fingerprint"] for i in json.loads(run("check", "--format", "gitlab", *STABLE, str(sample)).output)
    }
    text = sample.read_text(encoding="utf-8").replace(
        "各位代表！\n", "各位代表！\n\n新增的一段，内容完全正确。\n"
    )
    sample.write_text(text, encoding="utf-8")
    second = {
        i["fingerprint"] for i in json.loads(run("check", "--format", "gitlab", *STABLE, str(sample)).output)
    }
    assert first == second


def test_junit_parses(sample: Path) -> None:
    root = ET.fromstring(run("check", "--format", "junit", *STABLE, str(sample)).output.split("\n", 1)[1])
    assert root.tag == "testsuites" and int(root.get("failures")) == len(root.findall(".//failure")) > 0


@needs_corpus()
@pytest.mark.parametrize("fmt", ["concise", "github", "gitlab", "junit", "sarif", "json", "text"])
def test_every_format_on_the_seed(fmt: str) -> None:
    r = run("check", "--format", fmt, str(SEED))
    assert r.exit_code == 1, r.output
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(r.output)
    assert "LAYOUT001" in r.output or (fmt == "text" and "要" in r.output)


# --------------------------------------------------------------------------- fixes


FIXED_KINDS = {"PUNCT001", "PUNCT002", "LAYOUT001", "LAYOUT002", "LAYOUT003", "LAYOUT005"}


def codes_in(path: Path, *extra: str) -> set[str]:
    data = json.loads(run("check", "--format", "json", *STABLE, *extra, str(path)).output)
    return {f["code"] for f in data["findings"]}


def test_fix_removes_what_it_reports_and_is_idempotent(sample: Path) -> None:
    before = sample.read_bytes()
    assert codes_in(sample) >= FIXED_KINDS
    r = run("check", "--fix", *STABLE, str(sample))
    assert r.exit_code == 0, r.output  # every PUNCT/LAYOUT finding of the sample has a safe fix
    after = sample.read_text(encoding="utf-8")
    assert not FIXED_KINDS & codes_in(sample)
    assert "连续6年获评“全省食品安全示范城市”，群众安全感" in after
    assert "（上接第二版）" not in after and "综 合" not in after and "**" not in after
    # every character of the original that no fix covered is still there, in order
    table = str.maketrans("，（）", ",()")
    assert _is_subsequence(after.translate(table), before.decode("utf-8").translate(table))
    again = sample.read_bytes()
    r = run("check", "--fix", *STABLE, str(sample))
    assert sample.read_bytes() == again  # a second --fix changes nothing


@needs_corpus()
def test_fix_on_a_copy_of_the_seed(tmp_path) -> None:
    seed = tmp_path / "seed.txt"
    shutil.copy(SEED, seed)
    seed.chmod(0o644)  # the corpus files are read-only, and --fix never writes a read-only file
    fixed_kinds = {"LAYOUT001", "LAYOUT002", "LAYOUT003", "LAYOUT005", "PUNCT001", "PUNCT002", "DUP001"}
    before = json.loads(run("check", "--format", "json", str(seed)).output)
    assert fixed_kinds <= {f["code"] for f in before["findings"]}
    run("check", "--fix", str(seed))
    after = json.loads(run("check", "--format", "json", str(seed)).output)
    assert not fixed_kinds & {f["code"] for f in after["findings"]}
    text = seed.read_text(encoding="utf-8")
    assert "要 闻" not in text and "（上接第一版）" not in text and "（下转第三版）" not in text
    assert "季度观摩、定期调度" in text and "优秀省辖市”" in text
    assert text.count("加快产业聚链成群。") == 1  # the repeated run is gone, the first copy kept
    snapshot = seed.read_bytes()
    run("check", "--fix", str(seed))
    assert seed.read_bytes() == snapshot


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(c in it for c in small)


def test_diff_writes_nothing(sample: Path) -> None:
    before = sample.read_bytes()
    r = run("check", "--diff", *STABLE, str(sample))
    assert r.exit_code == 1
    assert r.output.startswith("--- a/") and "+++ b/" in r.output
    assert "-综 合" in r.output
    assert sample.read_bytes() == before


@pytest.mark.parametrize(
    ("encoding", "bom", "newline"),
    [
        ("utf-8", False, "\r\n"),
        ("utf-8", True, "\n"),
        ("gb18030", False, "\r\n"),
        ("utf-16", True, "\n"),
    ],
)
def test_fix_keeps_encoding_bom_and_line_endings(tmp_path, encoding, bom, newline) -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace("\n", newline)
    data = text.encode(encoding)
    if bom and encoding == "utf-8":
        data = b"\xef\xbb\xbf" + data
    f = tmp_path / "r.txt"
    f.write_bytes(data)
    os.chmod(f, 0o640)
    run("check", "--fix", *STABLE, str(f))
    out = f.read_bytes()
    assert out != data
    if encoding == "utf-8":
        assert out.startswith(b"\xef\xbb\xbf") == bom
    if encoding == "utf-16":
        assert out[:2] in (b"\xff\xfe", b"\xfe\xff")
    decoded = out.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    assert "\r\n" in decoded if newline == "\r\n" else "\r" not in decoded
    assert "综 合" not in decoded
    assert oct(f.stat().st_mode & 0o777) == oct(0o640)


def test_fix_refuses_when_file_changed_since_read(sample: Path) -> None:
    from reportlint.config import Config
    from reportlint.errors import InputError
    from reportlint.fixer import write_atomic
    from reportlint.readers import read_path

    doc = read_path(str(sample))
    sample.write_text("别人刚刚改过这个文件。\n", encoding="utf-8")
    with pytest.raises(InputError, match="changed on disk"):
        write_atomic(doc, doc.text.replace("综 合\n\n", ""))
    assert sample.read_text(encoding="utf-8") == "别人刚刚改过这个文件。\n"
    del Config


def test_fix_without_findings_does_not_touch_the_file(tmp_path) -> None:
    f = tmp_path / "clean.txt"
    f.write_text("今年经济运行总体平稳，稳中有进。\n", encoding="utf-8")
    mtime = f.stat().st_mtime_ns
    assert run("check", "--fix", str(f)).exit_code == 0
    assert f.stat().st_mtime_ns == mtime
    assert not [p for p in tmp_path.iterdir() if p.name != "clean.txt"]  # no temp files left


# ------------------------------------------------------------------ suppressions and baselines


def test_accept_writes_sidecar_and_silences_those_findings(sample: Path) -> None:
    r = run("accept", "--select", "PUNCT002", "--reason", "house style", "report.txt", cwd=sample.parent)
    assert r.exit_code == 0, r.output
    sidecar = sample.parent / "reportlint-accepted.toml"
    assert sidecar.is_file() and 'reason = "house style"' in sidecar.read_text(encoding="utf-8")
    assert "PUNCT002" not in codes_in(sample)
    assert "LAYOUT001" in codes_in(sample)
    # survives an edit elsewhere in the file
    text = sample.read_text(encoding="utf-8").replace(
        "各位代表！\n", "各位代表！\n\n新增的一段，内容完全正确。\n"
    )
    sample.write_text(text, encoding="utf-8")
    assert "PUNCT002" not in codes_in(sample)
    # once the text is corrected, the entry is unused and reported on request
    sample.write_text(
        sample.read_text(encoding="utf-8").replace(",", "，").replace("(省)", "（省）"),
        encoding="utf-8",
    )
    r = run("check", *STABLE, "--show-unused-suppressions", str(sample))
    assert "unused accepted finding PUNCT002" in r.output


def test_markdown_inline_suppression(tmp_path) -> None:
    md = tmp_path / "r.md"
    md.write_text(
        "# 报告\n\n<!-- reportlint-disable PUNCT002 -->\n稳中有进,质效提升。\n"
        "<!-- reportlint-enable -->\n\n"
        "稳中有进,质效提升。\n\n<!-- reportlint-disable-next-line -->\n稳中有进,质效提升。\n",
        encoding="utf-8",
    )
    data = json.loads(run("check", "--format", "json", "--select", "PUNCT002", str(md)).output)
    assert [f["line"] for f in data["findings"]] == [7]


def test_baseline_reports_only_new_findings(sample: Path) -> None:
    r = run("baseline", "create", *STABLE, "-o", "baseline.json", "report.txt", cwd=sample.parent)
    assert r.exit_code == 0 and "recorded" in r.output
    baseline = sample.parent / "baseline.json"
    r = run("check", *STABLE, "--baseline", str(baseline), str(sample))
    assert r.exit_code == 0, r.output
    text = sample.read_text(encoding="utf-8").replace("各位代表！\n", "各位代表！\n\n新增一句 有空格的话。\n")
    sample.write_text(text, encoding="utf-8")
    data = json.loads(
        run("check", "--format", "json", *STABLE, "--baseline", str(baseline), str(sample)).output
    )
    assert [f["code"] for f in data["findings"]] == ["PUNCT001"]


def test_fail_on_and_statistics(sample: Path) -> None:
    assert run("check", *STABLE, "--fail-on", "error", str(sample)).exit_code == 0  # all warnings
    assert run("check", *STABLE, "--fail-on", "warning", str(sample)).exit_code == 1
    r = run("check", *STABLE, "--statistics", str(sample))
    assert "PUNCT002" in r.output and "LAYOUT002" in r.output and "[*]" in r.output


# --------------------------------------------------------------------------- many files


def test_parallel_run_equals_serial_run(tmp_path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    for i in range(12):
        (folder / f"r{i:02d}.txt").write_text(f"第{i}份报告。\n\n" + text, encoding="utf-8")
    serial = run("check", "--format", "json", "--no-cross-file", "-j", "1", str(folder)).output
    parallel = run("check", "--format", "json", "--no-cross-file", "-j", "2", str(folder)).output
    assert serial == parallel
    paths = [f["path"] for f in json.loads(parallel)["findings"]]
    assert paths == sorted(paths)


def test_changed_since(tmp_path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e",
    }
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "old.txt").write_text("旧文件 有空格。\n", encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    subprocess.run(["git", "commit", "-qm", "x"], cwd=tmp_path, check=True, env=env)
    (tmp_path / "new.txt").write_text("新文件 有空格。\n", encoding="utf-8")
    r = run("check", "--format", "concise", "--changed-since", "HEAD", ".", cwd=tmp_path)
    assert "new.txt" in r.output and "old.txt" not in r.output

    # A revision is never read as a git option: nothing is written, exit 2, one line.
    for rev in ("--output=a.txt", "-p", "HEAD --output=a.txt", "nosuchrev"):
        r = run("check", "--format", "concise", f"--changed-since={rev}", ".", cwd=tmp_path)
        assert r.exit_code == 2, (rev, r.output)
        assert "--changed-since" in r.output and "Traceback" not in r.output
        assert not (tmp_path / "a.txt").exists()


def test_pre_commit_hook_definition_is_valid() -> None:
    yaml = pytest.importorskip("yaml")  # installed with pre-commit
    hooks = yaml.safe_load(
        (Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    )
    (hook,) = hooks
    assert hook["id"] == "reportlint" and hook["entry"] == "reportlint check"
    assert hook["language"] == "python" and "txt" in hook["files"] and "md" in hook["files"]


@pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed")
def test_pre_commit_blocks_then_passes(tmp_path) -> None:
    """A docs repository using this repo's hook: the seed (or, without ../shared, the sample)
    is blocked; after --fix and accepting what is left, the hook passes."""
    repo_root = Path(__file__).parent.parent
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e",
        "PRE_COMMIT_HOME": str(tmp_path / "pc-home"),
    }
    work = tmp_path / "docs"
    work.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=work, check=True)
    shutil.copy(SEED if SEED.is_file() else SAMPLE, work / "report.txt")
    (work / "report.txt").chmod(0o644)  # corpus files are read-only; --fix never writes those
    subprocess.run(["git", "add", "."], cwd=work, check=True)
    try_repo = ["pre-commit", "try-repo", str(repo_root), "reportlint", "--files", "report.txt"]
    p = subprocess.run(try_repo, cwd=work, capture_output=True, text=True, env=env)
    assert p.returncode != 0, p.stdout + p.stderr
    assert "LAYOUT001" in p.stdout
    subprocess.run([sys.executable, "-m", "reportlint", "check", "--fix", "report.txt"], cwd=work, env=env)
    subprocess.run(
        [sys.executable, "-m", "reportlint", "accept", "report.txt", "--reason", "reviewed"],
        cwd=work,
        env=env,
        check=True,
    )
    subprocess.run(["git", "add", "."], cwd=work, check=True)
    p = subprocess.run(try_repo, cwd=work, capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stdout + p.stderr


def _readme_pre_commit_configs() -> list[dict]:
    yaml = pytest.importorskip("yaml")
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in readme.split("```yaml\n")[1:]]
    return [yaml.safe_load(b) for b in blocks if b.startswith("repos:")]


def test_readme_pre_commit_examples_name_no_tag_that_does_not_exist() -> None:
    configs = _readme_pre_commit_configs()
    assert len(configs) == 2
    remote, local = (c["repos"][0] for c in configs)
    assert not str(remote["rev"]).startswith("v")  # no release tag exists: a commit SHA it is
    assert "commit SHA" in str(remote["rev"])
    (hook,) = local["hooks"]
    assert local["repo"] == "local" and hook["entry"] == "reportlint check" and hook["language"] == "system"


@pytest.mark.skipif(
    shutil.which("pre-commit") is None or shutil.which("reportlint") is None,
    reason="pre-commit or an installed reportlint is missing",
)
def test_readme_local_pre_commit_hook_runs(tmp_path) -> None:
    yaml = pytest.importorskip("yaml")
    (config,) = [c for c in _readme_pre_commit_configs() if c["repos"][0]["repo"] == "local"]
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e",
        "PRE_COMMIT_HOME": str(tmp_path / "pc-home"),
        "PYTHONPATH": str(Path(__file__).parent.parent),
    }
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (tmp_path / "report.txt").write_text("把制造业作为核心竞争力 的强支撑。\n", encoding="utf-8")
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    cmd = ["pre-commit", "run", "--all-files"]
    p = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert p.returncode == 1 and "PUNCT001" in p.stdout, p.stdout + p.stderr
