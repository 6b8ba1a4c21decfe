"""The next page of a list page, whatever its pager looks like (no Scrapy).

:func:`next_page_url` tries, in order:

1. a link whose text (or ``title``/image ``alt``) says "next": 下一页, 下页, 后页, 下一頁, ``>``,
   ``»``, ``›``, ``next``...;
2. a numbered pager (1 2 3 …): the link numbered one more than the current page (the number
   that is not a link, or marked ``cur``/``current``/``active``/``on``), else one more than the
   page number the crawl has reached; ``?page=N``, ``&p=N``, ``index_N.html``, ``list_N.htm``,
   ``/N/`` are all just links here;
3. a pager written by a script that is read, never run: TRS ``createPageHTML(count, current,
   "index", "html")`` and the ``var countPage = N`` / ``var currentPage = M`` form (page ``k`` of a
   TRS list is ``index_k.html``, page 0 ``index.html``).

Stopping is the caller's: no next page, a page already seen, or every article known.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from newscrawler.discovery.links import base_url
from newscrawler.extraction.text import compact, normalize_text
from newscrawler.extraction.tree import element_text

__all__ = ["NEXT_WORDS", "next_page_url", "script_pager"]

#: what a "next page" link says, once decoration (<>»[]…) is stripped
NEXT_WORDS = frozenset(
    {"下一页", "下页", "下一頁", "后页", "后一页", "下一张", "next", "nextpage", "下一页面"}
)
#: link texts that are nothing but an arrow
NEXT_ARROWS = frozenset({">", ">>", "»", "›", "→", "＞", "〉", "》", ">|"})
_DECORATION = "<>«»‹›[]【】()（）〈〉《》→←·.: \u3000"
_CURRENT_CLASS_RE = re.compile(r"\b(?:cur|current|active|on|selected|thisclass|now)\b", re.I)
_NEXT_HINT_RE = re.compile(r"\bnext\b|xyy|nextpage", re.I)
_BAD_SCHEME_RE = re.compile(r"^\s*(?:javascript|mailto|tel|data|about):", re.I)
#: a pager shows at most this many pages' numbers; a bigger number is a year or a count
_MAX_PAGE_NUMBER = 100000
#: elements that hold one pager entry (their parent is the pager)
_ITEM_TAGS = frozenset({"li", "span", "td", "b", "strong", "em", "font"})

_CREATE_PAGE_RE = re.compile(r"createPageHTML\s*\(([^)]*)\)", re.I)
_VAR_RE = re.compile(r"\bvar\s+(\w+)\s*=\s*(?:(\d+)|[\"']([^\"']*)[\"'])")
_COUNT_VARS = ("countpage", "pagecount", "page_count", "totalpage", "totalpages", "npagecount", "maxpage")
_CURRENT_VARS = ("currentpage", "curpage", "currpage", "pageindex", "ncurrindex", "page_index")
_NAME_VARS = ("prewname", "prename", "prefixname", "pagename", "spagename")
_EXT_VARS = ("suffixname", "suffix", "pageext", "spageext", "ext")
_EXT_RE = re.compile(r"^(?:s?html?|php|aspx?|jsp)$", re.I)
_STEM_PAGE_RE = re.compile(r"^(?P<stem>.+?)_(?P<n>\d+)$")


def _link_text(a: Any) -> str:
    text = normalize_text(element_text(a))
    if not text:
        text = normalize_text(a.get("title") or "")
    if not text:
        for img in a.iter("img"):
            text = normalize_text(img.get("alt") or img.get("title") or "")
    return text


def _usable(href: str | None) -> bool:
    """A link that goes somewhere (not empty, ``#`` or ``javascript:``)."""
    return bool(href and href.strip() and not href.strip().startswith("#") and not _BAD_SCHEME_RE.match(href))


def _is_next(a: Any) -> bool:
    text = _link_text(a)
    if compact(text) in NEXT_ARROWS:
        return True
    word = compact(text).strip(_DECORATION).lower()
    if word in NEXT_WORDS:
        return True
    if not word:  # an image button: <a class="next"><img src="next.gif"></a>
        hints = f"{a.get('class') or ''} {a.get('id') or ''} " + " ".join(
            i.get("src") or "" for i in a.iter("img")
        )
        return bool(_NEXT_HINT_RE.search(hints))
    return False


def _number(el: Any) -> int | None:
    text = compact(normalize_text(element_text(el))).strip("[]【】()（）第页")
    if text.isdigit() and 0 < int(text) < _MAX_PAGE_NUMBER:
        return int(text)
    return None


def _numbered_next(root: Any, base: str, page: int, usable: Any) -> str | None:
    """The numbered pager's link to the page after the current one."""
    best: str | None = None
    containers: dict[int, Any] = {}
    for a in root.iter("a"):
        parent = a.getparent()
        if parent is not None and parent.tag in _ITEM_TAGS and parent.getparent() is not None:
            parent = parent.getparent()  # <li><a>2</a></li>: the pager is the <ul>
        if parent is not None:
            containers.setdefault(id(parent), parent)
    for parent in containers.values():
        numbered: dict[int, str] = {}
        current: int | None = None
        for el in parent.iter():
            if not isinstance(el.tag, str) or el is parent:
                continue
            n = _number(el) if el.tag in ("a", "span", "strong", "b", "em", "font", "i", "li", "td") else None
            if n is None:
                continue
            link = el if el.tag == "a" else next(el.iterancestors("a"), None)
            if link is None:
                link = el.find(".//a")
            href = (link.get("href") or "") if link is not None else ""
            marked = _CURRENT_CLASS_RE.search(f"{el.get('class') or ''} {el.get('id') or ''}")
            if link is not None and usable(href) and not marked:
                numbered.setdefault(n, urljoin(base, href.strip()))
            elif current is None and (link is None or marked or not usable(href)):
                current = n
        if len(numbered) + (current is not None) < 2:
            continue  # one number is not a pager
        target = (current if current is not None else page) + 1
        if target in numbered:
            best = best or numbered[target]
    return best


def _script_values(scripts: str) -> tuple[int | None, int | None, str | None, str | None]:
    values: dict[str, str] = {}
    for m in _VAR_RE.finditer(scripts):
        values.setdefault(m.group(1).lower(), m.group(2) if m.group(2) is not None else m.group(3))
    count = current = None
    name = ext = None
    call = _CREATE_PAGE_RE.search(scripts)
    if call:
        args = [a.strip() for a in call.group(1).split(",")]
        ints: list[int] = []
        strings: list[str] = []
        for arg in args:
            if arg.isdigit():
                ints.append(int(arg))
            elif arg[:1] in "'\"":
                strings.append(arg.strip("'\""))
            elif arg.lower() in values:  # a variable
                value = values[arg.lower()]
                if value.isdigit():
                    ints.append(int(value))
                else:
                    strings.append(value)
        if len(ints) >= 2:
            count, current = ints[0], ints[1]
        for i, s in enumerate(strings):
            if _EXT_RE.match(s):
                ext = s
                name = strings[i - 1] if i > 0 else None
                break
    if count is None:
        count = next((int(values[k]) for k in _COUNT_VARS if values.get(k, "").isdigit()), None)
    if current is None:
        current = next((int(values[k]) for k in _CURRENT_VARS if values.get(k, "").isdigit()), None)
    name = name or next((values[k] for k in _NAME_VARS if values.get(k)), None)
    ext = ext or next((values[k] for k in _EXT_VARS if values.get(k) and _EXT_RE.match(values[k])), None)
    return count, current, name, ext


def script_pager(root: Any, url: str) -> str | None:
    """The next page of a TRS-style script pager (read, not run), or None."""
    scripts = "\n".join(s.text or "" for s in root.iter("script") if not s.get("src"))
    if "createPageHTML" not in scripts and not re.search(
        r"\bvar\s+(?:countPage|pageCount|totalPage)\b", scripts, re.I
    ):
        return None
    count, current, name, ext = _script_values(scripts)
    if count is None:
        return None
    path = urlsplit(url).path
    file = path.rsplit("/", 1)[-1]
    stem, _, file_ext = file.partition(".")
    m = _STEM_PAGE_RE.match(stem)
    if current is None:  # from the URL: index.html is page 0, index_3.html page 3
        current = int(m.group("n")) if m else 0
    if name is None:
        name = (m.group("stem") if m else stem) or "index"
    ext = ext or file_ext or "html"
    if current + 1 >= count:
        return None
    return urljoin(url, f"{name}_{current + 1}.{ext}")


def next_page_url(root: Any, url: str, page: int = 1, owns_url: Any = None) -> str | None:
    """The URL of the list page after this one (``page`` is this page's number, 1 for the first),
    or None on the last page. ``owns_url`` keeps the result on the portal."""
    base = base_url(root, url)

    def ok(candidate: str | None) -> bool:
        if not candidate or urlsplit(candidate).scheme not in ("http", "https"):
            return False
        if candidate.split("#", 1)[0] == url.split("#", 1)[0]:
            return False
        return owns_url is None or owns_url(candidate)

    for a in root.iter("a"):
        href = a.get("href")
        if _usable(href) and _is_next(a):
            candidate = urljoin(base, href.strip()).split("#", 1)[0]
            if ok(candidate):
                return candidate
    candidate = _numbered_next(root, base, page, _usable)
    if ok(candidate):
        return candidate
    candidate = script_pager(root, url)
    return candidate if ok(candidate) else None
