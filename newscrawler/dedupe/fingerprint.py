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
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url

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
    "record_hashes",
    "shingle_hashes",
    "shingles",
    "signature",
    "signature_from_hashes",
    "simhash",
    "simhash_from_hashes",
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
    canon = canonicalize_url(urlunsplit((parts.scheme, parts.netloc, parts.path, query, "")))
    parts = urlsplit(canon)
    scheme = parts.scheme.lower()
    netloc = parts.netloc
    userinfo, at, hostport = netloc.rpartition("@")
    host, colon, port = hostport.rpartition(":") if hostport.count(":") == 1 else (hostport, "", "")
    if colon and _DEFAULT_PORTS.get(scheme) == port:
        hostport = host
    netloc = f"{userinfo}{at}{hostport.lower()}"
    return urlunsplit((scheme, netloc, parts.path, parts.query, ""))


# --------------------------------------------------------------------------------------------
# Exact content

_NON_WORD = re.compile(r"[\W_]+")  # anything but letters and digits (Unicode-aware)


def normalize_for_hash(text: str) -> str:
    """NFKC-normalize ``text``, lowercase it and keep only letters and digits.

    Whitespace, punctuation, symbols and control characters are dropped; full-width and
    half-width forms compare equal (NFKC). What is left is the sequence of characters (汉字,
    Latin letters, digits) that carries the content.

    >>> normalize_for_hash("吉林省， 长春市。\\n ＡＢＣ 2020！")
    '吉林省长春市abc2020'
    """
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text or "")).lower()


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


#: Spreads a window's CRC-32 over 64 bits (a multiplicative, Fibonacci hash: a bijection whose
#: high bits, where the MinHash bin and value come from, are well mixed).
_GOLDEN = 0x9E3779B97F4A7C15


def _hashes_of_normalized(norm: str, k: int) -> set[int]:
    """``CRC-32(UTF-32-LE bytes of the window) * _GOLDEN mod 2**64`` for each distinct ``k``-character
    window of ``norm`` (the whole of ``norm`` when it is shorter; nothing when it is empty)."""
    if not norm:
        return set()
    data = norm.encode("utf-32-le")  # (4 bytes per character: window i is data[4i : 4i + 4k])
    width = 4 * min(k, len(norm))
    return {zlib.crc32(data[i : i + width]) * _GOLDEN & _M64 for i in range(0, len(data) - width + 4, 4)}


def shingle_hashes(text: str, k: int = SHINGLE_K) -> set[int]:
    """64-bit hashes of the shingles of ``text`` (stable across processes and machines)."""
    return _hashes_of_normalized(normalize_for_hash(text), k)


def simhash(text: str, k: int = SHINGLE_K) -> str:
    """64-bit SimHash of ``text`` over its character shingles, as 16 lowercase hex chars.

    Each shingle hash votes +1/-1 on each of the 64 bits; a bit is set where the votes are
    positive. Near-identical texts differ in few bits (compare with ``int(a, 16) ^ int(b, 16)``
    and ``int.bit_count``). An empty text gives ``"0000000000000000"``.
    """
    return simhash_from_hashes(shingle_hashes(text, k))


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


#: ``_BIT_OF_BYTE[k][b]`` is bit ``k`` of byte ``b`` (0 is the most significant), as 0 or 1
_BIT_OF_BYTE = [bytes(b >> (7 - k) & 1 for b in range(256)) for k in range(8)]


def simhash_from_hashes(hashes: Iterable[int]) -> str:
    """SimHash of distinct 64-bit hashes: bit ``i`` is set where more than half of them have it."""
    hashes = list(hashes)
    if not hashes:
        return "0" * 16
    # the hashes as 8 big-endian bytes each: byte column c holds bits 8c..8c+7 of every hash,
    # and the votes for one bit are the ones of that column's bytes mapped to that bit
    packed = struct.pack(f">{len(hashes)}Q", *hashes)
    half = len(hashes) // 2
    value = 0
    for column in range(8):
        column_bytes = packed[column::8]
        for bit in _BIT_OF_BYTE:
            value = value << 1 | (column_bytes.translate(bit).count(1) > half)
    return f"{value:016x}"


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


def record_hashes(text: str, k: int = SHINGLE_K) -> tuple[str, str]:
    """The record's ``content_hash`` and ``simhash`` of ``text`` (one normalisation, one
    shingling: :func:`content_hash` and :func:`simhash` each do both)."""
    norm = normalize_for_hash(text)
    return hashlib.sha1(norm.encode("utf-8")).hexdigest(), simhash_from_hashes(_hashes_of_normalized(norm, k))


def fingerprint_body(text: str, k: int = SHINGLE_K) -> BodyFingerprint:
    """Content hash, SimHash and MinHash signature of ``text`` (see the module docstring)."""
    norm = normalize_for_hash(text)
    hashes = _hashes_of_normalized(norm, k)
    return BodyFingerprint(
        content_hash=hashlib.sha1(norm.encode("utf-8")).hexdigest(),
        simhash=simhash_from_hashes(hashes),
        signature=signature_from_hashes(hashes),
    )
