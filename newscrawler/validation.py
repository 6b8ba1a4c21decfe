"""Every record checked against the shipped JSON Schema (``newscrawler/schema/article.schema.json``)
before export: an invalid one is dropped, never exported half-wrong, with the failing path in the
log and the count in the stats (``newscrawler/dropped/schema``, ``dropped: schema`` in the summary).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawler.record import Article

STAT = "newscrawler/dropped/schema"


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    text = resources.files("newscrawler").joinpath("schema/article.schema.json").read_text("utf-8")
    schema = json.loads(text)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def as_record(item: Any) -> dict[str, Any]:
    """The exported fields of an item: an :class:`Article`'s record, or the item as a dict."""
    return item.record() if isinstance(item, Article) else dict(ItemAdapter(item).items())


def schema_error(record: dict[str, Any]) -> str | None:
    """None for a valid record, else the first failure: ``$.authors[0].role: 'boss' is not one
    of [...]``."""
    validator = _validator()
    if validator.is_valid(record):  # the common case, ~1.5x faster than collecting errors
        return None
    error = next(iter(validator.iter_errors(record)))
    path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return f"{path}: {error.message}"


class SchemaPipeline:
    """The last pipeline: drop a record the schema rejects (reason ``schema``)."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.crawler = crawler
        _validator()  # a broken schema fails at start, not at the first record

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SchemaPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        record = as_record(item)
        error = schema_error(record)
        if error is None:
            return item
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(STAT)
        raise DropItem(f"invalid record (schema) at {error}: {record.get('url')}", log_level="ERROR")
