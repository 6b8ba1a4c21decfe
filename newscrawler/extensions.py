"""The summary printed at the end of every crawl."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any, TextIO

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from newscrawler.health.collect import format_health, health_summary

STAT = "newscrawler/"

logger = logging.getLogger(__name__)


def summarize(stats: dict[str, Any], outputs: list[str], reason: str) -> dict[str, Any]:
    """The crawl's figures from Scrapy's stats."""
    dropped = {k[len(STAT + "dropped/") :]: v for k, v in stats.items() if k.startswith(STAT + "dropped/")}
    duplicates = {
        k[len(STAT + "duplicates/") :]: v for k, v in stats.items() if k.startswith(STAT + "duplicates/")
    }
    errors = {k[len(STAT + "errors/") :]: v for k, v in stats.items() if k.startswith(STAT + "errors/")}
    redirects = {
        k[len(STAT + "redirects_dropped/") :]: v
        for k, v in stats.items()
        if k.startswith(STAT + "redirects_dropped/")
    }
    return {
        "finish_reason": reason,
        "pages_fetched": stats.get("downloader/response_count", 0),
        "articles_exported": stats.get("item_scraped_count", 0),
        "non_articles": stats.get(STAT + "non_article", 0),
        "dropped": dropped,
        "duplicates": duplicates,
        "errors": errors,
        "redirects_dropped": redirects,
        "retries": stats.get("retry/count", 0),
        "outputs": outputs,
        "store": stats.get(STAT + "store"),
    }


def format_summary(summary: dict[str, Any]) -> str:
    def counts(d: dict[str, int]) -> str:
        total = sum(d.values())
        return f"{total}" + (f" ({', '.join(f'{k}: {v}' for k, v in sorted(d.items()))})" if d else "")

    lines = [
        f"crawl finished ({summary['finish_reason']})",
        f"  pages fetched:     {summary['pages_fetched']}",
        f"  articles exported: {summary['articles_exported']}",
        f"  not articles:      {summary['non_articles']}",
        f"  dropped:           {counts(summary['dropped'])}",
        f"  duplicates:        {counts(summary['duplicates'])}",
        f"  errors:            {counts(summary['errors'])}",
        f"  redirects dropped: {counts(summary.get('redirects_dropped', {}))}",
        f"  retries:           {summary['retries']}",
        f"  output:            {', '.join(summary['outputs']) or '(none: pass -o FILE)'}",
    ]
    if summary.get("store"):
        lines.append(f"  seen-store:        {summary['store']}")
    lines += format_health(summary.get("health"))
    return "\n".join(lines)


class CrawlSummary:
    """Print pages fetched, articles exported, dropped (by reason), duplicates, errors and the
    output path when the spider closes; the figures are also in ``crawler.stats`` under
    ``newscrawler/summary`` and, with the ``SUMMARY_FILE`` setting, written there as JSON."""

    def __init__(self, crawler: Crawler, stream: TextIO | None = None) -> None:
        self.crawler = crawler
        self.stream = stream

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlSummary:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        outputs = [str(uri) for uri in (self.crawler.settings.getdict("FEEDS") or {})]
        summary = summarize(stats, outputs, reason)
        summary["health"] = health_summary(self.crawler, summary)  # coverage etc. (newscrawler.health)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value(STAT + "summary", summary)
        print(format_summary(summary), file=self.stream or sys.stderr, flush=True)
        # the same as one log line: a crawl on a scrapyd node has only its log to tell it
        logger.info("newscrawler summary: %s", json.dumps(summary, ensure_ascii=False, default=str))
        summary_file = self.crawler.settings.get("SUMMARY_FILE")
        if summary_file:
            Path(summary_file).write_text(json.dumps(summary, ensure_ascii=False) + "\n", encoding="utf-8")
