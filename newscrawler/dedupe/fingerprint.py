"""Fingerprints for deduplication: canonical URLs, content hashes and near-duplicate signatures.

Pure functions, no Scrapy. Everything here is deterministic across processes and machines (no use
of Python's salted ``hash()``), so fingerprints can be stored and compared later.

* :func:`canonical_url` -- one spelling per article URL (tracking parameters and fragment dropped).
* :func:`normalize_for_hash` / :func:`content_hash` -- an exact-body hash that ignores whitespace,
  punctuation and full-/half-width differences.
* :func:`shingles` -- overlapping character k-grams of the normalized text (Chinese has no spaces,
  so words are not a usable unit without a segmenter; characters are).
* :func:`simhash` -- a 64-bit SimHash over the shingles (exported in the record for consumers).
* :func:`signature` -- the near-duplicate signature used by the seen-store: a one-permutation
  MinHash (:class:`Signature`) whose bands (:meth:`Signature.bands`) are LSH keys, so a lookup is a
  fixed number of index probes whatever the size of the store.
"""

from __future__ import annotations

import hashlib
import re
import struct
import sys
import unicodedata
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote, quote_plus, unquote_to_bytes, urlsplit, urlunsplit

__all__ = [
    "BANDS",
    "NUM_BINS",
    "ROWS_PER_BAND",
    "SHINGLE_K",
    "BodyFingerprint",
    "Signature",
    "canonical_url",
    "content_hash",
    "fingerprint_body",
    "is_tracking_param",
    "normalize_for_hash",
    "shingle_hashes",
    "shingles",
    "signature",
    "signature_from_hashes",
    "simhash",
]

# --------------------------------------------------------------------------------------------
# URLs

