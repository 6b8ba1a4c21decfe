"""The project's Scrapy commands (``COMMANDS_MODULE``): ``crawl`` is Scrapy's, with the checks of
``newscrawler crawl`` first."""
