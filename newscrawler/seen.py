"""The crawl's seen-store, shared by the dedupe pipeline and the incremental middleware.

One store per crawler, opened on first use from ``DEDUPE_STORE`` (None: in memory, this crawl
only; a file path: SQLite; ``redis://``: Redis) and closed when the spider closes. Its claims
belong to the crawl's id (:func:`crawl_id`): the same for a crawl resumed from its ``JOBDIR``,
so a resumed crawl takes over what its killed predecessor had claimed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from newscrawler.dedupe.store import SeenStore, default_store_path
from newscrawler.dedupe.stores import open_store

MEMORY = ":memory:"


def store_spec(value: str | None) -> str:
    """What a ``DEDUPE_STORE`` value means: ``"default"`` is the store in the user's data
    directory; None, empty or ``:memory:`` is this crawl only; else a path or a redis:// URL."""
    if value is None or not str(value).strip() or str(value) == MEMORY:
        return MEMORY
    if str(value) == "default":
        return str(default_store_path())
    return str(value)


def crawl_id(crawler: Crawler) -> str | None:
    """The owner of the crawl's claims: ``DEDUPE_CRAWL_ID`` if set, else derived from ``JOBDIR``
    (a resumed crawl is the same crawl), else None (a new id for this process)."""
    explicit = crawler.settings.get("DEDUPE_CRAWL_ID")
    if explicit:
        return str(explicit)
    jobdir = crawler.settings.get("JOBDIR")
    if not jobdir:
        return None
    return "jobdir-" + hashlib.sha1(str(Path(jobdir).resolve()).encode("utf-8")).hexdigest()[:16]


_ATTR = "_newscrawler_seen_store"


class _StoreHolder:
    def __init__(self, store: SeenStore) -> None:
        self.store = store

    def spider_closed(self, spider: Spider) -> None:
        self.store.close()


def seen_store(crawler: Crawler) -> SeenStore:
    """The crawler's seen-store (opened once, closed with the spider)."""
    holder: _StoreHolder | None = getattr(crawler, _ATTR, None)
    if holder is None:
        spec = store_spec(crawler.settings.get("DEDUPE_STORE"))
        holder = _StoreHolder(open_store(spec, crawl_id=crawl_id(crawler)))
        setattr(crawler, _ATTR, holder)
        # the holder is referenced by the crawler, so the weakly held receiver stays alive
        crawler.signals.connect(holder.spider_closed, signal=signals.spider_closed)
        if crawler.stats is not None:
            crawler.stats.set_value("newscrawler/store", holder.store.location)
    return holder.store


def is_persistent(crawler: Crawler) -> bool:
    """True when the crawl remembers what it exported across runs."""
    return store_spec(crawler.settings.get("DEDUPE_STORE")) != MEMORY
