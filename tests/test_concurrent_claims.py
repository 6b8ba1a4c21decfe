"""Several crawl processes on one seen-store export every article exactly once in total (issue 12).

N = 4 worker processes (``tests/concurrent_crawls.py``) start their crawls together, trial after
trial: all four on the jl_cri mirror, or two on jl_cri and two on cnjiwang (which reprints jl_cri
stories), on one Redis server and on one SQLite file. Before the concurrent trials one worker
crawls the same portals alone, one after the other, on a fresh store: the number of articles that
must come out. Each trial uses a fresh store; ``TRIALS`` trials per case and backend.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newscrawler.dedupe.fingerprint import fingerprint_body
from newscrawler.dedupe.store import NEAR_DUPLICATE_THRESHOLD
from newscrawler.dedupe.testing import redis_server, redis_server_path
from tests.conftest import REPO, read_jsonl

pytestmark = pytest.mark.e2e

WORKERS = 4
TRIALS = int(os.environ.get("NEWSCRAWLER_CLAIM_TRIALS", "20"))
CASES = {
    "same": ["jl_cri"] * WORKERS,
    "overlap": ["jl_cri", "cnjiwang"] * (WORKERS // 2),
}
#: The whole run's limit (seconds): 2 backends x 2 cases x TRIALS trials of four crawls.
TIMEOUT_S = 900


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if redis_server_path() is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server); .ci/run installs it")
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


def _plan(tmp: Path, redis: str) -> list[dict[str, Any]]:
    plan: list[dict[str, Any]] = []
    for backend, case in itertools.product(("sqlite", "redis"), CASES):
        portals = CASES[case]
        baseline = sorted(set(portals), key=portals.index)
        for t in range(-1, TRIALS):  # trial -1: the baseline, one worker, portals one after the other
            tid = f"{backend}-{case}-{t}"
            store = str(tmp / f"{tid}.sqlite3") if backend == "sqlite" else f"{redis}?prefix={tid}"
            if t < 0:
                for k, portal in enumerate(baseline):  # (same worker, consecutive trials, one store)
                    crawl = {"portal": portal, "store": store, "out": str(tmp / f"{tid}.{k}.jsonl")}
                    plan.append({"id": f"{tid}.{k}", "group": tid, "crawls": {"0": crawl}})
                continue
            crawls = {
                str(w): {"portal": p, "store": store, "out": str(tmp / f"{tid}.{w}.jsonl")}
                for w, p in enumerate(portals)
            }
            plan.append({"id": tid, "group": tid, "crawls": crawls})
    return plan


def _run(tmp: Path, plan: list[dict[str, Any]]) -> None:
    plan_path = tmp / "plan.json"
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    procs = [
        subprocess.Popen(
            [sys.executable, str(REPO / "tests" / "concurrent_crawls.py"), str(tmp), str(w), str(plan_path)],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=(tmp / f"worker{w}.log").open("wb"),
        )
        for w in range(WORKERS)
    ]
    deadline = time.monotonic() + TIMEOUT_S
    try:
        for trial in plan:
            ready = [tmp / f"ready.{trial['id']}.{w}" for w in trial["crawls"]]
            while not all(path.exists() for path in ready):
                exited = [w for w, p in enumerate(procs) if p.poll() is not None]
                assert not exited, (tmp / f"worker{exited[0]}.log").read_text()[-3000:]
                assert time.monotonic() < deadline, f"trial {trial['id']} never started"
                time.sleep(0.005)
            (tmp / f"go.{trial['id']}").touch()
        for proc in procs:
            assert proc.wait(timeout=max(1.0, deadline - time.monotonic())) == 0
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    for w in range(WORKERS):
        log = (tmp / f"worker{w}.log").read_text()
        assert "Traceback" not in log, log[-3000:]


def _duplicate_pairs(records: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """Pairs of exported records that are one article (same URL, same content or near copies)."""
    pairs = []
    fps = [fingerprint_body(r["body"]) for r in records]
    for (i, a), (j, b) in itertools.combinations(enumerate(records), 2):
        if a["canonical_url"] == b["canonical_url"]:
            pairs.append(("url", a["url"], b["url"]))
        elif a["content_hash"] == b["content_hash"]:
            pairs.append(("content", a["url"], b["url"]))
        elif fps[i].signature.similarity(fps[j].signature) >= NEAR_DUPLICATE_THRESHOLD:
            pairs.append(("near", a["url"], b["url"]))
    return pairs


def test_four_crawls_on_one_store_export_every_article_once(tmp_path: Path, redis_url: str) -> None:
    plan = _plan(tmp_path, redis_url)
    _run(tmp_path, plan)
    groups: dict[str, list[dict[str, Any]]] = {}
    for trial in plan:
        for crawl in trial["crawls"].values():
            groups.setdefault(trial["group"], []).extend(read_jsonl(Path(crawl["out"])))
    failures = []
    for backend, case in itertools.product(("sqlite", "redis"), CASES):
        expected = len(groups[f"{backend}-{case}--1"])
        assert expected > 30, (backend, case, expected)
        assert not _duplicate_pairs(groups[f"{backend}-{case}--1"])
        for t in range(TRIALS):
            records = groups[f"{backend}-{case}-{t}"]
            pairs = _duplicate_pairs(records)
            if pairs or len(records) != expected:
                failures.append(f"{backend} {case} trial {t}: {len(records)} of {expected}, {pairs[:3]}")
    assert not failures, "\n".join(failures)
