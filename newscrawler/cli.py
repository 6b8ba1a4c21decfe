"""The ``newscrawler`` command: crawl, extract, extract-batch, list.

A user mistake (unknown portal, missing file, unwritable output) gets one line on stderr saying
what is wrong and what to do, and a non-zero exit status; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newscrawler.errors import UserError

EXIT_USAGE = 2
EXIT_FAILED = 1


def _project_root() -> Path:
    return Path(__file__).resolve().parent.parent


def bundled_mirror(portal: str) -> Path:
    """The fixture mirror shipped with the project for ``portal``."""
    path = _project_root() / "fixtures" / portal
    if not (path / "mirror.json").is_file():
        raise UserError(f"no bundled mirror for portal {portal!r} (looked in {path}); pass --mirror DIR")
    return path


def _check_writable(path: str, overwrite: bool) -> None:
    target = Path(path)
    if target.is_dir():
        raise UserError(f"cannot write {path}: it is a directory; give a file name such as out.jsonl")
    if not target.parent.exists():
        raise UserError(f"cannot write {path}: directory {target.parent} does not exist")
    try:
        with open(target, "wb" if overwrite else "ab"):
            pass
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror}") from None


def _parse_settings(pairs: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        if "=" not in pair:
            raise UserError(f"bad -s {pair!r}: use -s NAME=VALUE")
        key, value = pair.split("=", 1)
        out[key.strip()] = value
    return out


# -- crawl -----------------------------------------------------------------------------------
def crawl_settings(args: argparse.Namespace) -> dict[str, Any]:
    """Setting overrides for one ``newscrawler crawl`` run."""
    overrides: dict[str, Any] = {"LOG_LEVEL": args.log_level}
    output = args.output or args.overwrite_output
    if output:
        _check_writable(output, overwrite=bool(args.overwrite_output))
        overrides["FEEDS"] = {
            output: {"format": "jsonlines", "encoding": "utf-8", "overwrite": bool(args.overwrite_output)}
        }
    offline = args.offline or args.mirror
    if offline:
        if args.mirror:
            mirror = Path(args.mirror)
        elif args.portal:
            mirror = bundled_mirror(args.portal)
        else:
            raise UserError("--offline needs a portal with a bundled mirror; with --url, pass --mirror DIR")
        if not (mirror / "mirror.json").is_file():
            raise UserError(f"{mirror} is not a mirror (no mirror.json in it)")
        overrides.update(
            MIRROR_DIR=str(mirror),
            DOWNLOAD_DELAY=0,
            AUTOTHROTTLE_ENABLED=False,
            CONCURRENT_REQUESTS_PER_DOMAIN=16,
        )
    if args.store:
        overrides["DEDUPE_STORE"] = args.store
    elif offline:  # a fixture mirror is a demo: don't let it fill (or be hidden by) the user's store
        overrides["DEDUPE_STORE"] = ":memory:"
    if args.full:
        overrides["FULL_RECRAWL"] = True
    if args.jobdir:
        overrides["JOBDIR"] = args.jobdir
    if args.max_pages:
        overrides["MAX_PAGES"] = args.max_pages
    if args.max_articles:
        overrides["MAX_ARTICLES"] = args.max_articles
    if getattr(args, "since", None):
        from newscrawler.discovery.feeds import parse_since

        try:
            parse_since(args.since)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        overrides["CRAWL_SINCE"] = args.since
    overrides.update(_parse_settings(args.set or []))
    return overrides


def cmd_crawl(args: argparse.Namespace) -> int:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawler.settings")
    from newscrawler.portals import UnknownPortal, get_portal

    if bool(args.portal) == bool(args.url):
        raise UserError("give a portal name (see 'newscrawler list') or --url HOME_URL, not both")
    spider_kwargs: dict[str, Any] = {}
    if args.portal:
        try:
            get_portal(args.portal)
        except UnknownPortal as exc:
            raise UserError(f"{exc}; run 'newscrawler list'") from None
    else:
        if not args.url.startswith(("http://", "https://")):
            raise UserError(f"--url {args.url!r} is not an http(s) URL; give the portal's home page")
        spider_kwargs["url"] = args.url
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.setdict(crawl_settings(args), priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(args.portal or "portal")
    process.crawl(crawler, **spider_kwargs)
    process.start()
    summary = crawler.stats.get_value("newscrawler/summary") if crawler.stats else None
    if not summary or not summary["pages_fetched"]:
        print(
            "error: the crawl fetched no page; check the network (live portals need the internet) "
            "or crawl the bundled mirror with --offline",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return 0


# -- extract ---------------------------------------------------------------------------------
def _portal_for(name: str | None, url: str | None) -> Any:
    from newscrawler.portals import UnknownPortal, get_portal, portal_for_url

    if name:
        try:
            return get_portal(name)
        except UnknownPortal as exc:
            raise UserError(f"{exc}; run 'newscrawler list'") from None
    return portal_for_url(url) if url else None


def _read_page(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise UserError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise UserError(f"{path} is a directory; give an HTML file") from None
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from None


def cmd_extract(args: argparse.Namespace) -> int:
    from newscrawler.offline import extract_record
    from newscrawler.steps import Rejected

    body = _read_page(args.page)
    try:
        record = extract_record(body, args.url, _portal_for(args.portal, args.url))
    except Rejected as exc:
        print(f"error: {args.page}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(json.dumps(record, ensure_ascii=False, indent=None if args.compact else 2))
    return 0


def cmd_extract_batch(args: argparse.Namespace) -> int:
    from newscrawler.offline import extract_record

    path = Path(args.manifest)
    if not path.is_file():
        raise UserError(f"no such manifest: {args.manifest} (a JSONL file of {{id, path, url}} lines)")
    out = sys.stdout
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                case_id = entry["id"]
            except (ValueError, KeyError, TypeError):
                out.write(
                    json.dumps({"id": None, "error": f"line {number}: not a {{id, path, url}} object"}) + "\n"
                )
                continue
            try:
                url = entry.get("url")
                record = extract_record(_read_page(entry["path"]), url, _portal_for(entry.get("portal"), url))
                result = {"id": case_id, **record}
            except Exception as exc:  # one bad page must not stop the batch
                result = {"id": case_id, "error": f"{type(exc).__name__}: {exc}"}
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
    out.flush()
    return 0


def cmd_schedule(args: argparse.Namespace) -> int:
    from newscrawler.schedule.command import cmd_schedule as run_schedule  # imported only when used

    return int(run_schedule(args))


def cmd_list(args: argparse.Namespace) -> int:
    from newscrawler.portals import all_portals

    for name, portal in sorted(all_portals().items()):
        print(f"{name}\t{portal.display_name}\t{portal.home_url}")
    return 0


# -- main ------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newscrawler", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    crawl = sub.add_parser("crawl", help="crawl a portal into JSON Lines")
    crawl.add_argument("portal", nargs="?", help="portal name (see 'newscrawler list')")
    crawl.add_argument("--url", help="crawl any portal from its home page URL (generic discovery)")
    crawl.add_argument("-o", "--output", help="append records to this JSONL file")
    crawl.add_argument("-O", "--overwrite-output", help="write records to this JSONL file, replacing it")
    crawl.add_argument("--offline", action="store_true", help="crawl the portal's bundled fixture mirror")
    crawl.add_argument("--mirror", metavar="DIR", help="crawl this mirror folder (implies --offline)")
    crawl.add_argument(
        "--store",
        metavar="PATH|redis://...",
        help="seen-store: what was exported before is not fetched or exported again (default: "
        "$XDG_DATA_HOME/newscrawler/seen.sqlite3; ':memory:' for this crawl only; offline crawls "
        "use ':memory:' unless given)",
    )
    crawl.add_argument("--full", action="store_true", help="fetch everything again (still no duplicates)")
    crawl.add_argument("--jobdir", metavar="DIR", help="crawl state, to resume after a stop")
    crawl.add_argument("--max-pages", type=int, metavar="N", help="stop after N pages fetched")
    crawl.add_argument("--max-articles", type=int, metavar="N", help="stop after N articles exported")
    crawl.add_argument(
        "--since",
        metavar="DATE",
        help="skip sitemap/feed entries and list items dated before DATE (YYYY-MM-DD)",
    )
    crawl.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="a Scrapy setting")
    crawl.add_argument("--log-level", default="WARNING", help="Scrapy log level (default: WARNING)")
    crawl.set_defaults(func=cmd_crawl)

    extract = sub.add_parser("extract", help="print the record of one saved page")
    extract.add_argument("page", help="the page's raw bytes, as saved")
    extract.add_argument("--url", help="the page's URL (picks the portal; fills url fields)")
    extract.add_argument("--portal", help="use this portal's definition")
    extract.add_argument("--compact", action="store_true", help="one line of JSON")
    extract.set_defaults(func=cmd_extract)

    batch = sub.add_parser("extract-batch", help="extract every page of a {id, path, url} JSONL manifest")
    batch.add_argument("manifest")
    batch.set_defaults(func=cmd_extract_batch)

    listing = sub.add_parser("list", help="list the portals")
    listing.set_defaults(func=cmd_list)
    schedule = sub.add_parser("schedule", help="run crawls on intervals or cron expressions from a TOML file")
    schedule.add_argument("schedule", help="the schedule file (see schedule.example.toml)")
    schedule.add_argument("--once", action="store_true", help="run every job once now, wait for them, exit")
    schedule.add_argument("--max-runs", type=int, metavar="N", help="start at most N runs in all, then exit")
    schedule.add_argument("--log-level", default="INFO", help="the scheduler's log level (default: INFO)")
    schedule.set_defaults(func=cmd_schedule)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "crawl" and args.output and args.overwrite_output:
        parser.error("give -o or -O, not both")
    try:
        status = int(args.func(args))
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        status = EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return status


def run() -> None:
    """The ``newscrawler`` console script and ``python -m newscrawler``."""
    sys.exit(main())


if __name__ == "__main__":
    run()
