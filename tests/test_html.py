"""The HTML report: one self-contained page; checked for structure, and in headless Chromium."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SEED, needs_corpus

from reportlint.cli import main

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="headless Chromium is not installed (apt-get install chromium)"
)

SAMPLE = (
    "一、总体要求\n"
    "今年经济运行总体平稳,稳中有进。“全省平安建设优秀省辖\n"
    "市”，马庄桥镇派出所成功创建。<b>不是标签</b>\n"
    "今年经济运行总体平稳,稳中有进。“全省平安建设优秀省辖\n"
)


def html_of(tmp_path, text: str | bytes, *args: str, name: str = "r.txt") -> str:
    f = tmp_path / name
    if isinstance(text, bytes):
        f.write_bytes(text)
    else:
        f.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(main, ["check", str(f), "--isolated", "--format", "html", *args])
    assert res.exit_code in (0, 1), res.output
    return res.stdout


def test_every_finding_is_highlighted_listed_and_linked(tmp_path) -> None:
    page = html_of(tmp_path, SAMPLE)
    json_res = CliRunner().invoke(main, ["check", str(tmp_path / "r.txt"), "--isolated", "--format", "json"])
    findings = json.loads(json_res.stdout)["findings"]
    assert findings
    for k, f in enumerate(findings):
        assert f'id="i{k}"' in page and f'id="f{k}"' in page  # list entry and anchor in the text
        assert re.search(rf'data-f="(?:\d+ )*{k}(?: \d+)*"', page)  # highlighted
        for j in range(len(f["related"])):
            assert f'href="#f{k}r{j}"' in page and f'id="f{k}r{j}"' in page  # related place linked
    assert any(f["related"] for f in findings)
    assert "&lt;b&gt;" in page and "<b>不是标签" not in page  # the document's text is escaped
    assert "编码: utf-8" in page and "每万字符" in page


def test_the_page_is_self_contained(tmp_path) -> None:
    page = html_of(tmp_path, SAMPLE)
    assert "<style>" in page and "<script>" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", page)
    assert '<link rel="stylesheet"' not in page


def test_messages_and_labels_follow_lang(tmp_path) -> None:
    page = html_of(tmp_path, SAMPLE, "--lang", "en")
    assert 'lang="en"' in page and "per 10,000 characters" in page and "half-width" in page
    assert "每万字符" not in page


def test_encodings_and_traditional_warning_are_shown(tmp_path) -> None:
    text = "今年全市经济运行总体平稳，主要指标好于预期。\n" * 4
    assert "gb18030" in html_of(tmp_path, text.encode("gb18030"), name="g.txt")
    trad = "今年全市經濟運行總體平穩，主要指標好於預期，這是們國家發展的成果。\n" * 4
    page = html_of(tmp_path, trad.encode("big5"), name="b.txt")
    assert "big5" in page and "繁体字" in page
    res = CliRunner().invoke(
        main, ["check", str(tmp_path / "b.txt"), "--isolated", "--format", "json", "--lang", "en"]
    )
    data = json.loads(res.stdout)["files"][0]
    assert data["encoding"] == "big5" and "traditional Chinese" in data["warnings"][0]
    assert "traditional Chinese" in res.stderr


def test_no_findings_page(tmp_path) -> None:
    page = html_of(tmp_path, "今年全市经济运行总体平稳，主要指标好于预期。\n")
    assert "未发现问题" in page


# ----------------------------------------------------------------------------- headless Chromium
class Chromium:
    """Headless Chromium driven with the DevTools protocol over a pipe (no port, no network)."""

    def __init__(self, width: int = 1400, height: int = 900) -> None:
        self.profile = tempfile.mkdtemp(prefix="reportlint-chromium-")
        to_child, self._to_w = os.pipe()
        self._from_r, from_child = os.pipe()

        def wire() -> None:  # Chromium reads commands on fd 3 and writes answers on fd 4
            os.dup2(to_child, 3)
            os.dup2(from_child, 4)

        flags = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={self.profile}",
            "--remote-debugging-pipe",
            f"--window-size={width},{height}",
            "about:blank",
        ]
        self.proc = subprocess.Popen(
            [str(CHROMIUM), *flags],
            pass_fds=(3, 4),
            preexec_fn=wire,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child)
        os.close(from_child)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []
        self.session = ""

    def _read(self, timeout: float) -> dict:
        end = time.monotonic() + timeout
        while b"\0" not in self._buf:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer")
            ready, _, _ = select.select([self._from_r], [], [], left)
            if ready:
                chunk = os.read(self._from_r, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method: str, params: dict | None = None, page: bool = True, timeout: float = 60) -> dict:
        self._id += 1
        msg: dict = {"id": self._id, "method": method, "params": params or {}}
        if page and self.session:
            msg["sessionId"] = self.session
        os.write(self._to_w, json.dumps(msg).encode() + b"\0")
        while True:
            m = self._read(timeout)
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_for(self, event: str, timeout: float = 60) -> dict:
        end = time.monotonic() + timeout
        while True:
            for i, m in enumerate(self.events):
                if m.get("method") == event:
                    return self.events.pop(i)
            self.events.append(self._read(max(0.05, end - time.monotonic())))

    def open(self, url: str, width: int = 1400, height: int = 900) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, page=False)
        self.session = self.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, page=False
        )["sessionId"]
        for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
            self.send(domain)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def js(self, expression: str):
        res = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in res:
            raise RuntimeError(res["exceptionDetails"])
        return res["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element (scrolled into view first)."""
        box = self.js(
            f"(() => {{ const el = document.querySelector({json.dumps(selector)});"
            " el.scrollIntoView({block: 'center'}); const r = el.getClientRects()[0];"
            " return [r.left + Math.min(r.width / 2, 40), r.top + Math.min(r.height / 2, 8)]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1},
            )

    def screenshot(self, path: Path) -> None:
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))

    def problems(self) -> list[dict]:
        """Console errors and uncaught exceptions seen so far."""
        out = []
        for m in self.events:
            method, params = m.get("method"), m.get("params", {})
            exception = method == "Runtime.exceptionThrown"
            console = method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert")
            logged = method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error"
            if exception or console or logged:
                out.append(params)
        return out

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close", page=False, timeout=10)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_w)
        os.close(self._from_r)
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture
def chromium():
    browser = Chromium()
    try:
        yield browser
    finally:
        browser.close()


