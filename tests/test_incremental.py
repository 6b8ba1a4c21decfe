"""Incremental crawls with a persistent seen-store, and kill-and-resume with JOBDIR."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, REPO, load_json, read_jsonl, run_cli

#: crawls in real processes: the slow tier (pytest -m e2e)
pytestmark = pytest.mark.e2e

MIRROR = FIXTURES / "jl_cri"
SECTIONS = 9


def crawl(tmp: Path, name: str, *args: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    out, summary = tmp / f"{name}.jsonl", tmp / f"{name}.summary.json"
    proc = run_cli("crawl", "jl_cri", "--offline", "-O", str(out), "-s", f"SUMMARY_FILE={summary}", *args)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return read_jsonl(out), load_json(summary)


def expected_count() -> int:
    return len(load_json(MIRROR / "expected" / "crawl.json")["exported"])


def test_second_run_of_an_unchanged_portal_fetches_first_list_pages_only(tmp_path: Path) -> None:
    store = str(tmp_path / "seen.sqlite3")
    first, s1 = crawl(tmp_path, "run1", "--store", store)
    assert len(first) == expected_count()
    assert s1["store"] == store
    second, s2 = crawl(tmp_path, "run2", "--store", store)
    assert second == []
    # robots.txt + home + the first list page of each section: no article, no page 2
    assert s2["pages_fetched"] == 2 + SECTIONS, s2
    assert s2["articles_exported"] == 0


def test_full_recrawl_fetches_everything_and_still_exports_nothing_twice(tmp_path: Path) -> None:
    store = str(tmp_path / "seen.sqlite3")
    _, s1 = crawl(tmp_path, "run1", "--store", store)
    records, s2 = crawl(tmp_path, "run2", "--store", store, "--full")
    assert records == []
    assert s2["pages_fetched"] == s1["pages_fetched"]
    assert sum(s2["duplicates"].values()) >= expected_count()


def test_memory_store_forgets_between_runs(tmp_path: Path) -> None:
    first, _ = crawl(tmp_path, "run1", "--store", ":memory:")
    second, _ = crawl(tmp_path, "run2", "--store", ":memory:")
    assert len(first) == len(second) == expected_count()


def _wait_for_lines(path: Path, n: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_bytes().count(b"\n") >= n:
            return
        if proc.poll() is not None:
            stderr = proc.stderr.read().decode()[-2000:] if proc.stderr else ""
            pytest.fail(f"crawl ended before {n} records: {stderr}")
        time.sleep(0.02)
    pytest.fail(f"no {n} records within {timeout}s")


@pytest.mark.parametrize("store", [":memory:", "sqlite"])
def test_sigkill_then_resume_exports_every_article_exactly_once(tmp_path: Path, store: str) -> None:
    store_arg = str(tmp_path / "seen.sqlite3") if store == "sqlite" else store
    jobdir, out1, out2 = tmp_path / "job", tmp_path / "out1.jsonl", tmp_path / "out2.jsonl"
    slow = ["-s", "DOWNLOAD_DELAY=0.04", "-s", "CONCURRENT_REQUESTS=1", "-s", "DOWNLOAD_DELAY_JITTER=0"]
    args = ["crawl", "jl_cri", "--offline", "--store", store_arg, "--jobdir", str(jobdir)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "newscrawler", *args, "-O", str(out1), *slow],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ},
    )
    try:
        _wait_for_lines(out1, 8, proc)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    killed = out1.read_bytes()
    assert killed.endswith(b"\n")
    done = run_cli(*args, "-O", str(out2))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "did not stop cleanly" in done.stderr
    lines = out1.read_text("utf-8").splitlines() + out2.read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines]  # every line complete
    hashes = [r["content_hash"] for r in records]
    assert len(hashes) == len(set(hashes)), "an article was exported twice"
    assert len(records) == expected_count()
    assert 8 <= len(read_jsonl(out1)) < expected_count()
