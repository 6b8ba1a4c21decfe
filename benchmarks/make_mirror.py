#!/usr/bin/env python3
"""Generate a large synthetic mirror of a CRI Online regional channel, for benchmarks.

    python benchmarks/make_mirror.py --articles 2000 --out /tmp/bench-mirror

Same layout as the jl_cri fixture mirror (``fixtures/tools/cri_layout.py``) and the same
``mirror.json`` format (see ``fixtures/README.md``), so the ``jl_cri`` portal definition crawls it
unchanged. The articles are spread round-robin over the nine sections, 20 items per list page,
newest first; their text is synthetic but Chinese-looking (3-6 paragraphs), and every article page
carries the disclaimer. Every ``--multipage-every``-th article is split over two pages (下一页);
every 5th has an image with a caption; with ``--templated-every N`` every N-th is a templated
weather notice (the near-duplicate candidate cap's case). Deterministic: the same arguments give
the same bytes.

``mirror.json`` gets an extra ``generated`` block with the counts (articles, article pages, list
pages, total pages).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "tools"))

import cri_layout as L

PLACES = (
    "吉林省",
    "长春市",
    "吉林市",
    "四平市",
    "辽源市",
    "通化市",
    "白山市",
    "松原市",
    "白城市",
    "延边州",
    "珲春市",
    "梅河口市",
    "公主岭市",
    "长白山保护开发区",
    "长春新区",
    "敦化市",
)
TOPICS = (
    "冰雪旅游",
    "人参产业",
    "汽车制造",
    "现代农业",
    "黑土地保护",
    "乡村振兴",
    "营商环境",
    "医药健康",
    "中欧班列",
    "生态环境",
    "招商引资",
    "科技创新",
    "文化旅游",
    "稳定就业",
    "城市更新",
    "数字经济",
    "粮食生产",
    "对外开放",
)
VERBS = (
    "持续推进",
    "全面加快",
    "稳步实施",
    "不断深化",
    "扎实推动",
    "大力发展",
    "积极探索",
    "着力提升",
    "统筹谋划",
    "高质量推进",
)
OUTCOMES = (
    "取得阶段性成效",
    "迈上新台阶",
    "跑出加速度",
    "释放新活力",
    "实现开门红",
    "按下快进键",
    "呈现良好态势",
    "注入新动能",
)
CLAUSES = (
    "相关部门坚持问题导向，深入企业和项目现场开展调研",
    "通过现场办公、集体会商等方式破解发展难题",
    "全力打造审批零障碍、建设零阻力、服务零距离的发展环境",
    "一批大项目、好项目相继落地开工",
    "群众的获得感、幸福感、安全感不断增强",
    "当地干部群众以只争朝夕的干劲投入到各项工作中",
    "产业链条不断延伸，附加值稳步提高",
    "线上线下相结合的服务模式受到企业欢迎",
    "今年前五个月，主要经济指标保持平稳增长",
    "各项政策措施落地见效，市场主体活力明显增强",
    "项目建设始终是推动发展的生命线和根本动力",
    "全区上下形成了比学赶超、争先进位的良好氛围",
    "生态环境质量持续改善，绿色发展底色更加鲜明",
    "农民人均可支配收入同比增长百分之八点五",
    "企业负责人表示，对未来发展充满信心",
    "有关负责人介绍，下一步将继续加大工作力度",
)
SOURCES = ("吉林日报", "新华网", "中国吉林网", "长春日报", "国际在线")
SOURCE_URLS = {
    "吉林日报": "http://jlrbszb.dajilin.com/",
    "新华网": "http://www.xinhuanet.com/",
    "中国吉林网": "http://www.chinajilin.com.cn/",
    "国际在线": "http://www.cri.cn/",
}
EDITORS = ("赵宇静", "刘洋", "孙妍", "王丹")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "忠先传刚丽娜思彤雪宁晓东春宇海峰婷婷明伟"

PAGE_SIZE = 20
OFFSITE = (L.Link("http://news.cri.cn/", "国际在线新闻"), L.Link("https://www.example.com/", "合作媒体"))


def make_uuid(seed: int, i: int) -> str:
    h = hashlib.md5(f"bench/{seed}/{i}".encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))


#: Common characters for the random "words" that make every synthetic text different enough that
#: near-duplicate detection (character shingles) does not merge the articles.
CHARS = (
    "的一是在不了有和人这中大为上个国以要时来用们生到作地于出就分对成会可主发年动同工也能下过子说产"
    "种面而方后多定行学法所民得经三之进着等部度家电力里如水化高自理起小物现实加量都两体制机当使点从"
    "业本去把性好应开合还因由其些然前外天政四日社义事平形相全表间样与关各重新线内数正心反明看原又利"
    "比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位"
    "入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别手角期根论运农指几九区强"
    "放决西被干做必战先回则任取据处府该给深完况今场区培育服务保障推动项目企业创新改革开放生态环境"
)


def words(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(CHARS) + rng.choice(CHARS) for _ in range(n))


#: Share of a paragraph's clauses taken from the stock CLAUSES. Real articles almost never share
#: an LSH band (0 of 1,891 pairs of the dev pages); at 20% the synthetic ones shared 2.2% of pairs.
STOCK_CLAUSE_SHARE = 0.02


def paragraph(rng: random.Random) -> str:
    parts = [f"{rng.choice(PLACES)}{rng.choice(VERBS)}{rng.choice(TOPICS)}工作"]
    for _ in range(rng.randint(3, 6)):
        roll = rng.random()
        if roll < STOCK_CLAUSE_SHARE:
            parts.append(rng.choice(CLAUSES))
        elif roll < 0.35:
            parts.append(f"{words(rng, 2)}同比增长{rng.randint(1, 99)}.{rng.randint(0, 9)}%")
        else:
            parts.append(words(rng, rng.randint(4, 9)))
    return "，".join(parts) + "。"


#: A templated notice (weather, stock notices): this text in every one, then a paragraph of its own.
#: Any two share about a third of their shingles: not near-duplicates, but most pairs share a band.
NOTICE = (
    "省气象台发布天气预报：受高空槽和地面冷锋共同影响，预计未来三天我省大部地区将出现降温降雨天气，"
    "中东部地区有中到大雨，局地暴雨，并伴有雷电和短时大风，最高气温将下降六到八摄氏度。"
    "气象部门提醒，各地要做好城市内涝、山洪和地质灾害防范工作，农民朋友要抓住降雨间隙开展田间管理，"
    "及时排除田间积水，公众出行注意交通安全，关注最新天气预报预警信息。"
)


def make_article(
    i: int, seed: int, multipage_every: int, start: dt.datetime, templated_every: int = 0
) -> dict[str, Any]:
    rng = random.Random(seed * 1_000_003 + i)
    # article 0 is the newest; one article every 3 hours going back in time
    when = start - dt.timedelta(hours=3 * i, minutes=rng.randint(0, 59), seconds=rng.randint(0, 59))
    place, topic = rng.choice(PLACES), rng.choice(TOPICS)
    title = f"{place}{topic}{rng.choice(OUTCOMES)}"
    if rng.random() < 0.3:
        title = f"{rng.choice(VERBS)}{topic} {title}"
    paragraphs = [paragraph(rng) for _ in range(rng.randint(3, 6))]
    if templated_every and i % templated_every == 0:
        paragraphs = [NOTICE, words(rng, 70) + "。"]
    source = SOURCES[i % len(SOURCES)]
    byline = None
    if i % 4 == 0:
        byline = f"({source}记者 {person(rng)} 通讯员 {person(rng)})"
    elif i % 4 == 1:
        byline = f"(记者 {person(rng)})"
    pages = 2 if multipage_every and i % multipage_every == multipage_every - 1 and len(paragraphs) > 3 else 1
    return {
        "i": i,
        "uuid": make_uuid(seed, i),
        "date": when.strftime("%Y-%m-%d"),
        "created": when.strftime("%Y-%m-%d %H:%M:%S"),
        "title": f"{title}（{i + 1}）",
        "source": source,
        "editor": EDITORS[i % len(EDITORS)],
        "byline": byline,
        "paragraphs": paragraphs,
        "image": f"{i:032x}" if i % 5 == 0 else None,
        "caption": f"{place}{topic}相关项目建设现场。",
        "credit": person(rng) if i % 10 == 0 else None,
        "pages": pages,
        "original_title": title if i % 7 == 0 else None,
    }


def fragments(channel: L.Channel, a: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    paras: list[str] = list(a["paragraphs"])
    if a["byline"]:
        paras[-1] += a["byline"]
    split = (len(paras) + 1) // 2 if a["pages"] == 2 else len(paras)
    head: list[str] = []
    if a["original_title"]:
        head.append(L.p_original_title(a["original_title"]))
        head.append(L.p_title_repeat(a["title"]))
    if a["image"]:
        head.append(L.p_image(channel.image_url(a["date"], a["image"])))
        head.append(L.p_caption(a["caption"], a["credit"]))
    page1 = (*head, *(L.p_text(p) for p in paras[:split]))
    if a["pages"] == 1:
        return (page1,)
    return (page1, tuple(L.p_text(p) for p in paras[split:]))


def generate(
    n: int, out: Path, seed: int = 1, multipage_every: int = 50, templated_every: int = 0
) -> dict[str, int]:
    channel = L.Channel()
    start = dt.datetime(2020, 6, 30, 20, 0, 0)
    arts = [make_article(i, seed, multipage_every, start, templated_every) for i in range(n)]
    files: dict[str, bytes] = {}
    entries: list[dict[str, Any]] = []
    html_ct = "text/html; charset=utf-8"

    def add(url: str, body: str, content_type: str = html_ct) -> None:
        rel = url_to_file(url)
        files[rel] = body.encode("utf-8")
        entries.append({"url": url, "file": rel, "status": 200, "headers": {"Content-Type": content_type}})

    def link(a: dict[str, Any]) -> L.Link:
        return L.Link(channel.article_url(a["date"], a["uuid"]), a["title"])

    side = [link(a) for a in arts[:5]]
    add(channel.root, L.render_home(channel, side))
    add(f"{channel.root}robots.txt", L.ROBOTS_TXT, "text/plain; charset=utf-8")

    nsec = len(channel.sections)
    list_pages = 0
    for s, sec in enumerate(channel.sections):
        mine = arts[s::nsec]
        chunks = [mine[k : k + PAGE_SIZE] for k in range(0, len(mine), PAGE_SIZE)] or [[]]
        for p, chunk in enumerate(chunks, start=1):
            items = [
                L.ListItem(channel.article_url(a["date"], a["uuid"]), a["title"], a["date"]) for a in chunk
            ]
            add(
                channel.section_url(sec.slug, p),
                L.render_list(channel, sec, p, len(chunks), items, side, OFFSITE),
            )
            list_pages += 1

    article_pages = 0
    for a in arts:
        i = a["i"]
        doc = L.ArticleDoc(
            uuid=a["uuid"],
            date=a["date"],
            created=a["created"],
            title=a["title"],
            section=channel.sections[i % nsec],
            pages=fragments(channel, a),
            source=a["source"],
            source_url=SOURCE_URLS.get(a["source"]),
            editor=a["editor"],
            description=a["paragraphs"][0][:60],
            related=tuple(link(arts[(i + k) % n]) for k in (1, 2, 3) if n > 1),
        )
        for page in range(1, len(doc.pages) + 1):
            add(channel.article_url(a["date"], a["uuid"], page), L.render_article(channel, doc, page))
            article_pages += 1

    counts = {
        "articles": n,
        "article_pages": article_pages,
        "multi_page_articles": sum(1 for a in arts if a["pages"] > 1),
        "list_pages": list_pages,
        "sections": nsec,
        "pages": len(entries),
    }
    if out.exists():
        if not (out / "mirror.json").is_file() and any(out.iterdir()):
            raise SystemExit(f"make_mirror: {out} exists and is not a mirror; refusing to overwrite it")
        shutil.rmtree(out)
    for rel, body in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    manifest = {
        "portal": "jl_cri",
        "generated": {"by": "benchmarks/make_mirror.py", "seed": seed, **counts},
        "entries": sorted(entries, key=lambda e: e["url"]),
        "missing": [],
    }
    (out / "mirror.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return counts


def url_to_file(url: str) -> str:
    """``http://host/a/b.html`` -> ``site/host/a/b.html`` (as in build_jl_cri.py)."""
    rest = url.split("://", 1)[1]
    host, _, path = rest.partition("/")
    path = "/" + path
    if path.endswith("/"):
        path += "index.html"
    return f"site/{host}{path}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000, help="number of articles (default: %(default)s)")
    ap.add_argument("--out", type=Path, required=True, help="output directory (replaced if it is a mirror)")
    ap.add_argument("--seed", type=int, default=1, help="text seed (default: %(default)s)")
    ap.add_argument(
        "--multipage-every",
        type=int,
        default=50,
        help="split every N-th article over two pages; 0 = never (default: %(default)s)",
    )
    ap.add_argument(
        "--templated-every",
        type=int,
        default=0,
        help="every N-th article is a templated weather notice (a templated portal); 0 = none",
    )
    args = ap.parse_args(argv)
    if args.articles < 1:
        ap.error("--articles must be at least 1")
    t0 = time.perf_counter()
    counts = generate(args.articles, args.out, args.seed, args.multipage_every, args.templated_every)
    print(
        f"mirror: {counts['articles']} articles ({counts['article_pages']} article pages), "
        f"{counts['list_pages']} list pages, {counts['pages']} pages in {args.out} "
        f"[{time.perf_counter() - t0:.1f}s]",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
