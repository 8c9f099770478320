"""The events table at scale: the first rows by date, the total said, every event in the CSV."""

from __future__ import annotations

import pytest

from bench.generate import write_acled
from dashboard.filters import FilterState
from dashboard.query import EmbeddedStore
from dashboard.ui.table import TABLE_ROWS, table_page
from tests.test_app import run_app, shown

pytestmark = pytest.mark.app


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return write_acled(tmp_path_factory.mktemp("table") / "acled.csv", 2500, seed=11)


def test_a_large_table_shows_the_first_rows_and_offers_all(monkeypatch, generated):
    at = run_app(monkeypatch, events=generated)
    at.button(key="period_everything").click().run()
    total = shown(at)
    assert total == 2500
    table = at.dataframe[0].value
    assert len(table) == TABLE_ROWS
    assert list(table["ID"]) == list(dict.fromkeys(table["ID"]))  # no row twice
    captions = " ".join(c.value for c in at.caption)
    assert f"The first {TABLE_ROWS:,} of {total:,} shown events" in captions
    [download] = [b for b in at.get("download_button")
                  if b.proto.label.startswith("Download all")]
    assert f"{total:,}" in download.proto.label


def test_the_bundled_table_is_whole(monkeypatch):
    at = run_app(monkeypatch)
    assert len(at.dataframe[0].value) == shown(at)
    assert not [b for b in at.get("download_button")
                if b.proto.label.startswith("Download all")]


def test_the_chosen_event_stays_in_the_page(bundled):
    events = EmbeddedStore(bundled.events).select(FilterState())
    last = events.frame()["event_id"].iloc[-1]
    page = table_page(events, last, rows=5)
    assert list(page["ID"][:5]) == list(events.frame()["event_id"][:5])
    assert page["ID"].iloc[-1] == last and len(page) == 6
    assert len(table_page(events, events.frame()["event_id"].iloc[0], rows=5)) == 5



def test_a_large_dataset_is_mapped_as_aggregates_that_count_every_event(monkeypatch,
                                                                         generated):
    """Beyond 2,000 events in view the map receives one circle per area, not each event."""
    import json

    at = run_app(monkeypatch, events=generated)
    at.button(key="period_everything").click().run()
    [component] = at.get("component_instance")
    layers = json.loads(component.proto.json_args)["feature_group"]
    assert "aggregate" in layers and "ev-marker" not in layers
    counts = [int(n) for n in __import__("re").findall(r'"count": (\d+)', layers)]
    assert sum(counts) == shown(at) == 2500
    assert len(component.proto.json_args) < 200_000  # not 2,500 popups
    captions = " ".join(c.value for c in at.caption)
    assert "2,500 events are shown as circles" in captions
