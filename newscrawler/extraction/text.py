"""Whitespace normalisation for Chinese text.

Only whitespace is touched: runs of spaces, tabs, newlines, no-break spaces and full-width
(U+3000) spaces become one ASCII space, zero-width characters are dropped, ends are stripped.
Punctuation and full-width forms stay as the page has them (no NFKC).
"""

from __future__ import annotations

import re

__all__ = ["compact", "normalize_text", "split_lines"]

_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# \s in Python's re covers U+3000, U+00A0, U+2000-U+200A, U+2028/2029, U+202F, U+205F.
_WS_RE = re.compile(r"\s+")


def normalize_text(s: str | None) -> str:
    """Collapse whitespace (incl. full-width spaces, nbsp), drop zero-width chars, strip."""
    if not s:
        return ""
    if not s.isascii():
        s = _ZERO_WIDTH_RE.sub("", s)
    return _WS_RE.sub(" ", s).strip()


def compact(s: str | None) -> str:
    """``s`` with every whitespace and zero-width character removed (for comparisons)."""
    if not s:
        return ""
    return _WS_RE.sub("", _ZERO_WIDTH_RE.sub("", s))


def split_lines(s: str | None) -> list[str]:
    """Non-empty normalised lines of a text."""
    if not s:
        return []
    return [line for line in (normalize_text(x) for x in s.splitlines()) if line]
