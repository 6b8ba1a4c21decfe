"""Garbage collection for long crawls: what is alive once the crawl has started (Scrapy, lxml,
the portal definitions, compiled rules) is frozen out of the collector, and the youngest
generation is collected less often. A crawl allocates many short-lived objects per page (parse
trees, records, requests), and the collector's passes over the long-lived ones were 5 of 33
CPU-seconds of a 10,000-article crawl (issue 8). ``GC_TUNING = False`` turns it off.
"""

from __future__ import annotations

import gc

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

#: Allocations between two collections of the youngest generation (CPython's default: 700). A
#: page allocates thousands of objects, nearly all freed by reference counting; collecting every
#: 700 allocations mostly walks objects that are about to go anyway.
GEN0_THRESHOLD = 50_000


class GcTuning:
    """Extension: ``gc.freeze()`` once the engine has started, and a higher gen-0 threshold."""

    def __init__(self) -> None:
        self._saved = gc.get_threshold()

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
        _, gen1, gen2 = self._saved
        gc.set_threshold(GEN0_THRESHOLD, gen1, gen2)

    def engine_stopped(self) -> None:
        gc.set_threshold(*self._saved)
        gc.unfreeze()
