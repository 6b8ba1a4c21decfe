"""Tests for newscrawler.extraction.bylines."""

from __future__ import annotations

import pytest

from newscrawler.extraction.bylines import (
    parse_byline,
    split_caption_credit,
    split_trailing_byline,
)
from newscrawler.extraction.infoline import parse_info_line

WANG_ZHU = [
    {"name": "王忠先", "role": "reporter", "org": "吉林日报"},
    {"name": "朱传刚", "role": "correspondent"},
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(吉林日报记者 王忠先 通讯员 朱传刚)", WANG_ZHU),
        ("吉林日报记者王忠先通讯员朱传刚", WANG_ZHU),
        (
            "新华社记者 张三 李四",
            [
                {"name": "张三", "role": "reporter", "org": "新华社"},
                {"name": "李四", "role": "reporter", "org": "新华社"},
            ],
        ),
        ("本报记者 王五", [{"name": "王五", "role": "reporter"}]),
        ("文/图 赵六", [{"name": "赵六", "role": "author"}]),
        (
            "记者：孙七 通讯员：周八",
            [{"name": "孙七", "role": "reporter"}, {"name": "周八", "role": "correspondent"}],
        ),
        ("（记者 张三）", [{"name": "张三", "role": "reporter"}]),
        ("记者　张三、李四", [{"name": "张三", "role": "reporter"}, {"name": "李四", "role": "reporter"}]),
        ("记者 阿依古丽·买买提", [{"name": "阿依古丽·买买提", "role": "reporter"}]),
        ("摄影 刘一", [{"name": "刘一", "role": "photographer"}]),
        ("编译 陈二", [{"name": "陈二", "role": "translator"}]),
        ("作者：张三 编辑：王五", [{"name": "张三", "role": "author"}]),
        ("记者 张三 报道", [{"name": "张三", "role": "reporter"}]),
        ("责任编辑：李四", []),
        ("来源：新华社", []),
        ("", []),
    ],
)
def test_parse_byline(text: str, expected: list[dict[str, str]]) -> None:
    assert parse_byline(text) == expected


def test_org_key_absent_when_unknown() -> None:
    (author,) = parse_byline("本报记者 王五")
    assert "org" not in author


def test_split_trailing_byline_reference_paragraph() -> None:
    para = "为项目筹备前期要件节省时间,提高了审批效率。(吉林日报记者 王忠先 通讯员 朱传刚)"
    assert split_trailing_byline(para) == ("为项目筹备前期要件节省时间,提高了审批效率。", WANG_ZHU)


@pytest.mark.parametrize(
    "para",
    [
        "他说（这是一个例子）",
        "会议在长春召开（图为会场）",
        "这是中国（吉林）自由贸易试验区",
        "全文完。（完）",
        "全文完。（责任编辑：张三）",
        "全省共有（含长春市）十个项目",
    ],
)
def test_split_trailing_byline_leaves_other_parentheses(para: str) -> None:
    assert split_trailing_byline(para) == (para, [])


def test_standalone_byline_paragraph() -> None:
    assert split_trailing_byline("本报记者 王五") == ("", [{"name": "王五", "role": "reporter"}])
    assert split_trailing_byline("（记者 张三）") == ("", [{"name": "张三", "role": "reporter"}])
    # a short sentence that merely contains a role word is not a byline
    assert split_trailing_byline("记者来到了现场。")[1] == []


def test_parse_info_line_reference() -> None:
    info = parse_info_line("2020-06-04 09:34:01来源:吉林日报责编:赵宇静")
    assert info.published is not None
    assert info.published.iso == "2020-06-04T09:34:01+08:00"
    assert info.published.raw == "2020-06-04 09:34:01"
    assert info.source == "吉林日报"
    assert info.editor == "赵宇静"
    assert info.authors == []


def test_parse_info_line_forms() -> None:
    info = parse_info_line("2020年06月04日 09:34 来源：新华网 作者：张三 责任编辑：李四")
    assert info.as_dict() == {
        "published": "2020-06-04T09:34:00+08:00",
        "source": "新华网",
        "editor": "李四",
        "authors": [{"name": "张三", "role": "author"}],
    }
    info = parse_info_line("来源：人民网-人民日报 编辑：王五 发布时间：2020-06-04")
    assert (info.source, info.editor, info.published.iso if info.published else None) == (
        "人民网-人民日报",
        "王五",
        "2020-06-04",
    )
    info = parse_info_line("来源: 新华网 | 2020-06-04 08:00:00 | 作者: 李四 【字号 大 中 小】")
    assert info.source == "新华网"
    assert info.authors == [{"name": "李四", "role": "author"}]
    info = parse_info_line("2020-06-04 10:00 来源：中国吉林网 记者：张三 李四 通讯员：王五 责任编辑：赵六")
    assert [a["name"] for a in info.authors] == ["张三", "李四", "王五"]
    assert info.editor == "赵六"
    assert "赵六" not in [a["name"] for a in info.authors]


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("计划年底前竣工。 朱传刚 摄", ("计划年底前竣工。", "朱传刚")),
        ("6月3日，工人在施工。（新华社记者 张三 摄）", ("6月3日，工人在施工。", "张三")),
        ("图为会议现场。新华社发", ("图为会议现场。", "新华社")),
        ("图为会议现场。 记者 李四/摄", ("图为会议现场。", "李四")),
        ("图为会议现场。新华社发（王五 摄）", ("图为会议现场。", "王五")),
        ("图为会场。 张三 李四 摄", ("图为会场。", "张三、李四")),
        ("图为会场。摄影：王五", ("图为会场。", "王五")),
        ("图为会场。图/赵六", ("图为会场。", "赵六")),
        ("这是一张照片", ("这是一张照片", None)),
        ("我们都在拍摄", ("我们都在拍摄", None)),
    ],
)
def test_split_caption_credit(caption: str, expected: tuple[str, str | None]) -> None:
    assert split_caption_credit(caption) == expected


