"""Checks of a crawl's settings before it starts: a value Scrapy or the project would choke on
(``DOWNLOAD_TIMEOUT=abc``, ``CONCURRENT_REQUESTS=0``, ``LOG_LEVEL=BOGUS``, ``FEEDS=notadict``)
is one :class:`SettingsError` line instead of a traceback from inside the crawl.

Values are read through Scrapy's own getters (``getint``, ``getbool``, ``getdict``...), so what
passes here is what the crawl will read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from scrapy.settings import BaseSettings

__all__ = ["SettingsError", "apply_settings", "check_settings"]


class SettingsError(ValueError):
    """A setting whose value cannot be used; the message names it and says what it takes."""


#: Whole numbers and their least value. 0 means "no limit" where the setting allows it.
INT_AT_LEAST: dict[str, int] = {
    "CONCURRENT_REQUESTS": 1,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "CONCURRENT_REQUESTS_PER_IP": 0,
    "CONCURRENT_ITEMS": 1,
    "RETRY_TIMES": 0,
    "REDIRECT_MAX_TIMES": 0,
    "DEPTH_LIMIT": 0,
    "DOWNLOAD_MAXSIZE": 0,
    "DOWNLOAD_WARNSIZE": 0,
    "CLOSESPIDER_ITEMCOUNT": 0,
    "CLOSESPIDER_PAGECOUNT": 0,
    "CLOSESPIDER_ERRORCOUNT": 0,
    "HTTPCACHE_EXPIRATION_SECS": 0,
    "MAX_PAGES": 0,
    "MAX_ARTICLES": 0,
}
#: Numbers (seconds, ratios) and their least value; a True in the pair: strictly more than it.
FLOAT_AT_LEAST: dict[str, tuple[float, bool]] = {
    "DOWNLOAD_DELAY": (0.0, False),
    "DOWNLOAD_DELAY_JITTER": (0.0, False),
    "DOWNLOAD_TIMEOUT": (0.0, True),
    "CLOSESPIDER_TIMEOUT": (0.0, False),
    "AUTOTHROTTLE_START_DELAY": (0.0, False),
    "AUTOTHROTTLE_MAX_DELAY": (0.0, False),
    "AUTOTHROTTLE_TARGET_CONCURRENCY": (0.0, True),
}
BOOLS = (
    "ROBOTSTXT_OBEY",
    "AUTOTHROTTLE_ENABLED",
    "RETRY_ENABLED",
    "REDIRECT_ENABLED",
    "METAREFRESH_ENABLED",
    "COOKIES_ENABLED",
    "COMPRESSION_ENABLED",
    "RANDOMIZE_DOWNLOAD_DELAY",
    "HTTPCACHE_ENABLED",
    "HTTPERROR_ALLOW_ALL",
    "FEED_STORE_EMPTY",
    "LOG_ENABLED",
    "LOG_STDOUT",
    "TELNETCONSOLE_ENABLED",
    "REMOTE_CONTROL_ENABLED",
    "DNSCACHE_ENABLED",
    "DEDUPE_KEEP_DUPLICATES",
    "FULL_RECRAWL",
)
DICTS = (
    "FEEDS",
    "ITEM_PIPELINES",
    "DOWNLOADER_MIDDLEWARES",
    "SPIDER_MIDDLEWARES",
    "EXTENSIONS",
    "DEFAULT_REQUEST_HEADERS",
)
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


_JSON_OBJECT = 'give a JSON object, e.g. {"out.jsonl": {"format": "jsonlines"}}'


def apply_settings(settings: BaseSettings, overrides: Mapping[str, Any], priority: str = "cmdline") -> None:
    """``settings.setdict(overrides)``, one setting at a time, naming the one that cannot be set
    (``-s FEEDS=notadict`` fails inside Scrapy, which parses a dict setting's text as JSON)."""
    for name, value in overrides.items():
        try:
            settings.set(name, value, priority=priority)
        except (ValueError, TypeError) as exc:
            wanted = _JSON_OBJECT if name in DICTS else str(exc)
            raise SettingsError(f"setting {name}={value!r}: {wanted}") from None


def _read(settings: BaseSettings, name: str, getter: Callable[[str], Any], wanted: str) -> Any:
    try:
        return getter(name)
    except (ValueError, TypeError):
        value = settings.get(name)
        raise SettingsError(f"setting {name}={value!r}: {wanted}") from None


def check_settings(settings: BaseSettings) -> None:
    """Raise :class:`SettingsError` for the first setting whose value cannot be used.

    ``LOG_LEVEL`` is also normalized to upper case (``info`` works as ``INFO``)."""
    for name, least in INT_AT_LEAST.items():
        if settings.get(name) is None:
            continue
        value = _read(settings, name, settings.getint, "give a whole number")
        if value < least:
            raise SettingsError(f"setting {name}={value}: must be {least} or more")
    for name, (floor, strict) in FLOAT_AT_LEAST.items():
        if settings.get(name) is None:
            continue
        number = _read(settings, name, settings.getfloat, "give a number of seconds, e.g. 1.5")
        if number < floor or (strict and number == floor):
            bound = f"more than {floor:g}" if strict else f"{floor:g} or more"
            raise SettingsError(f"setting {name}={number:g}: must be {bound}")
    for name in BOOLS:
        if settings.get(name) is not None:
            _read(settings, name, settings.getbool, "give true or false (or 1 or 0)")
    for name in DICTS:
        if settings.get(name) is not None:
            _read(
                settings,
                name,
                settings.getdict,
                'give a JSON object, e.g. {"out.jsonl": {"format": "jsonlines"}}',
            )
    feeds = settings.getdict("FEEDS")
    for uri, options in feeds.items():
        if not isinstance(options, dict):
            raise SettingsError(
                f'setting FEEDS: the options of {uri!r} must be an object, e.g. {{"format": "jsonlines"}}'
            )
    _check_log_level(settings)


def _check_log_level(settings: BaseSettings) -> None:
    level = settings.get("LOG_LEVEL")
    if level is None or isinstance(level, int):
        return
    text = str(level).strip().upper()
    if text not in LOG_LEVELS:
        raise SettingsError(f"log level {level!r}: use one of {', '.join(reversed(LOG_LEVELS))}")
    if text != level:
        settings.set("LOG_LEVEL", text, priority=settings.getpriority("LOG_LEVEL") or "cmdline")
