"""The info line under a title: ``2020-06-04 09:34:01 来源：吉林日报 作者：张三 责编：赵宇静``.

:func:`parse_info_line` reads the labelled values (in any order, ``:``/``：``/``|`` after the
label); :func:`source_beside_time` reads what aggregator pages write without a label beside the
time (``2024-05-09 22:30 · 新华社``, ``法新社 2024年5月20日週一 下午2:05``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .bylines import Author, parse_byline
from .dates import ParsedDate, parse_date
from .names import CJK, STOP_NAMES, UI_WORD_RE, is_bare_name, is_handle_name, is_name, is_org

__all__ = ["InfoLine", "parse_info_line", "source_beside_time"]


@dataclass
class InfoLine:
    """What the line under a title says: time, 来源, 责编, authors."""

    published: ParsedDate | None = None
    source: str | None = None
    editor: str | None = None
    authors: list[Author] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A plain dict (``published`` as its ISO string)."""
        return {
            "published": self.published.iso if self.published else None,
            "source": self.source,
            "editor": self.editor,
            "authors": list(self.authors),
        }


_INFO_LABELS: dict[str, str] = {
    "来源": "source",
    "来源于": "source",
    "转载自": "source",
    "转自": "source",
    "摘自": "source",
    "选自": "source",
    "原创": "source",
    "出所": "source",
    "稿源": "source",
    "出处": "source",
    "责任编辑": "editor",
    "责编": "editor",
    "编辑": "editor",
    "值班编辑": "editor",
    "选稿": "editor",
    "作者": "author",
    "记者": "author",
    "通讯员": "author",
    "撰稿": "author",
    "撰文": "author",
    "编译": "author",
    "摄影": "author",
    "发布时间": "time",
    "发表时间": "time",
    "发布日期": "time",
    "更新时间": "time",
    "时间": "time",
    "日期": "time",
    "浏览": "stop",
    "阅读": "stop",
    "点击": "stop",
    "字号": "stop",
    "字体": "stop",
    "打印": "stop",
    "分享": "stop",
    "评论": "stop",
    "收藏": "stop",
    "扫一扫": "stop",
    "校对": "stop",
    "审核": "stop",
    "浏览次数": "stop",
    "阅读量": "stop",
    "点击数": "stop",
}
_INFO_LABEL_RE = re.compile(
    r"(?:文章|稿件|本文|信息|新闻|内容)?"
    r"(?:【|\[)?(" + "|".join(map(re.escape, sorted(_INFO_LABELS, key=len, reverse=True))) + r")"
    r"(?:】|\])?(?:\s*[:：|｜丨/／]\s*"
    r"|(?<=来源于)\s*|(?<=转载自)\s*|(?<=转自)\s*|(?<=摘自)\s*|(?<=选自)\s*"
    # (an editor label may be followed by a space only: 编辑 周褶褶, [责任编辑 杜智])
    r"|(?<=编辑)\s+(?=[\u3400-\u9fff]{2,4}(?:\s|$|[\]】|｜]))|(?<=责编)\s+(?=[\u3400-\u9fff]{2,4}(?:\s|$|[\]】|｜])))"
)
#: A staff code after an editor's name (张三_NB1234, 李四 PK123): not part of the name.
_STAFF_CODE_RE = re.compile(r"[\s_]*[A-Za-z]{1,4}\d{2,6}$")
#: A 作者 value that describes the author before naming them (作者：…研究部部长、研究员徐占忱).
_TITLED_NAME_RE = re.compile(
    rf"(?:研究员|教授|博士|学者|专家|主任|部长|院长|所长|会长|律师|医生|记者|编辑|作家|评论员)([{CJK}]{{2,4}})$"
)
_VALUE_END_RE = re.compile(
    r"[|｜【】\[\]]|\s{2,}|(?:19|20)\d{2}[-/.年]\d{1,2}|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff]{1,4}[:：])"
)


#: Before a label, these make it a quotation inside a sentence, not the page's own label.
_OPEN_QUOTES = frozenset("“「『\"'")


def _value_token(value: str) -> str | None:
    m = _VALUE_END_RE.search(value)
    if m:
        value = value[: m.start()]
    value = re.split(r"[，,。；;！？)）】\]”」』]", value, maxsplit=1)[0]
    value = value.strip(" \t\u3000\u00a0-—_·|｜,，;；()（）【】[]")
    if not value:
        return None
    # a single value: the first whitespace-separated token (来源：新华网 张三 → 新华网)
    first = value.split()[0]
    return first or None


