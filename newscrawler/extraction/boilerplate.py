"""Boilerplate of Chinese news portals, and the paragraph cleaner built on it.

Recognised (each rule is meant for the whole family of portals, not one page):

* copyright / disclaimer blocks: 版权声明, 免责声明, 特别声明, ``…版权与信息产品内容销售的声明`` and
  their clauses (凡本网注明“来源:…”, 未经书面授权…不得转载, 转载目的在于传递更多信息 …). A disclaimer
  is a *block*: after its heading, numbered clauses and continuation paragraphs that speak the
  same legal language are boilerplate until a paragraph that does not;
* share / QR / app prompts: 分享到, 扫一扫, 扫描二维码, 关注…微信公众号, 点击下载…客户端;
* editor lines: ``责任编辑：…``, ``【责任编辑:…】``, ``(编辑：…)``; source-only lines ``（来源：…）``;
* the info line (``2020-06-04 09:34:01来源:吉林日报责编:赵宇静``) when it leaks into the body;
* ``原题:`` / ``原标题：`` lines (see :func:`parse_original_title`);
* page chrome: 上一篇/下一篇, 相关新闻/相关阅读, 打印/关闭, 字号 大中小, 返回顶部 …

Rules that match common sentence fragments only fire on short paragraphs (``max_len``).
"""

# ruff: noqa: E501  (pattern tables of double-width CJK text read better unwrapped)
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .bylines import split_caption_credit, split_trailing_byline
from .dates import parse_date
from .text import compact, normalize_text

__all__ = [
    "BOILERPLATE_RULES",
    "CREDIT_END_RE",
    "CleanResult",
    "boilerplate_reason",
    "clean_paragraphs",
    "is_boilerplate",
    "is_disclaimer_heading",
    "parse_original_title",
]

PatternLike = str | re.Pattern[str]


@dataclass(frozen=True)
class Rule:
    """One boilerplate pattern: fires when ``pattern`` is found in a paragraph of ≤ ``max_len`` chars."""

    reason: str
    pattern: re.Pattern[str]
    max_len: int = 400


def _r(reason: str, source: str, max_len: int = 400) -> Rule:
    return Rule(reason, re.compile(source), max_len)


_LBR = r"[【\[（(〔]?\s*"
_RBR = r"\s*[】\]）)〕]?"
_EDITOR_LABELS = r"(?:责任编辑|责编|编辑|值班编辑|网络编辑|校对|审核|审校|终审|三审|二审|一审|初审|复审|监制|美编|编审|主编|签发)"

#: The disclaimer headings that open a block.
_DISCLAIMER_HEAD_RE = re.compile(
    r"^[【\[（(]?\s*(?:版权声明|免责声明|特别声明|郑重声明|法律声明|版权说明|免责条款|声明)\s*[】\])）]?\s*[:：]?\s*$"
    r"|版权与信息产品内容销售的声明|^[【\[（(]?\s*(?:版权声明|免责声明|特别声明|郑重声明|法律声明)\s*[】\])）]?\s*[:：]"
)
#: Legal vocabulary: continuation paragraphs of a disclaimer block use it.
_LEGAL_RE = re.compile(
    r"授权|版权|转载|侵权|法律责任|法律手段|合法权益|本网|本站|本平台|本公众号|著作权|知识产权|协议|声明|"
    r"摘编|复制|不代表|真实性|联系|删除"
)
_NUMBERED_RE = re.compile(
    r"^\s*(?:\d{1,2}\s*[、.．)）]|[（(]\s*\d{1,2}\s*[)）]|[一二三四五六七八九十]{1,2}\s*、)"
)

