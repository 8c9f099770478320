"""The page URL through AppTest: a link restores the widgets, bad values warn, edits rewrite it."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.filters import apply_filters
from dashboard.paths import DEFAULT_EVENTS
from dashboard.ui.sidebar import data_span
from dashboard.urlstate import MapView, from_query
from tests.conftest import row
from tests.test_app import OPENING, run_app, shown

pytestmark = pytest.mark.app


def open_link(monkeypatch, params: dict, events=DEFAULT_EVENTS) -> AppTest:
    """Run the app as if opened from a URL with ``params``."""
    return run_app(monkeypatch, events, params)


def expected(data, params: dict):
    """What the core makes of ``params``: the state, the view, the notices, the count."""
    first, last = data_span(data)
    state, view, notices = from_query(params, regions=[r.id for r in data.geodata.choices],
                                      first=first, last=last)
    return state, view, notices, len(apply_filters(data.events, state))


LINK = {"from": "2023-09-19", "to": "2023-09-28", "region": ["syunik", "nagorno_karabakh"],
        "layer": ["displacement", "civilian_harm"], "q": "Hakari", "view": "39.5,46.4,9"}


def test_a_link_restores_the_widgets_and_the_count(monkeypatch, bundled):
    at = open_link(monkeypatch, LINK)
    _, view, notices, count = expected(bundled, LINK)
    assert notices == [] and not at.warning
    assert at.slider(key="dates").value == (date(2023, 9, 19), date(2023, 9, 28))
    assert at.date_input(key="exact_dates").value == (date(2023, 9, 19), date(2023, 9, 28))
    assert at.multiselect(key="regions").value == ["syunik", "nagorno_karabakh"]
    ticked = {key: at.checkbox(key=f"category_{key}").value for key in
              ("military", "civilian_harm", "blockade", "displacement", "political", "protest")}
    assert {k for k, v in ticked.items() if v} == {"civilian_harm", "displacement"}
    assert at.text_input(key="search").value == "Hakari"
    assert at.session_state["map_view"] == view == MapView(39.5, 46.4, 9)
    assert shown(at) == count
    assert at.query_params["view"] == "39.5,46.4,9"  # carried through


def test_no_layer_link(monkeypatch):
    at = open_link(monkeypatch, {"layer": "none"})
    assert shown(at) == 0 and not at.checkbox(key="category_military").value
    assert at.query_params == {"layer": "none"}


def test_a_link_with_bad_values_warns_and_applies_the_rest(monkeypatch, bundled):
    link = {"from": "2023-02-30", "to": "2023-09-28", "region": ["atlantis", "syunik"],
            "layer": ["tanks", "displacement"], "view": "95,46,9", "utm_source": "x"}
    at = open_link(monkeypatch, link)
    _, _, notices, count = expected(bundled, link)
    assert len(at.warning) == 1 and len(notices) == 5
    warning = at.warning[0].value
    for named in ("2023-02-30", "not a real date", "atlantis", "not a known region", "tanks",
                  "not a known layer", "95,46,9", "latitude", "utm", "unknown parameter"):
        assert named in warning.replace("\\", ""), named
    assert at.multiselect(key="regions").value == ["syunik"]
    assert at.slider(key="dates").value[1] == date(2023, 9, 28)
    assert shown(at) == count
    # The URL now says only what was applied.
    assert at.query_params == {"to": "2023-09-28", "region": "syunik", "layer": "displacement"}
    at.run()  # the notice belongs to opening the link, not to every rerun
    assert not at.warning


def test_reversed_and_out_of_span_dates(monkeypatch, bundled):
    at = open_link(monkeypatch, {"from": "2023-09-28", "to": "2023-09-19"})
    assert "ends before it starts" in at.warning[0].value
    assert shown(at) == len(bundled.events)
    at = open_link(monkeypatch, {"from": "1990-01-01", "to": "2023-09-20"})
    assert "first day of the data" in at.warning[0].value
    assert at.slider(key="dates").value[0] == bundled.events["start"].min().date()


@pytest.mark.parametrize("garbage", [
    {"from": "%%%", "to": ["", "x"], "region": ",,", "layer": "none,,", "q": "\x00"},
    {"view": "1e999,nan,inf", "q": "$x$ **bold** [link](http://example.com)"},
])
def test_garbage_links_never_raise(monkeypatch, garbage):
    at = open_link(monkeypatch, garbage)
    assert not at.exception and not at.error


def test_changing_a_widget_updates_the_url(monkeypatch, bundled):
    at = open_link(monkeypatch, {})
    assert at.query_params == {}
    at.slider(key="dates").set_value((date(2023, 9, 19), date(2023, 9, 20))).run()
    assert at.query_params["from"] == "2023-09-19" and at.query_params["to"] == "2023-09-20"
    at.multiselect(key="regions").set_value(["syunik", "armenia"]).run()
    assert at.query_params["region"] == ["syunik", "armenia"]
    at.checkbox(key="category_political").uncheck().run()
    assert "political" not in at.query_params["layer"] and len(at.query_params["layer"]) == 5
    at.text_input(key="search").input("Goris").run()
    assert at.query_params["q"] == "Goris"
    at.button(key="period_everything").click().run()  # not the opening range: written out
    first, last = data_span(bundled)
    assert (at.query_params["from"], at.query_params["to"]) == (str(first), str(last))
    at.slider(key="dates").set_value(OPENING).run()  # the range the page opens on: left out
    assert "from" not in at.query_params and "to" not in at.query_params


def test_copied_url_reopens_the_same_view(monkeypatch):
    at = open_link(monkeypatch, {})
    at.button(key="period_exodus").click().run()
    at.multiselect(key="regions").set_value(["syunik"]).run()
    at.checkbox(key="category_military").uncheck().run()
    at.text_input(key="search").input("Hakari").run()
    copied = dict(at.query_params)
    again = open_link(monkeypatch, copied)
    assert not again.warning
    for kind, key in (("slider", "dates"), ("multiselect", "regions"),
                      ("checkbox", "category_military"), ("text_input", "search")):
        assert getattr(again, kind)(key=key).value == getattr(at, kind)(key=key).value
    assert shown(again) == shown(at) and again.query_params == copied


def test_small_file_span_clips_link_dates(monkeypatch, events_file):
    path = events_file(row(event_id="a", date_start="2023-09-19"),
                       row(event_id="b", date_start="2023-09-25"))
    at = open_link(monkeypatch, {"from": "2023-09-01", "to": "2023-09-22"}, path)
    assert at.slider(key="dates").value == (date(2023, 9, 19), date(2023, 9, 22))
    assert shown(at) == 1 and "first day of the data" in at.warning[0].value
