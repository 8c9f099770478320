"""Popups written in the browser from the map's event store, in Debian's Chromium.

The one template must write exactly what the Python renderer (``dashboard.popups``, kept as
the reference) writes, for every kind of event: points, arrows, areas, claims, figures,
links, and hostile text, which stays text. The heat overlay draws offline when turned on.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from bench.generate import acled_frame
from dashboard.aggregate import aggregate
from dashboard.assets import inline_url, localise
from dashboard.dataset import Dataset, combine
from dashboard.formatting import format_day, format_figures
from dashboard.importing import import_path
from dashboard.layers.aggregates import aggregate_layers
from dashboard.layers.features import records
from dashboard.layers.places import place_markers
from dashboard.map_builder import base_map, full_map
from dashboard.popups import TITLE_SLOT, popup_body, title_html, tooltip_rest, when_short
from dashboard.safe_html import text as escape
from dashboard.schema import CATEGORIES
from tests.browser_support import (
    PAGE_TIMEOUT,
    RERUN_TIMEOUT,
    broken_image_handled,
    map_frame,
    open_dashboard,
    search_for,
    wait_until,
)
from tests.conftest import row, serve
from tests.test_aggregate import ACLED_LAYER

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).parent / "fixtures" / "imports"
POPUP = ".leaflet-popup-content"
HOSTILE = ("<script>window.__pwned='s'</script> <img src=x onerror=\"window.__pwned='i'\">"
           " {{ 7*7 }} {% raw %} =cmd|' /C calc'!A0 \u202eevil")
# Events of our own format that reach every branch of the template.
OWN_ROWS = (
    row(event_id="own-links", source=" https://example.org/report?a=1&b=<i>x</i> ",
        source_ref=" https://example.org/fn#1 ", quote="", notes="", description=""),
    row(event_id="own-doc", source="Document B", source_ref="[4] {{ x }}", actor2=""),
    row(event_id="own-hostile", title=HOSTILE, description=HOSTILE, quote=HOSTILE,
        notes=HOSTILE, actor1=HOSTILE, claimed_by=HOSTILE, source=HOSTILE,
        source_ref=HOSTILE),
    row(event_id="own-figures", killed="200", injured="1400", figure_qualifier="at_least",
        claimed_by="NK ombudsperson"),
    row(event_id="own-claim", claimed_by="Ministry of Defence", date_start="2022-12-01",
        date_end="2023-09-28", date_precision="month", time=""),
    row(event_id="own-move", place_id="hakari_bridge", category="displacement",
        event_type="crossing", origin_place_id="nagorno_karabakh",
        destination_place_id="syunik", displaced="68000", figure_qualifier="more_than",
        claimed_by="Document A"),
    row(event_id="own-range", date_start="2023-01-01", date_end="2023-03-31",
        date_precision="range", time="", place_id="syunik", event_type="shelling_attack"),
)
# What the browser wrote for every event of the store, and for the shapes' labels.
WRITTEN = """() => {
  const store = window.dashboardStore;
  return {events: store.events.map(ev => [ev.event_id, window.dashboardPopup(ev, true),
                                          window.dashboardTooltip(ev),
                                          window.dashboardPopup(ev, false),
                                          window.dashboardArrowLabel(ev)]),
          places: store.places.map(p => [p[0], window.dashboardAreaLabel(p)])};
}"""
NORMALISED = """html => { const box = document.createElement('div'); box.innerHTML = html;
                          return box.innerHTML; }"""


def reference(record: dict, gazetteer: Any, titled: bool = True) -> str:
    """The Python renderer's popup of an event, as the map showed it before."""
    heading = f"<h4 class='ev-title'>{title_html(record)}</h4>" if titled else ""
    return popup_body(record, gazetteer).replace(TITLE_SLOT, heading)


@pytest.fixture(scope="module")
def mixed(bundled: Dataset, tmp_path_factory) -> Dataset:
    """The bundled events, the hostile ACLED file (hostile place names) and our own rows."""
    folder = tmp_path_factory.mktemp("own")
    path = folder / "own.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(OWN_ROWS[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(OWN_ROWS)
    own = import_path(path, bundled.geodata)
    hostile = import_path(FIXTURES / "hostile_acled.csv", bundled.geodata)
    assert len(own.events) == len(OWN_ROWS) and len(hostile.events) == 3, own.problems
    return combine([bundled, hostile, own])


