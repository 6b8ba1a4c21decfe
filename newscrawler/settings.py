"""Scrapy settings of the newscrawler project (``scrapy crawl`` and ``newscrawler crawl``)."""

from newscrawler.record import FIELDS

BOT_NAME = "newscrawler"
SPIDER_MODULES = ["newscrawler.spiders"]
NEWSPIDER_MODULE = "newscrawler.spiders"
SPIDER_LOADER_CLASS = "newscrawler.spiderloader.PortalSpiderLoader"

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

# Scrapy 2.19's RemoteControl extension runs code sent to it over localhost: never in this project.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False

DOWNLOADER_MIDDLEWARES = {
    # before HttpProxyMiddleware (750), which reads request.meta["proxy"]
    "newscrawler.middlewares.MirrorProxyMiddleware": 740,
    # after RobotsTxtMiddleware (100): a request that robots.txt forbids is not counted
    "newscrawler.middlewares.PageLimitMiddleware": 110,
}

SPIDER_MIDDLEWARES = {
    "newscrawler.incremental.IncrementalMiddleware": 950,
}

# Worker processes for the CPU work of article pages (newscrawler.workers): extraction, and
# clean → validate → fingerprint. 0: inline, in the reactor thread; N: a pool of N processes;
# "auto": min(4, CPUs - 1), 0 on one core. newscrawler crawl --workers N.
# Default 0. Measured with benchmarks/bench_crawl.py (2000-article mirror, 2 cores, 32 parallel
# requests, no delay; medians of 3): bare Scrapy ~620 pages/s; inline ~375 (0.60x); 1 worker
# ("auto" here) ~510 (0.81x), peak RSS ~100 -> ~136 MB with the worker; 2 workers ~460 (0.75x,
# ~172 MB). A polite crawl (DOWNLOAD_DELAY, 4 requests per site) fetches a few pages per second
# and spends well under 1% of a core on extraction: workers would only add processes, memory and
# start-up. The whole test suite passes with "auto" as well.
EXTRACTION_PROCESSES = 0

ITEM_PIPELINES = {
    "newscrawler.pipelines.WorkerStepsPipeline": 50,
    "newscrawler.pipelines.CleanPipeline": 100,
    "newscrawler.pipelines.ValidatePipeline": 200,
    "newscrawler.pipelines.FingerprintPipeline": 300,
    "newscrawler.pipelines.DedupePipeline": 400,
    "newscrawler.pipelines.LimitPipeline": 500,
    "newscrawler.pipelines.FinalizePipeline": 900,
}

EXTENSIONS = {
    "newscrawler.extensions.CrawlSummary": 500,
    "newscrawler.resume.ResumeState": 510,
    "newscrawler.gctune.GcTuning": 520,
}
# gc.freeze() once the engine has started and a higher gen-0 threshold (newscrawler/gctune.py).
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

# Write the end-of-crawl summary as JSON to this file too (the scheduler reads it).
SUMMARY_FILE = None

LOG_LEVEL = "INFO"
LOG_FORMATTER = "newscrawler.logformatter.NewsLogFormatter"
