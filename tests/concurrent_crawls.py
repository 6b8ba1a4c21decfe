"""Crawls run by one of several processes sharing a seen-store (see ``test_concurrent_claims.py``).

    python tests/concurrent_crawls.py WORKDIR WORKER PLAN.json

``PLAN.json`` is a list of trials ``{"id": str, "crawls": {worker: {"portal", "store", "out"}}}``.
For each trial it takes part in, the worker writes ``ready.<id>.<worker>`` in WORKDIR, waits for
``go.<id>`` (written by the test once every worker of the trial is ready, so the crawls start
together) and crawls the portal's bundled mirror into the store and the output file. All crawls
of a worker run in one process (one reactor), one after the other: no start-up per trial.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings
from scrapy.utils.reactor import install_reactor
from twisted.internet import defer, task

from newscrawler.portals import get_portal
from newscrawler.spiders.portal import PortalSpider

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

#: How often a waiting worker looks for its go file (seconds).
POLL_S = 0.005


def spider_for(crawl: dict[str, str]) -> type[PortalSpider]:
    base = PortalSpider.for_portal(get_portal(crawl["portal"]))
    custom = dict(getattr(base, "custom_settings", None) or {})
    custom.update(
        {
            "DEDUPE_STORE": crawl["store"],
            "FEEDS": {crawl["out"]: {"format": "jsonlines", "encoding": "utf-8", "overwrite": True}},
            "MIRROR_DIR": str(FIXTURES / crawl["portal"]),
        }
    )
    return type(base.__name__, (base,), {"custom_settings": custom})


def main() -> None:
    workdir, worker, plan_path = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    plan: list[dict[str, Any]] = json.loads(plan_path.read_text(encoding="utf-8"))
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawler.settings")
    settings = get_project_settings()
    settings.setdict(
        {
            "LOG_LEVEL": "ERROR",
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
        },
        priority="cmdline",
    )
    install_reactor(settings["TWISTED_REACTOR"])
    process = CrawlerProcess(settings)
    from twisted.internet import reactor

    failed: list[BaseException] = []

    @defer.inlineCallbacks
    def run() -> Any:
        try:
            for trial in plan:
                crawl = trial["crawls"].get(worker)
                if crawl is None:
                    continue
                (workdir / f"ready.{trial['id']}.{worker}").touch()
                go = workdir / f"go.{trial['id']}"
                while not go.exists():
                    yield task.deferLater(reactor, POLL_S, lambda: None)
                yield process.crawl(spider_for(crawl))
        except BaseException as exc:
            failed.append(exc)
            raise
        finally:
            reactor.stop()  # type: ignore[attr-defined]

    reactor.callWhenRunning(run)  # type: ignore[attr-defined]
    reactor.run()  # type: ignore[attr-defined]
    if failed:
        raise SystemExit(f"worker {worker}: {failed[0]!r}")


if __name__ == "__main__":
    main()
