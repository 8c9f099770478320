"""The events table at scale: the first rows by date, the total said, every event in the CSV."""

from __future__ import annotations

import pytest

from bench.generate import write_acled
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
    events = bundled.events.sort_values("start")
    last = events["event_id"].iloc[-1]
    page = table_page(events, last, rows=5)
    assert list(page["event_id"][:5]) == list(events["event_id"][:5])
    assert page["event_id"].iloc[-1] == last and len(page) == 6
    assert len(table_page(events, events["event_id"].iloc[0], rows=5)) == 5

