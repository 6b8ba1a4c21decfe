"""Downloader middleware that routes a crawl through a local mirror of the portal."""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import deferred_from_coro

from newscrawler.mirror.server import MirrorServer

logger = logging.getLogger(__name__)


class MirrorProxyMiddleware:
    """With ``MIRROR_DIR`` set, serve that mirror on 127.0.0.1 for the crawl's lifetime and send
    every request through it as an HTTP proxy (``MIRROR_PROXY`` uses an already running one).
    URLs, redirects, robots.txt and records stay exactly as in a live crawl."""

    def __init__(self, proxy_url: str, server: MirrorServer | None = None) -> None:
        self.proxy_url = proxy_url
        self.server = server

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MirrorProxyMiddleware:
        proxy = crawler.settings.get("MIRROR_PROXY")
        mirror_dir = crawler.settings.get("MIRROR_DIR")
        if proxy:
            return cls(proxy)
        if not mirror_dir:
            raise NotConfigured
        server = MirrorServer(Path(mirror_dir)).start()
        logger.info("serving mirror %s at %s", mirror_dir, server.proxy_url)
        mw = cls(server.proxy_url, server)
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def process_request(self, request: Request) -> None:
        # set, not setdefault: a request resumed from JOBDIR carries the proxy of the run that
        # queued it, a mirror port that is closed now
        request.meta["proxy"] = self.proxy_url
        return None

    def spider_closed(self, spider: Spider) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


class PageLimitMiddleware:
    """``MAX_PAGES`` (``newscrawler crawl --max-pages N``): send at most N page requests
    (robots.txt not counted), then close the spider. Scrapy's CLOSESPIDER_PAGECOUNT counts
    responses and lets the requests already in flight through; this is exact."""

    def __init__(self, crawler: Crawler, limit: int) -> None:
        self.crawler = crawler
        self.limit = limit
        self.sent = 0
        self.closing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageLimitMiddleware:
        limit = crawler.settings.getint("MAX_PAGES")
        if limit <= 0:
            raise NotConfigured
        return cls(crawler, limit)

    def process_request(self, request: Request) -> None:
        if request.url.endswith("/robots.txt"):
            return None
        if self.sent >= self.limit:
            if not self.closing and self.crawler.engine is not None:
                self.closing = True
                deferred_from_coro(self.crawler.engine.close_spider_async(reason="max_pages"))
            raise IgnoreRequest(f"--max-pages {self.limit} reached")
        self.sent += 1
        return None
