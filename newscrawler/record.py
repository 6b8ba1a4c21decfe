"""The exported record: one article, one JSON Lines line, typed as :class:`Article`.

Each field is documented once, here: its JSON type and its meaning. The field order is the order
of the keys in every exported line; ``FEED_EXPORT_FIELDS`` (settings.py), the JSON Schema shipped
in ``newscrawler/schema/article.schema.json`` and the record table in README.md follow from it
(``python -m newscrawler.record`` writes both; a test checks they agree).

Adding a field: one ``field(...)`` line below, ``python -m newscrawler.record``, and the code that
fills it (see :func:`newscrawler.items.article_item` and :mod:`newscrawler.steps`).
"""

# ruff: noqa: E501  (a table of fields with their CJK examples reads better unwrapped)
from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields
from dataclasses import field as dc_field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newscrawler.extraction.blocks import Block
    from newscrawler.extraction.boilerplate import CleanResult

__all__ = ["FIELDS", "LIST_FIELDS", "Article", "empty_record", "json_schema", "ordered", "readme_table"]


def field(json_type: str, doc: str, *, schema: Mapping[str, Any] | None = None, default: Any = None) -> Any:
    """A record field: ``json_type`` as README shows it (``string``, ``string|null``, ``integer``,
    ``list``), ``doc`` its meaning (README and JSON Schema), ``schema`` extra JSON Schema keywords."""
    metadata = {"json_type": json_type, "doc": doc, "schema": dict(schema or {})}
    if json_type == "list":
        return dc_field(default_factory=list, metadata=metadata)
    return dc_field(default=default, metadata=metadata)


_AUTHOR = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "role"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "role": {"enum": ["reporter", "correspondent", "author", "photographer", "translator"]},
        "org": {"type": "string", "description": "Present only when the byline names it."},
    },
}
_IMAGE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["url", "caption", "credit"],
    "properties": {
        "url": {"type": "string"},
        "caption": {"type": ["string", "null"]},
        "credit": {"type": ["string", "null"]},
    },
}
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2}))?$"


@dataclass(eq=False)
class Article:
    """One article as the crawl exports it (see the module docstring). The spider makes it from
    the first page (:func:`newscrawler.items.article_item`), the steps fill the rest.

    Besides the exported fields, an article carries what the steps consume on the way (plain
    attributes, never exported): ``page_blocks`` (the body blocks of each page: a portal body),
    ``first_page_cleaned`` (page 1's blocks as the extraction already cleaned them, or None),
    ``generic`` (the generic extractor's cleaned body/images/original_title, when it read the
    body), ``boilerplate`` (the portal's own boilerplate patterns), ``page_urls`` (the pages
    fetched so far) and ``fingerprint`` (the body's dedupe fingerprint).
    """

    url: str | None = field(
        "string", "the article URL as fetched (after redirects); page 1 of a multi-page article"
    )
    canonical_url: str | None = field(
        "string", "w3lib-canonicalized URL, fragment and tracking parameters removed"
    )
    portal: str | None = field("string", "portal name: `jl_cri`")
    portal_name: str | None = field("string", "`国际在线吉林频道`")
    section: str | None = field(
        "string",
        "the section (栏目): the article's breadcrumb, else the list page it was found on: `市州新闻`",
    )
    title: str | None = field(
        "string",
        "`百日会战 只争朝夕 通化医药高新区为高质量发展增动力`",
        schema={"type": "string", "minLength": 1},
    )
    original_title: str | None = field("string|null", "from a `原题:`/`原标题：` line")
    published_at: str | None = field(
        "string|null",
        "ISO 8601 with offset, `+08:00` when the page gives no zone: `2020-06-04T09:34:01+08:00`",
        schema={"pattern": _ISO_DATE},
    )
    published_at_raw: str | None = field(
        "string|null",
        "as the page wrote it: `2020-06-04 09:34:01` (a relative time such as `3小时前` is kept as written"
        " and resolved against the response's HTTP `Date`, else the crawl time)",
    )
    published_at_source: str | None = field(
        "string|null",
        "where `published_at` came from: `page` (the time shown on the page, nearest the headline), `meta`"
        " (meta tags / JSON-LD), `url` (only a date in the URL: a guess at the day, no time); null when there is none",
        schema={"enum": ["page", "meta", "url", None]},
    )
    source: str | None = field("string|null", "来源: `吉林日报`")
    editor: str | None = field("string|null", "责编 / 责任编辑: `赵宇静` (never an author)")
    authors: list[dict[str, str]] = field(  # noqa: RUF009  (a dataclasses.field with a default_factory)
        "list",
        '`[{"name": "王忠先", "role": "reporter", "org": "吉林日报"}, {"name": "朱传刚", "role": '
        '"correspondent"}]`; roles: reporter (记者), correspondent (通讯员), author (作者/文), '
        "photographer (摄/图), translator (编译); `org` only when the byline names it",
        schema={"items": _AUTHOR},
    )
    images: list[dict[str, Any]] = field(  # noqa: RUF009
        "list",
        '`[{"url": "...", "caption": "位于通化医药高新区西区...", "credit": "朱传刚"}]`',
        schema={"items": _IMAGE},
    )
    body: str | None = field(
        "string",
        "the article's paragraphs joined by `\\n`: no title repeat, `原题` line, caption, byline, disclaimer "
        "or navigation",
        schema={"type": "string", "minLength": 1},
    )
    language: str | None = field("string", "`zh`", schema={"type": "string"})
    pages: int = field(
        "integer",
        "pages merged into the record (a `下一页` article gives 2 or more)",
        schema={"type": "integer", "minimum": 1},
        default=1,
    )
    crawled_at: str | None = field("string", "ISO 8601 UTC time of export")
    content_hash: str | None = field(
        "string",
        "sha1 of the normalized body (dedupe)",
        schema={"type": "string", "pattern": "^[0-9a-f]{40}$"},
    )
    simhash: str | None = field(
        "string",
        "64-bit SimHash of the body's character shingles, 16 hex digits (near-duplicate detection)",
        schema={"type": "string", "pattern": "^[0-9a-f]{16}$"},
    )
    duplicate_of: str | None = field(
        "string|null", "with `DEDUPE_KEEP_DUPLICATES=True`: URL of the first copy; otherwise always null"
    )

    def __post_init__(self) -> None:
        self.page_blocks: list[list[Block]] = []
        self.first_page_cleaned: CleanResult | None = None
        self.generic: dict[str, Any] | None = None
        self.boilerplate: tuple[str, ...] = ()
        self.page_urls: list[str] = []
        self.fingerprint: Any = None  # a newscrawler.dedupe.fingerprint.Fingerprint once computed

    # item access by field name, as Scrapy items allow (the pipelines and ItemAdapter use it)
    def __getitem__(self, name: str) -> Any:
        if name not in _FIELD_SET:
            raise KeyError(name)
        return getattr(self, name)

    def __setitem__(self, name: str, value: Any) -> None:
        if name not in _FIELD_SET:
            raise KeyError(f"{name!r} is not a record field")
        setattr(self, name, value)

    def __contains__(self, name: object) -> bool:
        return name in _FIELD_SET

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self, name) if name in _FIELD_SET else default

    def record(self) -> dict[str, Any]:
        """The exported fields, in export order."""
        return {name: getattr(self, name) for name in FIELDS}


