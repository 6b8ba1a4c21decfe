"""Scrapy settings of the newscrawler project (``scrapy crawl`` and ``newscrawler crawl``)."""

from newscrawler.record import FIELDS

BOT_NAME = "newscrawler"
SPIDER_MODULES = ["newscrawler.spiders"]
NEWSPIDER_MODULE = "newscrawler.spiders"
SPIDER_LOADER_CLASS = "newscrawler.spiderloader.PortalSpiderLoader"
# `scrapy crawl` checks settings, mirror, outputs and store first, as `newscrawler crawl` does
COMMANDS_MODULE = "newscrawler.commands"

USER_AGENT = "newscrawler/0.1 (+https://github.com/newscrawler/newscrawler; news archiving crawler)"

# Politeness: obey robots.txt, a delay per domain, few parallel requests per site.
ROBOTSTXT_OBEY = True
DOWNLOAD_DELAY = 0.5
DOWNLOAD_DELAY_JITTER = 0.5
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
# Outputs of one response processed in parallel. Scrapy starts this many asyncio tasks for every
# response; a list page yields ~20 requests and an article one item, so 100 (the default) only
# costs time (measured with benchmarks/bench_crawl.py).
CONCURRENT_ITEMS = 16
RETRY_ENABLED = True
RETRY_TIMES = 2
COOKIES_ENABLED = False
# Page size limits. A news page is tens to hundreds of KB; extraction holds about 30x a page's
# size at its peak (benchmarks/bench_page_memory.py), so Scrapy's 1 GB default could take tens of
# GB. A page over DOWNLOAD_MAXSIZE is not downloaded (counted "dropped: too_large"); one over
# DOWNLOAD_WARNSIZE is logged with a warning and kept.
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024

# Scrapy 2.19's RemoteControl extension runs code sent to it over localhost: never in this project.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

DOWNLOADER_MIDDLEWARES = {
    # before HttpProxyMiddleware (750), which reads request.meta["proxy"]
    "newscrawler.middlewares.MirrorProxyMiddleware": 740,
    # after RobotsTxtMiddleware (100): a request that robots.txt forbids is not counted
    "newscrawler.middlewares.PageLimitMiddleware": 110,
    # process_response runs from the highest number down: before RedirectMiddleware (600)
    "newscrawler.middlewares.RedirectGuardMiddleware": 610,
    # process_exception too: before RetryMiddleware (550) sees the cancelled download
    "newscrawler.middlewares.TooLargeMiddleware": 620,
}

SPIDER_MIDDLEWARES = {
    "newscrawler.incremental.IncrementalMiddleware": 950,
    # before the incremental middleware (higher = nearer the spider): counts known links too
    "newscrawler.health.collect.ListedLinksMiddleware": 960,
}

ITEM_PIPELINES = {
    "newscrawler.pipelines.CleanPipeline": 100,
    "newscrawler.pipelines.ValidatePipeline": 200,
    "newscrawler.pipelines.FingerprintPipeline": 300,
    "newscrawler.pipelines.DedupePipeline": 400,
    "newscrawler.pipelines.LimitPipeline": 500,
    "newscrawler.pipelines.FinalizePipeline": 900,
    "newscrawler.validation.SchemaPipeline": 950,  # the shipped JSON Schema, last before export
}

EXTENSIONS = {
    "newscrawler.extensions.CrawlSummary": 500,
    "newscrawler.resume.ResumeState": 510,
    # after CrawlSummary: keeps the summary's run in the health store
    "newscrawler.health.collect.HealthExtension": 520,
    "newscrawler.gctune.GcTuning": 530,
}
# gc.freeze() once the engine has started (newscrawler/gctune.py).
GC_TUNING = True

# JSON Lines: UTF-8 without \u escapes, the record's fields in a fixed order.
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = list(FIELDS)
FEED_EXPORTERS = {"jsonl": "scrapy.exporters.JsonLinesItemExporter"}
# local feeds unbuffered: a killed crawl leaves complete lines and loses no exported record
FEED_STORAGES = {
    "": "newscrawler.feedstorage.UnbufferedFileFeedStorage",
    "file": "newscrawler.feedstorage.UnbufferedFileFeedStorage",
}

# Offline mirror (see newscrawler.mirror): a folder with mirror.json, served on 127.0.0.1.
MIRROR_DIR = None
MIRROR_PROXY = None

# Dedupe: "default" = the SQLite store in the user's data directory ($XDG_DATA_HOME/newscrawler/
# seen.sqlite3), kept across runs; a file path (SQLite) or a redis:// URL; ":memory:" = this crawl only.
DEDUPE_STORE = "default"
DEDUPE_KEEP_DUPLICATES = False
# With a persistent store, skip known articles and stop a section's pagination at a page of known
# articles; FULL_RECRAWL = True (newscrawler crawl --full) walks and fetches everything again.
FULL_RECRAWL = False

# Fetch at most this many pages (0: no limit); newscrawler crawl --max-pages.
MAX_PAGES = 0
# Export at most this many records (0: no limit); newscrawler crawl --max-articles.
MAX_ARTICLES = 0

# Skip sitemap/feed entries and list items dated before this (ISO date, newscrawler crawl --since).
CRAWL_SINCE = None

# Write the end-of-crawl summary as JSON to this file too (the scheduler reads it).
SUMMARY_FILE = None

# Crawl health (newscrawler.health): "default" keeps each run's figures in health.sqlite3 beside
# the seen-store (or in its Redis); none with an in-memory seen-store; a path, a redis:// URL, or
# "off". HEALTH_RUN_ID: the run's id in it (default: the UTC start time, 20261127T011500Z).
HEALTH_STORE = "default"
HEALTH_RUN_ID = None

LOG_LEVEL = "INFO"
LOG_FORMATTER = "newscrawler.logformatter.NewsLogFormatter"
