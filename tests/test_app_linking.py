"""One layer switch, and table, map and story linked (AppTest)."""

from __future__ import annotations

import pytest

from dashboard.schema import CATEGORIES
from dashboard.story import BY_ID
from dashboard.ui import selection
from dashboard.ui.state import EVENTS_TABLE
from tests.test_app import run_app, shown

pytestmark = pytest.mark.app


@pytest.fixture
def app(monkeypatch):
    return run_app(monkeypatch)


def _label(at, category: str) -> str:
    return at.checkbox(key=f"category_{category}").label


def test_layer_check_boxes_show_symbol_and_count(app):
    table = app.dataframe[0].value  # every layer ticked: the table holds what each counts
    for category in CATEGORIES.values():
        count = int((table["Layer"] == category.label).sum())
        label = _label(app, category.id)
        assert category.label in label and label.endswith(f"({count})"), label


def test_unticking_a_layer_changes_count_and_table(app):
    political = int((app.dataframe[0].value["Layer"] == "Political").sum())
    assert political
    before = shown(app)
    app.checkbox(key="category_political").uncheck().run()
    assert shown(app) == before - political
    table = app.dataframe[0].value
    assert len(table) == shown(app)
    assert "Political" not in set(table["Layer"])
    assert _label(app, "political").endswith(f"({political})")  # still says what it holds


def test_counts_follow_the_other_filters(app, bundled):
    app.button(key="period_offensive").click().run()
    military = int(((bundled.events["category"] == "military")
                    & (bundled.events["start"].dt.date <= app.slider(key="dates").value[1])
                    & (bundled.events["end"].dt.date >= app.slider(key="dates").value[0])
                    ).sum())
    assert _label(app, "military").endswith(f"({military})")


def test_a_selected_event_is_marked_in_the_table(app):
    table = app.dataframe[0].value
    target = table["ID"].iloc[5]
    app.session_state[selection.SELECTED] = target
    app.run()
    rows = app.session_state[EVENTS_TABLE]["selection"]["rows"]
    assert [app.dataframe[0].value["ID"].iloc[r] for r in rows] == [target]


def test_a_key_event_of_a_chapter_selects_it(app):
    chapter = BY_ID["reactions"]
    app.selectbox(key="story_chapter").select(chapter.id).run()
    assert app.session_state[selection.FIT] is not None  # the map fits the chapter's events
    (_, west), (north, _) = app.session_state[selection.FIT]
    assert north > 52 and west < 14  # Berlin (52.5 N, 13.4 E) and Moscow are in the view
    event_id = chapter.key_events[2]
    app.button(key=f"key_event_{event_id}").click().run()
    assert app.session_state[selection.SELECTED] == event_id
    rows = app.session_state[EVENTS_TABLE]["selection"]["rows"]
    assert [app.dataframe[0].value["ID"].iloc[r] for r in rows] == [event_id]


def test_a_marker_click_selects_the_events_at_its_point(bundled):
    events = bundled.events
    lon, lat = events.geometry.x.iloc[0], events.geometry.y.iloc[0]
    at_point = set(events.loc[(events.geometry.x == lon) & (events.geometry.y == lat),
                              "event_id"])
    found = selection.events_at(events, {"lat": lat, "lng": lon})
    assert set(found) == at_point and found
    assert selection.events_at(events, {"lat": 0.0, "lng": 0.0}) == []