BOILERPLATE_RULES: tuple[Rule, ...] = (
    # --- copyright / disclaimers
    _r(
        "disclaimer",
        r"版权与信息产品内容销售的声明|^[【\[（(]?\s*(?:版权声明|免责声明|特别声明|郑重声明|法律声明)",
    ),
    _r("disclaimer", r"凡本(?:网|站|刊|报|平台|公众号|网站)注明"),
    _r(
        "disclaimer",
        r"未经(?:[^，。,]{0,20})?(?:书面)?(?:授权|许可|同意)[^。]{0,40}(?:不得|请勿|禁止|严禁|谢绝)(?:任何形式的?)?(?:转载|复制|摘编|使用|链接|转贴|镜像)",
    ),
    _r(
        "disclaimer",
        r"(?:严禁|禁止|谢绝)(?:任何)?(?:单位|个人|媒体|网站)?[^。]{0,10}(?:转载|复制|镜像)"
        r"|转载请(?:务必)?注明|转载请联系",
        200,
    ),
    _r(
        "disclaimer",
        r"转载目的在于传递更多信息|不代表本(?:网|站|平台|公众号|刊|报)(?:赞同|观点|立场)"
        r"|并不代表本(?:网|站)|不代表.{0,6}(?:观点|立场)[，,。]?(?:仅供参考|.{0,6}负责)",
    ),
    _r(
        "disclaimer",
        r"如(?:因|对)?(?:作品|本文|稿件|文章)?内容、?版权.{0,20}(?:联系|问题)"
        r"|与本(?:网|站)联系的|如有侵权|如涉及版权|侵权请?联系|联系(?:我们|本网|本站)?删除",
    ),
    _r(
        "disclaimer",
        r"自有版权(?:信息|内容)|独家负责.{0,40}(?:经营|运营)|授权的被授权人|在授权范围内使用"
        r"|违反上述声明|(?:本网|本站)(?:将|保留)追究|未取得授权书|签订相关协议",
    ),
    _r("disclaimer", r"^\s*\d{1,2}\s*[、.．]\s*“[^”]{2,20}”由.{2,40}主办"),
    _r("disclaimer", r"(?:版权所有|Copyright|copyright|COPYRIGHT|©|\(c\)|（c）)", 160),
    _r(
        "disclaimer",
        r"(?:ICP|icp)[备证]|网络传播视听节目许可证|互联网新闻信息服务许可证|违法和不良信息举报",
        200,
    ),
    _r(
        "disclaimer",
        r"本文(?:为|系|是)?(?:转载|转自)|(?:本文|文章)仅代表作者(?:个人)?观点|仅供参考[，,]?不构成",
        200,
    ),
    # --- share / QR / app prompts
    _r("share", r"^\s*(?:分享到|分享至|分享：|分享:)|分享到[：:]?\s*(?:微信|微博|QQ)", 80),
    _r("share", r"扫一扫|扫描二维码|扫码(?:关注|下载|阅读|观看)|长按(?:识别|二维码)|识别二维码", 120),
    _r("share", r"关注[^。]{0,20}(?:微信)?公众号|(?:微信|微博)(?:公众号)?[:：]?\s*关注", 120),
    _r("share", r"(?:点击|立即)?下载[^。]{0,12}客户端|打开[^。]{0,10}(?:APP|App|app|客户端)", 100),
    # --- editor lines, source-only lines
    _r("editor", rf"^(?:[【\[][^】\]]{{1,6}}[】\]]\s*)*{_LBR}{_EDITOR_LABELS}\s*[:：/／]\s*\S", 60),
    _r("editor", rf"^{_LBR}(?:{_EDITOR_LABELS}\s*[:：/／]?\s*[\u4e00-\u9fff·]{{2,8}}\s*)+{_RBR}$", 60),
    _r(
        "source",
        r"^[【\[（(]\s*(?:来源|稿源|出处|文章来源|本文来源)\s*[:：][^】\]）)]{1,30}[】\]）)]\s*$",
        40,
    ),
    _r("source", r"^(?:来源|稿源|文章来源|本文来源)\s*[:：]\s*\S{1,30}$", 40),
    # the print edition a reprint comes from: 《 人民日报 》（ 2022年05月20日 07 版）
    _r(
        "source",
        r"^[（(]?\s*《\s*[^》]{2,16}\s*》\s*[（(]?\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:第?\s*[\d０-９]{1,3}\s*版)?\s*[)）]?\s*[)）]?$",
        50,
    ),
    # --- the info line under a title (time + 来源/责编 ...) when it leaks into the body
    _r(
        "info",
        r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}.{0,40}"
        r"(?:来源|稿源|责编|责任编辑|编辑|作者|浏览|阅读|点击)\s*[:：]",
        120,
    ),
    _r("info", r"^(?:发布时间|发表时间|发布日期|更新时间)\s*[:：]\s*(?:19|20)\d{2}", 120),
    _r(
        "info",
        r"^(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?\s*\d{1,2}:\d{2}(?::\d{2})?\s*[·|｜/]?\s*\S{0,16}$",
        40,
    ),
    # --- 原题 lines
    _r("original_title", rf"^{_LBR}原(?:标)?题\s*[:：]", 200),
    # --- page chrome
    _r(
        "chrome",
        r"^[【\[]?\s*(?:上一篇|下一篇|上一页|下一页|相关新闻|相关阅读|相关链接|相关文章|推荐阅读|延伸阅读"
        r"|热点推荐|热门推荐|猜你喜欢|为您推荐|精彩推荐|更多精彩|热门文章|热门新闻|最新新闻|阅读排行|点击排行)\s*[】\]]?\s*[:：]?",
        60,
    ),
    _r(
        "chrome",
        r"^[【\[]?\s*(?:打印|关闭|打印本页|关闭窗口|返回顶部|回到顶部|返回首页|收藏|纠错|举报|我要纠错|我要评论"
        r"|发表评论|网友评论|评论|点赞|字号|字体|默认|大|中|小)\s*(?:[（(]\s*\d+\s*[)）])?\s*[】\]]?\s*"
        r"(?:[【\[|｜]?\s*(?:打印|关闭|打印本页|关闭窗口|收藏|纠错|举报|分享|大|中|小|默认)\s*[】\]]?\s*)*$",
        40,
    ),
    _r("chrome", r"^\s*(?:字号|字体)[:：]?\s*(?:大|中|小|T|A)", 30),
    # pagination of a multi-page article: 1 2 3 下一页 / 上一页 1 2 尾页 / 第1页 共3页
    _r(
        "chrome",
        r"^(?=.*(?:页|全文))(?:\s|\d{1,3}|[|/<>«»\[\]【】]|上一页|下一页|首页|尾页|末页|第\s*\d+\s*页|共\s*\d+\s*页|全文|阅读全文)+$",
        60,
    ),
    _r(
        "chrome",
        r"^(?:精彩|热门|热点|相关|更多|最新|推荐|精编)[^，。！？]{0,6}(?:推荐|阅读|新闻|视频|文章|专题|图片|资讯|更多)$",
        14,
    ),
    _r(
        "chrome",
        r"^(?:【|\[)?\s*(?:纠错|我要纠错|打印|关闭)\s*(?:】|\])\s*(?:(?:【|\[)[^】\]]{1,6}(?:】|\])\s*)*$",
        40,
    ),
    _r("chrome", r"^\s*(?:登录|注册|登录\s*\|\s*注册)\s*$|^\s*(?:已有\d+人|\d+人)(?:参与|评论|阅读)", 30),
    _r("chrome", r"^(?:本文)?(?:阅读|浏览|点击)(?:量|次数|数)?\s*[:：]?\s*\d+\s*$", 30),
)


