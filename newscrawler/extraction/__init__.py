"""Article extraction: pure functions from raw bytes + headers + URL to article fields (no Scrapy).

Modules: :mod:`.decoding` (bytes → text), :mod:`.dates` (Chinese dates → ISO 8601),
:mod:`.bylines` (记者/通讯员/摄 bylines, photo credits; :mod:`.names` person or organisation),
:mod:`.infoline` (来源/责编/作者 info lines), :mod:`.text` (whitespace),
:mod:`.boilerplate` (disclaimers, share prompts, editor lines, 原题, chrome; the paragraph
cleaner), :mod:`.generic` (site-agnostic content extractor, split into :mod:`.tree`, :mod:`.title`,
:mod:`.scoring`, :mod:`.blocks`, :mod:`.meta`), :mod:`.page` (one page → raw article, with or
without a portal definition), :mod:`.assemble` (raw article → the record's content fields).

Import what you use from its module (``from newscrawler.extraction.dates import parse_date``).
"""
