"""Publication dates: find the first date(-time) in a text and express it in ISO 8601.

Output conventions (the record's ``published_at`` / ``published_at_raw``):

* date and time given → ``YYYY-MM-DDTHH:MM:SS±HH:MM``; when the page gives no seconds, ``:00`` is
  written (``2020年06月04日 09:34`` → ``2020-06-04T09:34:00+08:00``);
* no zone on the page → ``default_offset`` (``+08:00``, China Standard Time); a zone on the page is
  kept as given, only re-spelled as ``±HH:MM`` (``Z`` → ``+00:00``, ``+0800`` → ``+08:00``);
* date only → ``YYYY-MM-DD`` (no time and no offset: we don't invent a midnight);
* ``raw`` is the matched text exactly as it appears on the page (full-width digits included).

Impossible dates (``2020-02-30``, ``25:61``) are rejected and the search continues.

Forms read: ``2020-06-04 09:34:01``, ``2020/6/4``, ``2020.06.04``, ``2020年6月4日 下午3:20``,
``2024年5月22日週三 上午8:21`` (a weekday between date and time), ``2005.08.2605:39`` (date and
time run together), full-width digits. :func:`parse_yearless` reads ``10-08 12:00`` given the year,
:func:`parse_relative` reads ``昨天 10:32`` / ``3小时前`` / ``刚刚`` given the reference time (the
response's HTTP ``Date``, else the crawl time).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

__all__ = [
    "ParsedDate",
    "date_from_url",
    "find_dates",
    "parse_date",
    "parse_relative",
    "parse_yearless",
    "reference_time",
]


@dataclass(frozen=True)
class ParsedDate:
    """A normalised date: ``iso`` (see module docstring) and the ``raw`` text it came from."""

    iso: str
    raw: str

    @property
    def has_time(self) -> bool:
        """Whether the page gave a time of day."""
        return "T" in self.iso


# Full-width digits and punctuation → ASCII, one char for one char (so match spans stay valid).
_FW = str.maketrans("０１２３４５６７８９：／－．　", "0123456789:/-. ")

_SP = r"[\s\u00a0\u3000]"
_DATE = (
    r"(?<![0-9])(?P<y>(?:19|20)\d{2})"
    # (a two-digit day may run into a time: 2005.08.2605:39)
    r"(?:(?P<sep>[-/.])(?P<m1>\d{1,2})(?P=sep)(?P<d1>\d{2}(?=\d{1,2}[:：]\d{2})|\d{1,2}(?![0-9]))"
    r"|"
    + _SP
    + r"*年"
    + _SP
    + r"*(?P<m2>\d{1,2})"
    + _SP
    + r"*月"
    + _SP
    + r"*(?P<d2>\d{1,2})(?![0-9])"
    + _SP
    + r"*[日号]?)"
)
#: A weekday between a date and its time: 週三, 星期四, （周五）.
_WEEKDAY = r"(?:" + _SP + r"*[（(]?(?:星期|週|周|礼拜|禮拜)[一二三四五六日天][)）]?)?"
_TIME = (
    r"(?:" + _WEEKDAY + r"(?:T|" + _SP + r"{0,3}|" + _SP + r"*[,，]?" + _SP + r"*)"
    r"(?P<ampm>上午|下午|晚上|凌晨|早上|中午)?" + _SP + r"*"
    r"(?P<H>\d{1,2})" + _SP + r"?(?:[:时點点])" + _SP + r"?(?P<M>\d{2})(?![0-9])"
    r"(?:" + _SP + r"?(?:[:分])" + _SP + r"?(?P<S>\d{2})(?:\.\d+)?)?"
    r"(?:分(?!钟))?(?:秒)?"
    r"(?P<tz>" + _SP + r"?(?:Z|UTC|GMT)?(?:[+-]\d{2}:?\d{2})|Z(?![A-Za-z]))?)?"
)
_DATETIME_RE = re.compile(_DATE + _TIME)


def _offset(tz: str | None, default_offset: str) -> str:
    if not tz:
        return default_offset
    tz = tz.strip().upper()
    if tz in ("Z", "UTC", "GMT"):
        return "+00:00"
    tz = re.sub(r"^(?:UTC|GMT|Z)", "", tz)
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", tz)
    return f"{m.group(1)}{m.group(2)}:{m.group(3)}" if m else default_offset


def _build(m: re.Match[str], original: str, default_offset: str) -> ParsedDate | None:
    y = int(m.group("y"))
    mo = int(m.group("m1") or m.group("m2"))
    d = int(m.group("d1") or m.group("d2"))
    try:
        date(y, mo, d)
    except ValueError:
        return None
    if m.group("H") is None:
        end = m.end("d1") if m.group("d1") else m.end()
        raw = original[m.start() : end].strip()
        return ParsedDate(f"{y:04d}-{mo:02d}-{d:02d}", raw)
    hh, mm = int(m.group("H")), int(m.group("M"))
    ss = int(m.group("S")) if m.group("S") else 0
    hh = _with_ampm(hh, m.group("ampm"))
    try:
        datetime(y, mo, d, hh, mm, ss)
    except ValueError:
        raw = original[m.start() : m.end("d1") if m.group("d1") else m.start("H")].strip()
        return ParsedDate(f"{y:04d}-{mo:02d}-{d:02d}", raw)
    off = _offset(m.group("tz"), default_offset)
    raw = original[m.start() : m.end()].strip()
    return ParsedDate(f"{y:04d}-{mo:02d}-{d:02d}T{hh:02d}:{mm:02d}:{ss:02d}{off}", raw)


def find_dates(text: str, default_offset: str = "+08:00") -> list[ParsedDate]:
    """Every valid date(-time) in ``text``, in order of appearance."""
    if not text:
        return []
    norm = text.translate(_FW)
    out = []
    for m in _DATETIME_RE.finditer(norm):
        parsed = _build(m, text, default_offset)
        if parsed is not None:
            out.append(parsed)
    return out


def parse_date(text: str, default_offset: str = "+08:00") -> ParsedDate | None:
    """The first valid date(-time) in ``text`` (labels like ``发布时间：`` are simply skipped).

    ``2020-06-04 09:34:01`` → ``ParsedDate("2020-06-04T09:34:01+08:00", "2020-06-04 09:34:01")``.
    """
    if not text:
        return None
    norm = text.translate(_FW)
    for m in _DATETIME_RE.finditer(norm):
        parsed = _build(m, text, default_offset)
        if parsed is not None:
            return parsed
    return None


_URL_PATTERNS = (
    # /2020-06/04/  /2020-06-04/  /2020_06_04/
    re.compile(r"(?<![0-9])((?:19|20)\d{2})[-_](\d{2})(?:/|[-_])(\d{2})(?![0-9])"),
    # /2020/06/04/  /2020/0604/  /202006/04/
    re.compile(r"/((?:19|20)\d{2})/?(\d{2})/?(\d{2})/"),
    re.compile(r"/((?:19|20)\d{2})/(\d{2})/(\d{2})(?![0-9])"),
    # /20190725/  t20200604_123.html  content_20200604...  20200604-xxx
    re.compile(r"(?<![0-9])((?:19|20)\d{2})(\d{2})(\d{2})(?![0-9])"),
    re.compile(r"(?<![0-9])((?:19|20)\d{2})(\d{2})(\d{2})\d{2,12}(?:\.s?html?|/|$|_)"),
)


def date_from_url(url: str) -> ParsedDate | None:
    """A date encoded in an article URL (``/2020-06/04/``, ``/2019-01-18/``, ``/20190725/``,
    ``t20200604_123.html``, ``/2020/0604/``); ``iso`` is ``YYYY-MM-DD``, ``raw`` the URL fragment."""
    if not url:
        return None
    path = re.sub(r"^[a-z]+://[^/]+", "", url, flags=re.I)
    for pat in _URL_PATTERNS:
        for m in pat.finditer(path):
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if not 1990 <= y <= 2100:
                continue
            try:
                date(y, mo, d)
            except ValueError:
                continue
            raw = m.group(0).strip("/")
            return ParsedDate(f"{y:04d}-{mo:02d}-{d:02d}", raw)
    return None


# --------------------------------------------------------------------------- year-less times

#: ``10-08 12:00``, ``5月10日 09:01``, ``05/10 9:01``: month, day and a time of day, no year. A
#: year-less date without a time is not read (``10-08`` alone is too often something else).
_YEARLESS_RE = re.compile(
    r"(?<![0-9])(?<![0-9][-/.年])(?P<mo>\d{1,2})(?:[-/.](?P<d1>\d{1,2})(?![0-9])"
    r"|" + _SP + r"*月" + _SP + r"*(?P<d2>\d{1,2})" + _SP + r"*[日号])" + _WEEKDAY + _SP + r"{0,3}"
    r"(?P<ampm>上午|下午|晚上|凌晨|早上|中午)?" + _SP + r"*"
    r"(?P<H>\d{1,2})[:：](?P<M>\d{2})(?![0-9])(?:[:：](?P<S>\d{2}))?"
)


def parse_yearless(text: str, year: int, default_offset: str = "+08:00") -> ParsedDate | None:
    """The first month-day-time without a year in ``text`` (``10-08 12:00``), in ``year`` (which
    the caller takes from the page's meta tags or URL)."""
    if not text:
        return None
    norm = text.translate(_FW)
    for m in _YEARLESS_RE.finditer(norm):
        hh, mm = int(m.group("H")), int(m.group("M"))
        ss = int(m.group("S")) if m.group("S") else 0
        hh = _with_ampm(hh, m.group("ampm"))
        mo, d = int(m.group("mo")), int(m.group("d1") or m.group("d2"))
        try:
            datetime(year, mo, d, hh, mm, ss)
        except ValueError:
            continue
        iso = f"{year:04d}-{mo:02d}-{d:02d}T{hh:02d}:{mm:02d}:{ss:02d}"
        return ParsedDate(iso + default_offset, text[m.start() : m.end()].strip())
    return None


def _with_ampm(hh: int, ampm: str | None) -> int:
    if (ampm in ("下午", "晚上") and hh < 12) or (ampm == "中午" and hh < 11):
        return hh + 12
    return hh


# --------------------------------------------------------------------------- relative times

_RELATIVE_RE = re.compile(
    r"(?P<now>刚刚|刚才)"
    r"|(?P<n>\d{1,3})" + _SP + r"*(?P<unit>秒|分钟|小时|天)前"
    r"|(?P<day>今天|昨天|前天)" + _SP + r"*(?:(?P<H>\d{1,2})[:：](?P<M>\d{2})(?![0-9]))?"
)
_UNIT = {"秒": timedelta(seconds=1), "分钟": timedelta(minutes=1), "小时": timedelta(hours=1)}
_DAYS_BACK = {"今天": 0, "昨天": 1, "前天": 2}


def parse_relative(text: str, now: datetime, default_offset: str = "+08:00") -> ParsedDate | None:
    """A relative time (``刚刚``, ``3小时前``, ``昨天 10:32``, ``2天前``) resolved against ``now``
    (aware; the response's HTTP ``Date``, else the crawl time), in the page's ``default_offset``.
    ``raw`` keeps the text as written. ``3天前`` and a bare ``昨天`` give a date only."""
    if not text:
        return None
    m = _RELATIVE_RE.search(text.translate(_FW))
    if m is None:
        return None
    sign = -1 if default_offset.startswith("-") else 1
    offset = timezone(sign * timedelta(hours=int(default_offset[1:3]), minutes=int(default_offset[4:6])))
    local = now.astimezone(offset)
    raw = text[m.start() : m.end()].strip()
    if m.group("now"):
        return ParsedDate(local.replace(microsecond=0).isoformat(), raw)
    if m.group("unit") == "天":
        return ParsedDate((local - timedelta(days=int(m.group("n")))).date().isoformat(), raw)
    if m.group("unit"):
        when = local - int(m.group("n")) * _UNIT[m.group("unit")]
        return ParsedDate(when.replace(microsecond=0).isoformat(), raw)
    day = (local - timedelta(days=_DAYS_BACK[m.group("day")])).date()
    if m.group("H") is None:
        return ParsedDate(day.isoformat(), raw)
    try:
        when = datetime(day.year, day.month, day.day, int(m.group("H")), int(m.group("M")), tzinfo=offset)
    except ValueError:
        return None
    return ParsedDate(when.isoformat(), raw)


def reference_time(headers: Mapping[str, Any] | None) -> datetime:
    """What a relative time on a page counts from: the response's HTTP ``Date`` header, else now
    (the crawl time). ``headers`` maps names to a value or a list of values (str or bytes)."""
    value: Any = None
    for name, val in (headers or {}).items():
        key = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        if key.lower() == "date":
            value = val[0] if isinstance(val, (list, tuple)) and val else val
            break
    if isinstance(value, bytes):
        value = value.decode("latin-1", "replace")
    if isinstance(value, str):
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            when = None
        if when is not None and when.tzinfo is not None:
            return when
    return datetime.now(UTC)
