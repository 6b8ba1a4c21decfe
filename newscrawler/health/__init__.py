"""Crawl health: per-run figures, a store of them, and a check against recent history.

- :mod:`.figures`: field coverage and counts of one run (pure, no Scrapy);
- :mod:`.collect`: the Scrapy extension and spider middleware that gather them during a crawl,
  put them in the summary and append the run to the health store;
- :mod:`.store`: the health store (SQLite beside the seen-store, or Redis), keyed by portal and run;
- :mod:`.check`: the last run of each portal against the median of its recent runs: alarms;
- :mod:`.report`: the check as text and as one static HTML page;
- :mod:`.command`: ``newscrawler health`` and the alarm command the scheduler runs.
"""
