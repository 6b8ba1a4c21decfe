"""Turn the raw bytes of a page into text, choosing the encoding carefully.

Chinese portals often lie about their encoding: pages declare ``gb2312`` but were re-saved as
UTF-8, or declare nothing and are GBK. The rule used here:

1. a byte-order mark wins;
2. bytes that are valid UTF-8 (and not pure ASCII) are UTF-8, whatever the page declares — a GBK
   text of any length is practically never valid UTF-8, so this test is reliable;
3. otherwise the declared charsets (HTTP ``Content-Type`` first, then ``<meta>`` /
   ``<?xml encoding>`` in the first bytes) are tried *strictly*, in that order;
4. then gb18030 (superset of gb2312/gbk), big5hkscs, and UTF-8 again, strictly;
5. only if nothing decodes cleanly, the best declared (or UTF-8) with replacement characters.

The whole GB family (gb2312, gbk, GB_2312-80, cp936, euc-cn, ...) is normalised to ``gb18030``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Mapping
from typing import Any

from w3lib.encoding import resolve_encoding

__all__ = ["declared_encodings", "decode_html", "header_charset", "meta_charset", "normalize_encoding"]

_GB_FAMILY = frozenset(
    {
        "gb2312",
        "gb_2312",
        "gb_2312-80",
        "gb231280",
        "gbk",
        "x-gbk",
        "cp936",
        "ms936",
        "windows-936",
        "euc-cn",
        "euccn",
        "x-euc-cn",
        "csgb2312",
        "chinese",
        "iso-ir-58",
        "gb18030",
        "zh-cn",
        "hz-gb-2312",
    }
)
_BIG5_FAMILY = frozenset(
    {"big5", "big-5", "cn-big5", "x-x-big5", "csbig5", "big5-hkscs", "big5hkscs", "cp950"}
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_META_RE = re.compile(rb"""<meta\b[^>]{0,400}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_RE = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.I)

#: How far into the document a ``<meta charset>`` is looked for.
META_SCAN_BYTES = 4096


def normalize_encoding(name: str | bytes | None) -> str:
    """Canonical Python codec name for a declared charset; GB family → ``gb18030``.

    Unknown names are returned lower-cased and stripped (``""`` for ``None``); callers check them
    with :func:`codecs.lookup` before use.
    """
    if name is None:
        return ""
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    n = name.strip().strip("\"'").lower().replace("_", "-") if name else ""
    if not n:
        return ""
    if n in _GB_FAMILY or n.replace("-", "_") in _GB_FAMILY or n.replace("-", "") in _GB_FAMILY:
        return "gb18030"
    if n in _BIG5_FAMILY:
        return "big5hkscs"
    if n in ("utf8", "utf-8", "unicode-1-1-utf-8", "x-unicode20utf8"):
        return "utf-8"
    resolved = resolve_encoding(n)
    if resolved:
        return resolved
    try:
        return codecs.lookup(n).name
    except LookupError:
        return n


def _header_values(headers: Mapping[Any, Any], wanted: str) -> list[str]:
    out: list[str] = []
    for key, value in headers.items():
        k = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if k.lower() != wanted:
            continue
        values: Iterable[Any] = value if isinstance(value, list | tuple) else [value]
        for v in values:
            if isinstance(v, bytes):
                out.append(v.decode("latin-1"))
            elif v is not None:
                out.append(str(v))
    return out


def header_charset(headers: Mapping[str, Any] | None) -> str | None:
    """The charset of a ``Content-Type`` header (str, bytes or list-of-bytes values), normalised."""
    if not headers:
        return None
    for value in _header_values(headers, "content-type"):
        m = _CHARSET_RE.search(value)
        if m:
            return normalize_encoding(m.group(1)) or None
    return None


def meta_charset(body: bytes, scan: int = META_SCAN_BYTES) -> str | None:
    """The charset declared by ``<?xml encoding>`` or ``<meta charset>``/http-equiv, normalised."""
    m = _XML_RE.search(body[:256]) or _META_RE.search(body[:scan])
    if m:
        return normalize_encoding(m.group(1)) or None
    return None


def declared_encodings(body: bytes, headers: Mapping[str, Any] | None = None) -> list[str]:
    """Declared encodings in priority order (HTTP header, then in-document), de-duplicated."""
    out: list[str] = []
    for enc in (header_charset(headers), meta_charset(body)):
        if enc and enc not in out and _known(enc):
            out.append(enc)
    return out


def _known(enc: str) -> bool:
    try:
        codecs.lookup(enc)
    except LookupError:
        return False
    return True


def _strict(body: bytes, enc: str) -> str | None:
    try:
        return body.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, headers: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """Decode an HTML page; returns ``(text, encoding)`` (see the module docstring for the order).

    Never returns U+FFFD replacement characters when some candidate decodes the bytes cleanly.
    """
    for bom, enc in _BOMS:
        if body.startswith(bom):
            text = _strict(body[len(bom) :], enc)
            if text is not None:
                return text, enc
    declared = declared_encodings(body, headers)
    if body.isascii():
        return body.decode("ascii"), (declared[0] if declared else "utf-8")
    text = _strict(body, "utf-8")
    if text is not None:
        return text, "utf-8"
    text = body.decode("utf-8", "replace")
    if _mostly_utf8(text):
        # Real UTF-8 with a damaged or truncated sequence: any other codec would give mojibake.
        return text, "utf-8"
    for enc in dict.fromkeys([*declared, "gb18030", "big5hkscs"]):
        if enc == "utf-8":
            continue
        text = _strict(body, enc)
        if text is not None:
            return text, enc
    # Nothing decodes cleanly: choose the candidate with the fewest replacement characters.
    best_enc, best_text, best_bad = "utf-8", "", -1
    for enc in dict.fromkeys([*declared, "gb18030", "utf-8"]):
        text = body.decode(enc, "replace")
        bad = text.count("\ufffd")
        if best_bad < 0 or bad < best_bad:
            best_enc, best_text, best_bad = enc, text, bad
    return best_text, best_enc


def _mostly_utf8(text: str) -> bool:
    """True when a lenient UTF-8 decoding has almost no errors among many non-ASCII characters."""
    bad = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore")) - bad
    return non_ascii >= 20 and bad * 200 <= non_ascii
