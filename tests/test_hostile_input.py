"""Hostile files: injection payloads go through import, map, popups and every export, and
come out as text. (``test_browser_imports`` checks that no script from them runs.)"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from dashboard.export import EXPORTERS, SnapshotOptions, snapshot
from dashboard.filters import FilterState
from dashboard.importing import import_bytes, import_path
from dashboard.map_builder import event_layers, full_map
from dashboard.popups import title_html, tooltip_rest
from dashboard.safe_html import is_web_link, linked, text
from tests.conftest import page_store, popup_as_shown

HOSTILE = Path(__file__).parent / "fixtures" / "imports" / "hostile_acled.csv"
# The payloads as they would be live in HTML: tags, handlers in attributes, script links.
LIVE = re.compile(r"<script>window|<img src=x|</textarea>|onerror=\"window|"
                  r"onmouseover=\"window|href=\"javascript:", re.IGNORECASE)


@pytest.fixture(scope="module")
def hostile(geodata):
    data = import_path(HOSTILE, geodata)
    assert len(data.events) == 3, data.problems
    return data


def test_every_payload_survives_import_as_text(hostile):
    raw = list(csv.DictReader(HOSTILE.open(encoding="utf-8")))
    events = hostile.events.set_index("event_id")
    for row in raw:
        event = events.loc[row["event_id_cnty"]]
        assert event["quote"] == row["notes"], "the data was altered on import"
        assert event["place_name"] == row["location"]


def test_popups_and_tooltips_show_payloads_as_text(hostile):
    for row in hostile.events.to_dict("records"):
        html = popup_as_shown(row, hostile.geodata.gazetteer)
        assert not LIVE.search(html), LIVE.search(html)
        assert "&lt;script&gt;" in html or "&lt;img" in html or "[U+202E]" in html
        tooltip = f"<b>{title_html(row)}</b><br>{tooltip_rest(row, hostile.geodata.gazetteer)}"
        assert not LIVE.search(tooltip)


def test_the_map_page_has_no_live_payload(hostile):
    page = full_map(hostile.events, hostile.geodata.gazetteer).get_root().render()
    assert not LIVE.search(page), LIVE.search(page)
    assert "window.__pwned" in page  # the payloads are there, as text
    # ... in the map's event store, as they are: the browser escapes them (the template is
    # checked against the Python renderer in test_browser_popups)
    texts = json.dumps(page_store(page))
    for quote in hostile.events["quote"]:
        assert json.dumps(quote)[1:-1] in texts


def test_a_hostile_dataset_name_is_not_live_on_the_map(hostile, bundled):
    name = '<img src=x onerror="window.__pwned=1">.csv'
    renamed = import_bytes(HOSTILE.read_bytes(), name, hostile.geodata)
    from dashboard.dataset import combine
    both = combine([bundled, renamed])
    layers = event_layers(both.events, both.geodata.gazetteer)
    names = " ".join(group.layer_name for group in layers)
    page = full_map(both.events, both.geodata.gazetteer).get_root().render()
    assert not LIVE.search(names) and not LIVE.search(page)


@pytest.mark.parametrize("fmt", list(EXPORTERS))
def test_every_export_takes_hostile_text(hostile, fmt):
    content = snapshot(hostile, FilterState(), fmt, SnapshotOptions(width=800, height=560))
    assert content
    if fmt == "html":
        assert not LIVE.search(content.decode("utf-8"))
    if fmt == "svg":
        assert "<script" not in content.decode("utf-8").lower()
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        cells = [c for r in rows[1:] for c in r]
        assert not [c for c in cells if c[:1] in ("=", "+", "@")], "a formula cell survived"
        assert any(c.startswith("'=HYPERLINK") for c in cells)
    if fmt == "geojson":
        quotes = {f["properties"]["quote"] for f in json.loads(content)["features"]}
        assert quotes == set(hostile.events["quote"]), "GeoJSON must keep the data unaltered"


@pytest.mark.parametrize(("value", "link"), [
    ("https://example.org/a?b=1", True),
    ("http://example.org", True),
    ("javascript:alert(1)", False),
    (" JavaScript:alert(1)", False),
    ("data:text/html,<script>", False),
    ("https://", False),
    ("ftp://example.org/file", False),
    ("https://example.org/ x", False),
])
def test_only_web_links_become_links(value, link):
    assert is_web_link(value) is link
    html = linked(value)
    assert ("<a href=" in html) is link
    assert "<script" not in html


def test_direction_overrides_are_shown_not_obeyed():
    assert text("abc\u202edef\u2066") == "abc[U+202E]def[U+2066]"
    assert text("שלום \u200f") == "שלום \u200f"  # right-to-left text and marks untouched
