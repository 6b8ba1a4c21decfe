"""Whitespace normalisation for Chinese text.

Only whitespace is touched: runs of spaces, tabs, newlines, no-break spaces and full-width
(U+3000) spaces become one ASCII space, zero-width characters are dropped, ends are stripped.
Punctuation and full-width forms stay as the page has them (no NFKC).
"""

from __future__ import annotations

import re

__all__ = ["compact", "normalize_text", "split_lines"]

_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# str.split() with no argument splits on every Unicode whitespace: U+3000, U+00A0, U+2000-U+200A ...


def normalize_text(s: str | None) -> str:
    """Collapse whitespace (incl. full-width spaces, nbsp), drop zero-width chars, strip."""
    if not s:
        return ""
    if not s.isascii() and _ZERO_WIDTH_RE.search(s):
        s = _ZERO_WIDTH_RE.sub("", s)
    return " ".join(s.split())


def compact(s: str | None) -> str:
    """``s`` with every whitespace and zero-width character removed (for comparisons)."""
    if not s:
        return ""
    if not s.isascii() and _ZERO_WIDTH_RE.search(s):
        s = _ZERO_WIDTH_RE.sub("", s)
    return "".join(s.split())


def split_lines(s: str | None) -> list[str]:
    """Non-empty normalised lines of a text."""
    if not s:
        return []
    return [line for line in (normalize_text(x) for x in s.splitlines()) if line]
