"""Tests for newscrawler.extraction.dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newscrawler.extraction.dates import (
    ParsedDate,
    date_from_url,
    find_dates,
    parse_date,
    parse_relative,
    parse_yearless,
)


@pytest.mark.parametrize(
    ("text", "iso", "raw"),
    [
        ("2020-06-04 09:34:01来源:吉林日报责编:赵宇静", "2020-06-04T09:34:01+08:00", "2020-06-04 09:34:01"),
        ("发布时间：2020年06月04日 09:34 来源：新华网", "2020-06-04T09:34:00+08:00", "2020年06月04日 09:34"),
        ("时间: 2020/6/4", "2020-06-04", "2020/6/4"),
        ("2020.06.04 09:34", "2020-06-04T09:34:00+08:00", "2020.06.04 09:34"),
        (
            "２０２０年０６月０４日　０９：３４",
            "2020-06-04T09:34:00+08:00",
            "２０２０年０６月０４日　０９：３４",
        ),
        ("2020-06-04T09:34:01+08:00", "2020-06-04T09:34:01+08:00", "2020-06-04T09:34:01+08:00"),
        ("2020-06-04T01:34:01Z", "2020-06-04T01:34:01+00:00", "2020-06-04T01:34:01Z"),
        ("2020-06-04 09:34:01 +0800", "2020-06-04T09:34:01+08:00", "2020-06-04 09:34:01 +0800"),
        ("2020年6月4日 下午3:20", "2020-06-04T15:20:00+08:00", "2020年6月4日 下午3:20"),
        ("2020年06月04日 09时34分", "2020-06-04T09:34:00+08:00", "2020年06月04日 09时34分"),
        ("2020年6月4日星期四", "2020-06-04", "2020年6月4日"),
        # a weekday between the date and the time; 上午/下午
        ("2024年5月22日週三 上午8:21", "2024-05-22T08:21:00+08:00", "2024年5月22日週三 上午8:21"),
        ("2024年5月20日星期一 下午2:05 法新社", "2024-05-20T14:05:00+08:00", "2024年5月20日星期一 下午2:05"),
        ("2020-06-04（周四）10:00", "2020-06-04T10:00:00+08:00", "2020-06-04（周四）10:00"),
        # date and time run together; seconds running into the next word
        ("2005.08.2605:39", "2005-08-26T05:39:00+08:00", "2005.08.2605:39"),
        ("2020-06-0409:34:01", "2020-06-04T09:34:01+08:00", "2020-06-0409:34:01"),
        ("2021-01-20 04:29:4439健康网", "2021-01-20T04:29:44+08:00", "2021-01-20 04:29:44"),
    ],
)
def test_parse_date(text: str, iso: str | None, raw: str | None) -> None:
    parsed = parse_date(text)
    if iso is None:
        assert parsed is None
    else:
        assert parsed == ParsedDate(iso, raw or "")


def test_default_offset_is_configurable() -> None:
    assert parse_date("2020-06-04 09:34", default_offset="+00:00") == ParsedDate(
        "2020-06-04T09:34:00+00:00", "2020-06-04 09:34"
    )


def test_impossible_dates_are_rejected() -> None:
    assert parse_date("2020-02-30") is None
    assert parse_date("2020-13-01 10:00") is None
    # an impossible date is skipped, the next real one is found
    assert parse_date("2020-02-30 10:00 和 2020-03-01").iso == "2020-03-01"  # type: ignore[union-attr]
    # an impossible time keeps the date only
    assert parse_date("2020-06-04 25:61:00").iso == "2020-06-04"  # type: ignore[union-attr]


def test_non_dates() -> None:
    assert parse_date("") is None
    assert parse_date("版权所有 2020 中国吉林网") is None
    assert parse_date("电话 13612345678") is None
    assert parse_date("2019年") is None


def test_has_time_and_find_dates() -> None:
    found = find_dates("首发 2020-06-04 09:34，更新 2020-06-05")
    assert [d.iso for d in found] == ["2020-06-04T09:34:00+08:00", "2020-06-05"]
    assert found[0].has_time and not found[1].has_time


@pytest.mark.parametrize(
    ("url", "iso"),
    [
        ("http://jl.cri.cn/2020-06/04/content_123.htm", "2020-06-04"),
        ("http://www.xinhuanet.com/local/2019-01-18/c_1124006500.htm", "2019-01-18"),
        ("http://news.example.cn/20190725/a.html", "2019-07-25"),
        ("http://www.jl.gov.cn/zw/t20200604_123.html", "2020-06-04"),
        ("http://politics.people.com.cn/n1/2020/0604/c1001-31735.html", "2020-06-04"),
        ("https://example.cn/2020/06/04/story", "2020-06-04"),
        ("http://example.cn/a/b.html", None),
        ("http://example.cn/2020-13/45/x.html", None),
        ("http://example.cn/a/123456789012.html", None),
    ],
)
def test_date_from_url(url: str, iso: str | None) -> None:
    parsed = date_from_url(url)
    assert (parsed.iso if parsed else None) == iso


@pytest.mark.parametrize(
    ("text", "iso", "raw"),
    [
        ("10-08 12:00", "2023-10-08T12:00:00+08:00", "10-08 12:00"),
        ("发布于 5月10日09:01 北京", "2023-05-10T09:01:00+08:00", "5月10日09:01"),
        ("05/10 下午9:01", "2023-05-10T21:01:00+08:00", "05/10 下午9:01"),
        ("10-08", None, None),  # no time: too often something else
        ("13-40 12:00", None, None),
        ("2024-10-08 12:00", None, None),  # a full date is parse_date's
    ],
)
def test_parse_yearless(text: str, iso: str | None, raw: str | None) -> None:
    parsed = parse_yearless(text, 2023)
    assert (parsed.iso, parsed.raw) == (iso, raw) if parsed else iso is None


# 2024-05-10 03:00 UTC = 11:00 in China
NOW = datetime(2024, 5, 10, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("刚刚", "2024-05-10T11:00:00+08:00"),
        ("5分钟前", "2024-05-10T10:55:00+08:00"),
        ("3小时前", "2024-05-10T08:00:00+08:00"),
        ("12小时前", "2024-05-09T23:00:00+08:00"),
        ("昨天 10:32", "2024-05-09T10:32:00+08:00"),
        ("前天23:59", "2024-05-08T23:59:00+08:00"),
        ("今天 09:00", "2024-05-10T09:00:00+08:00"),
        ("2天前", "2024-05-08"),
        ("昨天", "2024-05-09"),
        ("发布于很久以前", None),
    ],
)
def test_parse_relative(text: str, iso: str | None) -> None:
    parsed = parse_relative(text, NOW)
    assert (parsed.iso if parsed else None) == iso
    if parsed:
        assert parsed.raw == text.strip()
