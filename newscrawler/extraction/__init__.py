"""Article extraction: pure functions from raw bytes + headers + URL to article fields (no Scrapy).

Modules: :mod:`.decoding` (bytes → text), :mod:`.dates` (Chinese dates → ISO 8601),
:mod:`.bylines` (记者/通讯员/摄, 来源/责编 info lines, photo credits), :mod:`.text` (whitespace),
:mod:`.boilerplate` (disclaimers, share prompts, editor lines, 原题, chrome; the paragraph
cleaner), :mod:`.generic` (site-agnostic content extractor, split into :mod:`.tree`, :mod:`.title`,
:mod:`.scoring`, :mod:`.blocks`, :mod:`.meta`).

The main functions are re-exported here lazily (importing this package costs nothing until one
is used).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "decode_html": "decoding",
    "normalize_encoding": "decoding",
    "ParsedDate": "dates",
    "parse_date": "dates",
    "date_from_url": "dates",
    "parse_byline": "bylines",
    "parse_info_line": "infoline",
    "split_trailing_byline": "bylines",
    "split_caption_credit": "bylines",
    "InfoLine": "infoline",
    "normalize_text": "text",
    "is_boilerplate": "boilerplate",
    "clean_paragraphs": "boilerplate",
    "parse_original_title": "boilerplate",
    "CleanResult": "boilerplate",
    "extract_generic": "generic",
    "extract_generic_bytes": "generic",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
