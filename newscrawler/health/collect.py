"""Health figures during a crawl.

- :class:`ListedLinksMiddleware` (spider middleware, before the incremental one): counts each
  list page and the article links it lists, per section, known links included;
- :class:`HealthExtension`: counts every exported record; when the spider closes (after the
  summary, which carries the figures under ``health`` through :func:`health_summary`) it appends
  the run to the health store (``HEALTH_STORE``, see :mod:`newscrawler.health.store`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from newscrawler.health.figures import RunFigures
from newscrawler.health.store import health_store_spec, open_health_store, run_entry, total
from newscrawler.incremental import ARTICLE, LIST_PAGE
from newscrawler.validation import as_record

logger = logging.getLogger(__name__)

_ATTR = "_newscrawler_run_figures"


def run_figures(crawler: Crawler) -> RunFigures:
    """The crawler's figures (made on first use)."""
    figures: RunFigures | None = getattr(crawler, _ATTR, None)
    if figures is None:
        figures = RunFigures()
        setattr(crawler, _ATTR, figures)
    return figures


def health_summary(crawler: Crawler, summary: dict[str, Any]) -> dict[str, Any] | None:
    """The run's health figures for the summary (None without :class:`HealthExtension`): per
    portal and per section coverage, dates, body length, listed links, list pages; with the
    summary's counts of not-articles, drops by reason and errors by kind beside them."""
    figures: RunFigures | None = getattr(crawler, _ATTR, None)
    if figures is None:
        return None
    out = figures.figures()
    pages = summary.get("pages_fetched") or 0
    out.update(
        non_articles=summary.get("non_articles", 0),
        dropped=dict(summary.get("dropped") or {}),
        errors=dict(summary.get("errors") or {}),
        error_rate=round(total(summary.get("errors")) / pages, 4) if pages else None,
    )
    return out


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


#: fields shown in the printed summary's coverage line (every field is in the JSON)
SUMMARY_FIELDS = ("section", "published_at", "source", "editor", "authors", "images")


def format_health(health: dict[str, Any] | None) -> list[str]:
    """Lines for the printed crawl summary."""
    if not health:
        return []
    cov = health["coverage"]
    dates = health["published_at"]
    fields = ", ".join(f"{name} {_pct(cov.get(name))}" for name in SUMMARY_FIELDS)
    origin = ", ".join(f"{k} {_pct(v)}" for k, v in dates["by_source"].items())
    mean = health["body_length_mean"]
    sections = ", ".join(f"{name} {s['exported']}/{s['listed']}" for name, s in health["sections"].items())
    return [
        f"  list pages walked: {health['list_pages']} ({health['listed']} article links)",
        f"  field coverage:    {fields}",
        f"  dates:             with a time of day {_pct(dates['with_time'])}"
        + (f"; {origin}" if origin else ""),
        f"  mean body length:  {'-' if mean is None else f'{mean:.0f} characters'}",
        f"  by section:        {sections or '-'} (exported/links listed)",
    ]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class HealthExtension:
    """Collect the run's figures; append the run to the health store when the spider closes.

    ``HEALTH_STORE``: where (default: beside the seen-store; none with an in-memory one);
    ``HEALTH_RUN_ID``: the run's id (default: its UTC start time, ``20261127T011500Z``)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.figures = run_figures(crawler)
        settings = crawler.settings
        self.store_spec = health_store_spec(settings.get("HEALTH_STORE"), settings.get("DEDUPE_STORE"))
        self.started = datetime.now(UTC)
        self.run_id = settings.get("HEALTH_RUN_ID") or self.started.strftime("%Y%m%dT%H%M%SZ")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HealthExtension:
        ext = cls(crawler)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def item_scraped(self, item: Any, spider: Spider | None = None) -> None:
        self.figures.add_record(as_record(item))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.store_spec is None or self.crawler.stats is None:
            return
        summary = self.crawler.stats.get_value("newscrawler/summary")
        if not summary:
            return
        portal_def = getattr(spider, "portal_def", None)
        portal = portal_def.name if portal_def is not None else spider.name
        entry = run_entry(portal, self.run_id, _iso(self.started), summary)
        try:
            store = open_health_store(self.store_spec)
            try:
                store.add_run(entry)
            finally:
                store.close()
        except Exception as exc:  # (a locked file, a Redis down) the records are safe: say so, go on
            logger.error("run %s not kept in the health store: %s", self.run_id, exc)
            return
        logger.info("run %s of %s kept in the health store %s", self.run_id, portal, store.location)


class ListedLinksMiddleware:
    """Count each list page and its article links for the section it belongs to. Runs before
    :class:`~newscrawler.incremental.IncrementalMiddleware`, so links skipped as known count:
    a quiet section of an incremental crawl still lists its articles."""

    def __init__(self, crawler: Crawler) -> None:
        self.figures = run_figures(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ListedLinksMiddleware:
        return cls(crawler)

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        if not response.meta.get(LIST_PAGE):
            async for obj in result:
                yield obj
            return
        links = 0
        async for obj in result:
            if isinstance(obj, Request) and obj.meta.get(ARTICLE):
                links += 1
            yield obj
        section = response.request.cb_kwargs.get("section") if response.request is not None else None
        self.figures.add_list_page(section, links)
