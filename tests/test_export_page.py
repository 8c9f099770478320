"""The standalone HTML page: every asset inline, every event once, the same view."""

from __future__ import annotations

import re
from datetime import date

import pytest

from dashboard.export import SnapshotOptions, snapshot
from dashboard.filters import FilterState, apply_filters
from dashboard.map_popups import script_json
from tests.conftest import row

STATE = FilterState(date_from=date(2023, 9, 19), date_to=date(2023, 9, 28))
ASSET_URL = re.compile(r"""(?:src|href)\s*=\s*["']?(https?:)""", re.IGNORECASE)


@pytest.fixture(scope="module")
def page(bundled) -> str:
    return snapshot(bundled, STATE, "html").decode("utf-8")


def encoded(title: str) -> str:
    """A title as the page stores it: in the map's event store, JSON-encoded (the browser
    escapes it)."""
    return script_json(title)


def test_every_filtered_title_is_in_the_page_exactly_once(page, bundled):
    shown = apply_filters(bundled.events, STATE)
    assert len(shown) > 10
    for title in shown["title"]:
        assert page.count(encoded(title)) == 1, title
    hidden = bundled.events[~bundled.events["event_id"].isin(shown["event_id"])]
    assert not any(encoded(t) in page for t in hidden["title"])


def test_no_asset_comes_from_the_internet(page):
    assert ASSET_URL.findall(page) == []
    # The only web addresses left are the optional tile layer's template and attribution.
    hosts = set(re.findall(r"https?://([^/\"'\\]+)", page))
    assert hosts <= {"tile.openstreetmap.org", "www.openstreetmap.org", "www.w3.org"}, hosts


def test_page_says_what_it_shows_and_where_from(page):
    assert "<title>Events 19 Sep 2023 – 28 Sep 2023 · all regions · all layers</title>" in page
    header = page[page.index("<header"):page.index("</header>")]
    assert "Sources: Document" in header and "Natural Earth" in header
    assert "Document A: analysis of 28 Sept 2023" in header
    assert "Document B: analysis of 22-24 Sept 2023 — “Nagorno-Karabakh. Military" in header
    assert "Outside this view (zoom out): Moscow" in page


def test_tiles_are_optional_and_off(page):
    assert "OpenStreetMap (needs internet)" in page
    assert re.search(r"tile_layer_\w+ = L\.tileLayer\(", page)
    assert not re.search(r"tile_layer_\w+\.addTo\(", page)


def test_area_follows_the_bounds_option(bundled):
    options = SnapshotOptions(bounds=(39.4, 46.3, 39.9, 46.9))
    html = snapshot(bundled, STATE, "html", options).decode("utf-8")
    assert "[[39.4, 46.3], [39.9, 46.9]]" in html
    assert "Outside this view (zoom out): " in html and "Yerevan" in html


def test_hostile_text_is_escaped_in_the_page(make_dataset):
    data = make_dataset(row(title="</script><script>alert(1)</script>",
                            description="<img src=x onerror=alert(2)>"))
    html = snapshot(data, FilterState(), "html").decode("utf-8")
    assert "<script>alert(1)" not in html and "<img src=x" not in html
