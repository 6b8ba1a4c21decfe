"""Tests for newscrawler.extraction.boilerplate and .text.

The CRI page below is built from the text of the reference article (国际在线吉林频道, 2020-06-04):
what a reader sees between the title and the page footer, one paragraph per line.
"""

from __future__ import annotations

import re

import pytest

from newscrawler.extraction.boilerplate import (
    boilerplate_reason,
    clean_paragraphs,
    is_boilerplate,
    is_disclaimer_heading,
    parse_original_title,
)
from newscrawler.extraction.text import compact, normalize_text, split_lines

TITLE = "百日会战 只争朝夕 通化医药高新区为高质量发展增动力"

CRI_DISCLAIMER = [
    "国际在线版权与信息产品内容销售的声明",
    "1、“国际在线”由中国国际广播电台主办。经中国国际广播电台授权,国广国际在线网络(北京)有限公司独家负责"
    "“国际在线”网站的市场经营。",
    "2、凡本网注明“来源:国际在线”的所有信息内容,未经书面授权,任何单位及个人不得转载、摘编、复制或利用其他方式使用。",
    "3、“国际在线”自有版权信息(包括但不限于“国际在线专稿”、“国际在线消息”、“国际在线XX消息”“国际在线报道”"
    "“国际在线XX报道”等信息内容,但明确标注为第三方版权的内容除外)均由国广国际在线网络(北京)有限公司统一管理和销售。",
    "已取得国广国际在线网络(北京)有限公司使用授权的被授权人,应严格在授权范围内使用,不得超范围使用,"
    "使用时应注明“来源:国际在线”。违反上述声明者,本网将追究其相关法律责任。",
    "任何未与国广国际在线网络(北京)有限公司签订相关协议或未取得授权书的公司、媒体、网站和个人均无权销售、使用"
    "“国际在线”网站的自有版权信息产品。否则,国广国际在线网络(北京)有限公司将采取法律手段维护合法权益,"
    "因此产生的损失及为此所花费的全部费用(包括但不限于律师费、诉讼费、差旅费、公证费等)全部由侵权方承担。",
    "4、凡本网注明“来源:XXX(非国际在线)”的作品,均转载自其它媒体,转载目的在于传递更多信息,丰富网络文化,"
    "此类稿件并不代表本网赞同其观点和对其真实性负责。",
    "5、如因作品内容、版权和其他问题需要与本网联系的,请在该事由发生之日起30日内进行。",
]

BODY = [
    "热火朝天的建设工地、机器轰鸣的车间厂房……通化医药高新区“三抓”“三早”行动百日会战开展一个多月以来,"
    "全区上下以时不我待、只争朝夕的奋斗精神全身心地投入会战。1—4月,高新区规上工业产值同比增长92%。",
    "项目建设快速推进。项目建设始终是高新区发展的生命线、根本动力和力量源泉,也是全区各项工作的核心。",
    "招商引资成果丰硕。百日会战开展以来,高新区相关部门进一步坚持问题导向、效益导向、任务导向和效率导向。",
    "营商环境不断优化。为促进全区百日会战取得扎实成效,高新区相关部门通过开通绿色审批快速服务通道,"
    "为项目筹备前期要件节省时间,提高了审批效率。",
]

CRI_PAGE = [
    "2020-06-04 09:34:01来源:吉林日报责编:赵宇静",
    "\u3000\u3000原题:百日会战 只争朝夕 通化医药高新区为高质量发展增动力",
    TITLE,
    "\u3000\u3000位于通化医药高新区西区生物制药产业园的东方红西洋参药业产业基地二期建设项目,投资10亿元。"
    "综合楼基础施工已完成,正在进行主体施工,计划年底前竣工。 朱传刚 摄",
    *("\u3000\u3000" + p for p in BODY[:-1]),
    "\u3000\u3000" + BODY[-1] + "(吉林日报记者 王忠先 通讯员 朱传刚)",
    "",
    *CRI_DISCLAIMER,
]

