"""Extraction worker processes (``EXTRACTION_PROCESSES``, ``newscrawler crawl --workers N``):
the same records as inline, and a worker that dies loses no page."""

from __future__ import annotations

import asyncio
import os
import pickle
import re
import signal
from pathlib import Path
from typing import Any

import pytest

from newscrawler import workers
from newscrawler.discovery import generic_portal
from newscrawler.portals import get_portal
from newscrawler.workers import WorkerPool, processes_setting
from tests.conftest import FIXTURES, read_jsonl, run_cli

MIRROR = FIXTURES / "jl_cri"
#: One request at a time: which copy of the fixture's duplicate pair is exported depends on the
#: order pages complete in, which varies from run to run with parallel requests (inline too).
SERIAL = ("-s", "CONCURRENT_REQUESTS=1")


def _by_url(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out = {}
    for record in records:
        record = dict(record)
        record.pop("crawled_at")
        out[record["url"]] = record
    return out


def _summary(stderr: str) -> list[str]:
    """The end-of-crawl summary, without the output line."""
    summary = []
    for line in stderr[stderr.index("crawl finished") :].splitlines()[1:]:
        if not line.startswith("  "):
            break
        if not line.strip().startswith("output:"):
            summary.append(line)
    return summary


def _log(stderr: str) -> list[str]:
    """The project's log lines (logger and message, no time), sorted; the worker pool's left out."""
    lines = []
    for line in stderr.splitlines():
        _, sep, rest = line.partition(" [")
        if (
            sep
            and rest.startswith(("newscrawler", "scrapy.core.scraper"))
            and "newscrawler.workers" not in rest
        ):
            lines.append(re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", rest))
    return sorted(lines)


@pytest.fixture(scope="module")
def inline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("inline") / "out.jsonl"
    proc = run_cli(
        "crawl", "jl_cri", "--offline", "--workers", "0", "-O", str(out), "--log-level", "INFO", *SERIAL
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {"records": read_jsonl(out), "stderr": proc.stderr}


def test_processes_setting() -> None:
    assert processes_setting(0) == 0
    assert processes_setting("3") == 3
    assert processes_setting(None) == 0
    assert processes_setting("auto", cpu_count=1) == 0
    assert processes_setting("auto", cpu_count=2) == 1
    assert processes_setting("auto", cpu_count=16) == 4
    with pytest.raises(ValueError):
        processes_setting("many")
    with pytest.raises(ValueError):
        processes_setting(-1)


def test_portal_goes_by_name_and_the_generic_portal_as_itself() -> None:
    assert workers.portal_ref(get_portal("jl_cri")) == "jl_cri"
    generic = generic_portal("http://www.example-daily.cn/")
    ref = workers.portal_ref(generic)
    assert ref is generic
    assert pickle.loads(pickle.dumps(ref)) == generic


def test_rejection_comes_back_as_a_value() -> None:
    item = {"url": "http://jl.cri.cn/2020-06-04/x.html", "title": "标题", "_pages": [[]]}
    out = workers.record_steps(item)
    assert out[workers.REJECTED] == ("no_body", "no body: http://jl.cri.cn/2020-06-04/x.html")
    assert out[workers.DONE] is True


def test_workers_give_the_same_records_as_inline(inline: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    proc = run_cli(
        "crawl", "jl_cri", "--offline", "--workers", "1", "-O", str(out), "--log-level", "INFO", *SERIAL
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "started 1 extraction worker process(es)" in proc.stderr
    records = read_jsonl(out)
    assert len(records) == len(inline["records"]) > 0
    assert _by_url(records) == _by_url(inline["records"])
    assert _summary(proc.stderr) == _summary(inline["stderr"])
    assert _log(proc.stderr) == _log(inline["stderr"])


class KillWorker:
    """Test extension: SIGKILL the crawl's worker process when the third record is exported."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.scraped = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> KillWorker:
        from scrapy import signals

        ext = cls(crawler)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        return ext

    def item_scraped(self, item: Any, **kwargs: Any) -> None:
        self.scraped += 1
        if self.scraped == 3:
            for worker in workers.worker_pool(self.crawler)._workers or []:
                os.kill(worker.process.pid, signal.SIGKILL)


def test_a_killed_worker_loses_no_page(inline: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    extensions = (
        '{"newscrawler.extensions.CrawlSummary": 500, "newscrawler.resume.ResumeState": 510,'
        ' "tests.test_workers.KillWorker": 900}'
    )
    proc = run_cli(
        "crawl",
        "jl_cri",
        "--offline",
        "--workers",
        "1",
        "-O",
        str(out),
        "-s",
        f"EXTENSIONS={extensions}",
        *SERIAL,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stderr.count("extraction worker process died") == 1, proc.stderr[-3000:]
    assert _by_url(read_jsonl(out)) == _by_url(inline["records"])
    assert _summary(proc.stderr) == _summary(inline["stderr"])


def test_pool_falls_back_inline_when_its_worker_dies() -> None:
    class Stats:
        def __init__(self) -> None:
            self.values: dict[str, int] = {}

        def inc_value(self, key: str, count: int = 1) -> None:
            self.values[key] = self.values.get(key, 0) + count

    async def scenario() -> tuple[list[int], list[int]]:
        pool = WorkerPool(1, Stats())
        first = await pool.run(os.getpid)
        assert pool._workers
        os.kill(pool._workers[0].process.pid, signal.SIGKILL)
        after = await asyncio.gather(*(pool.run(os.getpid) for _ in range(3)))
        assert not pool.enabled
        assert pool.stats.values == {"newscrawler/workers/broken": 1}
        pool.spider_closed()
        return [first], list(after)

    first, after = asyncio.run(scenario())
    assert first[0] != os.getpid()  # ran in the worker
    assert after == [os.getpid()] * 3  # inline once the worker died
