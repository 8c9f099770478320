"""The page served from a database (``DASHBOARD_DATABASE_URL``): its counts come from the
database, another process's writes show on the next rerun, and a database that goes away
is said in one message (never its URL) until it is back."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import time
from datetime import date

import pytest

from dashboard.db import Database, load
from dashboard.export.extent import events_extent
from dashboard.filters import FilterState, apply_filters
from dashboard.importing import load_path
from dashboard.map_focus import view_of
from dashboard.paths import REPO_ROOT
from dashboard.story import CHAPTERS
from dashboard.ui import snapshot as snapshot_ui
from dashboard.ui import state as ui_state
from dashboard.ui.playback_view import DUE
from tests.conftest import row

pytestmark = pytest.mark.app
OPENING = FilterState(date(2022, 1, 1), date(2023, 12, 31))  # the bundled file's opening range


def open_page(monkeypatch, url: str):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_DATABASE_URL", url)
    at = AppTest.from_file(str(REPO_ROOT / "dashboard" / "app.py"), default_timeout=120)
    at.run()
    return at


def shown_text(at) -> str:
    parts = [e.value for kind in ("title", "markdown", "caption", "error", "warning", "info")
             for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(str(p) for p in parts)


@pytest.fixture
def filled(postgres, new_database, bundled, events_file, geodata):
    """A database holding the bundled events and two of a reviewer's; its writer and name."""
    name = new_database()
    writer = Database(postgres.url(name))
    load(writer, bundled)
    reviewed = events_file(row(event_id="db-1", date_start="2023-09-20", place_id="goris"),
                           row(event_id="db-2", date_start="2023-09-21"), name="review.csv")
    load(writer, load_path(reviewed, geodata))
    return writer, name


def test_the_page_shows_the_databases_events_and_new_writes(monkeypatch, postgres, filled,
                                                           bundled, events_file, geodata):
    writer, name = filled
    at = open_page(monkeypatch, postgres.url(name))
    assert not at.exception and not at.error, shown_text(at)
    expected = len(apply_filters(bundled.events, OPENING)) + 2
    assert at.metric[0].value == str(expected)
    later = events_file(row(event_id="db-3", date_start="2023-09-22"), name="later.csv")
    load(writer, load_path(later, geodata))
    time.sleep(1.1)  # servers read the data version at most once a second
    at.run()
    assert not at.exception and at.metric[0].value == str(expected + 1)


def test_a_database_gone_away_is_said_until_it_is_back(monkeypatch, postgres, filled,
                                                       bundled):
    _, name = filled
    url = postgres.url(name)
    at = open_page(monkeypatch, url)
    assert not at.error
    postgres.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
    postgres.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     f"WHERE datname = '{name}'")
    time.sleep(1.1)
    at.run()
    assert not at.exception
    said = [e.value for e in at.error]
    assert len(said) == 1 and "cannot be reached" in said[0], said
    assert name not in shown_text(at) and str(postgres.root) not in shown_text(at)
    postgres.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
    at.run()
    assert not at.exception and not at.error
    assert at.metric[0].value == str(len(apply_filters(bundled.events, OPENING)) + 2)


def test_a_wrong_password_is_said_without_it(monkeypatch, postgres, filled):
    _, name = filled
    at = open_page(monkeypatch, postgres.url(name, "postgres", "Wr0ng-pa55word"))
    assert not at.exception
    text = shown_text(at)
    assert "refused the login" in text and "Wr0ng-pa55word" not in text


@pytest.fixture
def other_events(postgres, new_database, events_file, geodata):
    """A database holding none of the bundled file's events: five rows of two files, one
    in 2015 and four in 2024 (one of them a story chapter's key event); its name."""
    name = new_database()
    writer = Database(postgres.url(name))
    north = events_file(row(event_id="n-old", date_start="2015-05-01", place_id="goris"),
                        row(event_id="n-1", date_start="2024-03-05"),
                        row(event_id="n-2", date_start="2024-03-20", place_id="goris"),
                        name="north.csv")
    south = events_file(row(event_id=CHAPTER.key_events[0], date_start="2024-02-01",
                            category="blockade", title="The database's own row"),
                        row(event_id="s-1", date_start="2024-06-10"), name="south.csv")
    for path in (north, south):
        load(writer, load_path(path, geodata))
    writer.close()
    return name


CHAPTER = next(c for c in CHAPTERS if c.id == "blockade")
GORIS, STEPANAKERT = (46.3417, 39.5111), (46.7528, 39.8177)  # lon, lat
IN_2024 = [CHAPTER.key_events[0], "n-1", "n-2", "s-1"]  # in date order