def in_view(browser: Chromium, selector: str) -> bool:
    return browser.js(
        f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
        " const m = document.getElementById('main').getBoundingClientRect();"
        " return r.top >= m.top && r.bottom <= m.bottom; })()"
    )


@needs_chromium
@needs_corpus()
def test_seed_report_in_headless_chromium(tmp_path, chromium, monkeypatch) -> None:
    page = tmp_path / "seed.html"
    shutil.copy(SEED, tmp_path / "report.txt")
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, ["check", "report.txt", "--isolated", "--format", "html"])
    assert res.exit_code == 1
    page.write_text(res.stdout, encoding="utf-8")
    chromium.open(page.as_uri())
    assert chromium.problems() == []
    assert chromium.js("document.fonts.status") in ("loaded", "loading")
    shot = tmp_path / "html-report.png"
    chromium.screenshot(shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000

    # the finding furthest down: clicking its entry scrolls the text to it
    n = chromium.js("document.querySelectorAll('li.item').length")
    last = max(
        range(n), key=lambda k: chromium.js(f"document.getElementById('f{k}').getBoundingClientRect().top")
    )
    assert not in_view(chromium, f"#f{last}")
    assert chromium.js("document.getElementById('main').scrollTop") == 0
    chromium.click(f"#i{last}")
    assert chromium.js("document.getElementById('main').scrollTop") > 0
    assert in_view(chromium, f"#f{last}")
    assert chromium.js(f"document.getElementById('i{last}').classList.contains('active')")
    assert chromium.js(f"document.querySelector('#main [data-f~=\"{last}\"]').classList.contains('flash')")

    # a duplicate is linked to its first copy: click the highlight, then the related link
    dup = chromium.js(
        "(() => { const li = [...document.querySelectorAll('li.item.fam-DUP')]"
        ".find(x => x.querySelector('a.rel')); return li ? li.dataset.f : null; })()"
    )
    assert dup is not None
    chromium.click(f"#i{dup}")
    chromium.click(f'#main [data-f~="{dup}"]')
    assert chromium.js("document.getElementById('panel').classList.contains('open')")
    target = chromium.js(f"document.querySelector('#i{dup} a.rel').dataset.r").replace(".", "r")
    chromium.click("#panel a.rel")
    assert in_view(chromium, f"#f{target}")
    assert chromium.problems() == []
    if os.environ.get("REPORTLINT_SCREENSHOT"):  # refresh docs/html-report.png on request
        time.sleep(2)  # let the flash of the clicked place fade
        chromium.screenshot(ROOT / "docs" / "html-report.png")