#: Every exported field, in export order.
FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Article))
_FIELD_SET = frozenset(FIELDS)

#: Fields whose "absent" value is an empty list rather than null.
LIST_FIELDS = frozenset(f.name for f in fields(Article) if f.metadata["json_type"] == "list")


def empty_record() -> dict[str, Any]:
    """A record with every field present and empty (null or [])."""
    return {name: ([] if name in LIST_FIELDS else None) for name in FIELDS}


def ordered(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record's exported fields in export order; missing fields become null or []."""
    out = empty_record()
    for name in FIELDS:
        if name in record:
            out[name] = record[name]
    return out


_JSON_TYPES = {"string": "string", "string|null": ["string", "null"], "integer": "integer", "list": "array"}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a record, from :class:`Article`."""
    properties: dict[str, Any] = {}
    for f in fields(Article):
        meta = f.metadata
        json_type = _JSON_TYPES[meta["json_type"]]
        if meta["json_type"] == "string":
            json_type = ["string", "null"]  # (null on a page without it: a record from `extract`)
        prop: dict[str, Any] = {"type": json_type, **meta["schema"], "description": meta["doc"]}
        properties[f.name] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://newscrawler.invalid/schema/article.schema.json",
        "title": "newscrawler article record",
        "description": "One article, one JSON Lines line (UTF-8). A field the page does not have is null or [], "
        "never a guess. Generated from newscrawler/record.py (python -m newscrawler.record).",
        "type": "object",
        "additionalProperties": False,
        "required": list(FIELDS),
        "properties": properties,
    }


def readme_table() -> str:
    """The record table of README.md, from :class:`Article`."""
    lines = ["| field | type | meaning (example: the reference page of jl_cri) |", "|---|---|---|"]
    for f in fields(Article):
        json_type = f.metadata["json_type"].replace("|", "\\|")
        lines.append(f"| `{f.name}` | {json_type} | {f.metadata['doc']} |")
    return "\n".join(lines) + "\n"


SCHEMA_PATH = Path(__file__).parent / "schema" / "article.schema.json"
README_PATH = Path(__file__).parent.parent / "README.md"


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def readme_with_table(readme: str) -> str:
    """``readme`` with its record table replaced by :func:`readme_table`."""
    head = "| field | type | meaning"
    start = readme.index(head)
    end = readme.index("\n\n", start) + 1
    return readme[:start] + readme_table() + readme[end:]


def main() -> int:
    """Write the JSON Schema and README's record table from :class:`Article`."""
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    README_PATH.write_text(readme_with_table(README_PATH.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH} and the record table of {README_PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
