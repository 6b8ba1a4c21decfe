"""Parsing and tree cleaning for the generic extractor: one lxml parse, then scripts, styles,
hidden elements and video players are dropped; small element helpers (text length, class/id
hints) shared by the scoring, block, title and metadata modules."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from lxml import etree

from .text import normalize_text

__all__ = [
    "BLOCK_TAGS",
    "DROP_TAGS",
    "PUNCT_RE",
    "TITLE_HEADINGS",
    "TITLE_HINTED_TAGS",
    "clean_tree",
    "drop_element",
    "element_text",
    "hint_flags",
    "hints",
    "is_descendant",
    "parse_html",
    "text_within",
    "tlen",
]

# (collect_ids=False: no xml:id hash table, which nothing here looks up; huge_tree: no depth limit
# of 256 levels, beyond which libxml2 silently drops the rest of the page)
# The page is handed to libxml2 as UTF-8 bytes with the encoding given (as parsel does): a <meta
# charset> in the page cannot make it decode the text again, and libxml2 reads bytes faster than
# a Python str.
PARSER = etree.HTMLParser(
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    default_doctype=False,
    collect_ids=False,
    huge_tree=True,
)
#: Characters lxml refuses in a tree's text (NUL and other C0 controls but tab/newline/CR, and
#: the two non-characters): a page may hold them; they are dropped before parsing.
_XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: The C0 controls of ``_XML_INVALID_RE`` in UTF-8 (deleted by ``bytes.translate`` to find them:
#: one pass in C over the page)
_XML_INVALID_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])

DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "iframe",
    "select",
    "textarea",
    "button",
    "svg",
    "canvas",
    "object",
    "embed",
    "audio",
    "video",
    "template",
    "input",
    "link",
    "meta",
    "head",
)
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "blockquote",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "figure",
        "figcaption",
        "pre",
        "dd",
        "dt",
        "dl",
        "center",
        "header",
        "footer",
        "form",
        "nav",
        "aside",
        "hr",
        "address",
        "caption",
    }
)
BAD_HINT_RE = re.compile(
    r"comment|footer|foot\b|copyright|share|related|recommend|sidebar|side-?bar|\bnav|menu|breadcrumb|crumb"
    r"|hot-?news|hotnews|rank|paihang|advert|\bads?\b|banner|login|tool-?bar|pinglun|xgxw|xgyd|tuijian|about"
    r"|\breco\b|reco[_-]|[_-]reco|more-?stor|more-?news|guess|you-?like"
)
GOOD_HINT_RE = re.compile(r"article|content|text|main|detail|body|post|zhengwen|trs_editor|news_txt|entry")
_PLAYER_HINT_RE = re.compile(r"player|vjs-|video|prism-|\bplay-?(?:btn|mask|bar|er)\b|control-?bar", re.I)
PUNCT_RE = re.compile(r"[，。！？；：、“”]")
_HIDDEN_RE = re.compile(r"display\s*:\s*none", re.I)

#: A video player's element is dropped unless it wraps real prose: this much text ...
PLAYER_MAX_CHARS = 200
#: ... and this much Chinese punctuation (controls like 倍速, 高清, 00:00 have none)
PLAYER_MIN_PUNCT = 3
#: Ancestors looked at by :func:`is_descendant` (article containers sit far less deep)
MAX_ANCESTOR_DEPTH = 60


def tlen(s: str | None) -> int:
    """Number of non-whitespace characters."""
    if not s:
        return 0
    return len("".join(s.split()))


def element_text(el: Any) -> str:
    return "".join(el.itertext())


def text_within(el: Any, limit: int) -> str | None:
    """``normalize_text(element_text(el))`` if it has at most ``limit`` non-whitespace characters,
    else None — without joining all the text of a large element (a prefix never has more of them
    than the whole)."""
    parts: list[str] = []
    size = 0
    check_at = 2 * limit
    for part in el.itertext():
        parts.append(part)
        size += len(part)
        if size > check_at:
            if tlen(normalize_text("".join(parts))) > limit:
                return None
            check_at = 2 * size
    text = normalize_text("".join(parts))
    return text if tlen(text) <= limit else None


class TextPiece(NamedTuple):
    """One piece of text of a tree: ``owner``'s text, or (``is_tail``) its tail."""

    text: str
    owner: Any
    is_tail: bool

    @property
    def holder(self) -> Any:
        """The element the text sits in: ``owner``, or for a tail the owner's parent."""
        parent = self.owner.getparent() if self.is_tail and self.owner is not None else None
        return parent if parent is not None else self.owner


