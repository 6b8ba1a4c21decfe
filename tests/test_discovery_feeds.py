"""Sitemaps and feeds (newscrawler.discovery.feeds) on documents written for these tests."""

from __future__ import annotations

import datetime as dt
import gzip

import pytest

from newscrawler.discovery.feeds import (
    feed_links,
    older_than,
    parse_listing,
    parse_since,
    robots_sitemaps,
)
from newscrawler.extraction.tree import parse_html

SITE = "http://www.tongjiang-daily.example/"
NEWS_SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{SITE}yw/n/k2x9q.html</loc>
 <news:news><news:publication><news:name>潼江日报</news:name><news:language>zh</news:language></news:publication>
 <news:publication_date>2026-11-20T08:30:00+08:00</news:publication_date>
 <news:title>潼江市出台支持民营经济发展二十条措施</news:title></news:news></url>
<url><loc>/yw/n/p7m3a.html</loc><lastmod>2026-10-02</lastmod></url>
</urlset>"""


def test_robots_sitemap_lines() -> None:
    robots = "User-agent: *\nDisallow: /user/\nSitemap: https://www.tongjiang-daily.example/sitemap.xml\nsitemap:/news.xml\n"
    assert robots_sitemaps(robots, SITE + "robots.txt") == [
        "https://www.tongjiang-daily.example/sitemap.xml",
        SITE + "news.xml",
    ]
    assert robots_sitemaps("User-agent: *\nDisallow:\n", SITE) == []


def test_google_news_sitemap_gives_dates_and_titles() -> None:
    listing = parse_listing(NEWS_SITEMAP.encode(), SITE + "sitemap-news.xml")
    assert listing.kind == "urlset"
    first, second = listing.entries
    assert first.url == SITE + "yw/n/k2x9q.html"
    assert first.title == "潼江市出台支持民营经济发展二十条措施"
    assert first.published == dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert second.url == SITE + "yw/n/p7m3a.html" and second.title is None
    assert second.published is not None and second.published.date() == dt.date(2026, 10, 2)


def test_sitemap_index_and_gzip() -> None:
    index = f"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <sitemap><loc>{SITE}s1.xml.gz</loc><lastmod>2026-11-28</lastmod></sitemap>
    <sitemap><loc>{SITE}s2.xml</loc></sitemap></sitemapindex>"""
    listing = parse_listing(gzip.compress(index.encode()), SITE + "sitemap.xml")
    assert listing.kind == "sitemapindex" and not listing.entries
    assert [s.url for s in listing.sitemaps] == [SITE + "s1.xml.gz", SITE + "s2.xml"]
    assert listing.sitemaps[1].published is None


def test_rss_and_atom_feeds() -> None:
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>潼江日报</title>
    <item><title>全市秋冬季农业生产工作现场会召开</title><link>{SITE}yw/n/p7m3a.html</link>
    <pubDate>Thu, 19 Nov 2026 09:00:00 +0800</pubDate></item>
    <item><title>无链接</title></item></channel></rss>"""
    listing = parse_listing(rss.encode(), SITE + "rss.xml")
    assert listing.kind == "rss" and [e.url for e in listing.entries] == [SITE + "yw/n/p7m3a.html"]
    assert listing.entries[0].published is not None and listing.entries[0].published.day == 19
    atom = f"""<feed xmlns="http://www.w3.org/2005/Atom"><title>潼江日报</title>
    <entry><title>潼江高铁站主体工程完工</title><link rel="alternate" href="{SITE}yw/n/d4r8s.html"/>
    <link rel="edit" href="{SITE}edit/1"/><updated>2026-11-18T10:00:00Z</updated></entry></feed>"""
    listing = parse_listing(atom.encode(), SITE + "atom.xml")
    assert listing.kind == "atom" and [e.url for e in listing.entries] == [SITE + "yw/n/d4r8s.html"]
    assert listing.entries[0].title == "潼江高铁站主体工程完工"


@pytest.mark.parametrize("body", [b"", b"<html><body>404</body></html>", b"\x1f\x8bnot gzip", b"<<<"])
def test_anything_else_is_unknown(body: bytes) -> None:
    assert parse_listing(body, SITE).kind == "unknown"


def test_entities_are_not_expanded() -> None:
    evil = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://a.example/&e;</loc></url></urlset>"""
    for entry in parse_listing(evil, SITE).entries:
        assert "root:" not in entry.url


def test_feed_links_of_a_page() -> None:
    html = (
        '<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
        '<link rel="alternate" type="application/atom+xml; charset=utf-8" href="atom.xml">'
        '<link rel="stylesheet" href="/s.css"><link rel="alternate" hreflang="en" href="/en/"></head></html>'
    )
    assert feed_links(parse_html(html), SITE + "yw/") == [
        SITE + "rss.xml",
        SITE + "yw/atom.xml",
    ]


def test_since() -> None:
    since = parse_since("2026-11-01")
    assert since.isoformat() == "2026-11-01T00:00:00+08:00"
    assert older_than(dt.datetime(2026, 10, 31, 23, 0, tzinfo=since.tzinfo), since)
    assert not older_than(dt.datetime(2026, 11, 1, 0, 0, tzinfo=since.tzinfo), since)
    assert not older_than(None, since) and not older_than(since, None)
    for bad in ("last week", "2026-13-01", "11/01/2026", ""):
        with pytest.raises(ValueError, match="--since"):
            parse_since(bad)