MUST = [
    "热火朝天的建设工地",
    "项目建设快速推进",
    "招商引资成果丰硕",
    "提高了审批效率。",
]
MUST_NOT = [
    "原题",
    "版权与信息产品内容销售的声明",
    "中国国际广播电台主办",
    "凡本网注明",
    "未经书面授权",
    "自有版权信息",
    "已取得国广国际在线网络",
    "任何未与国广国际在线网络",
    "转载目的在于传递更多信息",
    "需要与本网联系的",
    "吉林日报记者",
    "王忠先",
    "朱传刚 摄",
    "责编",
]


def test_cri_page_must_and_must_not() -> None:
    result = clean_paragraphs(CRI_PAGE, title=TITLE)
    body = "\n".join(result.paragraphs)
    for snippet in MUST:
        assert snippet in body, snippet
    for snippet in MUST_NOT:
        assert snippet not in body, snippet
    assert result.paragraphs == BODY
    assert result.original_title == TITLE
    assert result.authors == [
        {"name": "王忠先", "role": "reporter", "org": "吉林日报"},
        {"name": "朱传刚", "role": "correspondent"},
    ]
    reasons = {reason for reason, _ in result.removed}
    assert {"disclaimer", "original_title", "title", "byline", "caption", "info"} <= reasons


@pytest.mark.parametrize("paragraph", CRI_DISCLAIMER)
def test_every_cri_disclaimer_paragraph_is_boilerplate_alone(paragraph: str) -> None:
    assert is_boilerplate(paragraph)


def test_disclaimer_block_continuations() -> None:
    # continuation paragraphs in generic legal language are removed only inside a block
    cont = "使用上述内容时应注明出处，否则本站将依法维护权益。"
    other = "项目建设快速推进，全年目标有望提前完成。"
    res = clean_paragraphs([other, "免责声明：", "1、本站内容仅供参考。", cont, other + "再写一句。"])
    assert res.paragraphs == [other, other + "再写一句。"]
    assert is_disclaimer_heading("版权声明")
    assert is_disclaimer_heading("【免责声明】")
    assert not is_disclaimer_heading("他发表了一份声明，表示支持。")


@pytest.mark.parametrize(
    ("paragraph", "reason"),
    [
        ("分享到：", "share"),
        ("扫一扫，用手机看新闻！", "share"),
        ("扫描二维码关注我们", "share"),
        ("欢迎关注吉林日报微信公众号", "share"),
        ("点击下载人民日报客户端", "share"),
        ("责任编辑：赵宇静", "editor"),
        ("【责任编辑:张三】", "editor"),
        ("(编辑：李四)", "editor"),
        ("责编：王五 校对：赵六", "editor"),
        ("（来源：新华社）", "source"),
        ("原标题：通化医药高新区为高质量发展增动力", "original_title"),
        ("上一篇：吉林省召开会议", "chrome"),
        ("下一篇", "chrome"),
        ("相关新闻", "chrome"),
        ("【打印】【关闭】", "chrome"),
        ("打印 关闭", "chrome"),
        ("字号：大 中 小", "chrome"),
        ("版权所有 中国吉林网 Copyright © 2020", "disclaimer"),
        ("未经许可，不得转载。", "disclaimer"),
        ("2020-06-04 09:34:01来源:吉林日报责编:赵宇静", "info"),
        ("原创：39健康网2024-04-23 12:27:25", "info"),
        ("2024-05-20 14:33·新华社", "info"),
        ("发布时间：2024-05-20 09:00", "info"),
        ("《 人民日报 》（ 2022年05月20日 07 版）", "source"),
        ("网友评论（5）", "chrome"),
        ("1234下一页", "chrome"),
        ("上一页 1 2 3 尾页", "chrome"),
        ("第1页 共3页", "chrome"),
        ("【纠错】 责任编辑： 焦鹏", "editor"),
        ("39健康网(www.39.net)专稿，未经书面授权请勿转载。", "disclaimer"),
    ],
)
def test_boilerplate_reason(paragraph: str, reason: str) -> None:
    assert boilerplate_reason(paragraph) == reason


