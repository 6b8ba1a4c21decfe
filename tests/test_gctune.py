"""The GC extension freezes what start-up left alive while the engine runs, and unfreezes it
when the engine stops; the collector's thresholds stay CPython's."""

from __future__ import annotations

import gc

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newscrawler.gctune import GcTuning


def test_freeze_while_the_engine_runs() -> None:
    before = gc.get_threshold()
    ext = GcTuning.from_crawler(get_crawler(settings_dict={}))
    ext.engine_started()
    try:
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == before
    finally:
        ext.engine_stopped()
    assert gc.get_freeze_count() == 0


def test_can_be_turned_off() -> None:
    with pytest.raises(NotConfigured):
        GcTuning.from_crawler(get_crawler(settings_dict={"GC_TUNING": False}))
