"""Fuzz the extraction through ``newscrawler extract-batch``: crashes and tracebacks (target: 0).

    python benchmarks/fuzz_extract.py                # 3,600 inputs, seed 1
    python benchmarks/fuzz_extract.py --count 10000 --seed 7 --keep /tmp/fuzz

Inputs are made from the repository's own fixture pages and a few synthetic ones: truncations,
byte mutations, lying charsets and BOMs, binaries, deep nesting, huge attributes, comments /
processing instructions / control characters / NUL bytes inside paragraphs. A third of them go
through a portal definition (their URL is a jl_cri or cnjiwang article URL), the rest through
the generic extractor. One ``extract-batch`` process reads them all; a line ``{id, error}`` whose
error is not a verdict (``Rejected: ...``) is a crash, and so is anything on stderr that looks
like a traceback, a missing line, or a non-zero exit status.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PORTAL_URLS = (
    "http://jl.cri.cn/2024-05-09/0a1b2c3d-0000-4000-8000-000000000001.html",
    "http://news.cnjiwang.com/jlxw/202405/3200001.html",
)
GENERIC_URLS = ("http://news.example.cn/2024-05/09/content_1.htm", "", "http://www.example.com/a/b.html")

PARA = "5月9日上午，长春市南湖公园迎来了今年第一批赏花的市民，湖边的丁香花开得正好，游人络绎不绝。"


def synthetic_pages() -> list[bytes]:
    article = (
        "<html><head><meta charset='{cs}'><title>南湖公园丁香花开_新闻网</title></head><body>"
        "<h1>南湖公园丁香花开</h1><div class=info>2024-05-09 10:21 来源：华岭日报 编辑：王小明</div>"
        "<div class=content>{body}</div></body></html>"
    )
    paras = "".join(f"<p>{PARA}</p>" for _ in range(4))
    pages = [
        article.format(cs="utf-8", body=paras).encode("utf-8"),
        article.format(cs="gbk", body=paras).encode("gb18030"),
        article.format(cs="utf-8", body=f"<p>{PARA}<!-- c --><?php x ?>{PARA}</p>" + paras).encode(),
        article.format(
            cs="utf-8", body=f"<p>{PARA}<span style='display:none'>x</span>\x0b\x01{PARA}</p>"
        ).encode(),
        article.format(cs="utf-8", body=f"<p>{PARA}\x00{PARA}</p>" + paras).encode(),
        article.format(
            cs="utf-8", body="<img src='/a.jpg'><p>图为丁香花。新华社记者 张三 摄</p>" + paras
        ).encode(),
    ]
    return pages


def seed_pages() -> list[bytes]:
    files = sorted(p for p in (REPO / "fixtures").rglob("*") if p.suffix in (".html", ".htm", ".shtml"))
    return [p.read_bytes() for p in files] + synthetic_pages()


def nested(depth: int, tag: str = "div") -> bytes:
    return (
        "<html><body><h1>深层嵌套的页面标题</h1>"
        + f"<{tag}>" * depth
        + f"<p>{PARA}</p>" * 3
        + f"</{tag}>" * depth
        + f"<p>{PARA}</p></body></html>"
    ).encode()


def mutate(rng: random.Random, page: bytes) -> tuple[str, bytes]:
    """One fuzz input from ``page``: (kind, bytes)."""
    kind = rng.choice(
        (
            "truncate",
            "flip",
            "insert",
            "splice",
            "charset_lie",
            "bom",
            "binary",
            "deep",
            "huge_attr",
            "markup",
            "controls",
        )
    )
    n = len(page)
    if kind == "truncate":
        return kind, page[: rng.randrange(n + 1)]
    if kind == "flip":
        data = bytearray(page)
        for _ in range(rng.randint(1, 50)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        return kind, bytes(data)
    if kind == "insert":
        junk = rng.choice(
            (b"<", b">", b"&", b"<!--", b"<![CDATA[", b"\x00", b"\xff\xfe", b"</p>", b'"', b"<?")
        )
        at = rng.randrange(n + 1)
        return kind, page[:at] + junk * rng.randint(1, 20) + page[at:]
    if kind == "splice":
        a, b = sorted(rng.randrange(n + 1) for _ in range(2))
        return kind, page[:a] + page[b:] + page[a:b]
    if kind == "charset_lie":
        text = page.decode("utf-8", "replace")
        declared = rng.choice(("gbk", "gb2312", "utf-8", "big5", "utf-16", "latin-1", "x-bogus", "euc-jp"))
        encode_as = rng.choice(("utf-8", "gb18030", "big5", "utf-16-le"))
        head = f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">'
        return kind, (head + text).encode(encode_as, "replace")
    if kind == "bom":
        bom = rng.choice((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"))
        return kind, bom + page
    if kind == "binary":
        prefix = rng.choice((b"", b"\x89PNG\r\n\x1a\n", b"\x1f\x8b\x08", b"%PDF-1.4\n", b"GIF89a"))
        return kind, prefix + bytes(rng.randrange(256) for _ in range(rng.randint(0, 4000)))
    if kind == "deep":
        return kind, nested(
            rng.choice((255, 257, 600, 2100, 5000, 20000)), rng.choice(("div", "span", "p", "a"))
        )
    if kind == "huge_attr":
        size = rng.choice((10_000, 200_000, 2_000_000))
        attr = f'<div class="{"x" * size}" data-a="{"中" * (size // 10)}">'.encode()
        many = b"<p " + b" ".join(f"a{i}='{i}'".encode() for i in range(rng.randint(10, 5000))) + b">"
        at = rng.randrange(n + 1)
        return kind, page[:at] + attr + many + PARA.encode() + b"</p></div>" + page[at:]
    if kind == "markup":
        junk = rng.choice(
            (
                b"<!-- comment -->",
                b"<?xml version='1.0'?>",
                b"<?php echo 1; ?>",
                b"<![CDATA[x]]>",
                b"<!DOCTYPE html>",
                b"<svg><script>x</script></svg>",
                b"<math><mi>x</mi></math>",
                b"<template><p>t</p></template>",
            )
        )
        data = page
        for _ in range(rng.randint(1, 10)):
            at = rng.randrange(len(data) + 1)
            data = data[:at] + junk + data[at:]
        return kind, data
    # controls
    data = bytearray(page)
    for _ in range(rng.randint(1, 100)):
        data.insert(rng.randrange(len(data) + 1), rng.choice((0, 1, 2, 8, 11, 12, 27, 31, 127)))
    return kind, bytes(data)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=3600)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", metavar="DIR", help="write the inputs here (default: a temp dir, removed)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    seeds = seed_pages()
    with tempfile.TemporaryDirectory(prefix="fuzz-extract-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        manifest = work / "manifest.jsonl"
        kinds: dict[str, str] = {}
        with manifest.open("w", encoding="utf-8") as out:
            for i in range(args.count):
                kind, data = mutate(rng, rng.choice(seeds))
                case = f"{i:05d}-{kind}"
                path = work / f"{case}.html"
                path.write_bytes(data)
                url = rng.choice(PORTAL_URLS) if rng.random() < 1 / 3 else rng.choice(GENERIC_URLS)
                out.write(json.dumps({"id": case, "path": str(path), "url": url}) + "\n")
                kinds[case] = kind
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "newscrawler", "extract-batch", str(manifest)],
            cwd=REPO,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        wall = time.perf_counter() - started
    crashes: list[tuple[str, str]] = []
    verdicts: Counter[str] = Counter()
    seen = set()
    for line in proc.stdout.splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            crashes.append(("?", f"not JSON: {line[:200]}"))
            continue
        seen.add(obj.get("id"))
        error = obj.get("error")
        if error is None:
            verdicts["record" if "verdict" not in obj else "record, not an article"] += 1
        elif error.startswith("Rejected: "):
            verdicts["no record (" + error.split(":", 2)[1].strip()[:30] + ")"] += 1
        else:
            crashes.append((obj.get("id"), error))
    missing = sorted(set(kinds) - seen)
    tracebacks = proc.stderr.count("Traceback (most recent call last)")
    print(
        f"{args.count} inputs ({', '.join(f'{k} {v}' for k, v in sorted(Counter(kinds.values()).items()))})"
    )
    print(f"extract-batch: exit {proc.returncode}, {wall:.1f} s, {args.count / wall:.0f} inputs/s")
    print("outcomes: " + ", ".join(f"{k}: {v}" for k, v in verdicts.most_common()))
    print(f"crashes: {len(crashes)}   tracebacks: {tracebacks}   missing lines: {len(missing)}")
    for case, error in crashes[:20]:
        print(f"  CRASH {case} ({kinds.get(case, '?')}): {error[:300]}")
    if tracebacks:
        print(proc.stderr[-3000:])
    return 1 if crashes or tracebacks or missing or proc.returncode else 0


if __name__ == "__main__":
    sys.exit(main())
