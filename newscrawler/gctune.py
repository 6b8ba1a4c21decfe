"""Garbage collection for long crawls: what is alive once the crawl has started (Scrapy, lxml,
the portal definitions, compiled rules) is frozen out of the collector (``gc.freeze()``), so its
passes over the older generations no longer walk it. ``GC_TUNING = False`` turns it off.

The youngest generation keeps CPython's threshold. A higher one (50,000 allocations) bought no
CPU that a 10,000-article crawl of the benchmark mirror could tell from noise (55.4 / 61.5 CPU-s
at the default, 59.9 / 57.3 at 5,000, alternating), and let reference cycles pile up: peak RSS
at 10,000 articles was 1.40x that at 2,000, against 1.16x at the default
(``benchmarks/bench_crawl.py``, issue 8's limit is 1.2x).
"""

from __future__ import annotations

import gc

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class GcTuning:
    """Extension: ``gc.freeze()`` once the engine has started (after a collection), undone when it
    stops."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GcTuning:
        if not crawler.settings.getbool("GC_TUNING", True):
            raise NotConfigured
        ext = cls()
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def engine_started(self) -> None:
        gc.collect()
        gc.freeze()

    def engine_stopped(self) -> None:
        gc.unfreeze()