def test_the_template_writes_what_the_python_renderer_wrote(page, guard, mixed, tmp_path):
    fmap = full_map(mixed.events, mixed.geodata.gazetteer)
    localise(fmap, inline_url)
    path = tmp_path / "map.html"
    path.write_text(fmap.get_root().render(), encoding="utf-8")
    page.goto(path.as_uri())
    wait_until(lambda: page.evaluate("() => !!window.dashboardStore"), PAGE_TIMEOUT,
               "the map's event store")
    written = page.evaluate(WRITTEN)
    gazetteer = mixed.geodata.gazetteer
    rows = records(mixed.events)
    assert [w[0] for w in written["events"]] == [r["event_id"] for r in rows]
    for record, (event_id, popup, tooltip, body, arrow) in zip(rows, written["events"],
                                                               strict=True):
        assert popup == reference(record, gazetteer), event_id
        assert body == reference(record, gazetteer, titled=False), event_id
        assert tooltip == (f"<b>{title_html(record)}</b><br>"
                           f"{tooltip_rest(record, gazetteer)}"), event_id
        assert arrow == escape(f"{format_figures(record) or 'People moving'} · "
                               f"{when_short(record)}"), event_id
    areas = {p.name: escape(f"{p.display_name} — {p.precision_text}") for p in gazetteer}
    for name, label in written["places"]:
        assert label == areas[name], name
    assert page.evaluate("() => window.dashboardEventIds()") == sorted(mixed.events["event_id"])
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    guard.assert_only_local()


# The HTML of an open popup's event: its item in a place's list, or the whole popup.
SHOWN = """([id, listed]) => {
  const popup = document.querySelector('.leaflet-popup-content');
  if (!popup) { return null; }
  if (listed) {
    const item = [...popup.querySelectorAll('details.ev-item[open]')]
      .find(d => d.dataset.eventId === id);
    return item ? item.querySelector(':scope > div').innerHTML : null;
  }
  const own = popup.querySelector('.ev-popup');
  return own && own.dataset.eventId === id ? popup.innerHTML : null;
}"""


def _open(frame: Any, event_id: str, listed: bool) -> str:
    """Open an event's popup on the map (its marker's, or its item in its place's list):
    the HTML the reader sees of it."""
    assert frame.evaluate("id => window.dashboardOpenEvent(id)", event_id), event_id

    def shown() -> str | None:  # opened again if a rerun replaced the layers meanwhile
        html = frame.evaluate(SHOWN, [event_id, listed])
        if html is None:
            frame.evaluate("id => window.dashboardOpenEvent(id)", event_id)
        return html

    return wait_until(shown, RERUN_TIMEOUT, f"the popup of {event_id}")


def _kinds(data: Dataset, shown: list[str]) -> dict[str, tuple[str, bool]]:
    """Shown events of each kind the test opens: id and whether it is in a place's list."""
    events = data.events[data.events["event_id"].isin(shown)]
    listed = {events["event_id"].iloc[n] for m in place_markers(events)
              if isinstance(m[2], list) for n in m[2]}
    figures = events[["killed", "injured", "displaced"]].notna().any(axis=1)
    claimed = events["claimed_by"].fillna("") != ""
    picks = {
        "point": events[(events["drawn_as"] == "point") & ~events["event_id"].isin(listed)],
        "arrow": events[events["drawn_as"] == "arrow"],
        "area": events[events["drawn_as"] == "area"],
        "claim without figures": events[claimed & ~figures],
        "figures and claimant": events[claimed & figures],
    }
    chosen = {}
    for kind, found in picks.items():
        assert len(found), f"the map shows no {kind} event at first any more"
        event_id = found["event_id"].iloc[0]
        chosen[kind] = (event_id, event_id in listed)
    return chosen


def test_popups_on_the_map_are_those_the_python_renderer_made(page, server, guard, bundled):
    frame, ids = open_dashboard(page, server.url)
    by_id = {r["event_id"]: r for r in records(bundled.events)}
    for kind, (event_id, listed) in _kinds(bundled, ids).items():
        shown = _open(frame, event_id, listed)
        expected = reference(by_id[event_id], bundled.geodata.gazetteer, titled=not listed)
        assert shown == frame.evaluate(NORMALISED, expected), f"the {kind} event {event_id}"
        frame.evaluate("() => { window.map.closePopup(); }")
    # The arrows' labels say what the Python renderer said.
    labels = frame.locator(".ev-arrow-label")
    arrows = bundled.events[(bundled.events["drawn_as"] == "arrow")
                            & bundled.events["event_id"].isin(ids)]
    expected = {f"{format_figures(r) or 'People moving'} · {when_short(r)}"
                for r in records(arrows)}
    assert {labels.nth(i).inner_text() for i in range(labels.count())} == expected
    guard.assert_only_local()


