"""Resuming a crawl after a stop, graceful or not (``JOBDIR`` / ``newscrawler crawl --jobdir``).

Scrapy's JOBDIR resumes a crawl that was stopped *gracefully* (one Ctrl-C, SIGTERM): its request
queue and its seen-requests file are consistent then. After SIGKILL, a power cut or an OOM kill
they are not (the seen-requests file lists requests that were queued but never fetched, so a
resumed crawl would silently skip them). This extension keeps its own record in
``JOBDIR/newscrawler.json``: the crawl's outputs and whether it stopped cleanly. When the
previous run did not stop cleanly, it

  - discards Scrapy's request queue and seen-requests file (the crawl starts again from the home
    page; what was already exported is skipped by the seen-store, not re-fetched);
  - removes a trailing incomplete line from the previous outputs (there is none with the
    unbuffered feed storage, but a disk-full or an older writer may leave one);
  - reloads every record of the previous outputs into the seen-store, so an article exported
    just before the kill, whose store entry had not been written yet, is not exported again;
  - lets the resumed crawl follow every list page the interrupted runs had scheduled
    (``JOBDIR/list_pages.txt``, one URL per line, appended as they are scheduled), even where the
    incremental pagination stop would not: those runs may have died before exporting what such a
    page lists, and the reloaded records make the page before it look all known.

Together with the unbuffered feed storage, every article ends up exported exactly once across
the outputs of the killed run and the resumed one, and every line is complete. After a graceful
stop Scrapy's own queue resumes the crawl (request meta of the earlier run, such as the mirror
proxy, is rewritten by the middlewares that own it).
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newscrawler.dedupe.fingerprint import canonical_url
from newscrawler.incremental import NEXT_LIST_PAGE, exempt_from_stop
from newscrawler.seen import seen_store

logger = logging.getLogger(__name__)

STATE_FILE = "newscrawler.json"
#: next list pages scheduled since the crawl began (across stops), one URL per line
LIST_PAGES_FILE = "list_pages.txt"


def _local_path(uri: str) -> Path | None:
    if uri.startswith("file://"):
        return Path(uri[len("file://") :])
    if "://" in uri:
        return None
    return Path(uri)


def repair_jsonl(path: Path) -> int:
    """Drop a trailing incomplete line of ``path``; return the number of complete records."""
    if not path.is_file():
        return 0
    data = path.read_bytes()
    keep = len(data) if data.endswith(b"\n") or not data else data.rfind(b"\n") + 1
    if keep != len(data):
        logger.warning("%s: removing an incomplete last line (%d bytes)", path, len(data) - keep)
        with path.open("r+b") as fh:
            fh.truncate(keep)
    return data[:keep].count(b"\n")


def iter_records(path: Path) -> Any:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                yield json.loads(line)
            except ValueError:
                logger.warning("%s: skipping a line that is not JSON", path)


class ResumeState:
    def __init__(self, crawler: Crawler, jobdir: Path) -> None:
        self.crawler = crawler
        self.jobdir = jobdir
        self.state_path = jobdir / STATE_FILE
        self.list_pages_path = jobdir / LIST_PAGES_FILE
        self._list_pages: set[str] = set()
        self._list_pages_file: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResumeState:
        jobdir = crawler.settings.get("JOBDIR")
        if not jobdir:
            raise NotConfigured
        ext = cls(crawler, Path(jobdir))
        ext.start()
        crawler.signals.connect(ext.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _read(self) -> dict[str, Any]:
        try:
            return dict(json.loads(self.state_path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return {}

    def _write(self, state: dict[str, Any]) -> None:
        self.jobdir.mkdir(parents=True, exist_ok=True)
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(self.state_path)

    def start(self) -> None:
        previous = self._read()
        outputs: list[str] = list(previous.get("outputs", []))
        if previous and not previous.get("clean", False):
            logger.warning(
                "the previous crawl in %s did not stop cleanly: restarting from the home page; "
                "articles it exported are skipped",
                self.jobdir,
            )
            self._discard_scheduler_state()
            self._reload(outputs)
            self._list_pages = self._read_list_pages()
            exempt_from_stop(self.crawler, self._list_pages)
        elif not previous:  # a new crawl
            self.list_pages_path.unlink(missing_ok=True)
        else:  # after a graceful stop: Scrapy's queue holds the pages not fetched yet
            self._list_pages = self._read_list_pages()
        current = [str(uri) for uri in (self.crawler.settings.getdict("FEEDS") or {})]
        for uri in current:
            if uri not in outputs:
                outputs.append(uri)
        self._write({"outputs": outputs, "clean": False})

    def _read_list_pages(self) -> set[str]:
        try:
            text = self.list_pages_path.read_text(encoding="utf-8")
        except OSError:
            return set()
        return {line for line in text.splitlines() if line}

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        """Append a next list page to ``list_pages.txt`` (unbuffered: it survives a SIGKILL)."""
        if not request.meta.get(NEXT_LIST_PAGE) or request.url in self._list_pages:
            return
        self._list_pages.add(request.url)
        if self._list_pages_file is None:
            self._list_pages_file = self.list_pages_path.open("ab", buffering=0)
        self._list_pages_file.write(request.url.encode("utf-8") + b"\n")

    def _reload(self, outputs: list[str]) -> None:
        store = seen_store(self.crawler)
        reloaded = 0
        for uri in outputs:
            path = _local_path(uri)
            if path is None or not path.is_file():
                continue
            repair_jsonl(path)
            for record in iter_records(path):
                url, body = record.get("url"), record.get("body")
                if not url or not body:
                    continue
                canon = record.get("canonical_url") or canonical_url(url)
                store.add(url=url, canonical_url=canon, body=body, portal=record.get("portal") or "")
                reloaded += 1
        logger.info("reloaded %d exported records from the previous outputs", reloaded)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value("newscrawler/resume/reloaded", reloaded)

    def _discard_scheduler_state(self) -> None:
        for name in ("requests.seen", "spider.state"):
            (self.jobdir / name).unlink(missing_ok=True)
        shutil.rmtree(self.jobdir / "requests.queue", ignore_errors=True)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """A stopped crawl resumes from JOBDIR; a finished one leaves it ready for the next run
        (Scrapy would otherwise filter every request of that run as already seen)."""
        if self._list_pages_file is not None:
            self._list_pages_file.close()
            self._list_pages_file = None
        if reason == "finished":
            self._discard_scheduler_state()
            self.list_pages_path.unlink(missing_ok=True)
            self._write({"outputs": [], "clean": True, "last_reason": reason})
        else:
            state = self._read()
            self._write({**state, "clean": True, "last_reason": reason})
