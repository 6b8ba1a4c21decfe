"""scrapyd, the standard Scrapy job server: build the project's egg, start a real scrapyd on
127.0.0.1 (its own config and folders in a temp dir), deploy the egg with addversion.json,
schedule ``jl_cri`` against the fixture mirror with schedule.json, wait for it in listjobs.json and
read the items scrapyd's feed wrote."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
MIRROR = REPO / "fixtures" / "jl_cri"
PROJECT = "newscrawler"
#: no HTTP proxy from the environment for calls to 127.0.0.1
LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))

#: real scrapyd processes and crawls: the slow tier. scrapyd is a test dependency
#: (pip install -e '.[test]'): without it these tests fail, they are never skipped.
pytestmark = pytest.mark.e2e


def build_egg(tmp: Path) -> Path:
    """The project's egg, as scrapyd-deploy builds it (``setup.py bdist_egg``), built from a copy
    of the sources so that the checkout gets no build/ or egg-info. The copy's pyproject.toml is
    the project's, unchanged: scrapyd finds the settings module through the egg's ``scrapy``
    entry point, which the project itself must declare."""
    src = tmp / "src"
    shutil.copytree(REPO / "newscrawler", src / "newscrawler", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("README.md", "scrapy.cfg", "pyproject.toml"):
        shutil.copy2(REPO / name, src / name)
    dist = tmp / "dist"
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from setuptools import setup; setup()",
            "-q",
            "bdist_egg",
            "--dist-dir",
            str(dist),
        ],
        cwd=src,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    (egg,) = dist.glob("*.egg")
    return egg


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def api(base: str, path: str, data: dict[str, Any] | list[tuple[str, str]] | None = None) -> dict[str, Any]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with LOOPBACK.open(base + path, data=body, timeout=10) as response:
        result = json.loads(response.read())
    assert result.get("status") == "ok", result
    return result


def add_version(base: str, egg: Path, version: str) -> dict[str, Any]:
    """POST the egg to addversion.json (multipart/form-data, as scrapyd-deploy does)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in (("project", PROJECT), ("version", version)):
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="egg"; filename="{egg.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + egg.read_bytes()
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    request = urllib.request.Request(
        base + "addversion.json",
        data=b"".join(parts),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with LOOPBACK.open(request, timeout=60) as response:
        result = json.loads(response.read())
    assert result.get("status") == "ok", result
    return result


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A scrapyd on 127.0.0.1 with every folder in ``tmp_path``; (base URL, its folder)."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\n"
        f"logs_dir = {home / 'logs'}\n"
        f"items_dir = {home / 'items'}\n"
        f"dbs_dir = {home / 'dbs'}\n"
        "poll_interval = 0.2\n"
        "max_proc = 2\n",
        encoding="utf-8",
    )
    # HOME in the temp dir: no ~/.scrapyd.conf of the user's, and the crawls' default seen-store
    # (under the user's data dir) stays out of the real home
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "share"), "PYTHONIOENCODING": "utf-8"}
    log = (home / "scrapyd.out").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "scrapyd"],
        cwd=home,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: its crawls are stopped with it
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                api(base, "daemonstatus.json")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        "scrapyd did not start: " + (home / "scrapyd.out").read_text(errors="replace")[-3000:]
                    ) from None
                time.sleep(0.1)
        yield base, home
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


def expected_records() -> dict[str, str]:
    """url -> title of every record a crawl of the jl_cri mirror exports, and of the alternate
    URLs of a record (copies of one article: which one the crawl meets first depends on timing)."""
    crawl = json.loads((MIRROR / "expected" / "crawl.json").read_text(encoding="utf-8"))
    exported = set(crawl["exported"])
    titles = {}
    for path in (MIRROR / "expected" / "articles").glob("*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record["url"] in exported:
            titles[record["url"]] = record["title"]
            alternates = crawl.get("alternates", {}).get(record["url"], [])
            for alternate in alternates["urls"] if isinstance(alternates, dict) else alternates:
                titles[alternate] = record["title"]
    assert exported <= set(titles)
    return titles


def test_egg_has_the_schema_and_the_settings_entry_point(tmp_path: Path) -> None:
    egg = build_egg(tmp_path)
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    assert "newscrawler/schema/article.schema.json" in names
    assert "newscrawler/portals/jl_cri.py" in names and "newscrawler/settings.py" in names
    assert "[scrapy]\nsettings = newscrawler.settings" in entry_points


def test_scrapyd_runs_jl_cri_against_the_mirror(tmp_path: Path, scrapyd: tuple[str, Path]) -> None:
    base, home = scrapyd
    egg = build_egg(tmp_path)
    added = add_version(base, egg, "r1")
    assert added["project"] == PROJECT and added["spiders"] >= 1
    spiders = api(base, f"listspiders.json?project={PROJECT}")["spiders"]
    assert "jl_cri" in spiders

    store = tmp_path / "seen.sqlite3"
    job = api(
        base,
        "schedule.json",
        [
            ("project", PROJECT),
            ("spider", "jl_cri"),
            ("setting", f"MIRROR_DIR={MIRROR}"),  # fixtures/ is not in the egg: an absolute path
            ("setting", "DOWNLOAD_DELAY=0"),
            ("setting", "AUTOTHROTTLE_ENABLED=False"),
            ("setting", f"DEDUPE_STORE={store}"),
        ],
    )["jobid"]

    deadline = time.monotonic() + 120
    while True:
        jobs = api(base, f"listjobs.json?project={PROJECT}")
        finished = [j for j in jobs["finished"] if j["id"] == job]
        if finished:
            break
        assert time.monotonic() < deadline, f"job {job} did not finish: {jobs}"
        time.sleep(0.2)

    (info,) = finished
    log = home / "logs" / PROJECT / "jl_cri" / f"{job}.log"
    log_text = log.read_text(encoding="utf-8", errors="replace")
    assert "Spider closed (finished)" in log_text, log_text[-3000:]
    assert info["items_url"] == f"/items/{PROJECT}/jl_cri/{job}.jl"
    items_file = home / "items" / PROJECT / "jl_cri" / f"{job}.jl"
    records = [json.loads(line) for line in items_file.read_text(encoding="utf-8").splitlines() if line]

    expected = expected_records()
    urls = [r["url"] for r in records]
    assert len(urls) == len(set(urls)), "duplicate records"
    assert len({r["content_hash"] for r in records}) == len(records)
    assert len(records) == len(set(expected.values()))
    assert {r["url"]: r["title"] for r in records}.items() <= expected.items()
    assert {r["title"] for r in records} == set(expected.values())
    assert "百日会战 只争朝夕 通化医药高新区为高质量发展增动力" in {r["title"] for r in records}
    assert {r["portal"] for r in records} == {"jl_cri"}
    # the project's feed settings apply under scrapyd: the record's fields, in order, UTF-8
    assert list(records[0])[:3] == ["url", "canonical_url", "portal"]
    assert "\\u" not in items_file.read_text(encoding="utf-8")
    assert store.is_file()  # the seen-store setting went through