def _compile_extra(extra: Iterable[PatternLike]) -> list[re.Pattern[str]]:
    return [p if isinstance(p, re.Pattern) else re.compile(p) for p in extra]


def boilerplate_reason(paragraph: str, extra_patterns: Sequence[PatternLike] = ()) -> str | None:
    """Why ``paragraph`` is boilerplate (``"disclaimer"``, ``"share"``, ``"editor"``, ``"source"``,
    ``"info"``, ``"original_title"``, ``"chrome"``, ``"extra"``), or ``None`` if it is not."""
    text = normalize_text(paragraph)
    if not text:
        return None
    reason = _builtin_reason(text)
    if reason is None and extra_patterns:
        for pat in _compile_extra(extra_patterns):
            if pat.search(text):
                return "extra"
    return reason


#: A line this short that is mostly a date-time is the info line (longer: a sentence with a date)
MAX_DATED_INFO_CHARS = 60


def _builtin_reason(text: str) -> str | None:
    """The reason of the first rule (in order) that matches ``text``, else "info" for a dated
    info line, else None."""
    n = len(text)
    for rule in BOILERPLATE_RULES:
        if n <= rule.max_len and rule.pattern.search(text):
            return rule.reason
    if n <= MAX_DATED_INFO_CHARS and _is_dated_info(text):
        return "info"
    return None