def parse_info_line(text: str) -> InfoLine:
    """Parse a meta line such as ``2020-06-04 09:34:01来源:吉林日报责编:赵宇静`` or
    ``发布时间：… 来源：… 作者：… 责任编辑：…`` (labels in any order, ``:`` or ``：``)."""
    info = InfoLine()
    if not text:
        return info
    text = text.replace("\u3000", " ").replace("\u00a0", " ")
    matches = list(_INFO_LABEL_RE.finditer(text))
    authors: list[Author] = []
    editors: list[str] = []
    for idx, m in enumerate(matches):
        kind = _INFO_LABELS[m.group(1)]
        if m.start() > 0 and text[m.start() - 1] in _OPEN_QUOTES:
            continue  # a label quoted in a sentence (凡本网注明“来源:国际在线”的…) is a mention, not a label
        end = matches[idx + 1].start() if idx + 1 < len(matches) else len(text)
        raw_value = text[m.end() : end]
        if kind == "source" and info.source is None:
            info.source = _value_token(raw_value)
            # 南方网 and others write the writer after the source: 来源：中国新闻网 王帆
            rest = raw_value.split()[1:2]
            if info.source and rest and is_bare_name(rest[0]) and rest[0] != info.source:
                authors.append({"name": rest[0], "role": "author"})
        elif kind == "editor":
            # several editors (编辑：X 责任编辑：Y) are all kept, staff codes dropped
            name = _value_token(raw_value)
            name = _STAFF_CODE_RE.sub("", name) if name else None
            if name and UI_WORD_RE.search(name):
                name = None  # (编辑 收藏 举报: the page's edit and bookmark links)
            if name and name not in editors:
                editors.append(name)
        elif kind == "time" and info.published is None:
            info.published = parse_date(raw_value)
        elif kind == "author":
            val = raw_value
            cut = _VALUE_END_RE.search(val)
            if cut and cut.start() > 0:
                val = val[: cut.start()]
            label = m.group(1)
            found = parse_byline(f"{label} {val}")
            if not found and label == "作者":
                # 作者：a name outside our 2–4 character rule (pen names, foreign names)
                latin = re.match(r"\s*([A-Za-z][A-Za-z.'\- ]{1,40}[A-Za-z.])", val)
                token = latin.group(1) if latin else _value_token(val)
                if token and token not in STOP_NAMES and len(token) <= 20 and (latin or is_name(token)):
                    found = [{"name": token, "role": "author"}]
                elif token and is_org(token) and info.source is None:
                    info.source = token  # 作者：新京报 names the paper: a source, not an author
                elif token:
                    inside = re.split(r"[）)】\]]", val, maxsplit=1)[0].strip()
                    last = re.split(r"[，、,；;\s]", inside)[-1]
                    titled = _TITLED_NAME_RE.search(last)
                    if titled and is_name(titled.group(1)):
                        found = [{"name": titled.group(1), "role": "author"}]
            for a in found:
                if not any(x["name"] == a["name"] for x in authors):
                    authors.append(a)
    if info.published is None:
        info.published = parse_date(text)
    if not authors:
        poster = _poster_after_time(text)
        if poster:
            authors.append({"name": poster, "role": "author"})
    info.editor = "、".join(editors) or None
    info.authors = authors
    return info


#: The footer of a post on a blog engine of the cnblogs kind: ``posted @ <time> <blogger> 阅读(430)``.
_POSTED_AT_RE = re.compile(r"\bposted\s*@\s*", re.I)


def _poster_after_time(text: str) -> str | None:
    """The blogger named after the time of a ``posted @`` footer."""
    m = _POSTED_AT_RE.search(text)
    if not m:
        return None
    rest = text[m.end() :]
    posted = parse_date(rest)
    if posted is None or not rest.startswith(posted.raw):
        return None
    toks = rest[len(posted.raw) :].split()
    if not toks:
        return None
    return toks[0] if is_handle_name(toks[0]) else None


# --------------------------------------------------------------------------- beside the time

#: Where the page says it was posted from (发布于北京, 来自内蒙古自治区, IP属地：上海): not a source.
_PLACE_NOTE_RE = re.compile(rf"(?:发布于|来自|IP属地)[:：]?\s*[{CJK}]{{0,10}}")
_SLOT_SEP_RE = re.compile(r"[\s·•|｜丨+]+")
#: What an account-name slot appends to the name (经济日报官方账号).
_ACCOUNT_SUFFIX_RE = re.compile(r"(?:官方账号|官方帐号|官方号|头条号|大风号|搜狐号|网易号|快传号)$")
_PUNCT_RE = re.compile(r"[，。！？：；“”\"!?:;,()（）【】\[\]]")
_NOT_A_NAME_RE = re.compile(_PUNCT_RE.pattern + r"|\d{2,}|^\d")
#: Link words between an account name and the time (in the before-time slot).
_SLOT_FILLERS = frozenset({"于", "发布", "发表于", "发表", "posted", "@"})
_BRACKETED_RE = re.compile(r"^\s*[\[【]\s*([^\]】\[【]{2,20}?)\s*[\]】]")
_BRACKETED_END_RE = re.compile(r"[\[【]\s*([^\]】\[【]{2,20}?)\s*[\]】]\s*$")
#: Longest source or account name read beside the time.
MAX_SLOT_NAME = 20