@pytest.mark.parametrize(
    ("token", "is_name"),
    [
        ("张三", True),
        ("欧阳明月", True),
        ("阿卜杜拉·艾买提", True),
        ("阿依古丽•买买提", True),
        ("张", False),
        ("张三李四王", False),
        ("·张三", False),
        ("张··三", False),
        ("Tom", False),
        ("本报", False),
        ("新华社", False),
        ("职工之家", False),  # (organisations by their ending: X之家, X新媒体)
        ("华岭新媒体", False),
    ],
)
def test_name_shape(token: str, is_name: bool) -> None:
    from newscrawler.extraction.names import is_name as check

    assert check(token) is is_name


def _names(authors: list[dict[str, str]]) -> list[str]:
    return [a["name"] for a in authors]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # info line under the title
        ("本报记者 王乐文 方 敏", ["王乐文", "方敏"]),  # a name spaced out for alignment
        ("文丨政能亮特约评论员 韩涵", ["韩涵"]),  # 丨 separator; the column is not a name
        ("经济日报评论员", []),  # a column, nobody named
        ("记者 欧 阳 明", ["欧阳明"]),
        # end of the body
        ("□ 本报记者 刘晓", ["刘晓"]),
        ("长春日报记者 李明 长春报道", ["李明"]),
        ("（记者 张一 上海报道）", ["张一"]),
        ("采写：王五", ["王五"]),
        ("（实习生 赵六 亦有贡献）", ["赵六"]),
        ("中青报·中青网记者 魏明 来源：中国青年报", ["魏明"]),
        # first paragraph
        ("本报记者刘七发自上海", ["刘七"]),
        ("记者 孙华 通讯员 吴兵", ["孙华", "吴兵"]),
        # two names run together; a compound surname is one name
        ("记者张三李四", ["张三", "李四"]),
        ("记者 欧阳明月", ["欧阳明月"]),
        ("记者 阿依古丽·买买提 王丽丽", ["阿依古丽·买买提", "王丽丽"]),
    ],
)
def test_byline_families(text: str, names: list[str]) -> None:
    assert _names(parse_byline(text)) == names


@pytest.mark.parametrize(
    ("para", "rest", "names"),
    [
        ("活动赢得了阵阵掌声。（郭明）", "活动赢得了阵阵掌声。", ["郭明"]),
        ("实现多赢共赢。（钟才文）", "实现多赢共赢。", ["钟才文"]),
        ("（王之言 高孜然）", "", ["王之言", "高孜然"]),
        ("他们说：“好。”（欧阳明月）", "他们说：“好。”", ["欧阳明月"]),
        ("记者到达现场。（王帆 上海报道）", "记者到达现场。", ["王帆"]),
        # not names
        ("实现多赢。（全文完）", "实现多赢。（全文完）", []),
        ("实现多赢。（新华社）", "实现多赢。（新华社）", []),
        ("会议在长春召开。（图为会场）", "会议在长春召开。（图为会场）", []),
        ("他来自中国（吉林）", "他来自中国（吉林）", []),  # no sentence end before it
        ("名单如下。（张三 李四 王五 赵六 钱七）", "名单如下。（张三 李四 王五 赵六 钱七）", []),
    ],
)
def test_bare_names_closing_the_body(para: str, rest: str, names: list[str]) -> None:
    got_rest, authors = split_trailing_byline(para)
    assert (got_rest, _names(authors)) == (rest, names)


def test_bare_names_need_their_slot() -> None:
    # a dateline's parentheses vouch for bare names; a byline parse alone does not
    assert parse_byline("刘艺、杨吉") == []
    assert parse_byline("刘艺、杨吉", bare_role="reporter") == [
        {"name": "刘艺", "role": "reporter"},
        {"name": "杨吉", "role": "reporter"},
    ]
    assert parse_byline("大会堂", bare_role="reporter") == []  # no surname


def test_photographers_are_people_among_credits() -> None:
    from newscrawler.extraction.bylines import photographers

    assert photographers(["张三、李四", "新华社", "网络", "视觉中国", "张三"]) == [
        {"name": "张三", "role": "photographer"},
        {"name": "李四", "role": "photographer"},
    ]


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("我吃西红柿", True),  # a pen name past four characters
        ("好看的hk", True),
        ("good-looking-hk", True),
        ("12345", False),
        ("admin", False),
        ("管理员", False),
        ("某某新闻网", False),  # an outlet, not a person
        ("x", False),
    ],
)
def test_is_handle_name(token: str, expected: bool) -> None:
    from newscrawler.extraction.names import is_handle_name

    assert is_handle_name(token) is expected
