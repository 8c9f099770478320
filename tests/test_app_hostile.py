"""The page on hostile files and links: bad rows listed, refusals in one sentence, no crash."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.export.basemap_mpl import load_basemap
from dashboard.map_builder import base_map, basemap_json
from dashboard.urlstate import MAX_NOTICE_CHARS, MAX_SEARCH
from tests.conftest import row
from tests.test_app import APP, run_app, shown
from tests.test_app_imports import upload

pytestmark = pytest.mark.app
BIG = "99999999999999999999"
FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def skipped_rows(at: AppTest) -> list[tuple[int, str, str]]:
    [details] = [e for e in at.expander if e.label.startswith("What is wrong")]
    listed = details.dataframe[0].value
    return list(zip(listed.iloc[:, 0], listed["column"], listed["problem"], strict=True))


def test_far_dates_and_huge_figures_are_listed_and_the_rest_loads(monkeypatch, events_file):
    path = events_file(row(event_id="good-1"),
                       row(event_id="far", date_start="9999-12-31"),
                       row(event_id="early", date_start="0001-01-01"),
                       row(event_id="big", killed=BIG, figure_qualifier="exact",
                           claimed_by="x"),
                       row(event_id="good-2", place_id="yerevan",
                           title="{% raw %}{{ 7*7 }}{% endraw %}"))
    at = run_app(monkeypatch, path)  # no exception: the slider got the valid rows' span
    assert shown(at) == 2
    assert "3 of 5 rows" in at.warning[0].value and "lines 3, 4, 5" in at.warning[0].value
    listed = skipped_rows(at)
    assert [(line, column) for line, column, _ in listed] == [
        (3, "date_start"), (4, "date_start"), (5, "killed")]
    assert "outside the dates" in listed[0][2] and "largest figure" in listed[2][2]
    [table] = [d.value for d in at.dataframe if "Source" in d.value.columns]
    assert "{% raw %}{{ 7*7 }}{% endraw %}" in table.astype(str).to_numpy()  # as it is


def test_an_upload_with_a_far_date_and_a_huge_figure_lists_them(monkeypatch):
    text = (FIXTURES / "acled.csv").read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[1] = lines[1].replace("2023-09-19", "9999-12-31", 1)  # ARM1's event_date
    lines[2] = lines[2].replace(",3,,1700000000", f",{BIG},,1700000000", 1)  # AZE2
    at = run_app(monkeypatch)
    upload(at, ("far.csv", "\n".join(lines).encode("utf-8")))
    [warning] = [w.value for w in at.warning if "far.csv" in w.value]
    assert "lines 2, 3," in warning
    problems = {(line, column): why for line, column, why in skipped_rows(at)}
    assert "outside the dates" in problems[(2, "event_date")]
    assert "largest figure" in problems[(3, "fatalities")]


def test_a_utf16_upload_says_save_as_utf8(monkeypatch):
    at = run_app(monkeypatch)
    raw = (FIXTURES / "acled.csv").read_text(encoding="utf-8").encode("utf-16")
    upload(at, ("wide.csv", raw))
    assert any("UTF-16" in e.value and "save it as UTF-8" in e.value for e in at.error)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_as_the_events_file_is_an_error_not_a_hang(monkeypatch, tmp_path):
    fifo = tmp_path / "events.csv"
    os.mkfifo(fifo)
    monkeypatch.setenv("DASHBOARD_EVENTS", str(fifo))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    assert "is not a regular file" in at.error[0].value


def test_a_broken_base_map_is_an_error_message_and_the_rest_of_the_page_works(
        monkeypatch, tmp_path):
    broken = tmp_path / "basemap.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    defaults = base_map.__defaults__
    monkeypatch.setattr(base_map, "__defaults__", (broken, *defaults[1:]))
    monkeypatch.setattr(load_basemap, "__defaults__", (broken,))
    monkeypatch.setattr(basemap_json, "__defaults__", (broken,))
    from dashboard.ui import static  # the app's map fetches its borders from a static copy

    monkeypatch.setattr(static, "BASEMAP_FILE", broken)  # GEODATA_DIR / absolute = absolute
    at = run_app(monkeypatch)
    assert any("The map could not be drawn: cannot read the base map" in e.value
               for e in at.error)
    assert shown(at) > 0 and len(at.dataframe[0].value) == shown(at)
    for fmt in ("html", "png"):  # the page's map, and the image's base map
        at.selectbox(key="snap_format").set_value(fmt).run()
        assert not at.exception
        # Said before the click: no download button that would give a broken file.
        assert not any("Download events_" in b.proto.label for b in at.get("download_button"))
        assert any("The export cannot be made: cannot read the base map" in e.value
                   for e in at.error)


def test_a_link_with_huge_values_is_cut_and_its_notices_are_short(monkeypatch):
    at = run_app(monkeypatch, params={"q": "x" * 10_000, "region": "r" * 10_000,
                                      "layer": "l" * 10_000, "view": "v" * 10_000})
    assert len(at.text_input(key="search").value) == MAX_SEARCH
    assert at.text_input(key="search").max_chars == MAX_SEARCH
    [warning] = at.warning
    items = warning.value.split("\n- ")[1:]
    assert len(items) == 4 and all(len(item) <= MAX_NOTICE_CHARS for item in items)
    assert len(warning.value) < 1500


def test_dates_at_the_ends_of_the_range_load(monkeypatch, events_file):
    path = events_file(row(event_id="first", date_start="1700-01-01"),
                       row(event_id="last", date_start="2200-12-31"))
    at = run_app(monkeypatch, path)  # the date slider spans five centuries
    assert not at.warning
    at.button(key="period_everything").click().run()  # it opens on the later event's year
    assert shown(at) == 2
    assert at.slider(key="dates").value == (date(1700, 1, 1), date(2200, 12, 31))
