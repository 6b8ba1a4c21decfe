"""Is a word of a byline a person, an organisation, or neither?

Chinese bylines carry no capitals and often no separators, so the checks are by shape: a name is
two to four CJK characters (or a transliterated name joined by ``·``), an organisation ends like
one (报, 社, 网, 台 ...). A name written *without* a role label (``（钟才文）`` at the end of a
body, ``新华社北京5月19日电（刘艺、杨吉）``) must also start with a Chinese surname.
"""

from __future__ import annotations

import re

__all__ = ["LOCAL_ORGS", "STOP_NAMES", "UI_WORD_RE", "is_bare_name", "is_name", "is_org"]

CJK = "\u3400-\u9fff\uf900-\ufaff"

#: A name: two to four CJK characters, or a transliterated name of parts joined by ``·``
#: (阿卜杜拉·艾买提).
_NAME_RE = re.compile(rf"[{CJK}]{{2,4}}|[{CJK}]{{1,6}}(?:[·•・][{CJK}]{{1,8}}){{1,3}}")

#: Words in the name slot that are not names.
STOP_NAMES = frozenset(
    {
        "报道", "综合", "整理", "编辑", "来源", "本报", "本台", "本网", "本刊", "记者", "发自", "电讯",
        "图片", "资料", "资料图", "网络", "新闻", "消息", "特稿", "专稿", "原创", "供稿", "联合",
        "采写", "报导", "通讯", "见习", "实习", "摄影", "视频", "直播", "微信", "客户端", "新华社",
        "人民网", "新华网", "专电", "电头", "北京", "上海", "文图", "图文", "署名", "转载", "作者",
        "未知", "佚名", "匿名", "不详", "网友", "小编", "网络整理", "本站原创", "综合报道", "编译",
        "亦有贡献", "对本文亦有贡献", "参与采写", "评论员", "特约评论员", "官方账号",
        "全文完", "未完待续", "待续", "原标题", "原题", "有删节", "有删改", "资料图片", "全文", "完",
    }
)  # fmt: skip

_ORG_SUFFIX_RE = re.compile(
    r"(?:报|报社|社|网|网站|台|电台|电视台|刊|杂志|中心|新闻|客户端|频道|通讯社|传媒|集团|在线|周刊|日报|晚报|时报"
    r"|新闻网|融媒|媒体|号|央视|之声|之家|研究院|研究所|学会|协会|委员会|政府|大学|学院|医院|公司|银行|局|部|厅|署|网络版|电子版|官网|官微)$"
)
#: "Our paper" and the like: an organisation, never named.
LOCAL_ORGS = frozenset({"本报", "本台", "本网", "本刊", "本站", "本社", "本报驻地", "本网站"})

#: Page-chrome words that follow an info line (作者：张三 举报 收藏 微博 …): never names.
UI_WORD_RE = re.compile(
    r"字体|字号|举报|收藏|分享|微博|微信|打印|评论|关注|点赞|阅读|浏览|纠错|关闭|返回|登录|注册|首页|更多|查看"
    r"|链接|扫码|下载|客户端|播报|复制|放大|缩小|默认|上一|下一|原文|正文|全文|专题|视频|图集|手机版|抢先看"
)

#: The common single-character surnames (the ~300 that cover well over 99% of people, less a
#: few rare ones that mostly start ordinary words: 国, 文, 明, 海, 南 …) and the compound ones:
#: a bare, unlabelled name must start with one.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂苗谷盛曲"
    "翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫"
    "米柏宗瞿桂佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池麻苑迟邝封谈匡鞠惠荆冀郁胥班储栗燕楚"
    "鄢劳谌奚皮粟冼蔺厉伊仝郜阚帅屠朴廉禹井祖漆支卿狄扈晁芮阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯"
    "隆茹诸战慕危亢嵇哈湛宾戎勾茅於呼揭尉冶斯束檀昝尧闭"
)
_COMPOUND_SURNAMES = (
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "令狐", "夏侯", "轩辕", "端木", "西门", "独孤", "南宫", "钟离", "澹台", "呼延", "万俟", "申屠",
)  # fmt: skip


def is_org(token: str) -> bool:
    """``吉林日报``, ``中国新闻网``, ``本报``: an organisation, by its ending."""
    return token in LOCAL_ORGS or (
        1 < len(token) <= 16 and bool(_ORG_SUFFIX_RE.search(token)) and not token.startswith("据")
    )


def is_name(token: str) -> bool:
    """A person's name by shape: what follows a role label (``记者 张三``)."""
    return (
        bool(_NAME_RE.fullmatch(token))
        and token not in STOP_NAMES
        and not token.startswith("本")
        and not UI_WORD_RE.search(token)
        and not is_org(token)
    )


#: A pen name or a blogger's handle: CJK (pen names run past four characters: 我吃西红柿), Latin
#: letters, digits and the ~ _ - . · of handles (好看的hk, good-looking-hk)
_HANDLE_NAME_RE = re.compile(rf"[{CJK}A-Za-z0-9~_\-.·• ]{{2,20}}")
#: The accounts of a site's software, not people
_SITE_ACCOUNTS = frozenset({"admin", "administrator", "editor", "管理员", "站长"})


def is_handle_name(token: str) -> bool:
    """A pen name or a handle in a slot the page gives a person (an author-page link, a blog
    post's footer): handle-shaped, not digits alone, no stop or UI word, no organisation and
    none of the site's own accounts."""
    return (
        bool(_HANDLE_NAME_RE.fullmatch(token))
        and not token.isdigit()
        and token.lower() not in _SITE_ACCOUNTS
        and token not in STOP_NAMES
        and not UI_WORD_RE.search(token)
        and not is_org(token)
    )


def is_bare_name(token: str) -> bool:
    """A name with no label to vouch for it: name-shaped, two or three characters (four with a
    compound surname), starting with a surname; or a transliterated name."""
    if not is_name(token):
        return False
    if "·" in token or "•" in token or "・" in token:
        return True
    if token.startswith(_COMPOUND_SURNAMES):
        return len(token) <= 4
    return len(token) <= 3 and token[0] in _SURNAMES
