"""A portal's CSS selectors, evaluated on one parsed page.

:func:`select` is the plain evaluation: cssselect's XPath over the whole tree, one pass per
selector. libxml2 tests an ``@id``/``@class`` predicate on every element it passes, and that is
slow: ``#atitle`` takes 0.6 ms and ``.info, .sign, .article-info`` 3.3 ms on a 2,700-element page,
so a portal's fourteen selectors cost about twice the page's parse.

:class:`PageSelectors` evaluates all the selectors of one page together: one walk indexes the
elements by id and by class, and a selector whose leftmost part names an id or a class is
evaluated from the elements that carry it (its whole XPath from each, ``self::`` first, so the
index only narrows where to look and XPath still decides). Other selectors (``script``,
``[itemprop=articleBody]``) take the plain path, which is fast for a tag. Same elements, in the
same document order, as :func:`select` (the tests hold it as the oracle).
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Any

from cssselect import HTMLTranslator, SelectorError, parse
from cssselect.parser import Class, CombinedSelector, Element, Hash
from lxml import etree

__all__ = ["PageSelectors", "compile_css", "select"]


@lru_cache(maxsize=512)
def compile_css(css: str) -> etree.XPath:
    """A CSS selector compiled once to an lxml XPath (over the whole tree)."""
    return etree.XPath(HTMLTranslator().css_to_xpath(css))


def select(root: Any, css: str | None) -> list[Any]:
    """Elements of ``root`` matching ``css`` (document order)."""
    return compile_css(css)(root) if css else []


#: One comma-separated part of a selector: the id or class its leftmost element must carry, as
#: ``("id", name)`` or ``("class", name)``, and its XPath from that element.
_Part = tuple[tuple[str, str], etree.XPath]


def _leftmost_key(tree: Any) -> tuple[str, str] | None:
    """The id (preferred) or the first class named by the leftmost compound of a parsed selector."""
    while isinstance(tree, CombinedSelector):
        tree = tree.selector  # (a combinator: the left side holds the leftmost compound)
    key = None
    while not isinstance(tree, Element):
        if isinstance(tree, Hash):
            return ("id", tree.id)
        if isinstance(tree, Class):
            key = ("class", tree.class_name)  # (the innermost, i.e. the first written, wins)
        tree = tree.selector  # (:not(...) keeps its argument in .subselector: never a key)
    return key


@lru_cache(maxsize=512)
def _compile_parts(css: str) -> tuple[_Part, ...] | None:
    """``css`` split into its comma-separated parts, each with its key and its XPath from a
    keyed element; None when some part has no key (then the whole selector takes the plain path)."""
    try:
        selectors = parse(css)
    except SelectorError:
        return None  # (compile_css raises the user-facing error on the plain path)
    translator = HTMLTranslator()
    parts = []
    for selector in selectors:
        key = _leftmost_key(selector.parsed_tree)
        if key is None or selector.pseudo_element is not None:
            return None
        parts.append((key, etree.XPath(translator.selector_to_xpath(selector, prefix="self::"))))
    return tuple(parts)


class PageSelectors:
    """Selectors evaluated on one page (``root``) together; :meth:`select` as :func:`select`.

    The index is the tree as it was at the first keyed selector: select everything before
    changing the tree (as :func:`~newscrawler.extraction.page.extract_page` does)."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self._index: dict[tuple[str, str], list[Any]] | None = None
        self._order: dict[Any, int] | None = None

    def _keyed(self, key: tuple[str, str]) -> list[Any]:
        if self._index is None:  # (one walk, on the first keyed selector)
            index: dict[tuple[str, str], list[Any]] = defaultdict(list)
            for el in self.root.iter(etree.Element):
                ident, classes = el.get("id"), el.get("class")
                if ident:
                    index["id", ident].append(el)
                if classes:
                    for name in classes.split():  # (a repeated name: found twice, kept once)
                        index["class", name].append(el)
            self._index = index
        return self._index.get(key, [])

    def _in_document_order(self, elements: list[Any]) -> list[Any]:
        if self._order is None:
            self._order = {el: i for i, el in enumerate(self.root.iter())}
        return sorted(set(elements), key=self._order.__getitem__)

    def select(self, css: str | None) -> list[Any]:
        """Elements of the page matching ``css`` (document order)."""
        if not css:
            return []
        parts = _compile_parts(css)
        if parts is None:
            return select(self.root, css)
        found: list[Any] = []
        sources = 0
        for key, xpath in parts:
            for el in self._keyed(key):
                matched = xpath(el)
                if matched:
                    found.extend(matched)
                    sources += 1
        # from one element, XPath's own order; from several, they may overlap or interleave
        return found if sources <= 1 else self._in_document_order(found)
