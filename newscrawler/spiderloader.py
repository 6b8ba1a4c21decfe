"""Spider loader: the project's spider modules, plus one spider per registered portal, so that
``scrapy list`` shows every portal and ``scrapy crawl <portal>`` runs it."""

from __future__ import annotations

from scrapy.settings import BaseSettings
from scrapy.spiderloader import SpiderLoader

from newscrawler.portals import all_portals
from newscrawler.spiders.portal import PortalSpider


class PortalSpiderLoader(SpiderLoader):
    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        for name, portal in sorted(all_portals().items()):
            if name in self._spiders:
                raise ValueError(f"portal {name!r} clashes with a spider of the same name")
            self._spiders[name] = PortalSpider.for_portal(portal)
