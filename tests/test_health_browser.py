"""The HTML health report in a real headless browser (Debian's ``chromium`` and
``chromium-driver``; ``.ci/run`` installs them): the page renders without console errors, and an
alarmed portal is visibly marked (its status cell red, on screen, saying ALARM).

The browser is driven over W3C WebDriver, plain JSON over HTTP to ``chromedriver``: the standard
library's urllib is the whole client (no selenium, no new test dependency). The console comes
from chromedriver's browser log. A screenshot goes to the test's temporary folder, never the repo.
Without the browser the test is skipped with the reason; ``NEWSCRAWLER_REQUIRE_BROWSER=1`` (set
by ``.ci/run``) makes that a failure.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newscrawler.health.check import Thresholds, check_portal
from newscrawler.health.report import format_html
from tests.test_health import run

#: seconds chromedriver and the browser get to start
START_TIMEOUT = 30.0

_ROWS_SCRIPT = """
return Array.from(document.querySelectorAll('tr.portal')).map(function (row) {
  var cell = row.querySelector('td.status');
  var box = cell.getBoundingClientRect();
  return {id: row.id, status: row.dataset.status, text: cell.innerText.trim(),
          background: getComputedStyle(cell).backgroundColor,
          rowBackground: getComputedStyle(row).backgroundColor,
          visible: box.width > 0 && box.height > 0 && box.top < window.innerHeight,
          alarms: Array.from(row.querySelectorAll('ul.alarms li')).map(function (li) {
            return li.innerText;
          }),
          sparklines: row.querySelectorAll('svg polyline').length};
});
"""


def _binaries() -> tuple[str, str] | None:
    driver, browser = shutil.which("chromedriver"), shutil.which("chromium")
    return (driver, browser) if driver and browser else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class WebDriver:
    """The few WebDriver commands the test needs."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = ""

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=START_TIMEOUT) as response:
            return json.loads(response.read())["value"]

    def cmd(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.call(method, f"/session/{self.session}{path}", body)

    def open(self, path: Path) -> None:
        self.cmd("POST", "/url", {"url": path.as_uri()})

    def console(self) -> list[dict[str, Any]]:
        """Browser log entries since the last call (chromedriver's log endpoint)."""
        return list(self.cmd("POST", "/se/log", {"type": "browser"}))

    def script(self, source: str) -> Any:
        return self.cmd("POST", "/execute/sync", {"script": source, "args": []})


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    found = _binaries()
    if found is None:
        message = "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)"
        if os.environ.get("NEWSCRAWLER_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message + "; .ci/run installs them")
    driver_path, browser_path = found
    port = _free_port()
    process = subprocess.Popen(
        [driver_path, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    driver = WebDriver(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if driver.call("GET", "/status").get("ready"):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("chromedriver did not start")
            time.sleep(0.1)
        profile = tmp_path_factory.mktemp("chromium-profile")
        options = {
            "binary": browser_path,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=1400,1000",
                f"--user-data-dir={profile}",
            ],
        }
        capabilities = {
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "goog:loggingPrefs": {"browser": "ALL"},
        }
        session = driver.call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        driver.session = session["sessionId"]
        yield driver
        driver.call("DELETE", f"/session/{driver.session}")
    finally:
        process.terminate()
        process.wait(10)


def _report(tmp_path: Path) -> Path:
    steady = check_portal("jl_cri", [run(i) for i in range(4)])
    drifted = [
        {**r, "portal": "cnjiwang"} for r in [run(0), run(1), run(2), run(3, source=0.0, with_time=0.0)]
    ]
    alarmed = check_portal("cnjiwang", drifted)
    assert alarmed.alarms and not steady.alarms
    path = tmp_path / "report.html"
    path.write_text(format_html([steady, alarmed], Thresholds().fields), encoding="utf-8")
    return path


def test_report_renders_without_console_errors_and_marks_the_alarm(
    browser: WebDriver, tmp_path: Path
) -> None:
    browser.console()  # (start from an empty log)
    browser.open(_report(tmp_path))
    rows = {row["id"]: row for row in browser.script(_ROWS_SCRIPT)}
    errors = [e for e in browser.console() if e.get("level") in ("SEVERE", "WARNING")]
    assert errors == []
    alarm, ok = rows["portal-cnjiwang"], rows["portal-jl_cri"]
    assert alarm["status"] == "alarm" and alarm["text"] == "ALARM" and alarm["visible"]
    assert alarm["background"] == "rgb(198, 40, 40)"  # the red of tr.alarm td.status
    assert alarm["rowBackground"] == "rgb(253, 236, 234)"
    assert any("source filled on 0%" in text for text in alarm["alarms"])
    assert ok["text"] == "OK" and ok["background"] == "rgb(46, 125, 50)" and ok["alarms"] == []
    assert alarm["sparklines"] > 0 and ok["sparklines"] > 0
    shot = browser.cmd("GET", "/screenshot")
    (tmp_path / "report.png").write_bytes(base64.b64decode(shot))  # for a look; never committed
    assert (tmp_path / "report.png").stat().st_size > 1000


def test_console_errors_are_seen(browser: WebDriver, tmp_path: Path) -> None:
    """The console check can fail: a page with a script error is caught."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><title>x</title><script>undefinedFunction();</script>", encoding="utf-8")
    browser.console()
    browser.open(page)
    messages = [e["message"] for e in browser.console() if e.get("level") == "SEVERE"]
    assert any("undefinedFunction" in m for m in messages)
