"""The record is typed once (newscrawler.record.Article): the JSON Schema, README's table and
FEED_EXPORT_FIELDS follow from it, and no private key rides along in an item."""

from __future__ import annotations

import json
import typing
from dataclasses import fields
from importlib.resources import files

import pytest

from newscrawler import settings
from newscrawler.record import FIELDS, LIST_FIELDS, Article, json_schema, readme_table, schema_text
from tests.conftest import REPO

#: The Python type a JSON type in README / the schema stands for.
PY_TYPES = {
    "string": str | None,
    "string|null": str | None,
    "integer": int,
    "list": list,
}


def test_the_shipped_json_schema_is_the_one_the_article_gives() -> None:
    shipped = files("newscrawler").joinpath("schema/article.schema.json").read_text("utf-8")
    assert shipped == schema_text(), "run: python -m newscrawler.record"
    schema = json.loads(shipped)
    assert schema["required"] == list(FIELDS) == list(schema["properties"])


def test_readme_table_is_the_one_the_article_gives() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme_table() in readme, "run: python -m newscrawler.record"


def test_feed_export_fields_are_the_article_fields() -> None:
    assert list(FIELDS) == settings.FEED_EXPORT_FIELDS


def test_each_field_s_python_type_matches_its_json_type() -> None:
    hints = typing.get_type_hints(Article)
    for f in fields(Article):
        expected = PY_TYPES[f.metadata["json_type"]]
        actual = hints[f.name]
        assert typing.get_origin(actual) is list if expected is list else actual == expected, f.name
        prop = json_schema()["properties"][f.name]
        assert (prop["type"] == "array") == (f.name in LIST_FIELDS), f.name


def test_an_article_holds_record_fields_only() -> None:
    article = Article(url="http://a.example/1.html", title="标题")
    assert list(article.record()) == list(FIELDS)
    assert article["title"] == "标题" and article.get("no_such_field") is None
    article["body"] = "正文"
    assert article.body == "正文"
    with pytest.raises(KeyError):
        article["_pages"] = []
    with pytest.raises(KeyError):
        article["_fingerprint"]
    assert article.record()["authors"] == [] and article.record()["pages"] == 1