def texts_after(el: Any) -> Iterator[TextPiece]:
    """The text pieces after ``el`` in document order, outside it (what XPath's
    ``following::text()`` finds, read lazily: that query builds the whole rest of the page
    before a position predicate cuts it). Whitespace pieces included."""
    while el is not None:
        if el.tail:
            yield TextPiece(el.tail, el, True)
        sibling = el.getnext()
        while sibling is not None:
            if isinstance(sibling.tag, str):
                for event, node in etree.iterwalk(sibling, events=("start", "end")):
                    if event == "start":
                        if node.text and isinstance(node.tag, str):
                            yield TextPiece(node.text, node, False)
                    elif node is not sibling and node.tail:
                        yield TextPiece(node.tail, node, True)
            if sibling.tail:
                yield TextPiece(sibling.tail, sibling, True)
            sibling = sibling.getnext()
        el = el.getparent()


def drop_element(el: Any) -> None:
    """Remove an element but keep its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def hints(el: Any) -> str:
    """``class`` and ``id`` of an element, lower-cased (the hint regexes are lower-case)."""
    cls = el.get("class")
    ident = el.get("id")
    if cls is None and ident is None:
        return ""
    return f"{cls or ''} {ident or ''}".lower()


@functools.lru_cache(maxsize=4096)
def hint_flags(hints: str) -> tuple[bool, bool]:
    """(bad, good): whether the lower-cased hints match BAD_HINT_RE / GOOD_HINT_RE (memoised:
    pages and sites repeat their class names)."""
    return bool(BAD_HINT_RE.search(hints)), bool(GOOD_HINT_RE.search(hints))


def _is_hidden(el: Any) -> bool:
    style = el.get("style")
    # (visibility:hidden is not enough: WeChat articles hide their body until a script runs)
    return bool(style) and "none" in style.lower() and bool(_HIDDEN_RE.search(style))


def is_descendant(el: Any, ancestor: Any) -> bool:
    p = el.getparent()
    depth = 0
    while p is not None and depth < MAX_ANCESTOR_DEPTH:
        if p is ancestor:
            return True
        p = p.getparent()
        depth += 1
    return False


# --------------------------------------------------------------------------- parsing


def parse_html(html: str) -> Any:
    """The tree of a decoded page: comments and processing instructions dropped, characters
    that cannot be in a tree removed, never None (an empty or broken page gives an empty body)."""
    data = html.encode("utf-8", "replace")  # (a lone surrogate becomes "?")
    if _has_invalid_chars(html, data):
        data = _XML_INVALID_RE.sub("", data.decode("utf-8")).encode("utf-8")
    data = re.sub(rb"^\s*<\?xml[^>]*>", b"", data, count=1)
    for text in (data, b"<html><body>" + data + b"</body></html>"):
        try:
            root = etree.fromstring(text, parser=PARSER)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError):
            continue
        if root is not None:
            if _too_deep(PARSER.error_log):
                # libxml2 stopped at its depth limit and dropped the rest of the page: read it
                # again without its wrapper elements (their text stays; paragraphs stay)
                flat = _WRAPPER_TAG_RE.sub(b"\n", text)
                root = etree.fromstring(flat, parser=PARSER) if flat.strip() else root
            return root
    return etree.fromstring(b"<html><body></body></html>", parser=PARSER)


def _has_invalid_chars(text: str, data: bytes) -> bool:
    """Whether ``text`` (``data``: the same in UTF-8) holds a character of ``_XML_INVALID_RE``: a
    C0 control (looked for in the bytes) or U+FFFE / U+FFFF (in the text: in UTF-8 they start with
    the lead byte of all full-width punctuation, which makes a byte search slow)."""
    return (
        len(data.translate(None, _XML_INVALID_CONTROL_BYTES)) != len(data)
        or "\ufffe" in text
        or "\uffff" in text
    )


#: Wrapper elements dropped from a page nested deeper than libxml2 reads (see parse_html)
_WRAPPER_TAG_RE = re.compile(
    rb"</?(?:div|span|font|section|article|main|center|b|i|u|em|strong|small|big|table|tbody|thead|tfoot"
    rb"|tr|td|th|ul|ol|li|dl|dt|dd|blockquote|label|header|footer|nav|aside|figure)\b[^>]*>",
    re.I,
)


def _too_deep(error_log: Any) -> bool:
    """Whether the parse stopped at libxml2's nesting limit (it then drops the rest)."""
    return any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for e in error_log)


