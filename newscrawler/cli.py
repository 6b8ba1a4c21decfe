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
from typing import Any, NoReturn

from newscrawler.errors import RunError, UserError

EXIT_USAGE = 2
EXIT_FAILED = 1
#: ``newscrawler extract``: the page is not an article the crawl would export (nothing printed)
EXIT_NOT_ARTICLE = 3


def _project_root() -> Path:
    return Path(__file__).resolve().parent.parent


def bundled_mirror(portal: str) -> Path:
    """The fixture mirror shipped with the project for ``portal``."""
    path = _project_root() / "fixtures" / portal
    if not (path / "mirror.json").is_file():
        raise UserError(f"no bundled mirror for portal {portal!r} (looked in {path}); pass --mirror DIR")
    return path


def _parse_settings(pairs: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        if "=" not in pair:
            raise UserError(f"bad -s {pair!r}: use -s NAME=VALUE")
        key, value = pair.split("=", 1)
        out[key.strip()] = value
    return out


# -- crawl -----------------------------------------------------------------------------------
def _at_least_one(value: int | None, option: str) -> None:
    if value is not None and value < 1:
        raise UserError(f"{option} {value}: must be 1 or more (leave it out for no limit)")


def crawl_settings(args: argparse.Namespace) -> dict[str, Any]:
    """Setting overrides for one ``newscrawler crawl`` run (nothing is checked on disk here)."""
    overrides: dict[str, Any] = {"LOG_LEVEL": args.log_level}
    output = args.overwrite_output if args.overwrite_output is not None else args.output
    if output is not None:
        if not output:
            raise UserError("the output file name is empty: give one such as -O out.jsonl")
        overrides["FEEDS"] = {
            output: {
                "format": "jsonlines",
                "encoding": "utf-8",
                "overwrite": args.overwrite_output is not None,
            }
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
    if args.store is not None:
        if not args.store.strip():
            raise UserError("--store is empty: give a file, a redis:// URL or :memory:")
        overrides["DEDUPE_STORE"] = args.store
    elif offline:  # a fixture mirror is a demo: don't let it fill (or be hidden by) the user's store
        overrides["DEDUPE_STORE"] = ":memory:"
    if args.full:
        overrides["FULL_RECRAWL"] = True
    if args.jobdir is not None:
        if not args.jobdir.strip():
            raise UserError("--jobdir is empty: give a folder for the crawl's state")
        overrides["JOBDIR"] = args.jobdir
    _at_least_one(args.max_pages, "--max-pages")
    _at_least_one(args.max_articles, "--max-articles")
    if args.max_pages is not None:
        overrides["MAX_PAGES"] = args.max_pages
    if args.max_articles is not None:
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


def _local_feeds(settings: Any) -> dict[str, bool]:
    """The feeds written to local files: path -> overwrite."""
    feeds: dict[str, bool] = {}
    for uri, options in settings.getdict("FEEDS").items():
        text = str(uri)
        if text.startswith("file://"):
            text = text[len("file://") :]
        elif "://" in text:
            continue
        feeds[text] = bool(options.get("overwrite", False))
    return feeds


def preflight(settings: Any, start_url: str | None) -> list[Path]:
    """Check everything the crawl needs before it starts (see :mod:`newscrawler.preflight`);
    return the output files that do not exist yet (removed again if the crawl fails empty).
    ``start_url``: the host that must answer (None: not checked)."""
    from newscrawler import preflight as check
    from newscrawler.seen import store_spec
    from newscrawler.settings_check import SettingsError, check_settings

    try:
        check_settings(settings)
    except SettingsError as exc:
        raise UserError(str(exc)) from None
    new_outputs = [
        Path(path)
        for path, overwrite in _local_feeds(settings).items()
        if not check.check_output(path, overwrite)
    ]
    if settings.get("JOBDIR"):
        check.check_jobdir(str(settings.get("JOBDIR")))
    if settings.get("MIRROR_DIR"):
        check.check_mirror(str(settings.get("MIRROR_DIR")))
    value = settings.get("DEDUPE_STORE")
    given_as = "the default store" if value == "default" else "--store"
    check.check_store(store_spec(value), given_as=given_as)
    if settings.get("SUMMARY_FILE"):
        check.check_output(str(settings.get("SUMMARY_FILE")), overwrite=True)
    if settings.get("MIRROR_PROXY"):
        check.check_proxy(str(settings.get("MIRROR_PROXY")))
    elif not settings.get("MIRROR_DIR") and start_url is not None:
        check.check_reachable(start_url)
    return new_outputs


def cmd_crawl(args: argparse.Namespace) -> int:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawler.settings")
    from newscrawler.portals import UnknownPortal, get_portal
    from newscrawler.preflight import check_url

    if bool(args.portal) == bool(args.url):
        raise UserError("give a portal name (see 'newscrawler list') or --url HOME_URL, not both")
    spider_kwargs: dict[str, Any] = {}
    if args.portal:
        try:
            start_url = get_portal(args.portal).home_url
        except UnknownPortal as exc:
            raise UserError(f"{exc}; run 'newscrawler list'") from None
    else:
        check_url(args.url)
        start_url = spider_kwargs["url"] = args.url
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from newscrawler.settings_check import SettingsError, apply_settings

    settings = get_project_settings()
    try:
        apply_settings(settings, crawl_settings(args))
    except SettingsError as exc:
        raise UserError(str(exc)) from None
    new_outputs = preflight(settings, start_url)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(args.portal or "portal")
    process.crawl(crawler, **spider_kwargs)
    process.start()
    summary = crawler.stats.get_value("newscrawler/summary") if crawler.stats else None
    if not summary or not summary["pages_fetched"]:
        for path in new_outputs:  # nothing half-written: an output this run made and left empty
            if path.is_file() and path.stat().st_size == 0:
                path.unlink()
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
    from newscrawler.offline import extract_with_verdict
    from newscrawler.steps import Rejected

    body = _read_page(args.page)
    try:
        record, verdict = extract_with_verdict(body, args.url, _portal_for(args.portal, args.url))
    except Rejected as exc:
        print(f"error: {args.page}: {exc}", file=sys.stderr)
        return EXIT_NOT_ARTICLE if exc.reason == "non_article" else EXIT_FAILED
    if verdict is not None:
        print(
            f"{args.page}: not an article ({verdict}): the crawl does not export this page"
            + ("" if args.force else "; --force prints its record anyway"),
            file=sys.stderr,
        )
        if not args.force:
            return EXIT_NOT_ARTICLE
    print(json.dumps(record, ensure_ascii=False, indent=None if args.compact else 2))
    return 0


#: Bytes of a manifest looked at for NUL bytes: a text manifest has none, a binary file soon does.
BINARY_SNIFF = 8192


def _manifest_entry(raw: bytes, number: int) -> tuple[dict[str, Any] | None, str | None]:
    """(entry, None) for a usable manifest line, else (what is known of it, what is wrong)."""
    try:
        entry = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return None, f"line {number}: not UTF-8 text"
    except ValueError:
        return None, f"line {number}: not JSON"
    if not isinstance(entry, dict):
        return None, f"line {number}: not a {{id, path, url}} object"
    if "id" not in entry:
        return entry, f"line {number}: no id"
    if not isinstance(entry.get("path"), str) or not entry["path"]:
        return entry, f"line {number}: no path"
    return entry, None


def cmd_extract_batch(args: argparse.Namespace) -> int:
    """One JSON line per manifest line, in order: the record (with a ``verdict`` when the crawl
    would not export the page), or ``{"id", "error"}``. A page that fails is its own error line;
    unusable manifest lines are also summed up on stderr (one line) and make the exit status 2."""
    from newscrawler.offline import extract_with_verdict

    try:
        data = Path(args.manifest).read_bytes()
    except FileNotFoundError:
        raise UserError(
            f"no such manifest: {args.manifest} (a JSONL file of {{id, path, url}} lines)"
        ) from None
    except IsADirectoryError:
        raise UserError(
            f"{args.manifest} is a directory; give a JSONL file of {{id, path, url}} lines"
        ) from None
    except OSError as exc:
        raise UserError(f"cannot read {args.manifest}: {exc.strerror}") from None
    if b"\0" in data[:BINARY_SNIFF]:
        raise UserError(f"{args.manifest} is a binary file, not a JSONL manifest of {{id, path, url}} lines")
    out = sys.stdout
    bad: list[str] = []
    for number, raw in enumerate(data.splitlines(), 1):
        if not raw.strip():
            continue
        entry, problem = _manifest_entry(raw, number)
        if problem is not None:
            bad.append(problem)
            case_id = entry.get("id") if entry else None
            out.write(json.dumps({"id": case_id, "error": problem}, ensure_ascii=False) + "\n")
            continue
        assert entry is not None
        try:
            url = entry.get("url")
            page = _read_page(entry["path"])
            record, verdict = extract_with_verdict(page, url, _portal_for(entry.get("portal"), url))
            result = {"id": entry["id"], **record}
            if verdict is not None:  # (the crawl would not export it; scored all the same)
                result["verdict"] = f"not an article ({verdict})"
        except Exception as exc:  # one bad page must not stop the batch
            result = {"id": entry["id"], "error": f"{type(exc).__name__}: {exc}"}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    out.flush()
    if bad:
        more = f" (and {len(bad) - 3} more)" if len(bad) > 3 else ""
        raise UserError(
            f"{args.manifest}: {len(bad)} line(s) skipped, each an {{id, path, url}} JSON object: "
            f"{'; '.join(bad[:3])}{more}"
        )
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
class _Parser(argparse.ArgumentParser):
    """argparse with its mistakes as one ``error:`` line (not the usage block and a line)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"error: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newscrawler", description=__doc__.split("\n")[0])
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
    extract.add_argument(
        "--force", action="store_true", help="print the record of a page the crawl would refuse as no article"
    )
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
    from newscrawler.health.command import add_parser as add_health_parser

    add_health_parser(sub)
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
    except RunError as exc:
        print(f"error: {exc}", file=sys.stderr)
        status = EXIT_FAILED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return status


def run() -> None:
    """The ``newscrawler`` console script and ``python -m newscrawler``."""
    sys.exit(main())


if __name__ == "__main__":
    run()
