"""newscrawler: a Scrapy crawler for Chinese regional news portals."""

__version__ = "0.1.0"