def _slot_word(token: str) -> bool:
    if not (2 <= len(token) <= MAX_SLOT_NAME and any("\u3400" <= c <= "\u9fff" for c in token)):
        return False
    if UI_WORD_RE.search(token) or _INFO_LABEL_RE.search(token + "：") or parse_date(token):
        return False
    if _is_source_name(token):  # (39健康网, 新华社)
        return not _PUNCT_RE.search(token)
    return not _NOT_A_NAME_RE.search(token) and token not in STOP_NAMES


#: Not an outlet: a weekday, a place (广州, 杭州市), a person's name.
_NOT_OUTLET_RE = re.compile(r"^(?:星期|周|週|礼拜)[一二三四五六日天]$|[市省区县州镇乡村]$")
#: A blogger's handle: a display name with Latin letters, digits or ~ _ - in it (私~川流).
_HANDLE_RE = re.compile(r"[~_\-A-Za-z0-9]")
_BREADCRUMB_RE = re.compile(r"[>›»]|当前位置|您的位置")
#: Latin letters or digits joined to the rest by ~ _ - (A-肖老师-树谷学院): a display name.
_JOINED_HANDLE_RE = re.compile(r"[A-Za-z0-9][~_\-]|[~_\-][A-Za-z0-9]")


def _display_name(token: str) -> bool:
    """A blogger's display name that ends like an organisation (``A-肖老师-树谷学院``): a handle
    whose first part is no outlet (``人民网-CCTV`` is one)."""
    return bool(_JOINED_HANDLE_RE.search(token)) and not is_org(re.split(r"[-－—_~]", token)[0])


def _outlet_shaped(token: str) -> bool:
    """A word that can name an outlet or account without an organisation's ending (新浪财经,
    政能亮): three characters or more, not a weekday, a place or a person's name."""
    return len(token) >= 3 and not _NOT_OUTLET_RE.search(token) and not is_bare_name(token)


def _is_source_name(token: str) -> bool:
    return is_org(token) or is_org(re.split(r"[-－—]", token)[0])


def source_beside_time(
    text: str, date_raw: str, title: str | None = None
) -> tuple[str | None, Author | None]:
    """What an info line without a 来源 label writes beside its time: ``(source, author)``.

    Right after the time is the source slot (``2024-05-09 22:30 · 新华社``, ``2016年05月25日10:10
    新浪财经``). Right before it is the account slot: an organisation there is the source
    (``法新社 2024年5月20日…``), a person's name the author (``管不饿 关注 2024-05-08 23:23``,
    a blogger's ``私~川流 2017-09-30 21:38:07``); another word directly before the time is the
    writer's, one separated from it by page buttons the account's (a source).
    """
    if not text or not date_raw or date_raw not in text:
        return None, None
    if title and len(title) >= 4:
        text = text.replace(title, " ")
    before, _, after = text.partition(date_raw)
    # [ 张三 ] or 【新华社】 right beside the time
    for m in (_BRACKETED_RE.match(after), _BRACKETED_END_RE.search(before)):
        word = m.group(1).strip() if m else ""
        if is_bare_name(word):
            return None, {"name": word, "role": "author"}
        if _is_source_name(word):
            return word, None
    after_toks = [
        t for t in _SLOT_SEP_RE.split(_PLACE_NOTE_RE.sub(" ", after)) if t and t not in _SLOT_FILLERS
    ]
    if after_toks:
        first = _ACCOUNT_SUFFIX_RE.sub("", after_toks[0])
        if _slot_word(first) and (_is_source_name(first) or _outlet_shaped(first)):
            return first, None
    if _BREADCRUMB_RE.search(before):
        return None, None  # (首页 > 国内 2024-05-20: a section, not an account)
    before_toks = [t for t in _SLOT_SEP_RE.split(before) if t and t not in _SLOT_FILLERS]
    skipped = False
    while before_toks and UI_WORD_RE.search(before_toks[-1]):
        before_toks.pop()
        skipped = True
    if not before_toks:
        return None, None
    last = _ACCOUNT_SUFFIX_RE.sub("", before_toks[-1])
    if not _slot_word(last):
        return None, None
    if _is_source_name(last) and (skipped or not _display_name(last)):
        return last, None
    if is_bare_name(last) or (not skipped and _HANDLE_RE.search(last)):
        return None, {"name": last, "role": "author"}  # (a person, or a blogger's handle)
    return (last, None) if skipped and _outlet_shaped(last) else (None, None)
