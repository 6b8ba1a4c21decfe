"""Tests for newscrawler.extraction.decoding."""

from __future__ import annotations

import codecs

import pytest

from newscrawler.extraction.decoding import (
    declared_encodings,
    decode_html,
    header_charset,
    meta_charset,
    normalize_encoding,
)

TEXT = (
    "百日会战 只争朝夕 通化医药高新区为高质量发展增动力。"
    "位于通化医药高新区西区生物制药产业园的项目，投资10亿元。"
)


def page(charset_meta: str | None, body: str = TEXT) -> str:
    meta = ""
    if charset_meta:
        meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset_meta}">'
    return f"<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("gb2312", "gb18030"),
        ("GBK", "gb18030"),
        ("GB_2312-80", "gb18030"),
        ("x-gbk", "gb18030"),
        ("cp936", "gb18030"),
        ("GB18030", "gb18030"),
        ("utf8", "utf-8"),
        ("UTF-8 ", "utf-8"),
        ("Big5", "big5hkscs"),
        ("iso-8859-1", "cp1252"),
        (None, ""),
        (b"gbk", "gb18030"),
    ],
)
def test_normalize_encoding(name: str | bytes | None, expected: str) -> None:
    assert normalize_encoding(name) == expected


def test_header_charset_accepts_str_bytes_and_lists() -> None:
    assert header_charset({"Content-Type": "text/html; charset=GBK"}) == "gb18030"
    assert header_charset({b"Content-Type": b"text/html;charset=utf-8"}) == "utf-8"
    assert header_charset({b"Content-Type": [b'text/html; charset="gb2312"']}) == "gb18030"
    assert header_charset({"content-type": ["text/html"]}) is None
    assert header_charset(None) is None


def test_meta_charset_forms() -> None:
    assert meta_charset(b'<html><head><meta charset="gb2312">') == "gb18030"
    assert meta_charset(page("GBK").encode()) == "gb18030"
    assert meta_charset(b'<?xml version="1.0" encoding="UTF-8"?><html>') == "utf-8"
    assert meta_charset(b"<html><head><title>x</title>") is None
    # only the first bytes are scanned
    assert meta_charset(b" " * 5000 + b'<meta charset="gbk">') is None


def test_gbk_page_declared() -> None:
    raw = page("gb2312").encode("gb18030")
    text, enc = decode_html(raw)
    assert enc == "gb18030"
    assert TEXT in text


def test_gbk_page_undeclared_decodes_as_gb18030() -> None:
    raw = page(None).encode("gbk")
    text, enc = decode_html(raw)
    assert enc == "gb18030"
    assert TEXT in text
    assert "\ufffd" not in text


def test_utf8_bytes_declaring_gb2312_decode_as_utf8() -> None:
    raw = page("gb2312").encode("utf-8")
    text, enc = decode_html(raw, {b"Content-Type": [b"text/html; charset=gb2312"]})
    assert enc == "utf-8"
    assert TEXT in text


def test_http_header_charset_used_when_meta_missing() -> None:
    body = "臺灣新聞：記者採訪報導，國際在線。"
    raw = page(None, body).encode("big5")
    text, enc = decode_html(raw, {"Content-Type": "text/html; charset=big5"})
    assert enc == "big5hkscs"
    assert body in text


def test_header_wins_over_meta_when_both_decode() -> None:
    body = "繁體中文新聞報道，記者採訪。"
    raw = page("gbk", body).encode("big5")
    text, enc = decode_html(raw, {"Content-Type": "text/html; charset=big5"})
    assert enc == "big5hkscs"
    assert body in text
    assert declared_encodings(raw, {"Content-Type": "text/html; charset=big5"}) == ["big5hkscs", "gb18030"]


def test_wrong_declaration_falls_back_to_a_clean_candidate() -> None:
    # declares utf-8, is GBK: utf-8 fails strictly, gb18030 is clean
    raw = page("utf-8").encode("gbk")
    text, enc = decode_html(raw, {"Content-Type": "text/html; charset=utf-8"})
    assert enc == "gb18030"
    assert TEXT in text
    assert "\ufffd" not in text


def test_bom_wins() -> None:
    raw = codecs.BOM_UTF8 + page("gbk").encode("utf-8")
    text, enc = decode_html(raw)
    assert enc == "utf-8"
    assert text.startswith("<html>")
    raw16 = codecs.BOM_UTF16_LE + page(None).encode("utf-16-le")
    text, enc = decode_html(raw16)
    assert enc == "utf-16-le"
    assert TEXT in text


def test_damaged_utf8_stays_utf8() -> None:
    raw = page("utf-8", TEXT * 3).encode("utf-8")
    damaged = raw[:-30] + b"\xe4\xb8" + raw[-30:]  # a truncated character in the middle
    text, enc = decode_html(damaged)
    assert enc == "utf-8"
    assert TEXT in text
    assert text.count("\ufffd") == 1


def test_ascii_page() -> None:
    text, enc = decode_html(b"<html><body>hello</body></html>", {"Content-Type": "text/html; charset=gbk"})
    assert text == "<html><body>hello</body></html>"
    assert enc == "gb18030"
    assert decode_html(b"<p>x</p>")[1] == "utf-8"
