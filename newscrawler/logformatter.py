"""Log lines for dropped records: the reason and the URL, not the whole raw item."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure


class NewsLogFormatter(LogFormatter):
    def dropped(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult:
        result = super().dropped(item, exception, response, spider)
        level = getattr(exception, "log_level", None)
        return {
            "level": getattr(logging, level) if isinstance(level, str) else (level or result["level"]),
            "msg": "Dropped: %(exception)s",
            "args": {"exception": exception},
        }
