"""Portal definitions: what a crawl of one portal needs to know, as data plus a few selectors.

A definition knows nothing of Scrapy. The spider reads it to find sections (from the home page's
navigation, with fallback URLs), to tell article links from "next page" links, and to pick the
article's fields; extraction falls back to the generic extractor for any field without a selector.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Section:
    """A section (栏目) of a portal: its name as in the navigation bar and its first list page."""

    name: str
    url: str


@dataclass(frozen=True)
class ArticleSelectors:
    """CSS selectors for an article page. ``None`` means: let the generic extractor decide."""

    title: str | None = None
    #: the line holding time, 来源 and 责编 (parsed as one text by ``parse_info_line``)
    info: str | None = None
    published: str | None = None
    source: str | None = None
    editor: str | None = None
    #: the element whose children are the body's paragraphs and images
    body: str | None = None
    #: the breadcrumb link naming the article's home section
    breadcrumb_section: str | None = None
    #: "下一页" links of a multi-page article (anchor elements; matched by text too)
    next_page: str | None = None
    #: elements inside the body that are never content (share bars, statements, scripts)
    body_exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class PortalDefinition:
    """Everything the crawler knows about one portal."""

    name: str
    display_name: str
    domains: tuple[str, ...]
    home_url: str
    sections: tuple[Section, ...]
    #: regexes (searched in the absolute URL) that mark an article page
    article_url_patterns: tuple[str, ...]
    #: CSS selector of the navigation links on the home page (matched to sections by name)
    nav_links: str | None = "a"
    #: CSS selector of the container(s) holding a list page's article links; None = whole page
    list_container: str | None = None
    #: CSS selector of a list page's pagination links; the one whose text is a next-page word wins
    list_next_page: str | None = None
    next_page_texts: tuple[str, ...] = ("下一页", "下页", "下一頁", ">", "»", "next")
    article: ArticleSelectors = field(default_factory=ArticleSelectors)
    #: CSS selector whose presence marks a page with an article URL as NOT an article (video...)
    non_article_marker: str | None = None
    #: extra boilerplate paragraphs of this portal (regexes matched against a paragraph)
    boilerplate_patterns: tuple[str, ...] = ()
    #: suffixes the portal appends to <title> ("_国际在线")
    title_suffixes: tuple[str, ...] = ()
    language: str = "zh"
    #: sitemaps (or sitemap indexes, Google News sitemaps) whose entries are article candidates
    sitemaps: tuple[str, ...] = ()
    #: RSS 2.0 / Atom feeds whose entries are article candidates
    feeds: tuple[str, ...] = ()

    @cached_property
    def article_url_regexes(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p) for p in self.article_url_patterns)

    def is_article_url(self, url: str) -> bool:
        """True when ``url`` is on this portal and matches an article pattern."""
        return self.owns_url(url) and any(r.search(url) for r in self.article_url_regexes)

    def owns_url(self, url: str) -> bool:
        """True when ``url``'s host is one of the portal's domains or a subdomain of one."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def section_named(self, name: str) -> Section | None:
        for section in self.sections:
            if section.name == name:
                return section
        return None
