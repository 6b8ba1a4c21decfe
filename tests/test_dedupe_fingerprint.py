"""Fingerprints: canonical URLs, content hashes, shingles, SimHash and MinHash signatures."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newscrawler.dedupe.fingerprint import (
    BANDS,
    NUM_BINS,
    Signature,
    canonical_url,
    content_hash,
    normalize_for_hash,
    shingle_hashes,
    shingles,
    signature,
    simhash,
)

BODY = (
    "6月3日，记者从通化医药高新区获悉，今年以来，该区紧紧围绕医药健康产业发展，"
    "开展“百日会战”，全力推动项目建设。\n"
    "在位于西区的修正药业集团新厂区，工人们正在紧张施工，塔吊林立，车辆穿梭。"
    "据介绍，该项目总投资12亿元，建成后年产值可达30亿元。\n"
    "通化医药高新区相关负责人表示，将继续优化营商环境，为企业提供全程代办服务。"
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://jl.cri.cn/20200604/a.html", "http://jl.cri.cn/20200604/a.html"),
        ("HTTP://JL.CRI.CN/20200604/a.html#comments", "http://jl.cri.cn/20200604/a.html"),
        ("http://jl.cri.cn:80/a.html", "http://jl.cri.cn/a.html"),
        ("https://jl.cri.cn:443/a.html", "https://jl.cri.cn/a.html"),
        ("https://jl.cri.cn:8443/a.html", "https://jl.cri.cn:8443/a.html"),
        ("http://x.cn/a?id=3&utm_source=wx&utm_MEDIUM=s&spm=1.2&from=timeline", "http://x.cn/a?id=3"),
        ("http://x.cn/a?b=2&a=1", "http://x.cn/a?a=1&b=2"),
        ("http://x.cn/a?spm=1", "http://x.cn/a"),
        ("http://x.cn/新闻/a.html?q=吉林", "http://x.cn/%E6%96%B0%E9%97%BB/a.html?q=%E5%90%89%E6%9E%97"),
        ("http://x.cn/a?fromage=1", "http://x.cn/a?fromage=1"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_canonical_url_is_idempotent() -> None:
    url = "HTTP://Www.Cnjiwang.com:80/jl/202006/t2020_1.html?utm_campaign=x&page=2#p"
    once = canonical_url(url)
    assert canonical_url(once) == once


def test_normalize_drops_whitespace_punctuation_and_width() -> None:
    assert normalize_for_hash("吉林省， 长春市。\n ＡＢＣ　2020！“好”") == "吉林省长春市abc2020好"
    assert normalize_for_hash("") == ""


def test_content_hash_is_stable_across_whitespace_and_punctuation() -> None:
    reformatted = BODY.replace("\n", "\n\n  ").replace("，", ",").replace("。", ". ")
    assert content_hash(reformatted) == content_hash(BODY)
    assert len(content_hash(BODY)) == 40
    int(content_hash(BODY), 16)
    assert content_hash(BODY.replace("12亿元", "13亿元")) != content_hash(BODY)


def test_shingles_are_characters() -> None:
    assert shingles("吉林省长春", k=3) == {"吉林省", "林省长", "省长春"}
    assert shingles("吉林", k=3) == {"吉林"}
    assert shingles("，。", k=3) == set()
    assert len(shingle_hashes(BODY)) == len(shingles(BODY))


def test_simhash_shape_and_closeness() -> None:
    h = simhash(BODY)
    assert len(h) == 16
    int(h, 16)
    assert simhash("") == "0" * 16
    edited = BODY.replace("12亿元", "15亿元")
    other = "长春今日多云转晴，最高气温24摄氏度，最低气温13摄氏度，西南风三到四级，空气质量良。" * 3
    near = (int(h, 16) ^ int(simhash(edited), 16)).bit_count()
    far = (int(h, 16) ^ int(simhash(other), 16)).bit_count()
    assert near < far
    assert near <= 8


def _simhash_bit_by_bit(hashes: list[int]) -> str:
    """The plain SimHash vote, one bit of one hash at a time: the oracle of simhash_from_hashes."""
    half = len(hashes) // 2
    value = 0
    for bit in range(63, -1, -1):
        votes = sum(h >> bit & 1 for h in hashes)
        value = value << 1 | (votes > half)
    return f"{value:016x}" if hashes else "0" * 16


def test_simhash_counts_votes_like_the_bit_by_bit_oracle() -> None:
    import random

    from newscrawler.dedupe.fingerprint import simhash_from_hashes

    rng = random.Random(8)
    for size in (0, 1, 2, 3, 4, 7, 64, 65, 1000, 3001):
        hashes = [rng.getrandbits(64) for _ in range(size)]
        assert simhash_from_hashes(hashes) == _simhash_bit_by_bit(hashes), size
    # ties (exactly half the hashes have a bit) leave the bit unset
    assert simhash_from_hashes([1 << 63, 0]) == _simhash_bit_by_bit([1 << 63, 0]) == "0" * 16
    assert simhash_from_hashes([(1 << 64) - 1] * 3) == "f" * 16
    assert simhash_from_hashes(shingle_hashes(BODY)) == _simhash_bit_by_bit(list(shingle_hashes(BODY)))


def test_record_hashes_are_content_hash_and_simhash() -> None:
    from newscrawler.dedupe.fingerprint import content_hash, fingerprint_body, record_hashes

    for text in (BODY, "", "吉林", "ＡＢＣ，abc。"):
        assert record_hashes(text) == (content_hash(text), simhash(text))
        fp = fingerprint_body(text)
        assert record_hashes(text) == (fp.content_hash, fp.simhash)


def test_simhash_values_are_the_stored_ones() -> None:
    """Records and stores keep simhash values: the same text keeps its value across releases."""
    assert simhash(BODY) == "24ffb920d23c6439"
    assert simhash("吉林") == "f4b84acb79fea0b6"


def test_fingerprints_are_stable_across_processes() -> None:
    """No salted hash(): another interpreter computes the same values."""
    code = (
        "from newscrawler.dedupe.fingerprint import simhash, signature;"
        f"print(simhash({BODY!r}), signature({BODY!r}).to_hex())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": "7"}
    ).stdout.split()
    assert out == [simhash(BODY), signature(BODY).to_hex()]


def test_signature_roundtrip_and_bands() -> None:
    sig = signature(BODY)
    assert len(sig.values) == NUM_BINS
    assert sig.size == len(shingles(BODY))
    assert Signature.from_hex(sig.to_hex()) == sig
    bands = sig.bands()
    assert len(bands) == BANDS
    assert all(-(1 << 63) <= b < (1 << 63) for b in bands)
    with pytest.raises(ValueError):
        Signature.from_hex("3:abcd")


def test_signature_similarity() -> None:
    sig = signature(BODY)
    assert sig.jaccard(sig) == 1.0
    assert sig.containment(sig) == 1.0
    extra = BODY + "\n据悉，该区下一步还将引进更多生物医药企业，打造千亿级医药产业集群，带动当地就业。"
    assert signature(extra).jaccard(sig) > 0.5
    assert signature(extra).containment(sig) > 0.85
    other = signature("长春今日多云转晴，最高气温24摄氏度，最低气温13摄氏度，西南风三到四级，空气质量良。")
    assert other.jaccard(sig) < 0.2
    empty = signature("")
    assert empty.size == 0
    assert empty.jaccard(sig) == 0.0
    assert set(signature(BODY).bands()) & set(signature(extra).bands())


def test_short_text_signature_is_filled() -> None:
    sig = signature("吉林长春下雪了")
    assert sig.size == 5
    assert len(set(sig.values)) > 5  # empty bins filled, not left equal


def _reference_simhash(hashes: set[int]) -> str:
    """The SimHash formula, bit by bit: bit i is set where more than half of the hashes have it."""
    value = 0
    for bit in range(64):
        if sum((h >> bit) & 1 for h in hashes) > len(hashes) // 2:
            value |= 1 << bit
    return f"{value:016x}"


def test_shingle_hashes_are_the_documented_function() -> None:
    """Each shingle hash is CRC-32(UTF-32-LE window) * 0x9E3779B97F4A7C15 mod 2**64 for each distinct
    k-character window, and the SimHash votes over exactly those (stable across versions: stored
    fingerprints must keep matching)."""
    import random
    import zlib

    from newscrawler.dedupe.fingerprint import fingerprint_body, signature_from_hashes

    rng = random.Random(11)
    texts = ["", "吉", "吉林", "吉林省", BODY, BODY * 3]
    texts += [
        "".join(rng.choice("吉林省长春市aZ09新闻") for _ in range(rng.randint(1, 300))) for _ in range(200)
    ]
    for text in texts:
        norm = normalize_for_hash(text)
        data = norm.encode("utf-32-le")
        for k in (1, 2, 3, 5):
            w = 4 * k
            windows = [data] if len(norm) <= k else [data[i : i + w] for i in range(0, len(data) - w + 4, 4)]
            expected = {zlib.crc32(x) * 0x9E3779B97F4A7C15 % 2**64 for x in windows} if norm else set()
            assert shingle_hashes(text, k) == expected
            assert simhash(text, k) == _reference_simhash(expected)
        fp = fingerprint_body(text)
        assert (fp.content_hash, fp.simhash) == (content_hash(text), simhash(text))
        assert fp.signature == signature_from_hashes(shingle_hashes(text))
    # values before the plain rewrite (stored fingerprints keep matching)
    assert simhash(BODY) == "24ffb920d23c6439"
    assert content_hash(BODY) == "94beaf4311a96723f9523de90c9ead481e4960f5"
    assert signature(BODY).to_hex().startswith("132:13c3a09b77d26b79b7337c7c422bb9f01fb2")