_DIGIT_RE = re.compile(r"\d")


def _is_dated_info(text: str) -> bool:
    """A short line that is mostly a date-time: ``原创：39健康网2024-04-23 12:27:25``."""
    if len(_DIGIT_RE.findall(text)) < 8:
        return False
    parsed = parse_date(text)
    if parsed is None or not parsed.has_time:
        return False
    rest = compact(text.replace(parsed.raw, ""))
    return len(rest) <= 20 and bool(_INFO_REST_RE.match(rest))


#: What may surround the date-time of an info line: one label and a source/author name.
_INFO_REST_RE = re.compile(
    r"^[·|｜/\-]*(?:(?:来源|稿源|原创|作者|编辑|责编|发布时间|发布日期|发布|时间|日期)[:：]?)?[\w·\-（）()]*"
    r"(?:(?:来源|稿源|作者|编辑|责编)[:：][\w·\-（）()]*)?$"
)


def is_boilerplate(paragraph: str, extra_patterns: Sequence[PatternLike] = ()) -> bool:
    """Whether a paragraph, on its own, is portal boilerplate (see the module docstring)."""
    return boilerplate_reason(paragraph, extra_patterns) is not None


def is_disclaimer_heading(paragraph: str) -> bool:
    """Whether a paragraph opens a copyright/disclaimer block."""
    return _is_disclaimer_heading_normalized(normalize_text(paragraph))


def _is_disclaimer_heading_normalized(text: str) -> bool:
    """:func:`is_disclaimer_heading` of a text that is already :func:`normalize_text`-ed."""
    return len(text) <= 200 and bool(_DISCLAIMER_HEAD_RE.search(text))


def _reason_normalized(text: str) -> str | None:
    """:func:`boilerplate_reason` (no extra patterns) of a text that is already
    :func:`normalize_text`-ed (normalising is idempotent: the result is the same)."""
    return _builtin_reason(text) if text else None


_ORIGINAL_TITLE_RE = re.compile(r"^[【\[（(〔]?\s*原(?:标)?题\s*[:：]\s*(.+?)\s*[】\]）)〕]?\s*$")


def parse_original_title(paragraph: str) -> str | None:
    """The title in a ``原题:…`` / ``原标题：…`` / ``【原标题：…】`` line, else ``None``."""
    return _parse_original_title_normalized(normalize_text(paragraph))


def _parse_original_title_normalized(text: str) -> str | None:
    if len(text) > 200:
        return None
    m = _ORIGINAL_TITLE_RE.match(text)
    if not m:
        return None
    title = m.group(1).strip()
    for left, right in ("《》", "“”", '""', "【】"):  # quotes around the whole title, not inside it
        if len(title) > 2 and title[0] == left and title[-1] == right and left not in title[1:-1]:
            title = title[1:-1].strip()
    return title or None