@pytest.mark.parametrize(
    "paragraph",
    [
        "本次活动由省政府主办，来自全省的五百余名代表参加。",
        "对于违法行为，公安机关将依法追究其法律责任。",
        "记者从省版权局获悉，今年共查处侵权盗版案件23起。"
        "相关负责人表示，将继续加大著作权保护力度，严厉打击未经授权转载、复制等侵权行为，维护权利人合法权益。"
        "与此同时，版权登记、版权交易等服务不断完善，全省版权产业保持平稳增长，为文化强省建设作出了积极贡献。"
        "下一步，省版权局将进一步完善工作机制，推动版权保护和版权产业高质量发展，营造良好的营商环境。"
        "据介绍，今年以来全省作品登记量同比增长三成以上，软件著作权登记量也保持较快增长势头。",
        "他发表了一份声明，表示支持。",
        "时间：2024年5月20日9:00 地点：长春市南湖公园",
        "会议将于2024年5月20日9:00举行。",
        "2023",
        "中国是一个大国。",
        "上一篇文章里我们提到过这个问题。" * 5,
    ],
)
def test_body_paragraphs_are_not_boilerplate(paragraph: str) -> None:
    assert not is_boilerplate(paragraph)


def test_extra_patterns() -> None:
    assert not is_boilerplate("吉网新闻客户端报料热线：0431-1234567")
    assert is_boilerplate("吉网新闻客户端报料热线：0431-1234567", extra_patterns=["报料热线"])
    assert is_boilerplate("吉网报料", extra_patterns=[re.compile(r"^吉网报料$")])
    res = clean_paragraphs(["正文第一段内容。", "吉网报料"], extra_patterns=["吉网报料"])
    assert res.paragraphs == ["正文第一段内容。"]
    assert res.removed == [("extra", "吉网报料")]


def test_parse_original_title() -> None:
    assert parse_original_title("原题:百日会战 只争朝夕") == "百日会战 只争朝夕"
    assert parse_original_title("\u3000\u3000原标题：《通化医药高新区》") == "通化医药高新区"
    assert parse_original_title("【原标题：北京发布新规】") == "北京发布新规"
    assert parse_original_title("这是原题的意思") is None


def test_clean_paragraphs_keeps_non_byline_parentheses_and_drops_empties() -> None:
    res = clean_paragraphs(["", "  第一段（含附件）。 ", "\u3000", "第二段。（完）"])
    assert res.paragraphs == ["第一段（含附件）。", "第二段。（完）"]
    assert res.authors == []


def test_title_repeat_only_at_top() -> None:
    first = "正文第一段写得很长，" * 8
    res = clean_paragraphs(["标题 在此", first, "标题在此"], title="标题在此")
    assert res.paragraphs == [first, "标题在此"]
    res = clean_paragraphs(["（副标题）", "标题在此", first], title="标题在此")
    assert res.paragraphs == ["（副标题）", first]


def test_standalone_byline_at_top() -> None:
    res = clean_paragraphs(["本报记者 王五", "正文第一段。"], title=None)
    assert res.paragraphs == ["正文第一段。"]
    assert res.authors == [{"name": "王五", "role": "reporter"}]


def test_normalize_text() -> None:
    raw = "\u3000\u3000位于 通化\xa0\xa0医药\u200b高新区，\n２０２０ "
    assert normalize_text(raw) == "位于 通化 医药高新区， ２０２０"
    assert normalize_text(None) == ""
    assert normalize_text("“国际在线”：１２３") == "“国际在线”：１２３"  # no NFKC
    assert compact(" a \u3000b\u200b c ") == "abc"
    assert split_lines("  a \n\n\u3000\n b ") == ["a", "b"]


def test_rule_order_decides_the_reason() -> None:
    """The first rule, in order, that matches a paragraph within its length limit gives the
    reason: a 责任编辑 line inside a disclaimer-length text is an editor line only when short."""
    from newscrawler.extraction import boilerplate as bp

    editor_rule = next(r for r in bp.BOILERPLATE_RULES if r.reason == "editor")
    assert bp.boilerplate_reason("责任编辑：赵宇静") == "editor"
    assert bp.boilerplate_reason("凡本网注明“来源：吉林日报”的作品，责任编辑：赵宇静") == "disclaimer"
    long_line = "责任编辑：赵宇静" + "，这是正文里的一句很长的话" * (editor_rule.max_len // 10)
    assert len(long_line) > editor_rule.max_len
    assert bp.boilerplate_reason(long_line) != "editor"
