"""Tests for newscrawler.extraction.tree's text walk: texts_after reads what XPath's
following::text() finds, in the same order, with the same owners."""

from __future__ import annotations

from pathlib import Path

from newscrawler.extraction.decoding import decode_html
from newscrawler.extraction.tree import parse_html, texts_after

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

PAGE = (
    "<html><body><div id=a>标题<h1>华岭新闻</h1>尾巴<span>来源：<b>华岭日报</b>（记者）</span></div>\n"
    "<p>第一段<br>第二行<i>斜体</i>末尾</p><!-- 注释 --><ul><li>一</li><li>二<a>链接</a></li></ul>结束"
    "</body></html>"
)


def _xpath_pieces(el: object) -> list[tuple[str, object, bool]]:
    return [(str(t), t.getparent(), t.is_tail) for t in el.xpath("following::text()")]  # type: ignore[attr-defined]


def test_texts_after_is_following_text_in_document_order() -> None:
    root = parse_html(PAGE)
    h1 = root.find(".//h1")
    assert [p.text for p in texts_after(h1)][:6] == ["尾巴", "来源：", "华岭日报", "（记者）", "\n", "第一段"]
    for el in root.iter():
        assert [tuple(p) for p in texts_after(el)] == _xpath_pieces(el), el.tag


def test_texts_after_on_real_page_shapes() -> None:
    for path in sorted(FIXTURES.glob("*/site/**/*.html"))[:12]:
        root = parse_html(decode_html(path.read_bytes())[0])
        for el in list(root.iter())[::7]:
            assert [tuple(p) for p in texts_after(el)] == _xpath_pieces(el), (path, el.tag)