def test_hostile_text_in_title_quote_and_place_shows_as_text(page, guard, tmp_path):
    rows = list(csv.DictReader((FIXTURES / "hostile_acled.csv").open(encoding="utf-8")))
    extra = dict(rows[0], event_id_cnty="HOST9", location=HOSTILE, notes=HOSTILE,
                 actor1=HOSTILE, latitude="40.5", longitude="45.0")
    path = tmp_path / "hostile.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows([*rows, extra])
    with serve(path) as hostile:
        frame, ids = open_dashboard(page, hostile.url)
        assert "HOST9" in ids
        assert search_for(page, frame, "calc", 1) == ["HOST9"]
        frame = map_frame(page)
        popup = frame.locator(POPUP)
        _open(frame, "HOST9", listed=False)
        text = popup.inner_text()
        for shown in ("<script>window.__pwned='s'</script>", "{{ 7*7 }}", "{% raw %}",
                      "=cmd|' /C calc'!A0", "[U+202E]evil",
                      "<img src=x onerror=\"window.__pwned='i'\">"):
            assert text.count(shown) >= 3, (shown, text)  # title, quote and place name
        assert popup.locator("img, script, svg").count() == 0, "markup became HTML"
        marker = frame.locator(".ev-marker")
        marker.hover()
        tooltip = frame.locator(".leaflet-tooltip", has_text="window.__pwned")
        tooltip.wait_for(state="visible", timeout=5000)
        assert tooltip.locator("img, script").count() == 0
        assert wait_until(lambda: broken_image_handled(frame), 5, "an image error handler")
        assert frame.evaluate("() => typeof window.__pwned") == "undefined"
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
        guard.assert_only_local()


def _cell_tooltip(cell: dict) -> str:
    """A cell's tooltip as the Python renderer wrote it before the browser did."""
    lines = [f"<b>{cell['count']:,} events</b> (click to zoom in)"]
    lines += [f"{escape(CATEGORIES[c].label)}: {cell[c]:,}" for c in CATEGORIES if cell[c]]
    first, last = format_day(cell["first"].date()), format_day(cell["last"].date())
    lines.append(first if first == last else f"{first} – {last}")
    return "<br>".join(lines)


def test_aggregate_tooltips_and_labels_are_those_of_before(page, guard, geodata, tmp_path):
    raw = acled_frame(3000, seed=9)
    day = pd.to_datetime(raw["event_date"])
    cells = aggregate(pd.DataFrame({
        "lat": raw["latitude"].astype(float), "lon": raw["longitude"].astype(float),
        "category": raw["event_type"].map(ACLED_LAYER), "start": day, "end": day}), 7)
    fmap = base_map(geodata.gazetteer)
    for layer in aggregate_layers(cells):
        layer.add_to(fmap)
    localise(fmap, inline_url)
    path = tmp_path / "cells.html"
    path.write_text(fmap.get_root().render(), encoding="utf-8")
    page.goto(path.as_uri())
    written = wait_until(lambda: page.evaluate("""() => {
        const found = [];
        document.querySelectorAll('path.ev-aggregate').forEach(p => found.push(
            p.getAttribute('aria-label')));
        return found.length ? found : null; }"""), PAGE_TIMEOUT, "the aggregates' circles")
    tooltips = page.evaluate("""() => { const found = [];
        Object.values(window).forEach(v => { if (v && v instanceof L.Map) {
          v.eachLayer(l => { if (l.feature && l.feature.properties.kind === 'aggregate') {
            found.push(l.getTooltip().getContent()); } }); } });
        return found; }""")
    assert sorted(tooltips) == sorted(_cell_tooltip(c) for c in cells.to_dict("records"))
    assert sorted(written) == sorted(
        f"{c['count']:,} events, mostly {CATEGORIES[c['dominant']].label}"
        for c in cells.to_dict("records"))
    guard.assert_only_local()


def _heat_canvases(frame: Any) -> int:
    return frame.locator("canvas.leaflet-heatmap-layer").count()


def test_the_heat_overlay_is_off_until_turned_on_and_draws_offline(page, server, guard):
    frame, _ = open_dashboard(page, server.url)
    switch = frame.get_by_role("checkbox", name="Heat map of events")
    assert not switch.is_checked() and _heat_canvases(frame) == 0
    switch.check()
    wait_until(lambda: _heat_canvases(frame) == 1, RERUN_TIMEOUT, "the heat canvas")
    painted = frame.evaluate("""() => {
        const c = document.querySelector('canvas.leaflet-heatmap-layer');
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) { return true; } }
        return false; }""")
    assert painted, "the heat canvas is blank"
    # Other events (a rerun): the heat stays on, drawn once, from the events now shown.
    assert len(search_for(page, frame, "Taghaverd", 1)) == 1
    frame = map_frame(page)
    assert frame.get_by_role("checkbox", name="Heat map of events").is_checked()
    wait_until(lambda: _heat_canvases(frame) == 1, RERUN_TIMEOUT, "one heat canvas")
    guard.assert_only_local()
