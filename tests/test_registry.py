"""Every registered portal has article and section fixtures with expected JSON, and they match.

A failure names the fixture; if the change of output is intended, update the portal's fixture
data (``fixtures/<portal>/source``) and rebuild with ``python fixtures/tools/build_<portal>.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse

from newscrawler.offline import extract_record
from newscrawler.portals import all_portals
from newscrawler.spiders.portal import PortalSpider
from tests.conftest import FIXTURES, VOLATILE, load_json, mirror_fetcher


def _cases(kind: str) -> list[Any]:
    cases = []
    for name in sorted(all_portals()):
        for path in sorted((FIXTURES / name / "expected" / kind).glob("*.json")):
            cases.append(pytest.param(name, path, id=f"{name}/{path.stem}"))
    return cases


@pytest.mark.parametrize("name", sorted(all_portals()))
def test_every_portal_has_fixtures(name: str) -> None:
    root = FIXTURES / name
    hint = f"portal {name!r} needs a fixture mirror in {root} (see fixtures/README.md)"
    assert (root / "mirror.json").is_file(), hint
    assert list((root / "expected" / "articles").glob("*.json")), f"{hint}: no expected article JSON"
    assert list((root / "expected" / "sections").glob("*.json")), f"{hint}: no expected section JSON"


@pytest.mark.parametrize(("name", "path"), _cases("articles"))
def test_article_fixture_matches(name: str, path: Path) -> None:
    portal = all_portals()[name]
    expected = load_json(path)
    fetch = mirror_fetcher(FIXTURES / name)
    fetched = fetch(expected["url"])
    assert fetched is not None, f"{expected['url']} is not in fixtures/{name}/mirror.json"
    record = extract_record(fetched[0], expected["url"], portal, headers=fetched[1], fetch=fetch)
    for key, value in expected.items():
        if key in VOLATILE or key.startswith("alternate"):
            continue
        assert record[key] == value, f"{path.name}: field {key!r} differs"


@pytest.mark.parametrize(("name", "path"), _cases("sections"))
def test_section_fixture_matches(name: str, path: Path) -> None:
    portal = all_portals()[name]
    expected = load_json(path)
    fetched = mirror_fetcher(FIXTURES / name)(expected["url"])
    assert fetched is not None, f"{expected['url']} is not in fixtures/{name}/mirror.json"
    body, headers = fetched
    response = HtmlResponse(expected["url"], body=body, headers=dict(headers))
    spider = PortalSpider.for_portal(portal)()
    assert spider.article_links(response) == expected["articles"], f"{path.name}: article links differ"
    assert spider.next_list_page(response) == expected["next_page"], f"{path.name}: next page differs"