@dataclass
class CleanResult:
    """Output of :func:`clean_paragraphs`. ``removed`` holds ``(reason, paragraph)`` pairs."""

    paragraphs: list[str]
    original_title: str | None = None
    authors: list[dict[str, str]] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)


#: A photo caption ends with its credit: 朱传刚 摄 / （新华社记者 张三 摄） / 新华社发 / 图片来源：… /
#: 资料图 (the one credit-ending test of the package: captions and body lines).
CREDIT_END_RE = re.compile(r"(?:摄|摄影|供图|[社网]发|图片来源[:：].{1,20}|资料图片?)\s*[)）]?\s*$")
_PUNCT_RE = re.compile(r"[\s\W_]+")


def _key(s: str) -> str:
    return _PUNCT_RE.sub("", compact(s))


def clean_paragraphs(
    paragraphs: list[str],
    *,
    title: str | None = None,
    extra_patterns: Sequence[PatternLike] = (),
    known_reasons: Mapping[str, str | None] | None = None,
) -> CleanResult:
    """Drop boilerplate, the 原题 line (kept as ``original_title``), a repeat of the title at the top,
    trailing/standalone bylines (kept as ``authors``) and empty paragraphs; normalise whitespace.

    ``known_reasons``: the built-in rules' verdicts (:func:`boilerplate_reason` without extra
    patterns) already found for some normalised paragraphs, so they are not searched again."""
    extra = _compile_extra(extra_patterns)
    result = CleanResult(paragraphs=[])
    kept: list[str] = []
    in_disclaimer = False
    for raw in paragraphs:
        text = normalize_text(raw)
        if not text:
            continue
        # (text is normalised: the *_normalized helpers skip normalising it again)
        if in_disclaimer:
            if _NUMBERED_RE.match(text) or _LEGAL_RE.search(text) or _is_disclaimer_heading_normalized(text):
                result.removed.append(("disclaimer", text))
                continue
            in_disclaimer = False
        if _is_disclaimer_heading_normalized(text):
            in_disclaimer = True
            result.removed.append(("disclaimer", text))
            continue
        original = _parse_original_title_normalized(text)
        if original is not None:
            result.original_title = result.original_title or original
            result.removed.append(("original_title", text))
            continue
        reason = known_reasons[text] if known_reasons and text in known_reasons else _reason_normalized(text)
        if reason is None and any(p.search(text) for p in extra):
            reason = "extra"
        if reason is not None:
            if reason == "disclaimer" and _NUMBERED_RE.match(text):
                in_disclaimer = True
            result.removed.append((reason, text))
            continue
        if len(text) <= 300 and CREDIT_END_RE.search(text) and split_caption_credit(text)[1]:
            result.removed.append(("caption", text))
            continue
        kept.append(text)

    # the title (or the original title) repeated at the top of the body
    keys = {k for k in (_key(title or ""), _key(result.original_title or "")) if k}
    head = 0
    while head < len(kept) and head < 3 and keys:
        if _key(kept[head]) in keys:
            result.removed.append(("title", kept.pop(head)))
            continue
        if len(kept[head]) > 60:  # the article has started: a later title-like line is content
            break
        head += 1

    # bylines: standalone ones near the top, a trailing one at the end
    authors: list[dict[str, str]] = []
    for idx in range(min(2, len(kept))):
        rest, found = split_trailing_byline(kept[idx])
        if found and not rest:
            authors.extend(found)
            result.removed.append(("byline", kept[idx]))
            kept[idx] = ""
    kept = [p for p in kept if p]
    while kept:
        rest, found = split_trailing_byline(kept[-1])
        if not found:
            break
        authors.extend(found)
        result.removed.append(("byline", kept[-1]))
        if rest:
            kept[-1] = rest
            break
        kept.pop()
    seen: set[str] = set()
    for a in authors:
        if a["name"] not in seen:
            seen.add(a["name"])
            result.authors.append(a)
    result.paragraphs = kept
    return result
