"""Peak memory of extracting one large page: 1, 5 and 20 MB (20 MB is DOWNLOAD_MAXSIZE).

    python benchmarks/bench_page_memory.py [--sizes 1,5,20] [--repeat 3]

Each measurement runs in a fresh process: imports, one small page extracted (warm-up), the page
built, then the RSS is read (the baseline) and the page is extracted through
``newscrawler.offline.extract_record`` (the crawl's extraction and record steps). Prints the peak
RSS above the baseline and its multiple of the page size, for a portal page (jl_cri's
selectors) and an unknown portal (the generic extractor). The page is article-shaped: a CRI
layout whose body has as many paragraphs as the size needs, and a list of links. Not a test:
figures depend on the machine; medians of --repeat runs.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys

HANZI = "吉林长春通化延边四平辽源白山松原白城经济产业项目建设企业发展投资就业农业工业服务科技创新交通旅游文化"
URL = "http://jl.cri.cn/2020-06-04/00000000-0000-0000-0000-000000000001.html"
HEAD = (
    '<html><head><meta charset="utf-8"><title>测试新闻 吉林省推进项目建设_国际在线</title></head><body>'
    '<div class="crumbs"><a href="http://jl.cri.cn/">国际在线吉林频道</a> &gt; '
    '<a href="http://jl.cri.cn/yw/index.html">要闻</a> &gt; 正文</div>'
    '<h1 id="atitle">测试新闻 吉林省推进项目建设</h1><div class="info"><span id="asource">来源：吉林日报'
    '</span><span id="apublishtime">2020-06-04 10:00:00</span></div><div id="abody" class="abody">'
)
LINKS = "".join(f'<li><a href="http://jl.cri.cn/2020-06-04/{i}.html">相关新闻{i}</a></li>' for i in range(50))
TAIL = f'</div><div class="editor">编辑：赵宇静</div><ul class="list">{LINKS}</ul></body></html>'


def make_page(size: int) -> bytes:
    """An article page of about ``size`` bytes (UTF-8)."""
    rng = random.Random(size)
    parts, total = [HEAD], len(HEAD.encode()) + len(TAIL.encode())
    while total < size:
        paragraph = "<p>" + "".join(rng.choices(HANZI, k=120)) + "。</p>"
        parts.append(paragraph)
        total += len(paragraph.encode())
    parts.append(TAIL)
    return "".join(parts).encode()


def _rss_kb() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def child(size: int, mode: str) -> None:
    """One measurement (in its own process): prints base and peak RSS in KB as JSON."""
    from newscrawler.offline import extract_record
    from newscrawler.portals import get_portal

    portal = get_portal("jl_cri") if mode == "portal" else None
    extract_record(make_page(50_000), URL, portal)  # warm-up: imports, compiled patterns
    body = make_page(size)
    base = _rss_kb()  # the page's bytes already held, as in a crawl
    record = extract_record(body, URL, portal)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    print(json.dumps({"base_kb": base, "peak_kb": peak, "body_chars": len(record.get("body") or "")}))


def measure(size: int, mode: str) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(size), mode], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"measurement failed ({size} bytes, {mode}): {proc.stderr.strip()[-300:]}")
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,5,20", help="page sizes in MB (default 1,5,20)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median printed)")
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(int(args.child[0]), args.child[1])
        return 0
    print(f"{'page':>7} {'mode':>8} {'base MB':>8} {'peak MB':>8} {'peak-base':>10} {'x page':>7}")
    for mb in (float(s) for s in args.sizes.split(",")):
        size = int(mb * 1024 * 1024)
        for mode in ("portal", "generic"):
            runs = [measure(size, mode) for _ in range(args.repeat)]
            base = statistics.median(r["base_kb"] for r in runs) / 1024
            peak = statistics.median(r["peak_kb"] for r in runs) / 1024
            growth = peak - base
            print(f"{mb:>5g}MB {mode:>8} {base:>8.0f} {peak:>8.0f} {growth:>8.0f}MB {growth / mb:>6.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
