"""The events table at scale: a page at a time in date order, the range and the total said,
every event reachable and in the CSV."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from bench.generate import write_acled
from dashboard.dataset import Geodata
from dashboard.filters import FilterState, apply_filters
from dashboard.importing import load_path
from dashboard.query import EmbeddedStore
from dashboard.ui import selection
from dashboard.ui.state import EVENTS_TABLE
from dashboard.ui.table import PAGE_ROWS, TABLE_FIELDS, table_frame, table_page
from tests.test_app import run_app, shown

pytestmark = pytest.mark.app


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return write_acled(tmp_path_factory.mktemp("table") / "acled.csv", 2500, seed=11)


@pytest.fixture(scope="module")
def events(generated) -> pd.DataFrame:
    return load_path(generated, Geodata.load()).events


@pytest.fixture(scope="module")
def in_date_order(events) -> list[str]:
    """The generated events' ids in the order the filters select them (date order)."""
    return list(apply_filters(events, FilterState())["event_id"])


def ids(at) -> list[str]:
    return list(at.dataframe[0].value["ID"])


def captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def picker(at):
    [found] = [n for n in at.number_input if n.label.startswith("Page")]
    return found


@pytest.fixture
def everything(monkeypatch, generated):
    at = run_app(monkeypatch, events=generated)
    at.button(key="period_everything").click().run()
    return at


def test_a_large_table_shows_a_page_and_offers_all(everything, in_date_order):
    total = shown(everything)
    assert total == 2500
    assert ids(everything) == in_date_order[:PAGE_ROWS]
    assert f"Events 1–{PAGE_ROWS} of {total:,} shown, in date order" in captions(everything)
    assert picker(everything).value == 1 and picker(everything).label == "Page (of 25)"
    [download] = [b for b in everything.get("download_button")
                  if b.proto.label.startswith("Download all")]
    assert f"{total:,}" in download.proto.label


def test_page_two_shows_the_next_events_in_date_order(everything, in_date_order):
    picker(everything).set_value(2).run()
    assert not everything.exception, everything.exception
    assert ids(everything) == in_date_order[PAGE_ROWS:2 * PAGE_ROWS]
    assert "Events 101–200 of 2,500 shown, in date order" in captions(everything)
    picker(everything).set_value(25).run()  # the last page: every event reachable
    assert ids(everything) == in_date_order[24 * PAGE_ROWS:]
    assert "Events 2,401–2,500 of 2,500 shown" in captions(everything)


def test_other_dates_go_back_to_the_first_page(everything, events):
    picker(everything).set_value(3).run()
    assert picker(everything).value == 3
    year = (date(2023, 1, 1), date(2023, 12, 31))
    everything.slider(key="dates").set_value(year).run()
    assert not everything.exception, everything.exception
    expected = list(apply_filters(events, FilterState(*year))["event_id"])
    assert shown(everything) == len(expected) and PAGE_ROWS < len(expected) < 2500
    assert picker(everything).value == 1
    assert ids(everything) == expected[:PAGE_ROWS]
    assert f"Events 1–{PAGE_ROWS} of {len(expected):,} shown" in captions(everything)


def test_a_selected_event_opens_its_page_and_stays_in_others(everything, in_date_order):
    chosen = in_date_order[1234]  # on page 13
    everything.session_state[selection.SELECTED] = chosen  # as a click on its marker does
    everything.run()
    assert picker(everything).value == 13
    assert ids(everything) == in_date_order[12 * PAGE_ROWS:13 * PAGE_ROWS]
    assert everything.session_state[EVENTS_TABLE]["selection"]["rows"] == [34]  # marked
    picker(everything).set_value(1).run()  # turned away by the reader: it is added after
    assert picker(everything).value == 1
    assert ids(everything) == [*in_date_order[:PAGE_ROWS], chosen]
    assert "Events 1–100 of 2,500 shown, in date order, and the selected one after them" \
        in captions(everything)


def test_the_bundled_table_is_whole(monkeypatch):
    at = run_app(monkeypatch)
    assert len(at.dataframe[0].value) == shown(at)
    assert not [n for n in at.number_input if n.label.startswith("Page")]
    assert not [b for b in at.get("download_button")
                if b.proto.label.startswith("Download all")]


def test_the_chosen_event_stays_in_the_page(bundled):
    events = EmbeddedStore(bundled.events).select(FilterState())
    order = list(events.frame()["event_id"])
    last = order[-1]
    first, second = (table_frame(events.rows(start, 5, TABLE_FIELDS)) for start in (0, 5))
    page = table_page(events, last, first)
    assert list(page["ID"][:5]) == order[:5]
    assert page["ID"].iloc[-1] == last and len(page) == 6
    assert len(table_page(events, order[0], first)) == 5
    assert list(table_page(events, order[0], second)["ID"]) == [*order[5:10], order[0]]


def test_a_large_dataset_is_mapped_as_aggregates_that_count_every_event(monkeypatch,
                                                                         generated):
    """Beyond 2,000 events in view the map receives one circle per area, not each event."""
    import json

    at = run_app(monkeypatch, events=generated)
    at.button(key="period_everything").click().run()
    [component] = at.get("component_instance")
    layers = json.loads(component.proto.json_args)["feature_group"]
    assert "aggregate" in layers and "ev-marker" not in layers
    # The cells as sent: rows whose third field is the cell's count.
    rows, _ = json.JSONDecoder().raw_decode(layers, layers.index("dashboardAggregates(") + 20)
    assert sum(row[2] for row in rows) == shown(at) == 2500
    assert len(component.proto.json_args) < 200_000  # not 2,500 popups
    captions = " ".join(c.value for c in at.caption)
    assert "2,500 events are shown as circles" in captions
