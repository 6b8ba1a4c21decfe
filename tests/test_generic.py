"""Tests for newscrawler.extraction.generic on hand-written fixture pages.

Each page ``fixtures/generic/pages/<name>.html`` (raw bytes; GBK pages stay GBK) has
``<name>.json`` (the expected output of :func:`extract_generic_bytes`), ``<name>.snippets.json``
(text that must / must not be in the body) and optionally ``<name>.headers.json``.
``fixtures/generic/urls.json`` gives each page's URL. See ``fixtures/generic/README.md``.

After a deliberate change of the extractor, review the differences, then rewrite the expected
files with::

    python tests/test_generic.py --regen
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from newscrawler.extraction.generic import extract_generic, extract_generic_bytes

ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "generic"
PAGES = ROOT / "pages"
URLS: dict[str, str] = json.loads((ROOT / "urls.json").read_text(encoding="utf-8"))
NAMES = sorted(p.stem for p in PAGES.glob("*.html"))
FIELDS = (
    "title",
    "original_title",
    "published_at",
    "published_at_raw",
    "published_at_source",
    "source",
    "editor",
    "authors",
    "images",
    "body",
    "encoding",
)
REGEN = "python tests/test_generic.py --regen"


def run(name: str) -> dict[str, Any]:
    headers_file = PAGES / f"{name}.headers.json"
    headers = json.loads(headers_file.read_text(encoding="utf-8")) if headers_file.exists() else None
    result = extract_generic_bytes((PAGES / f"{name}.html").read_bytes(), headers, URLS.get(name))
    return {k: result.get(k) for k in FIELDS}


def dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def test_there_are_enough_fixture_pages() -> None:
    assert len(NAMES) >= 8
    for name in NAMES:
        assert (PAGES / f"{name}.json").exists(), f"{name}.json missing: run {REGEN}"
        assert (PAGES / f"{name}.snippets.json").exists(), f"{name}.snippets.json missing"
        assert name in URLS, f"{name} has no URL in fixtures/generic/urls.json"


@pytest.mark.parametrize("name", NAMES)
def test_expected_output(name: str) -> None:
    expected = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
    got = run(name)
    for key in FIELDS:
        assert got[key] == expected[key], f"{name}: {key} differs (if the change is intended: {REGEN})"


@pytest.mark.parametrize("name", NAMES)
def test_must_and_must_not(name: str) -> None:
    snippets = json.loads((PAGES / f"{name}.snippets.json").read_text(encoding="utf-8"))
    body = run(name)["body"] or ""
    for s in snippets["must"]:
        assert s in body, f"{name}: body lacks {s!r}"
    for s in snippets["must_not"]:
        assert s not in body, f"{name}: body contains {s!r}"


def test_gbk_page_is_stored_as_gbk_bytes() -> None:
    raw = (PAGES / "gbk_county.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert run("gbk_county")["encoding"] == "gb18030"


def test_utf8_page_declaring_gb2312() -> None:
    raw = (PAGES / "people_style.html").read_bytes()
    assert b"charset=GB2312" in raw
    raw.decode("utf-8")  # the bytes are UTF-8
    got = run("people_style")
    assert got["encoding"] == "utf-8"
    assert got["title"] == "黑土地上的“新农人”"


def test_editor_and_source_are_never_authors() -> None:
    for name in NAMES:
        got = run(name)
        names = {a["name"] for a in got["authors"]}
        assert got["editor"] not in names
        assert got["source"] not in names
        for a in got["authors"]:
            assert set(a) <= {"name", "role", "org"}
            assert a["role"] in {"reporter", "correspondent", "author", "photographer", "translator"}


def test_no_today_widget_or_copyright_year_as_date() -> None:
    # provincial_daily carries a "today" widget (2026) above the title and a copyright line
    got = run("provincial_daily")
    assert got["published_at"] == "2023-03-08T08:15:00+08:00"
    html = (
        "<html><body><div>今天是2026年11月27日</div><h1>标题文字在这里</h1><div><p>"
        + "正文内容，" * 40
        + "</p></div><div>Copyright 2019 版权所有</div></body></html>"
    )
    out = extract_generic(html, "http://example.cn/a/2020-06/04/content_1.htm")
    assert out["published_at"] == "2020-06-04"  # from the URL, not the widget or the copyright


def test_minimal_pages_do_not_crash() -> None:
    xml_decl = '<?xml version="1.0" encoding="utf-8"?><html><body>x</body></html>'
    for html in ("", "<html></html>", "<p>短</p>", xml_decl):
        out = extract_generic(html)
        assert set(FIELDS) - {"encoding"} <= set(out)
        assert out["authors"] == [] and out["images"] == []


def _regen() -> None:
    for name in NAMES:
        (PAGES / f"{name}.json").write_text(dump(run(name)), encoding="utf-8")
        print("wrote", PAGES / f"{name}.json")


if __name__ == "__main__":
    if sys.argv[1:] == ["--regen"]:
        _regen()
    else:
        print(__doc__)


PARA = "长春市今年以来持续推进城市更新，一批老旧小区完成改造，居民生活环境明显改善。"


def _page(body_html: str, head: str = "") -> str:
    return (
        f"<html><head><title>城市更新让生活更美好_示例网</title>{head}</head><body>"
        "<div class='nav'><a href='/'>首页</a> <a href='/a'>新闻</a> <a href='/b'>图片</a></div>"
        "<h1>城市更新让生活更美好</h1><div class='info'>2024-05-20 10:00 来源：示例日报</div>"
        f"<div class='content'>{body_html}</div></body></html>"
    )


def test_images_lazy_src_base_href_and_icons() -> None:
    html = _page(
        f"<p>{PARA}</p><p style='text-align:center'>"
        "<img data-src='pics/a.jpg' src='data:image/gif;base64,R0l'></p>"
        "<p style='text-align:center'>改造后的小区。 张三 摄</p>"
        f"<p>{PARA}</p><p><img src='/static/share_icon.png'><img src='b.jpg' width='20' height='20'></p>",
        head="<base href='http://img.example.cn/2024/'>",
    )
    out = extract_generic(html, "http://news.example.cn/a/1.html")
    assert out["images"] == [
        {"url": "http://img.example.cn/2024/pics/a.jpg", "caption": "改造后的小区。", "credit": "张三"}
    ]
    assert "改造后的小区" not in out["body"]


def test_centred_subheading_after_an_image_stays_in_the_body() -> None:
    html = _page(
        f"<p>{PARA}</p><p align='center'><img src='a.jpg'></p>"
        f"<p align='center'><strong>老旧小区焕新颜</strong></p><p>{PARA}</p>"
    )
    out = extract_generic(html, "http://news.example.cn/a/1.html")
    assert "老旧小区焕新颜" in out["body"].split("\n")
    assert out["images"][0]["caption"] is None


def test_hidden_blocks_and_video_player_chrome_are_dropped() -> None:
    html = _page(
        f"<div class='video-player'><span>00:00</span><span>倍速</span><span>高清</span></div>"
        f"<p>{PARA}</p><div style='display: none'>"
        "隐藏的内容不应出现在正文里，无论它有多长，都不是读者能看到的文字。</div>"
        f"<p>{PARA}</p>"
    )
    out = extract_generic(html, "http://news.example.cn/a/1.html")
    assert out["body"] == f"{PARA}\n{PARA}"
    assert out["title"] == "城市更新让生活更美好"
    assert out["published_at"] == "2024-05-20T10:00:00+08:00"
    assert out["source"] == "示例日报"


def test_wechat_style_body_hidden_by_visibility_is_kept() -> None:
    html = _page(f"<div id='js_content' style='visibility: hidden;'><p>{PARA}</p><p>{PARA}</p></div>")
    assert extract_generic(html)["body"] == f"{PARA}\n{PARA}"


def test_meta_date_when_nothing_is_written_near_the_title() -> None:
    html = (
        "<html><head><title>标题在这里的文章_示例网</title>"
        "<meta property='article:published_time' content='2023-03-08T08:15:00+08:00'></head>"
        f"<body><h1>标题在这里的文章</h1><div><p>{PARA}</p><p>{PARA}</p></div></body></html>"
    )
    out = extract_generic(html)
    assert out["published_at"] == "2023-03-08T08:15:00+08:00"
    assert out["published_at_raw"] == "2023-03-08T08:15:00+08:00"


LINE_A = "长夜独坐听秋雨，"
LINE_B = "孤灯照壁忆故人。"
TRANSLATION = "漫漫长夜独自坐着，听窗外的秋雨一阵紧过一阵，孤灯照着墙壁，让人想起远方的故人。"
NOTE = "这首诗作于诗人客居他乡的第三年，全篇不用典故，只以眼前景写心中情，语言平实而情意深长。"


def _sectioned_page(extra: str = "") -> str:
    # a poem page: the text, its translation and a commentary, each in its own section of one
    # column; the best-scoring container is inside the translation's section
    return (
        "<html><head><title>秋夜听雨寄远人_示例诗词网</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> <a href='/a'>唐诗</a> <a href='/b'>宋词</a></div>"
        "<div class='col'>"
        "<div class='head'><h1>秋夜听雨寄远人</h1></div>"
        f"<div class='part'><p>作者：某某</p>"
        f"<div class='text'>{LINE_A}<br>{LINE_B}<br>{LINE_A}<br>{LINE_B}</div></div>"
        f"<div class='part'><h3>译文</h3>"
        f"<div><p>{TRANSLATION}</p><p>{TRANSLATION}</p><p>{TRANSLATION}</p></div></div>"
        f"<div class='part'><h3>赏析</h3><div><p>{NOTE}</p></div></div>"
        f"{extra}</div>"
        "<div class='side'>"
        "<div><p>某某，唐代诗人，一生漂泊，诗作多写羁旅之思，后人辑有诗集三卷传世。</p></div>"
        "<ul><li><a href='/1'>另一首诗的标题</a></li><li><a href='/2'>又一首诗的标题</a></li></ul></div>"
        "</body></html>"
    )


def test_sibling_sections_of_the_best_container_join_the_body() -> None:
    out = extract_generic(_sectioned_page(), "http://shici.example.cn/p/1.html")
    body = out["body"]
    assert out["title"] == "秋夜听雨寄远人"
    assert LINE_A in body and LINE_B in body  # the poem, in a section of its own
    assert TRANSLATION in body
    assert NOTE in body  # the commentary, a section after the translation
    assert "唐代诗人，一生漂泊" not in body  # the sidebar is not a section of the column
    assert body.index(LINE_A) < body.index(TRANSLATION) < body.index(NOTE)


def test_chrome_and_short_sections_beside_the_content_stay_out() -> None:
    extra = (
        "<div class='comment'><div><p>网友甲：这首诗写得真好，读来让人想起自己在外求学的日子。</p>"
        "<p>网友乙：最后一句尤其动人，反复读了好几遍，每一遍都有新的体会。</p></div></div>"
        "<div class='tags'><span>标签：秋天</span></div>"
    )
    body = extract_generic(_sectioned_page(extra), "http://shici.example.cn/p/1.html")["body"]
    assert TRANSLATION in body and NOTE in body
    assert "网友甲" not in body and "网友乙" not in body
    assert "标签" not in body


def test_a_teaser_list_beside_the_content_is_no_section() -> None:
    # other articles' linked titles and summaries: prose-like, but a link per item
    teasers = "".join(
        f"<div class='item'><h3><a href='/p/{i}'>另一首诗的赏析文章第{i}篇</a></h3>"
        f"<p>这是另一篇赏析文章的摘要，与本诗无关，但有标点，也有长度，第{i}篇。</p></div>"
        for i in range(3)
    )
    body = extract_generic(_sectioned_page(f"<div class='box'>{teasers}</div>"))["body"]
    assert TRANSLATION in body and NOTE in body
    assert "另一篇赏析文章的摘要" not in body


def test_a_bare_edit_button_in_a_heading_does_not_end_the_body() -> None:
    # an encyclopedia's section headings carry an "编辑" (edit) button; an editor credit has a name
    paras = [f"第{i}段：{PARA}" for i in range(6)]
    sections = "".join(
        f"<div class='title'><h2>第{i}节</h2><span>播报</span><div class='edit'><span>编辑</span></div></div>"
        f"<div class='para'><span>{paras[2 * i]}</span></div>"
        f"<div class='para'><span>{paras[2 * i + 1]}</span></div>"
        for i in range(3)
    )
    html = _page(sections + "<p>编辑：张三</p><p>相关新闻 最后一段不是正文，它在编辑署名之后。</p>")
    out = extract_generic(html, "http://news.example.cn/a/1.html")
    assert all(p in out["body"] for p in paras)
    assert "编辑" not in out["body"].split("\n")  # the button is no body text either
    assert "最后一段不是正文" not in out["body"]
    assert out["editor"] == "张三"


def test_a_references_heading_ends_the_body() -> None:
    paras = [f"第{i}段：{PARA}" for i in range(4)]
    refs = "".join(f"<li>^ 作者{i}. 城市更新研究. 示例出版社. 2020 [2024-01-0{i}].</li>" for i in range(1, 6))
    html = _page(
        "".join(f"<p>{p}</p>" for p in paras[:2])
        + "<p>参考资料显示，这一批改造项目将在年底前全部完工，居民满意度持续提升。</p>"
        + "".join(f"<p>{p}</p>" for p in paras[2:])
        + f"<h2>参考文献<span>[编辑]</span></h2><ol>{refs}</ol>"
    )
    body = extract_generic(html, "http://news.example.cn/a/1.html")["body"]
    assert all(p in body for p in paras)
    assert "参考资料显示" in body  # prose that starts with the words is not the heading
    assert "参考文献" not in body and "示例出版社" not in body


def test_a_labelled_lead_box_before_the_body_joins_it() -> None:
    lead = "核心提示：老旧小区改造进入收官阶段，今年将惠及三万户居民。"
    paras = "".join(f"<p>第{i}段：{PARA}</p>" for i in range(4))
    after = "<div class='next'>摘要：下一篇文章的摘要，也有标点符号，但它在正文之后。</div>"
    html = _page(f"<div class='summary'>{lead}</div><div class='text'>{paras}</div>{after}")
    body = extract_generic(html, "http://news.example.cn/a/1.html")["body"]
    assert body.split("\n")[0] == lead
    assert "第3段" in body
    assert "下一篇文章的摘要" not in body  # a label after the body is not its lead
