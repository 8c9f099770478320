"""Popups: date and location precision, figures with who claims them, source and quote."""

from __future__ import annotations

from dashboard.layers.store import RECORD, event_store
from dashboard.map_builder import full_map
from dashboard.popups import TITLE_SLOT, popup_body, title_html, tooltip_rest
from tests.conftest import popup_as_shown, row

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def popup_of(make_dataset, **changes) -> str:
    data = make_dataset(row(**changes))
    return popup_as_shown(data.events.iloc[0].to_dict(), data.geodata.gazetteer)


def test_all_data_is_escaped(make_dataset):
    html = popup_of(make_dataset, title=HOSTILE, description=HOSTILE, quote=HOSTILE,
                    source=HOSTILE, claimed_by=HOSTILE, notes=HOSTILE, event_id="x'><b>",
                    actor1=HOSTILE)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "x&#x27;&gt;&lt;b&gt;" in html


def test_popup_traces_the_source(make_dataset):
    html = popup_of(make_dataset, source="Document B", source_ref="[4]",
                    quote="informed several minutes before")
    assert "Document B, footnote [4]" in html
    assert "“informed several minutes before”" in html


def test_popup_shows_place_variants_and_location_precision(make_dataset):
    html = popup_of(make_dataset, place_id="hakari_bridge")
    assert "Hakari bridge" in html and "Lachin checkpoint" in html
    assert "Location precision" in html and "±2,000 m" in html


def test_popup_shows_date_precision(make_dataset):
    assert "September 2023 (known to the month)" in popup_of(
        make_dataset, date_start="2023-09-01", date_precision="month", time="")
    assert "19 Sep 2023, 13:00 local time" in popup_of(make_dataset)
    span = popup_of(make_dataset, date_start="2022-12-01", date_end="2023-09-28",
                    date_precision="month", time="")
    assert "December 2022 – 28 Sep 2023 (start known to the month)" in span


def test_figures_are_attributed(make_dataset):
    html = popup_of(make_dataset, killed="200", injured="400", figure_qualifier="at_least",
                    claimed_by="NK ombudsperson")
    assert "at least 200 killed, at least 400 injured" in html
    assert "according to NK ombudsperson" in html


def test_movement_names_origin_and_destination(make_dataset):
    html = popup_of(make_dataset, place_id="hakari_bridge", category="displacement",
                    event_type="crossing", origin_place_id="nagorno_karabakh",
                    destination_place_id="syunik", displaced="68000",
                    figure_qualifier="more_than", claimed_by="Document A")
    assert "from Nagorno-Karabakh / Artsakh to Syunik" in html
    assert "more than 68,000 displaced" in html


def test_tooltip_is_escaped(make_dataset, geodata):
    record = make_dataset(row(title=HOSTILE)).events.iloc[0].to_dict()
    html = f"<b>{title_html(record)}</b><br>{tooltip_rest(record, geodata.gazetteer)}"
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "Stepanakert / Khankendi" in html and "19 Sep 2023" in html


def test_map_carries_each_title_once_and_fills_the_popup_slot(make_dataset, geodata):
    events = make_dataset(row(title="Once & only")).events
    [record] = event_store(events, geodata.gazetteer).records
    assert record[RECORD.index("title")] == "Once & only"  # plain: the browser escapes it
    page = full_map(events, geodata.gazetteer).get_root().render()
    assert page.count("Once \\u0026 only") == 1 and "Once & only" not in page
    body = popup_body(events.iloc[0].to_dict(), geodata.gazetteer)
    assert "Once" not in body and body.count(TITLE_SLOT) == 1
    filled = popup_as_shown(events.iloc[0].to_dict(), geodata.gazetteer)
    assert filled.count("Once &amp; only") == 1
    assert "<div class='ev-date'>19 Sep 2023, 13:00 local time</div><h4 class='ev-title'>" \
           "Once &amp; only</h4>" in filled