# --------------------------------------------------------------------------- cleaning


def _looks_like_player(hints: str) -> bool:
    """Whether lower-cased class/id hints name a video player's element."""
    if not ("play" in hints or "vjs" in hints or "prism" in hints or "video" in hints):
        return False  # (the words the pattern needs: a substring test is much cheaper)
    return _PLAYER_HINT_RE.search(hints) is not None


#: Title candidates (see :func:`newscrawler.extraction.title.find_title`): headings, and these
#: elements when their class or id holds "title".
TITLE_HEADINGS = frozenset({"h1", "h2", "h3"})
TITLE_HINTED_TAGS = frozenset({"div", "p", "span", "td", "strong", "font"})


def clean_tree(root: Any, title_candidates: list[Any] | None = None) -> Any:
    """Drop scripts, styles, hidden elements and video players; return the body.

    ``title_candidates``, if given, receives in document order the elements of the cleaned body
    that :func:`~newscrawler.extraction.title.find_title` considers: ``h1``–``h3``, and
    ``div``/``p``/``span``/``td``/``strong``/``font`` elements whose class or id holds "title".
    """
    etree.strip_elements(root, *DROP_TAGS, with_tail=False)
    body = root.find("body")
    if body is None:
        body = root
    doomed = []
    # inside the subtree of a doomed element, nothing is looked at (it leaves the body whole):
    # the walk resumes at ``resume_at``, the first element after that subtree
    resume_at: Any = None
    for el in body.iter(etree.Element):
        if resume_at is not None:
            if el is not resume_at:
                continue
            resume_at = None
        if not el.attrib:  # (most elements: nothing to read)
            if title_candidates is not None and el.tag in TITLE_HEADINGS:
                title_candidates.append(el)
            continue
        el_hints = hints(el)
        doom = _is_hidden(el)
        # a video player's controls (倍速, 高清, 00:00 …), unless it wraps real prose
        if not doom and el_hints and _looks_like_player(el_hints):
            text = element_text(el)
            doom = tlen(text) < PLAYER_MAX_CHARS or len(PUNCT_RE.findall(text)) < PLAYER_MIN_PUNCT
        if doom:
            doomed.append(el)
            if el is body:
                continue  # (a hidden <body> is dropped from <html> but still read)
            resume_at = _next_after_subtree(el, body)
            if resume_at is None:
                break
            continue
        if title_candidates is not None:
            tag = el.tag
            if tag in TITLE_HEADINGS or (tag in TITLE_HINTED_TAGS and "title" in el_hints):
                title_candidates.append(el)
    for el in doomed:
        drop_element(el)
    return body


def _next_after_subtree(el: Any, top: Any) -> Any:
    """The first element after ``el``'s subtree in document order, within ``top`` (None: none)."""
    while el is not None and el is not top:
        nxt = el.getnext()
        while nxt is not None and not isinstance(nxt.tag, str):
            nxt = nxt.getnext()
        if nxt is not None:
            return nxt
        el = el.getparent()
    return None
