"""Every record checked against the shipped JSON Schema (``newscrawler/schema/article.schema.json``)
before export: an invalid one is dropped, never exported half-wrong, with the failing path in the
log and the count in the stats (``newscrawler/dropped/schema``, ``dropped: schema`` in the summary).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawler.record import Article

STAT = "newscrawler/dropped/schema"


def shipped_schema() -> dict[str, Any]:
    """The JSON Schema shipped in the package (``newscrawler/schema/article.schema.json``)."""
    text = resources.files("newscrawler").joinpath("schema/article.schema.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


@cache
def _validator() -> Any:
    """The shipped schema compiled once (fastjsonschema: plain Python, no dependencies; it reads
    the schema's keywords as draft-07 does, which gives each of them the 2020-12 meaning; the
    tests check the file against the 2020-12 meta-schema with jsonschema)."""
    return fastjsonschema.compile(shipped_schema())


def as_record(item: Any) -> dict[str, Any]:
    """The exported fields of an item: an :class:`Article`'s record, or the item as a dict."""
    return item.record() if isinstance(item, Article) else dict(ItemAdapter(item).items())


def schema_error(record: dict[str, Any]) -> str | None:
    """None for a valid record, else the first failure: ``$.authors[0].role: must be one of
    [...]``."""
    try:
        _validator()(record)
    except fastjsonschema.JsonSchemaValueException as error:
        name = error.name or "data"
        path = "$" + name.removeprefix("data")
        message = error.message.removeprefix(name).strip()
        return f"{path}: {message}"
    return None


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
