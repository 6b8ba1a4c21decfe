"""Sitemaps and feeds of a portal (no Scrapy): where they are, and what they list.

* :func:`robots_sitemaps` — the ``Sitemap:`` lines of a robots.txt;
* :func:`feed_links` — ``<link rel="alternate" type="application/rss+xml|atom+xml">`` of a page;
* :func:`parse_listing` — a sitemap (``<urlset>``), a sitemap index (``<sitemapindex>``), a Google
  News sitemap (``news:publication_date``, ``news:title``: Scrapy's ``Sitemap`` flattens the
  ``news:`` entries, so lxml reads them here), an RSS 2.0 or an Atom feed, gzipped or not: the
  entries (URL, title, date) and the child sitemaps;
* :func:`parse_since` / :func:`older_than` — the ``--since`` cut-off.

XML is parsed without entities, network or huge trees: a hostile sitemap costs nothing.
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

from lxml import etree

__all__ = [
    "FEED_TYPES",
    "Listing",
    "ListingEntry",
    "feed_links",
    "older_than",
    "parse_listing",
    "parse_since",
    "robots_sitemaps",
]

#: the MIME types of <link rel="alternate"> that are feeds
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml"}
)
#: a sitemap may be gzipped; bigger than this once unpacked (the sitemap protocol's cap is 50 MB)
#: it is cut off rather than read
MAX_LISTING_BYTES = 50 * 1024 * 1024
#: the zone of a date written without one (the portals are Chinese)
CHINA = dt.timezone(dt.timedelta(hours=8))

_SITEMAP_LINE_RE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.I | re.M)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


@dataclass(frozen=True)
class ListingEntry:
    """One URL of a sitemap or feed."""

    url: str
    title: str | None = None
    #: news:publication_date, RSS pubDate, Atom published/updated, else the sitemap's lastmod
    published: dt.datetime | None = None


@dataclass
class Listing:
    kind: str  # "urlset", "sitemapindex", "rss", "atom" or "unknown"
    entries: list[ListingEntry] = field(default_factory=list)
    #: child sitemaps of an index (their lastmod in ``published``)
    sitemaps: list[ListingEntry] = field(default_factory=list)


def robots_sitemaps(text: str, base: str) -> list[str]:
    """The URLs of the ``Sitemap:`` lines of a robots.txt."""
    return [urljoin(base, m.group(1)) for m in _SITEMAP_LINE_RE.finditer(text or "")]


def feed_links(root: Any, base: str) -> list[str]:
    """The feeds a page announces with ``<link rel="alternate" type="application/rss+xml">``."""
    out: list[str] = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in FEED_TYPES and href:
            url = urljoin(base, href)
            if url not in out:
                out.append(url)
    return out


def parse_date(text: str | None) -> dt.datetime | None:
    """A W3C (ISO 8601) or RFC 822 date, aware (+08:00 when it gives no zone), else None."""
    text = (text or "").strip()
    if not text:
        return None
    value: dt.datetime | None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=CHINA)


def parse_since(text: str) -> dt.datetime:
    """``--since``: a date (``2026-11-01``, midnight in China) or a date-time with or without zone.
    Raises ValueError with the reason."""
    value = parse_date(text)
    if value is None or not re.match(r"^\d{4}-\d{2}-\d{2}", text.strip()):
        raise ValueError(f"--since {text!r}: give a date as YYYY-MM-DD (or an ISO 8601 date-time)")
    return value


def older_than(published: dt.datetime | None, since: dt.datetime | None) -> bool:
    """True when a known date is before the cut-off (an unknown date is never older)."""
    return since is not None and published is not None and published < since


def _unpack(body: bytes) -> bytes:
    if body[:2] == b"\x1f\x8b":
        try:
            decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
            return decompressor.decompress(body, MAX_LISTING_BYTES)
        except (zlib.error, gzip.BadGzipFile, EOFError):
            return b""
    return body


def _local(tag: Any) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _child_text(el: Any, *names: str) -> str | None:
    """Text of the first descendant with one of these local names (any namespace)."""
    for child in el.iter():
        if _local(child.tag) in names and child is not el:
            text = (child.text or "").strip()
            if text:
                return text
    return None


def parse_listing(body: bytes, base: str) -> Listing:
    """Entries of a sitemap, sitemap index, RSS or Atom feed (see the module doc)."""
    data = _unpack(body).strip()
    if not data:
        return Listing("unknown")
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return Listing("unknown")
    if root is None:
        return Listing("unknown")
    kind = _local(root.tag)
    listing = Listing(kind if kind in ("urlset", "sitemapindex", "rss", "feed", "rdf") else "unknown")
    if kind == "sitemapindex":
        for sm in root:
            if _local(sm.tag) == "sitemap" and (loc := _child_text(sm, "loc")):
                listing.sitemaps.append(
                    ListingEntry(urljoin(base, loc), None, parse_date(_child_text(sm, "lastmod")))
                )
    elif kind == "urlset":
        for url in root:
            if _local(url.tag) != "url" or not (loc := _child_text(url, "loc")):
                continue
            news_date = None
            title = None
            for child in url:
                if _local(child.tag) == "news":
                    news_date = parse_date(_child_text(child, "publication_date"))
                    title = _child_text(child, "title")
            date = news_date or parse_date(_child_text(url, "lastmod"))
            listing.entries.append(ListingEntry(urljoin(base, loc), title, date))
    elif kind in ("rss", "rdf"):
        for item in root.iter():
            if _local(item.tag) != "item":
                continue
            link = _child_text(item, "link") or _child_text(item, "guid")
            if link:
                date = parse_date(_child_text(item, "pubdate", "date"))
                listing.entries.append(ListingEntry(urljoin(base, link), _child_text(item, "title"), date))
    elif kind == "feed":
        listing.kind = "atom"
        for entry in root:
            if _local(entry.tag) != "entry":
                continue
            href = None
            for link in entry:
                if _local(link.tag) == "link" and (link.get("rel") or "alternate") == "alternate":
                    href = link.get("href")
                    break
            if href:
                date = parse_date(_child_text(entry, "published") or _child_text(entry, "updated"))
                listing.entries.append(
                    ListingEntry(urljoin(base, href.strip()), _child_text(entry, "title"), date)
                )
    return listing
