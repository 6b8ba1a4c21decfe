"""Local JSONL feeds written line by line, straight to the OS.

Scrapy's file storage buffers its writes: a crawl killed with SIGKILL can leave a half line and
lose the buffered records. Unbuffered, each record (one ``write`` by the JSON Lines exporter) is
in the file as soon as it is exported, and the seen-store only learns of it afterwards (see
:class:`newscrawler.pipelines.DedupePipeline`), so a killed crawl never loses an exported record.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from scrapy import Spider
from scrapy.extensions.feedexport import FileFeedStorage


class UnbufferedFileFeedStorage(FileFeedStorage):
    def open(self, spider: Spider) -> IO[bytes]:
        path = Path(self.path)
        if not path.parent.exists():
            path.parent.mkdir(parents=True)
        return path.open(self.write_mode, buffering=0)