#: Query parameters that only track where a click came from; removed from canonical URLs.
TRACKING_PARAMS = frozenset({"spm", "from"})
TRACKING_PREFIXES = ("utm_",)
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def is_tracking_param(name: str) -> bool:
    """True for ``utm_*``, ``spm`` and ``from`` (case-insensitive)."""
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The canonical spelling of ``url``, used as the seen-store's URL key.

    w3lib's ``canonicalize_url`` (sorted query, normalized percent-encoding) with the fragment
    dropped, tracking parameters (``utm_*``, ``spm``, ``from``) removed, scheme and host lowercased
    and a default port (``:80`` for http, ``:443`` for https) removed.

    >>> canonical_url("HTTP://Jl.CRI.cn:80/a.html?utm_source=wx&b=2&a=1&spm=x#top")
    'http://jl.cri.cn/a.html?a=1&b=2'
    """
    parts = urlsplit(url.strip())
    query = "&".join(
        piece for piece in parts.query.split("&") if piece and not is_tracking_param(piece.split("=", 1)[0])
    )
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
    canon = _plain_canonical(url)
    if canon is None:
        canon = _w3lib_canonical(url)
    parts = urlsplit(canon)
    scheme = parts.scheme.lower()
    netloc = parts.netloc
    userinfo, at, hostport = netloc.rpartition("@")
    host, colon, port = hostport.rpartition(":") if hostport.count(":") == 1 else (hostport, "", "")
    if colon and _DEFAULT_PORTS.get(scheme) == port:
        hostport = host
    netloc = f"{userinfo}{at}{hostport.lower()}"
    return urlunsplit((scheme, netloc, parts.path, parts.query, ""))


def _w3lib_canonical(url: str) -> str:
    # (imported when first needed: w3lib.url imports urllib.request, hence http.client, email,
    # ssl and socket, about 15 ms that a batch of plain article URLs never needs)
    from w3lib.url import canonicalize_url

    return canonicalize_url(url, keep_fragments=False)


#: The URLs whose w3lib canonical form :func:`_plain_canonical` spells out itself: http(s), an
#: ASCII host name (no user info, no IDNA, no IPv6), no ``;`` parameters, no whitespace, control
#: characters or backslashes. Anything else goes to w3lib. ``tests/test_dedupe_fingerprint.py``
#: checks that both give the same result on generated URLs.
_PLAIN_URL_RE = re.compile(
    r"(?i:https?)://"
    r"([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)"
    r"(?::([0-9]{1,5}))?"
    r"(/[^?#;\s\\\x00-\x1f\x7f]*)?"
    r"(?:\?([^#\s\\\x00-\x1f\x7f]*))?"
)
#: What w3lib leaves unescaped (besides letters, digits and ``-._~``) when it first makes the
#: path safe, and when it escapes the path again after decoding it.
_PATH_SAFEST = "!$&'()*+,;=:@/?%"
_PATH_SAFE = "!$&'()*+,;=:@/?[]|%"
#: Escapes w3lib keeps escaped when it decodes the path (``/``, ``;``, ``?`` and ``%`` itself).
_PATH_KEPT_ESCAPES = (
    ("%25", "%2525"),
    ("%2f", "%252F"),
    ("%2F", "%252F"),
    ("%3b", "%253B"),
    ("%3B", "%253B"),
    ("%3f", "%253F"),
    ("%3F", "%253F"),
)


def _plain_canonical(url: str) -> str | None:
    """w3lib's ``canonicalize_url(url)`` for a URL of the ``_PLAIN_URL_RE`` form, else None.

    The path is escaped, decoded (keeping ``%2F``, ``%3B``, ``%3F``, ``%25``) and escaped again,
    so escapes come out upper-case and escaped unreserved characters decoded; the query is split
    into key=value pairs, decoded (``+`` is a space), sorted and escaped again as a form.
    """
    m = _PLAIN_URL_RE.fullmatch(url)
    if m is None:
        return None
    host, port, path, query = m.groups()
    host = host.lower()
    if "xn--" in host:  # (an IDNA name: w3lib checks it)
        return None
    if port is not None:
        if int(port) > 65535:
            return None
        host = f"{host}:{int(port)}"
    if path:
        path = quote(path, _PATH_SAFEST)
        if "%" in path:
            for escape, kept in _PATH_KEPT_ESCAPES:
                path = path.replace(escape, kept)
        path = quote(unquote_to_bytes(path), _PATH_SAFE)
        if "/." in path:  # (dot segments)
            return None
    else:
        path = "/"
    canon = f"{url[: url.index(':')].lower()}://{host}{path}"
    if query:
        pairs = sorted(
            (unquote_to_bytes(k.replace("+", " ")), unquote_to_bytes(v.replace("+", " ")))
            for k, _, v in (piece.partition("=") for piece in query.split("&") if piece)
        )
        if pairs:
            canon += "?" + "&".join(f"{quote_plus(k, '')}={quote_plus(v, '')}" for k, v in pairs)
    return canon


# --------------------------------------------------------------------------------------------
# Exact content

_NON_WORD = re.compile(r"[\W_]+")  # anything but letters and digits (Unicode-aware)


#: The last text normalized and its result: a record's content_hash and simhash normalize the same
#: body one after the other (NFKC is the costly part). One (text, result) tuple, swapped atomically.
_LAST_NORMALIZED: tuple[str, str] = ("", "")


def normalize_for_hash(text: str) -> str:
    """NFKC-normalize ``text``, lowercase it and keep only letters and digits.

    Whitespace, punctuation, symbols and control characters are dropped; full-width and
    half-width forms compare equal (NFKC). What is left is the sequence of characters (汉字,
    Latin letters, digits) that carries the content.

    >>> normalize_for_hash("吉林省， 长春市。\\n ＡＢＣ 2020！")
    '吉林省长春市abc2020'
    """
    global _LAST_NORMALIZED
    last = _LAST_NORMALIZED
    if text is last[0] or (type(text) is str and text == last[0]):
        return last[1]
    norm = _NON_WORD.sub("", _nfkc(text or "")).lower()
    if type(text) is str:
        _LAST_NORMALIZED = (text, norm)
    return norm


#: Characters of Chinese text that NFKC changes, with their NFKC form (full-width punctuation,
#: the ideographic space, the ellipsis). Each one decomposes to its replacement, which is already
#: fully decomposed with combining class 0, so replacing it first leaves NFKD(text), hence
#: NFKC(text), unchanged; what is left of Chinese text is then usually NFKC already.
_NFKC_PREMAP = tuple((c, unicodedata.normalize("NFKC", c)) for c in "，：（）！？；．－\u3000…")


def _nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, cheaper when only common punctuation changes."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    for char, repl in _NFKC_PREMAP:
        if char in text:
            text = text.replace(char, repl)
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


def content_hash(text: str) -> str:
    """Hex SHA-1 of :func:`normalize_for_hash` of ``text`` (40 hex chars).

    Stable across whitespace, punctuation and full-/half-width differences; any change of a
    character that carries content changes it.
    """
    return hashlib.sha1(normalize_for_hash(text).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------
# Shingles

#: Default shingle length in characters. Chosen by ``benchmarks/eval_near_duplicates.py``: with 3
#: characters, common 2-character words (吉林, 发展, 经济...) do not make same-topic articles look
#: alike, while one edited character only touches 3 shingles.
SHINGLE_K = 3

_M64 = (1 << 64) - 1


def shingles(text: str, k: int = SHINGLE_K) -> set[str]:
    """The set of overlapping ``k``-character shingles of :func:`normalize_for_hash` of ``text``.

    A text shorter than ``k`` characters (after normalization) yields itself as its one shingle,
    an empty text yields the empty set.
    """
    norm = normalize_for_hash(text)
    if len(norm) <= k:
        return {norm} if norm else set()
    return {norm[i : i + k] for i in range(len(norm) - k + 1)}


_GOLDEN = 0x9E3779B97F4A7C15


def _shingle_crcs(norm: str, k: int) -> set[int]:
    """CRC-32 of the UTF-32-LE bytes of each distinct ``k``-character window of ``norm``."""
    if not norm:
        return set()
    data = norm.encode("utf-32-le")
    crc = zlib.crc32
    if len(norm) <= k:
        return {crc(data)}
    # The windows that start at characters 0, k, 2k... do not overlap: struct cuts them all out
    # in one call. Starting from characters 0, 1, ..., k-1 that covers every window once.
    width = 4 * k
    out: set[int] = set()
    for start in range(0, width, 4):
        count = (len(data) - start) // width
        if count > 0:
            out.update(map(crc, struct.unpack_from(f"{width}s" * count, data, start)))
    return out


#: (array typecode "Q" is 8 bytes on every platform CPython supports; checked, not assumed)
_LANES_OK = array("Q").itemsize == 8


def _packed_hashes(norm: str, k: int) -> tuple[bytes, int]:
    """The 64-bit hashes of the shingles of ``norm``, packed little-endian (8 bytes each, in no
    particular order), and their number.

    Each hash is the window's CRC-32 spread over 64 bits by a multiplicative (Fibonacci) hash,
    ``crc * _GOLDEN mod 2**64``: a bijection whose high bits are well mixed (the MinHash bin and
    value come from them). The multiplications are done at once: the CRCs sit in 128-bit lanes of
    one big integer, which is multiplied by ``_GOLDEN`` (a product needs at most 96 bits, so no
    lane spills into the next); the low 64 bits of each lane are the hashes. That is C-speed
    arithmetic instead of three Python integer operations per shingle.
    """
    crcs = _shingle_crcs(norm, k)
    n = len(crcs)
    if not n:
        return b"", 0
    if not _LANES_OK:
        return struct.pack(f"<{n}Q", *(c * _GOLDEN & _M64 for c in crcs)), n
    lanes = array("Q", bytes(16 * n))
    lanes[0::2] = array("Q", crcs)
    product = int.from_bytes(lanes, sys.byteorder) * _GOLDEN
    hashes = array("Q", product.to_bytes(16 * n, sys.byteorder))[0::2]
    if sys.byteorder != "little":
        hashes.byteswap()
    return hashes.tobytes(), n


def shingle_hashes(text: str, k: int = SHINGLE_K) -> set[int]:
    """64-bit hashes of the shingles of ``text`` (stable across processes and machines)."""
    data, n = _packed_hashes(normalize_for_hash(text), k)
    return set(struct.unpack(f"<{n}Q", data))


def simhash(text: str, k: int = SHINGLE_K) -> str:
    """64-bit SimHash of ``text`` over its character shingles, as 16 lowercase hex chars.

    Each shingle hash votes +1/-1 on each of the 64 bits; a bit is set where the votes are
    positive. Near-identical texts differ in few bits (compare with ``int(a, 16) ^ int(b, 16)``
    and ``int.bit_count``). An empty text gives ``"0000000000000000"``.
    """
    return _simhash_from_packed(*_packed_hashes(normalize_for_hash(text), k))


# --------------------------------------------------------------------------------------------
# Near-duplicate signature (one-permutation MinHash + LSH bands)

#: Number of MinHash bins (signature length).
NUM_BINS = 64
#: LSH banding: ``BANDS`` bands of ``ROWS_PER_BAND`` bins each (21 x 3 = 63 of the 64 bins). A pair
#: with Jaccard J shares a band with probability 1 - (1 - J**3)**21: 0.94 at J=0.5, 0.994 at 0.6,
#: 0.44 at 0.3, 0.02 at 0.1. :meth:`Signature.bands` packs exactly 3 rows into each key.
ROWS_PER_BAND = 3
BANDS = NUM_BINS // ROWS_PER_BAND
_BIN_BITS = NUM_BINS.bit_length() - 1
_BIN_SHIFT = 64 - _BIN_BITS
_VALUE_SHIFT = _BIN_SHIFT - 32
_EMPTY = _M64
_M32 = (1 << 32) - 1


@dataclass(frozen=True, slots=True)
class Signature:
    """A near-duplicate signature: a one-permutation MinHash of the text's shingles.

    ``values`` holds one 32-bit minimum per bin (``NUM_BINS`` of them); ``size`` is the number of
    distinct shingles, which lets :meth:`similarity` turn the Jaccard estimate into a containment
    estimate. ``to_hex()`` / ``from_hex()`` give a compact, stable text form (for storage).
    """

    values: tuple[int, ...]
    size: int

    def jaccard(self, other: Signature) -> float:
        """Estimated Jaccard similarity of the two shingle sets (fraction of equal bins)."""
        if not self.size or not other.size:
            return 0.0
        same = sum(1 for a, b in zip(self.values, other.values, strict=True) if a == b)
        return same / len(self.values)

    def containment(self, other: Signature) -> float:
        """Estimated share of the *smaller* text's shingles found in the other one.

        From Jaccard ``J`` and the set sizes: ``|A∩B| = J/(1+J) * (|A|+|B|)``. High when one text
        is the other plus extra material (a reprint with a longer footer, an extra paragraph).
        """
        j = self.jaccard(other)
        smaller = min(self.size, other.size)
        if not smaller:
            return 0.0
        inter = j / (1.0 + j) * (self.size + other.size)
        return min(1.0, inter / smaller)

    def similarity(self, other: Signature) -> float:
        """The score that near-duplicate detection thresholds (see ``NEAR_DUPLICATE_THRESHOLD``
        in :mod:`newscrawler.dedupe.store`): the estimated Jaccard similarity.

        Kept as its own method so the measure can change in one place; the evaluation script
        compares the candidate measures.
        """
        return self.jaccard(other)

    def bands(self) -> list[int]:
        """LSH band keys: one signed 64-bit integer per band (fits an SQLite INTEGER).

        Two texts share at least one band key with probability ``1 - (1 - J**r)**b`` (``J``
        Jaccard, ``r`` rows per band, ``b`` bands); the band number is part of the key.
        """
        v = self.values
        keys = []
        for band in range(BANDS):
            i = band * ROWS_PER_BAND
            # 3 rows of 32 bits -> 64 bits: two rows side by side, the third multiplied in, the
            # band number mixed in. Different rows collide with probability ~2**-64.
            h = ((v[i] << 32) | v[i + 1]) ^ (v[i + 2] * 0x9E3779B97F4A7C15) ^ (band * 0xC2B2AE3D27D4EB4F)
            h &= _M64
            keys.append(h - (1 << 64) if h >= 1 << 63 else h)
        return keys

    def to_bytes(self) -> bytes:
        """Compact binary form: the shingle count then one little-endian uint32 per bin."""
        return struct.pack(f"<I{NUM_BINS}I", min(self.size, _M32), *self.values)

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        """Inverse of :meth:`to_bytes`."""
        size, *values = struct.unpack(f"<I{NUM_BINS}I", data)
        return cls(values=tuple(values), size=size)

    def to_hex(self) -> str:
        """``"<size>:<8 hex chars per bin>"``."""
        return f"{self.size}:" + "".join(f"{v:08x}" for v in self.values)

    @classmethod
    def from_hex(cls, text: str) -> Signature:
        """Inverse of :meth:`to_hex`."""
        size, _, body = text.partition(":")
        values = tuple(int(body[i : i + 8], 16) for i in range(0, len(body), 8))
        if len(values) != NUM_BINS:
            raise ValueError(f"signature has {len(values)} bins, expected {NUM_BINS}")
        return cls(values=values, size=int(size))


def signature_from_hashes(hashes: Iterable[int]) -> Signature:
    """One-permutation MinHash of already-hashed shingles (see :func:`shingle_hashes`).

    Each 64-bit hash goes to the bin given by its top 6 bits and the bin keeps the minimum of the
    next 32 bits. Empty bins (short texts) are filled by rotation from the next non-empty bin with an
    offset, so that two texts agree on an empty bin only when they agree on the bin it copies.
    """
    mins = [_EMPTY] * NUM_BINS
    size = 0
    for h in hashes:
        size += 1
        b = h >> _BIN_SHIFT
        v = (h >> _VALUE_SHIFT) & _M32
        if v < mins[b]:
            mins[b] = v
    if not size:
        return Signature(values=(0,) * NUM_BINS, size=0)
    values = [v if v != _EMPTY else -1 for v in mins]
    if -1 in values:
        filled = list(values)
        for i, v in enumerate(values):
            if v != -1:
                continue
            for dist in range(1, NUM_BINS):
                src = values[(i + dist) % NUM_BINS]
                if src != -1:
                    filled[i] = (src + dist * 0x9E3779B9) & _M32
                    break
        values = filled
    return Signature(values=tuple(values), size=size)


def signature(text: str, k: int = SHINGLE_K) -> Signature:
    """The near-duplicate signature of ``text`` (MinHash of its ``k``-character shingles)."""
    return signature_from_hashes(shingle_hashes(text, k))


def _simhash_from_packed(data: bytes, n: int) -> str:
    """SimHash of ``n`` distinct 64-bit hashes packed little-endian in ``data``."""
    if not n:
        return "0" * 16
    # one byte of every hash side by side in a big integer; bit ``bit`` of each of those bytes,
    # masked out and counted, is the number of hashes with that bit set
    ones = int.from_bytes(b"\x01" * n, "little")
    masks = [ones << bit for bit in range(8)]
    half = n // 2  # (a bit is set where more than half of the hashes have it)
    result = 0
    for byte_pos in range(8):
        column = int.from_bytes(data[byte_pos::8], "little")
        shift = byte_pos * 8
        for bit in range(8):
            if (column & masks[bit]).bit_count() > half:
                result |= 1 << (shift + bit)
    return f"{result:016x}"


@dataclass(frozen=True, slots=True)
class BodyFingerprint:
    """Everything dedupe needs from one article body, computed from a single pass of shingling.

    Build it with :func:`fingerprint_body`; a pipeline can put ``content_hash`` and ``simhash`` in
    the record and hand the same object to the seen-store (``fingerprint=`` argument) so nothing
    is computed twice.
    """

    content_hash: str
    simhash: str
    signature: Signature
    #: The signature's LSH band keys (computed once).
    bands: list[int] = field(default_factory=list, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.bands:
            object.__setattr__(self, "bands", self.signature.bands())


def fingerprint_body(text: str, k: int = SHINGLE_K) -> BodyFingerprint:
    """Content hash, SimHash and MinHash signature of ``text`` (see the module docstring)."""
    norm = normalize_for_hash(text)
    packed, n = _packed_hashes(norm, k)
    return BodyFingerprint(
        content_hash=hashlib.sha1(norm.encode("utf-8")).hexdigest(),
        simhash=_simhash_from_packed(packed, n),
        signature=signature_from_hashes(struct.unpack(f"<{n}Q", packed)),
    )
