"""One benchmark crawl in its own process: ``_crawl_runner.py full|bare PROXY OUT`` prints JSON.

``full`` is the project's crawl (extraction + every pipeline + JSONL feed + the project's
extensions but the end-of-crawl summary); ``bare`` is plain Scrapy with the same settings,
fetching the same pages and following the same links, with no extraction, no pipelines, no feed
and none of the project's extensions. ``peak_rss_mb`` is the peak RSS (VmHWM) of this process,
read when the spider closes.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response, TextResponse
from scrapy.utils.project import get_project_settings

from newscrawler.extraction.text import normalize_text
from newscrawler.portals import get_portal
from newscrawler.spiders.portal import PortalSpider


class BareSpider(PortalSpider):
    """Same link following as PortalSpider; article pages are only scanned for 下一页."""

    def parse_article(self, response: Response, section: str) -> Iterator[Any]:  # type: ignore[override]
        self._inc("pages/article")
        if not isinstance(response, TextResponse):
            return
        css = self.portal_def.article.next_page
        for anchor in response.css(css) if css else []:
            text = normalize_text("".join(anchor.css("::text").getall()))
            href = anchor.attrib.get("href")
            if href and text in self.portal_def.next_page_texts:
                yield Request(response.urljoin(href), callback=self.parse_article_page_bare, dont_filter=True)
                break

    def parse_article_page_bare(self, response: Response) -> Iterator[Any]:
        self._inc("pages/article_continuation")
        return iter(())


def _peak_rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def peak_rss_mb() -> float:
    """Peak RSS of this process, in MB."""
    return _peak_rss_kb(os.getpid()) / 1024


def main() -> None:
    mode, proxy, out = sys.argv[1:4]
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawler.settings")
    settings = get_project_settings()
    settings.setdict(
        {
            "MIRROR_PROXY": proxy,
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS": 32,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
            "LOG_LEVEL": "ERROR",
            "DEDUPE_STORE": ":memory:",
        },
        priority="cmdline",
    )
    # full: the project's extensions (resume state, health figures, GC tuning) as a crawl has
    # them, less the summary printed at the end; bare: Scrapy's own only
    extensions = {**settings.getdict("EXTENSIONS"), "newscrawler.extensions.CrawlSummary": None}
    settings.set("EXTENSIONS", extensions if mode == "full" else {}, priority="cmdline")
    portal = get_portal("jl_cri")
    if mode == "full":
        settings.set("FEEDS", {out: {"format": "jsonlines", "overwrite": True}}, priority="cmdline")
        spider_cls: type[PortalSpider] = PortalSpider.for_portal(portal)
    else:
        settings.set("ITEM_PIPELINES", {}, priority="cmdline")
        spider_cls = type("BareSpider_jl_cri", (BareSpider,), {"name": "bare", "portal": portal})
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider_cls)
    times: dict[str, float] = {}

    def opened(spider: Any) -> None:
        times["start"] = time.perf_counter()
        times["cpu_start"] = _cpu_seconds(os.getpid())

    def closed(spider: Any) -> None:
        times["end"] = time.perf_counter()
        times["rss"] = peak_rss_mb()
        times["cpu"] = _cpu_seconds(os.getpid()) - times["cpu_start"]

    crawler.signals.connect(opened, signal=signals.spider_opened)
    crawler.signals.connect(closed, signal=signals.spider_closed)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    seconds = times["end"] - times["start"]
    pages = int(stats.get("downloader/response_count", 0))
    print(
        json.dumps(
            {
                "mode": mode,
                "pages": pages,
                "seconds": seconds,
                "pages_per_s": pages / seconds if seconds else 0.0,
                "items": int(stats.get("item_scraped_count", 0)),
                "peak_rss_mb": times["rss"],
                "cpu_s": times["cpu"],
            }
        )
    )


if __name__ == "__main__":
    main()
