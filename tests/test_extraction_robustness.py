"""Extraction never crashes on a real page and loses nothing it could read (issue 8 item 7):
comments and processing instructions inside a paragraph, control characters next to a removed
element, nesting deeper than libxml2's limits, NUL bytes."""

from __future__ import annotations

from newscrawler.extraction.generic import extract_generic
from newscrawler.extraction.page import extract_page
from newscrawler.extraction.tree import _has_invalid_chars, parse_html
from newscrawler.portals import get_portal
from tests.test_extraction_pipeline import PARAGRAPHS, URL, cri_page

P1, P2, P3 = PARAGRAPHS
GENERIC_URL = "http://news.example.cn/2024-05/09/content_1.htm"


def generic_page(body: str) -> str:
    return (
        "<html><head><title>南湖公园丁香花开_华岭新闻网</title></head><body><h1>南湖公园丁香花开</h1>"
        f"<div class=info>2024-05-09 10:21 来源：华岭日报</div><div class=content>{body}</div></body></html>"
    )


def test_comment_and_processing_instruction_inside_a_portal_paragraph() -> None:
    page = cri_page().replace(
        P1.encode(), f"{P1[:10]}<!-- 注释 -->{P1[10:20]}<?php echo 1; ?>{P1[20:]}".encode()
    )
    extracted = extract_page(page, {}, URL.format(n=1), get_portal("jl_cri"))
    assert [b.text for b in extracted.blocks] == list(PARAGRAPHS)


def test_comment_inside_a_generic_paragraph() -> None:
    out = extract_generic(generic_page(f"<p>{P1[:10]}<!--x-->{P1[10:]}<?pi x?></p><p>{P2}</p><p>{P3}</p>"))
    assert out["body"].split("\n") == list(PARAGRAPHS)


def test_control_characters_next_to_a_removed_element() -> None:
    body = f"<p>{P1}<span style='display:none'>隐藏</span>\x0b\x01{P2}</p><p>{P3}<script>x()</script>\x02</p>"
    out = extract_generic(generic_page(body))
    assert out["body"].split("\n") == [P1 + P2, P3]


def test_noncharacters_next_to_a_removed_element() -> None:
    body = f"<p>{P1}<span style='display:none'>隐藏</span>\ufffe{P2}</p><p>{P3}<script>x()</script>\uffff</p>"
    result = extract_generic(generic_page(body))
    assert result["body"].split("\n") == [P1 + P2, P3]


def test_non_characters_are_dropped_and_fullwidth_forms_kept() -> None:
    # U+FFFE / U+FFFF cannot be in a tree; U+FFE5 (￥) and U+FF0C (，) share their first bytes
    body = f"<p>{P1[:10]}\ufffe{P1[10:]}</p><p>{P2}\uffff</p><p>价格￥20，{P3}</p>"
    out = extract_generic(generic_page(body))
    assert out["body"].split("\n") == [P1, P2, f"价格￥20，{P3}"]
    assert parse_html("<p>a\uffffb</p>").findtext(".//p") == "ab"
    for text, invalid in (("价格￥20，", False), ("\ufffe", True), ("\uffff", True), ("a\x0bb", True)):
        assert _has_invalid_chars(text, text.encode()) is invalid, text


def test_nul_bytes_are_dropped_not_replaced() -> None:
    html = generic_page(f"<p>{P1[:10]}\x00{P1[10:]}</p><p>{P2}</p><p>{P3}</p>").encode()
    out = extract_page(html, {"Content-Type": "text/html; charset=utf-8"}, GENERIC_URL)
    assert out.generic is not None
    assert out.generic["body"].split("\n") == list(PARAGRAPHS)
    assert "\ufffd" not in out.generic["body"]


def _nested(depth: int) -> str:
    return "<div>" * depth + f"<p>{P1}</p><p>{P2}</p>" + "</div>" * depth + f"<p>{P3}</p>"


def test_nesting_deeper_than_256_levels_keeps_the_whole_page() -> None:
    out = extract_generic(generic_page(_nested(400)))
    assert P1 in out["body"] and P2 in out["body"]
    assert out["title"] == "南湖公园丁香花开" and out["source"] == "华岭日报"


def test_nesting_deeper_than_libxml2_reads_at_all_keeps_the_text() -> None:
    # beyond ~2048 levels libxml2 stops even with huge_tree: the page is read again flat
    out = extract_generic(generic_page(_nested(5000)))
    assert all(p in out["body"] for p in PARAGRAPHS)
    assert out["published_at"] == "2024-05-09T10:21:00+08:00"


def test_deep_nesting_in_a_portal_body() -> None:
    page = cri_page().replace(
        f"<p>{P1}</p>".encode(), ("<div>" * 3000 + f"<p>{P1}</p>" + "</div>" * 3000).encode()
    )
    extracted = extract_page(page, {}, URL.format(n=1), get_portal("jl_cri"))
    assert extracted.title == "南湖公园丁香花开"
    texts = [b.text for b in extracted.blocks] or (extracted.generic or {}).get("body", "").split("\n")
    assert all(any(p in t for t in texts) for p in PARAGRAPHS)
