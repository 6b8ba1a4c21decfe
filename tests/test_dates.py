"""Tests for newscrawler.extraction.dates."""

from __future__ import annotations

import pytest

from newscrawler.extraction.dates import ParsedDate, date_from_url, find_dates, parse_date


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
        ("2020-06-0409:34:01", None, None),
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
