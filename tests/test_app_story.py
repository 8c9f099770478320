"""The guided story through AppTest: chapters set the filters, step, and travel in the URL."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.filters import FilterState, apply_filters
from dashboard.schema import CATEGORIES
from dashboard.story import BY_ID, CHAPTERS, chapter_state
from tests.test_app import run_app, shown

pytestmark = pytest.mark.app


def open_app(monkeypatch, params: dict | None = None) -> AppTest:
    """Run the app on the bundled events, as if opened from a URL with ``params``."""
    return run_app(monkeypatch, params=params)


def picked(at: AppTest) -> str:
    return at.selectbox(key="story_chapter").value


def assert_shows(at: AppTest, chapter_id: str, bundled) -> None:
    """The widgets hold the chapter's filters, the count is the core's, the text is shown."""
    chapter = BY_ID[chapter_id]
    state = chapter_state(chapter)
    assert picked(at) == chapter_id
    assert at.slider(key="dates").value == (state.date_from, state.date_to)
    assert at.date_input(key="exact_dates").value == (state.date_from, state.date_to)
    assert at.multiselect(key="regions").value == list(state.regions)
    ticked = {c for c in CATEGORIES if at.checkbox(key=f"category_{c}").value}
    assert ticked == set(state.categories)
    assert at.text_input(key="search").value == ""
    assert shown(at) == len(apply_filters(bundled.events, state))
    info = at.info[0].value
    assert chapter.title in info and chapter.text in info
    for event_id in chapter.key_events:
        title = bundled.events.set_index("event_id").loc[event_id, "title"]
        assert title in info


@pytest.fixture
def app(monkeypatch) -> AppTest:
    return open_app(monkeypatch)


def test_free_exploration_by_default(app, bundled):
    assert picked(app) == "" and not app.info
    opening = FilterState(*app.slider(key="dates").value)  # the range the page opens on
    assert shown(app) == len(apply_filters(bundled.events, opening))
    assert app.button(key="story_previous").disabled


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.id for c in CHAPTERS])
def test_selecting_a_chapter_sets_its_filters(app, bundled, chapter):
    app.selectbox(key="story_chapter").select(chapter.id).run()
    assert not app.exception
    assert_shows(app, chapter.id, bundled)
    assert app.query_params["chapter"] == chapter.id


def test_next_and_previous_step_through_the_chapters(app, bundled):
    for chapter in CHAPTERS:
        app.button(key="story_next").click().run()
        assert_shows(app, chapter.id, bundled)
    assert app.button(key="story_next").disabled
    for chapter in reversed(CHAPTERS[:-1]):
        app.button(key="story_previous").click().run()
        assert_shows(app, chapter.id, bundled)
    assert app.button(key="story_previous").disabled


def test_changing_a_filter_leaves_the_chapter(app, bundled):
    app.selectbox(key="story_chapter").select("offensive").run()
    app.checkbox(key="category_political").check().run()
    assert picked(app) == "" and not app.info
    assert "chapter" not in app.query_params
    assert app.checkbox(key="category_political").value  # the filters stay as set
    app.selectbox(key="story_chapter").select("offensive").run()
    assert_shows(app, "offensive", bundled)


def test_back_to_free_exploration_keeps_the_filters(app, bundled):
    app.selectbox(key="story_chapter").select("exodus").run()
    app.selectbox(key="story_chapter").select("").run()
    assert picked(app) == "" and not app.info
    state = chapter_state(BY_ID["exodus"])
    assert shown(app) == len(apply_filters(bundled.events, state))


def test_a_chapter_link_restores_it(monkeypatch, bundled):
    at = open_app(monkeypatch, {"chapter": "exodus"})
    assert not at.warning
    assert_shows(at, "exodus", bundled)
    at.run()
    assert_shows(at, "exodus", bundled)


def test_a_copied_chapter_link_reopens_it(monkeypatch, bundled):
    at = open_app(monkeypatch)
    at.selectbox(key="story_chapter").select("reactions").run()
    again = open_app(monkeypatch, dict(at.query_params))
    assert not again.warning
    assert_shows(again, "reactions", bundled)


def test_explicit_filters_in_the_link_win(monkeypatch):
    at = open_app(monkeypatch, {"chapter": "offensive", "to": "2023-09-28"})
    assert at.slider(key="dates").value == (date(2023, 9, 19), date(2023, 9, 28))
    assert at.multiselect(key="regions").value == ["nagorno_karabakh"]
    assert picked(at) == "" and not at.info  # no longer the chapter's filters


def test_an_unknown_chapter_is_dropped_with_a_notice(monkeypatch, bundled):
    at = open_app(monkeypatch, {"chapter": "atlantis", "region": "syunik"})
    warning = at.warning[0].value.replace("\\", "")
    assert "atlantis" in warning and "not a known chapter" in warning
    assert picked(at) == "" and not at.info
    assert at.multiselect(key="regions").value == ["syunik"]
    assert "chapter" not in at.query_params
