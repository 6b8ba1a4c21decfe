"""The figures of one crawl run, per portal and per section: field coverage, date precision and
origin, mean body length, records exported, article links listed and list pages walked.

Pure code: the crawl feeds it (:mod:`newscrawler.health.collect`), tests feed it records.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from newscrawler.record import FIELDS

#: a published_at with a time of day ("2020-06-04T09:34:01+08:00"), not a date only
_HAS_TIME = re.compile(r"T\d{2}:\d{2}")
#: where published_at came from (the record's published_at_source, when the extraction sets it)
DATE_SOURCES = ("page", "meta", "url")


def filled(value: Any) -> bool:
    """Whether a record field holds something: not null, not an empty or blank string, not []."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | dict | tuple):
        return bool(value)
    return True


def _share(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


class _Tally:
    """Counts over the records of one portal or one section."""

    def __init__(self) -> None:
        self.records = 0
        self.filled = dict.fromkeys(FIELDS, 0)
        self.with_time = 0
        self.dated = 0
        self.by_source: dict[str, int] = {}
        self.body_chars = 0
        #: characters of the filled string values, per field (their mean shows a change of shape)
        self.chars = dict.fromkeys(FIELDS, 0)
        self.listed = 0
        self.list_pages = 0

    def add(self, record: Mapping[str, Any]) -> None:
        self.records += 1
        for name in FIELDS:
            value = record.get(name)
            if filled(value):
                self.filled[name] += 1
                if isinstance(value, str):
                    self.chars[name] += len(value.strip())
        published = record.get("published_at")
        if filled(published):
            self.dated += 1
            if _HAS_TIME.search(str(published)):
                self.with_time += 1
        origin = record.get("published_at_source")
        if filled(origin):
            self.by_source[str(origin)] = self.by_source.get(str(origin), 0) + 1
        self.body_chars += len(record.get("body") or "")

    def figures(self) -> dict[str, Any]:
        n = self.records
        return {
            "exported": n,
            "listed": self.listed,
            "list_pages": self.list_pages,
            "coverage": {name: _share(count, n) for name, count in self.filled.items()},
            "published_at": {
                "with_time": _share(self.with_time, n),
                # shares of all records; empty when the records carry no published_at_source
                "by_source": {k: _share(v, n) for k, v in sorted(self.by_source.items())},
            },
            "body_length_mean": round(self.body_chars / n, 1) if n else None,
            # mean characters of each string field's filled values (a 来源 full of junk, not names)
            "value_length_mean": {
                name: round(chars / self.filled[name], 1) for name, chars in self.chars.items() if chars
            },
        }


class RunFigures:
    """Accumulate one run's records and list pages; :meth:`figures` gives the JSON-able result."""

    def __init__(self) -> None:
        self.total = _Tally()
        self.sections: dict[str, _Tally] = {}

    def _section(self, name: str | None) -> _Tally:
        return self.sections.setdefault(name or "(none)", _Tally())

    def add_record(self, record: Mapping[str, Any]) -> None:
        """An exported record (counted for its portal and its ``section``)."""
        self.total.add(record)
        self._section(record.get("section")).add(record)

    def add_list_page(self, section: str | None, article_links: int) -> None:
        """A list page of ``section`` walked, listing ``article_links`` article links (known ones
        included: an incremental crawl skips those, but the section still lists them)."""
        for tally in (self.total, self._section(section)):
            tally.list_pages += 1
            tally.listed += article_links

    def figures(self) -> dict[str, Any]:
        out = self.total.figures()
        out["sections"] = {name: t.figures() for name, t in sorted(self.sections.items())}
        return out