def first_fit(at) -> list[list[float]]:
    """The bounds the page first fits the map to (in its base map's script)."""
    [component] = at.get("component_instance")
    script = json.loads(component.proto.json_args)["script"]
    return json.loads(re.search(r"window\.dashboardFit\(\w+, (\[\[.*?\]\])\);", script)[1])


def test_everything_the_page_shows_comes_from_the_database_not_the_files(
        monkeypatch, postgres, other_events, bundled):
    made = []
    original = snapshot_ui.maker

    def recorded(*args, **kwargs):
        made.append(original(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(snapshot_ui, "maker", recorded)
    assert not set(bundled.events["event_id"]) & {"n-old", *IN_2024[1:]}
    at = open_page(monkeypatch, postgres.url(other_events))  # the bundled file is served too
    assert not at.exception and not at.error, shown_text(at)
    # The opening range is the database's busiest year, within the span of its dates.
    assert at.slider(key="dates").value == (date(2024, 1, 1), date(2024, 6, 10))
    assert at.metric[0].value == "4" and at.metric[0].proto.help == "of 5 events loaded"
    assert at.multiselect(key="datasets").options == ["north.csv", "south.csv"]
    # The map first fits the database's events (Stepanakert and Goris), not the file's.
    (south, west), (north, east) = view = first_fit(at)
    assert view != view_of(events_extent(bundled.events)) and north - south < 1.0, view
    assert south < GORIS[1] < STEPANAKERT[1] < north, view
    assert west < GORIS[0] < STEPANAKERT[0] < east, view
    assert all(u.key != ui_state.UPLOADS for u in at.get("file_uploader"))
    assert "db load" in shown_text(at)  # files are added to the database instead
    at.selectbox(key="snap_format").set_value("csv").run()
    exported = list(csv.DictReader(io.StringIO(made[-1]().decode("utf-8-sig"))))
    assert [r["event_id"] for r in exported] == IN_2024
    at.selectbox(key="snap_format").set_value("geojson").run()
    features = json.loads(made[-1]())["features"]
    assert [f["properties"]["event_id"] for f in features] == IN_2024
    at.selectbox(key="snap_format").set_value("svg").run()  # an image of the same events
    assert not at.error and b"<svg" in made[-1]()
    at.selectbox(key="snap_format").set_value("html").run()
    page = made[-1]().decode()
    assert all(e in page for e in IN_2024) and "nk-0044" not in page  # a file's event
    at.button(key="period_everything").click().run()
    assert at.slider(key="dates").value == (date(2015, 5, 1), date(2024, 6, 10))
    assert at.metric[0].value == "5"
    at.multiselect(key="datasets").set_value(["south.csv"]).run()
    assert at.metric[0].value == "2"
    # A chapter lists the key events the database holds, with the database's words.
    at.selectbox(key="story_chapter").set_value(CHAPTER.id).run()
    assert not at.exception and not at.error, shown_text(at)
    keys = [b.label for b in at.button if b.key and b.key.startswith("key_event")]
    assert len(keys) == 1 and "The database's own row" in keys[0], keys


def run_fragment(at, monkeypatch):
    """Rerun only the page's fragments, as the playback timer does in a browser (the rest
    of the page is not run: an error there is not caught by the page's own handler)."""
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.testing.v1 import local_script_runner

    fragments = list(at._fragment_storage._fragments)
    assert fragments
    with monkeypatch.context() as patch:
        patch.setattr(local_script_runner, "RerunData", functools.partial(
            script_runner.RerunData, fragment_id_queue=fragments))
        return at.run()


def test_playback_says_a_database_gone_away_and_goes_on_when_it_is_back(
        monkeypatch, postgres, other_events):
    at = open_page(monkeypatch, postgres.url(other_events))
    at.button(key="play_toggle").click().run()
    assert not at.exception and not at.error, shown_text(at)
    postgres.execute(f"ALTER DATABASE {other_events} ALLOW_CONNECTIONS false")
    postgres.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     f"WHERE datname = '{other_events}'")
    time.sleep(1.1)  # the data version is read again
    at.session_state[DUE] = 0.0
    run_fragment(at, monkeypatch)
    assert not at.exception, at.exception
    assert not at.metric and not at.sidebar.children  # the fragment ran, not the page
    said = [e.value for e in at.error]
    assert len(said) == 1 and "cannot be reached" in said[0], said
    assert other_events not in shown_text(at) and str(postgres.root) not in shown_text(at)
    postgres.execute(f"ALTER DATABASE {other_events} ALLOW_CONNECTIONS true")
    at.session_state[DUE] = 0.0
    run_fragment(at, monkeypatch)
    assert not at.exception and not at.error, shown_text(at)
    assert at.get("component_instance") and "2024</p>" in shown_text(at)  # map, step date
