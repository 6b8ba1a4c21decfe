"""Tests for newscrawler.extraction.infoline: labelled info lines and the unlabelled slots beside
the time (sources, editors, authors; strings written for these tests)."""

from __future__ import annotations

import pytest

from newscrawler.extraction.dates import parse_date
from newscrawler.extraction.infoline import parse_info_line, source_beside_time


@pytest.mark.parametrize(
    ("line", "source", "editor", "names"),
    [
        # sources in their slots; the page's wording kept, the label dropped
        ("2024-05-01 10:00 来源：人民网-文化频道", "人民网-文化频道", None, []),
        ("来源 | 综合长白日报、北方晨报", "综合长白日报、北方晨报", None, []),
        ("稿源：松江晚报", "松江晚报", None, []),
        ("出处：华岭新闻网", "华岭新闻网", None, []),
        ("本文来源于 国家气象局 2024-05-11 09:36:26", "国家气象局", None, []),
        ("（本文来源：长白日报 作者：华岭大学经济学院教授、研究员王明远）", "长白日报", None, ["王明远"]),
        ("（来源：人民日报）", "人民日报", None, []),
        ("（摘自《华岭日报》）", "《华岭日报》", None, []),
        ("本文转自华岭新闻网", "华岭新闻网", None, []),
        # what is not a person
        ("2024年05月16日 17:02 作者：新京报", "新京报", None, []),
        ("作者：网络整理", None, None, []),
        ("作者：未知 来源：本站原创", "本站原创", None, []),
        # the writer after the source (南方网 style)
        ("2023-06-15 08:10 来源：中国新闻网 王帆", "中国新闻网", None, ["王帆"]),
        # editors: several, staff codes stripped, 选稿
        ("编辑：倪明 责任编辑：杨格", None, "倪明、杨格", []),
        ("（责编：胡永秋、杨光宇）", None, "胡永秋、杨光宇", []),
        ("【编辑:周舟】", None, "周舟", []),
        ("[责任编辑：杜智 PX209]", None, "杜智", []),
        ("责任编辑：张三_NB1234", None, "张三", []),
        ("责编：李四 PK123", None, "李四", []),
        ("编辑 周褶褶 ｜ 排版 魏蔚", None, "周褶褶", []),  # a space after the label
        ("[责任编辑 杜智]", None, "杜智", []),
        ("编辑/张三", None, "张三", []),
        ("编辑部 地址：华岭市", None, None, []),
        ("美编 王五", None, None, []),
        ("posted @ 2024-05-09 14:45 华岭的hk 阅读(430) 编辑 收藏 举报", None, None, ["华岭的hk"]),
        ("2024-05-13 12:03:10 作者：曹磊 来源:东方网 选稿：曾炟", "东方网", "曾炟", ["曹磊"]),
    ],
)
def test_info_line_families(line: str, source: str | None, editor: str | None, names: list[str]) -> None:
    info = parse_info_line(line)
    assert (info.source, info.editor, [a["name"] for a in info.authors]) == (source, editor, names)


@pytest.mark.parametrize(
    ("line", "title", "source", "author"),
    [
        # the source slot right after the time (aggregators, portals)
        ("2024-05-09 22:30 · 新华社", None, "新华社", None),
        ("2016年05月25日10:10 新浪财经 微博 微信 分享", None, "新浪财经", None),
        ("城市电车之困 2024年05月10日 00:26 每日经济新闻 举报", "城市电车之困", "每日经济新闻", None),
        ("2021-01-20 04:29:4439健康网", None, "39健康网", None),
        ("政能亮丨稳经济 2022-06-02 09:52:19 政能亮 来自北京市 5 人参与", "政能亮丨稳经济", "政能亮", None),
        # the account slot before the time: an organisation is the source, a person the author
        ("法新社 2024年5月20日週一 下午2:05", None, "法新社", None),
        ("长白日报 2024-05-13 06:16 发布于北京 长白日报官方账号 + 关注", None, "长白日报", None),
        ("管不饿 关注 2024-05-08 23:23", None, None, "管不饿"),
        ("私~川流 2017-09-30 21:38:07", None, None, "私~川流"),
        # a blogger's display name that ends like an organisation is still the blogger's
        ("A-王老师-华岭学院 于 2024-05-06 15:47:53 发布", None, None, "A-王老师-华岭学院"),
        ("java_2019-华岭研究院 于 2024-05-06 15:47:53 发布", None, None, "java_2019-华岭研究院"),
        ("人民网-CCTV 2024-05-06 15:47:53", None, "人民网-CCTV", None),  # (an outlet first)
        ("华岭日报-经济频道 2024-05-06 15:47:53", None, "华岭日报-经济频道", None),
        # [ 张三 ] / 【新华社】 beside the time
        ("2024-05-20 10:15 [ 张三 ]", None, None, "张三"),
        ("【新华社】2024-05-20 10:15", None, "新华社", None),
        ("2024-05-20 10:15 [字号 大 中 小]", None, None, None),
        # nothing there
        ("2024-05-20 10:15 星期一", None, None, None),  # a weekday
        ("2024-05-20 10:15 广州", None, None, None),  # a place
        ("2024-05-20 10:15 杭州市", None, None, None),
        ("首页 > 国内 2024-05-20 10:15", None, None, None),  # a breadcrumb's section
        ("国内 2024-05-20 10:15", None, None, None),  # a word before the time is not a writer
        ("2024-05-13 13:48", None, None, None),
        ("2024-05-13 06:15 发布于： 北京市", None, None, None),
        ("2024-05-13 13:48 浏览：3", None, None, None),
        ("2024-05-13 13:48 张三", None, None, None),  # a bare name after the time says too little
        ("2024-05-20 09:37 路透月度调查显示，日本企业信心5月保持稳定", None, None, None),
    ],
)
def test_source_beside_time(line: str, title: str | None, source: str | None, author: str | None) -> None:
    parsed = parse_date(line)
    assert parsed is not None
    got_source, got_author = source_beside_time(line, parsed.raw, title)
    assert (got_source, got_author["name"] if got_author else None) == (source, author)


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("posted @ 2024-05-09 14:45 华岭的hk 阅读(430) 评论(2) 编辑 收藏 举报", "华岭的hk"),
        ("Posted @ 2008-01-01 12:00 hualing-dev 阅读(1) 评论(0)", "hualing-dev"),
        ("posted @ 2024-05-09 14:45 阅读(430) 评论(2)", None),  # no blogger named
        ("posted @ 2024-05-09 14:45 编辑 收藏", None),
        ("posted @ 2024-05-09 14:45", None),
        ("2024-05-09 14:45 华岭的hk 阅读(430)", None),  # (not a blog engine's footer)
    ],
)
def test_blogger_after_the_time_of_a_posted_at_footer(line: str, author: str | None) -> None:
    info = parse_info_line(line)
    assert info.published is not None and info.published.iso.startswith(line.split("@ ")[-1][:10])
    assert [a["name"] for a in info.authors] == ([author] if author else [])


def test_a_label_quoted_in_a_disclaimer_is_not_the_source() -> None:
    # every page of a portal carries it: "凡本网注明“来源:XXX”的作品…" names no source of this article
    line = "2、凡本网注明“来源:国际在线”的所有信息内容,未经书面授权,任何单位及个人不得转载、摘编。"
    assert parse_info_line(line).source is None
    assert parse_info_line("来源:吉林日报,记者 王忠先").source == "吉林日报"
