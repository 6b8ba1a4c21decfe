"""Bylines and photo credits of Chinese news pages (the info line under a title: ``infoline``).

An author is a dict ``{"name": ..., "role": ...}`` with ``"org"`` only when the byline names the
organisation (``新华社记者 张三`` → org ``新华社``; ``本报记者`` names none, so no ``org`` key).
Roles: ``reporter`` (记者, 实习生), ``correspondent`` (通讯员), ``author`` (作者/文/撰稿; ``文/图``
gives ``author``), ``photographer`` (摄/摄影/图), ``translator`` (编译/翻译).
Editors (责编/编辑/校对/审核 ...) and sources (来源) are never returned as authors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .names import CJK, LOCAL_ORGS, is_bare_name, is_name, is_org

__all__ = [
    "Author",
    "parse_byline",
    "photographers",
    "split_caption_credit",
    "split_trailing_byline",
]

Author = dict[str, str]

# Multi-character role labels, longest first (they are split out of tokens: 吉林日报记者王忠先).
_ROLE_LABELS: dict[str, str] = {
    "摄影记者": "photographer",
    "特约记者": "reporter",
    "见习记者": "reporter",
    "实习记者": "reporter",
    "首席记者": "reporter",
    "融媒记者": "reporter",
    "全媒体记者": "reporter",
    "记者": "reporter",
    "实习生": "reporter",
    "通讯员": "correspondent",
    "特约撰稿人": "author",
    "特约撰稿": "author",
    "撰稿人": "author",
    "撰稿": "author",
    "撰文": "author",
    "作者": "author",
    "采写": "author",
    "文字": "author",
    "主笔": "author",
    "特约评论员": "author",
    "评论员": "author",
    "编译": "translator",
    "翻译": "translator",
    "译者": "translator",
    "摄影": "photographer",
    "摄像": "photographer",
    "供图": "photographer",
}
# Single-character labels: only as whole tokens (文 / 图 / 摄 occur inside names).
_SHORT_LABELS: dict[str, str] = {
    "文": "author",
    "图": "photographer",
    "摄": "photographer",
    "译": "translator",
}
# Titles written right after the column or paper they belong to (政能亮特约评论员 韩涵): the
# word before them is never a name.
_TITLES_AFTER_ORG = frozenset({"评论员", "特约评论员"})
# Labels after the names they qualify: 朱传刚 摄, 张三/摄影, 李四 供图.
_SUFFIX_LABELS = frozenset({"摄", "摄影", "供图", "摄像"})
# Labels whose names are NOT authors.
_NON_AUTHOR_LABELS = (
    "责任编辑",
    "责编",
    "编辑",
    "主编",
    "校对",
    "审核",
    "审校",
    "终审",
    "监制",
    "统筹",
    "策划",
    "制作",
    "设计",
    "视频",
    "剪辑",
    "出品",
    "来源",
    "稿源",
    "出处",
    "编审",
    "值班编辑",
    "美编",
    "排版",
)
_LABELS = frozenset([*_ROLE_LABELS, *_NON_AUTHOR_LABELS])
_multi = sorted(_LABELS, key=len, reverse=True)
_LABEL_SPLIT_RE = re.compile("(" + "|".join(map(re.escape, _multi)) + ")")
_SEP_RE = re.compile(r"[\s\u3000\u00a0,，、;；|｜丨:：/／()（）\[\]【】〔〕<>《》□■◆●]+")
_BRACKETS = "()（）[]【】〔〕"
#: Words of a byline that are neither labels nor names and say nothing against it being one:
#: ``上海报道``, ``发自上海``, ``亦有贡献``, ``5月1日电``.
_FILLER_RE = re.compile(
    rf"[{CJK}]{{0,6}}报道|发自[{CJK}]{{2,8}}|(?:对本文)?亦有贡献|参与采写|(?:\d{{1,2}}月)?\d{{1,2}}日电?"
)
_FILLER_SPLIT_RE = re.compile(r"(发自|对本文亦有贡献|亦有贡献|参与采写)")


def _tokens(text: str) -> list[str]:
    text = _FILLER_SPLIT_RE.sub(r" \1", _LABEL_SPLIT_RE.sub(r" \1 ", text))
    toks = [t for t in _SEP_RE.split(text) if t]
    # a name spaced out for alignment (方 敏, 邹 明): single characters run together again
    out: list[str] = []
    spaced = False  # out[-1] is single characters run together
    for tok in toks:
        single = len(tok) == 1 and tok not in _SHORT_LABELS and _is_cjk_run(tok)
        if (
            single
            and out
            and (len(out[-1]) == 1 or spaced)
            and len(out[-1]) < 3
            and out[-1] not in _SHORT_LABELS
            and _is_cjk_run(out[-1])
        ):
            out[-1] += tok
            spaced = True
            continue
        out.append(tok)
        spaced = False
    return out


def _is_cjk_run(text: str) -> bool:
    return all("\u3400" <= c <= "\u9fff" for c in text)


def _parse(text: str) -> tuple[list[Author], int]:
    """Authors in ``text`` and the number of tokens that are neither labels, names nor orgs."""
    toks = _tokens(text)
    authors: list[Author] = []
    junk = 0
    role: str | None = None
    org: str | None = None
    skipping = False  # after an editor/source label, until the next role label
    group: list[Author] = []  # authors of the current label
    pending: list[str] = []  # names seen before any label (for suffix labels: 朱传刚 摄)
    i = 0
    while i < len(toks):
        tok = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        label_role = _ROLE_LABELS.get(tok) or _SHORT_LABELS.get(tok)
        if tok in _NON_AUTHOR_LABELS:
            role, org, skipping, group, pending = None, None, True, [], []
        elif label_role is not None:
            # 文/图 or 图/文 → one author label
            if tok in ("文", "图") and nxt in ("文", "图", "摄") and nxt != tok:
                label_role = "author"
                i += 1
                nxt = toks[i + 1] if i + 1 < len(toks) else None
            prev_is_name = i > 0 and (bool(group) or bool(pending)) and is_name(toks[i - 1])
            if tok in _SUFFIX_LABELS and prev_is_name and (nxt is None or not is_name(nxt)):
                if pending:
                    for n in pending:
                        authors.append({"name": n, "role": "photographer"})
                    pending = []
                for member in group:
                    member["role"] = "photographer"
                role, group = None, []
            else:
                role, group, pending, skipping = label_role, [], [], False
                # org is the token right before the label, if it looks like one
                org = None
                if i > 0 and is_org(toks[i - 1]) and toks[i - 1] not in LOCAL_ORGS:
                    org = toks[i - 1]
        elif nxt is not None and (nxt in _ROLE_LABELS or nxt in _SHORT_LABELS) and is_org(tok):
            pass  # an org prefix (吉林日报 记者); handled when the label is seen
        elif nxt in _TITLES_AFTER_ORG:
            pass  # a column or paper (政能亮特约评论员)
        elif _FILLER_RE.fullmatch(tok):
            pass
        elif is_name(tok):
            if role is not None and not skipping and _two_names(tok):
                toks[i : i + 1] = [tok[:2], tok[2:]]  # 张三李四: two names run together
                continue
            if skipping:
                pass
            elif role is not None:
                a: Author = {"name": tok, "role": role}
                if org:
                    a["org"] = org
                if not any(x["name"] == tok for x in authors):
                    authors.append(a)
                    group.append(a)
            else:
                pending.append(tok)
        elif not skipping:  # (what follows 来源/编辑 is their value, not junk)
            junk += 1
            role, group = None, []
        i += 1
    junk += len(pending)
    return authors, junk


def parse_byline(text: str, bare_role: str | None = None) -> list[Author]:
    """Authors named by a byline: ``(吉林日报记者 王忠先 通讯员 朱传刚)`` →
    ``[{"name": "王忠先", "role": "reporter", "org": "吉林日报"},
    {"name": "朱传刚", "role": "correspondent"}]``.

    With ``bare_role``, a text of names and no label (``刘艺、杨吉``, where the slot says they are
    bylined: a dateline's parentheses) gives those names in that role, if each starts with a
    surname (:func:`~newscrawler.extraction.names.is_bare_name`).
    """
    if not text:
        return []
    authors = _parse(text)[0]
    if not authors and bare_role:
        authors = [{"name": n, "role": bare_role} for n in _bare_names(text)]
    return authors


def _two_names(token: str) -> bool:
    """``张三李四``: four characters that read as two two-character names (not one name with a
    compound surname, 欧阳明月)."""
    return len(token) == 4 and not is_bare_name(token) and is_bare_name(token[:2]) and is_bare_name(token[2:])


#: At most this many names in an unlabelled byline (more is a list of people in the story).
MAX_BARE_NAMES = 4


def _bare_names(text: str) -> list[str]:
    """The names of ``text`` if it is nothing but one to four bare names, else []."""
    if len(text) > 40:
        return []
    toks = [t for t in _tokens(text) if not _FILLER_RE.fullmatch(t)]  # (王帆 上海报道)
    if 1 <= len(toks) <= MAX_BARE_NAMES and all(is_bare_name(t) for t in toks):
        return list(dict.fromkeys(toks))
    return []


def _clean_byline(text: str) -> list[Author] | None:
    """Authors if ``text`` is nothing but a byline (every token a label, org or name), else None."""
    if len(text) > 80:
        return None
    authors, junk = _parse(text)
    if authors and junk == 0:
        return authors
    return None


_TRAILING_PAREN_RE = re.compile(r"[（(]([^()（）]{2,80})[)）]\s*$")


def split_trailing_byline(paragraph: str) -> tuple[str, list[Author]]:
    """Remove a byline from the end of a body paragraph (``…效率。(吉林日报记者 王忠先)``).

    A paragraph that is only a byline (``本报记者 王五``, ``（记者 张三）``) gives ``("", authors)``.
    Parentheses that are not bylines are left alone.
    """
    stripped = paragraph.strip()
    if not stripped:
        return paragraph, []
    whole = _clean_byline(stripped.strip(_BRACKETS + " \u3000"))
    if whole is not None and _has_role_label(stripped):
        return "", whole
    m = _TRAILING_PAREN_RE.search(stripped)
    if m and _has_role_label(m.group(1)):
        authors = _clean_byline(m.group(1))
        if authors is not None:
            return stripped[: m.start()].rstrip(), authors
    # bare names closing a paragraph: …掌声肯定。（郭旭）, or a paragraph of only them
    if m and (m.start() == 0 or stripped[m.start() - 1] in _SENTENCE_END):
        names = _bare_names(m.group(1))
        if names:
            return stripped[: m.start()].rstrip(), [{"name": n, "role": "author"} for n in names]
    return paragraph, []


#: What ends the sentence before a closing ``（张三）``.
_SENTENCE_END = frozenset("。！？!?”」』…")


def _has_role_label(text: str) -> bool:
    toks = _tokens(text)
    return any(t in _ROLE_LABELS or t in _SHORT_LABELS for t in toks)


# --------------------------------------------------------------------------- captions

_NAME2 = rf"[{CJK}]{{2,4}}(?:[·•][{CJK}]{{1,8}})*"
_CREDIT_NAMES = rf"{_NAME2}(?:(?:\s*[、，,]\s*|\s+){_NAME2})*"
#: The credit patterns, tried in order (the index says which one matched).
_CAPTION_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        # 新华社发（张三 摄） / 新华社发
        rf"\s*([{CJK}]{{2,8}}?)发\s*(?:[（(]\s*([^()（）]{{2,30}}?)\s*[/／]?\s*摄\s*[)）])?\s*$",
        # （新华社记者 张三 摄） (张三/摄)
        r"\s*[（(]\s*([^()（）]{2,40}?)\s*[/／]?\s*(?:摄影|摄)\s*[)）]\s*$",
        # … 朱传刚 摄 / 记者 李四/摄 / 新华社记者 张三 摄
        rf"(?:(?<=[\s。！？.!?）)」”])|^)\s*((?:[{CJK}]{{2,12}}记者\s*|记者\s*)?{_CREDIT_NAMES})"
        r"\s*[/／]?\s*(?:摄影|摄)\s*$",
        # （图片来源：网络） 图/张三 供图：xx
        r"\s*[（(]?\s*(?:图片来源|图源|来源|供图|图片提供|摄影|图)\s*[:：/／]\s*([^()（）\s]{2,30})\s*[)）]?\s*$",
        rf"\s*[（(]?\s*([{CJK}]{{2,16}}?)\s*供图\s*[)）]?\s*$",
    )
)


def _credit_from(text: str) -> str | None:
    authors = parse_byline(text)
    if authors:
        return "、".join(a["name"] for a in authors)
    names = [t for t in _tokens(text) if is_name(t)]
    if names:
        return "、".join(names)
    return None


def split_caption_credit(caption: str) -> tuple[str, str | None]:
    """Split a photo caption from its credit: ``… 计划年底前竣工。 朱传刚 摄`` → (``… 计划年底前竣工。``,
    ``朱传刚``); ``（新华社记者 张三 摄）`` → ``张三``; ``图为…。新华社发`` → ``新华社``."""
    text = caption.strip()
    if not text:
        return caption, None
    for idx, pattern in enumerate(_CAPTION_PATTERNS):
        m = pattern.search(text)
        if not m:
            continue
        if idx == 0:
            org = m.group(1)
            if not is_org(org):
                continue
            credit = _credit_from(m.group(2)) if m.group(2) else None
            credit = credit or org
        elif idx in (3, 4):
            credit = m.group(1).strip()
            if idx == 4 and not (is_org(credit) or is_name(credit)):
                continue
        else:
            credit = _credit_from(m.group(1) + " 摄")
        if not credit:
            continue
        return text[: m.start()].rstrip(), credit
    return text, None


def photographers(credits: Iterable[str]) -> list[Author]:
    """The people among photo credits (``张三``, ``张三、李四``; an organisation such as ``新华社``,
    ``网络`` or a picture agency such as ``视觉中国`` is not one: a credited name must start with
    a surname), as authors with role ``photographer``."""
    out: list[Author] = []
    for credit in credits:
        for name in re.split(r"[、，,\s]+", credit):
            if is_bare_name(name) and all(a["name"] != name for a in out):
                out.append({"name": name, "role": "photographer"})
    return out
