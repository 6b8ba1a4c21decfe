"""Tests for the counts of newscrawler.extraction.scoring.Scorer.run (subtree totals, link text,
direct text, document positions) on pages written for these tests."""

from __future__ import annotations

from typing import Any

from newscrawler.extraction.scoring import MIN_UNIT_CHARS, PARENT_SHARE, Scorer
from newscrawler.extraction.tree import clean_tree, parse_html

SENTENCE = "华岭市民生项目近日全面开工，预计年底完工。"  # 21 characters, 2 punctuation marks


def _walk(html: str, title_tag: str | None = None) -> tuple[Any, Scorer]:
    body = clean_tree(parse_html(html))
    title_el = body.find(f".//{title_tag}") if title_tag else None
    scorer = Scorer(title_el)
    scorer.run(body)
    return body, scorer


def test_subtree_totals_count_text_links_and_punctuation() -> None:
    body, scorer = _walk(
        f"<html><body><div><p> {SENTENCE} <a href='/x'>链接五个字</a> 尾巴 </p></div></body>"
    )
    p = body.find(".//p")
    # (each piece stripped: " 尾巴 " counts 2)
    assert scorer.stats[p] == (len(SENTENCE) + 5 + 2, 5, 2)


def test_direct_text_between_brs_scores_its_container() -> None:
    html = f"<html><body><div id='c'>{SENTENCE}<br/>{SENTENCE}<br/><span>{SENTENCE}</span></div></body>"
    body, scorer = _walk(html)
    div = body.find(".//div")
    assert scorer.score[div] > 0
    # the <span>'s bare text belongs to its block container too
    assert scorer.stats[div] == (3 * len(SENTENCE), 0, 6)


def test_positions_skip_link_text() -> None:
    html = (
        f"<html><body><div><a href='/'>首页导航</a>前面五个字<h1>标题在此处</h1>"
        f"<p>{SENTENCE * 2}</p></div></body></html>"
    )
    body, scorer = _walk(html, "h1")
    assert scorer.title_start == len("前面五个字")
    div = body.find(".//div")
    assert scorer.first_unit[div] == len("前面五个字") + len("标题在此处")
    assert scorer.cursor == len("前面五个字") + len("标题在此处") + 2 * len(SENTENCE)


def test_short_text_is_no_unit() -> None:
    body, scorer = _walk("<html><body><div><p>短句。</p></div></body></html>")
    assert len("短句。") < MIN_UNIT_CHARS
    assert not scorer.score
    assert scorer.stats[body.find(".//p")] == (3, 0, 1)


def test_span_paragraphs_in_divs_score_their_column() -> None:
    # <div><span>…</span></div> paragraphs (rich-text editors, encyclopedias): each <div> owns its
    # <span>'s text, and their common parent gets the parent's share as from <p>s
    html = (
        f"<html><body><div id='col'><div><span>{SENTENCE}</span></div>"
        f"<div><span>{SENTENCE}</span></div><div><span>{SENTENCE}</span></div></div></body></html>"
    )
    body, scorer = _walk(html)
    col = body.find(".//div")
    paras = list(col)
    assert all(scorer.score[p] > 0 for p in paras)
    assert scorer.score[col] == sum(scorer.score[p] for p in paras) * PARENT_SHARE


def test_span_text_in_a_paragraph_counts_once_for_its_parent() -> None:
    # a <p>'s (or <li>'s) whole text is one unit for its parent; its <span>'s text must not give
    # the parent a second share
    plain = "<html><body><div id='c'><p>" + SENTENCE + "</p><p>" + SENTENCE + "</p></div></body></html>"
    spans = (
        "<html><body><div id='c'><p><span>" + SENTENCE + "</span></p>"
        "<p><span>" + SENTENCE + "</span></p></div></body></html>"
    )
    body_a, scorer_a = _walk(plain)
    body_b, scorer_b = _walk(spans)
    assert scorer_a.score[body_a.find(".//div")] == scorer_b.score[body_b.find(".//div")]
