"""``scrapy crawl <portal>`` with the checks ``newscrawler crawl`` makes before it starts: an
unknown spider, a setting Scrapy would choke on (``-s CONCURRENT_REQUESTS=abc``), a folder that is
not a mirror, an output or a seen-store that cannot be written is one line
(``scrapy crawl: error: …``, exit status 2) instead of a traceback from inside the crawl. Whether
the portal's host answers is left to the crawl (Scrapy retries and logs it)."""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader

from newscrawler.errors import RunError, UserError


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if len(args) != 1:
            return  # (Scrapy's run says what is wrong)
        from newscrawler.cli import preflight

        assert self.settings is not None
        try:
            get_spider_loader(self.settings).load(args[0])
        except KeyError:
            raise UsageError(
                f"no spider {args[0]!r}: 'scrapy list' shows the portals", print_help=False
            ) from None
        try:
            preflight(self.settings, None)
        except (UserError, RunError) as exc:
            raise UsageError(str(exc), print_help=False) from None
