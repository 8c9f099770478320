"""The page served from a database (``DASHBOARD_DATABASE_URL``): its counts come from the
database, another process's writes show on the next rerun, and a database that goes away
is said in one message (never its URL) until it is back."""

from __future__ import annotations

import time
from datetime import date

import pytest

from dashboard.db import Database, load
from dashboard.filters import FilterState, apply_filters
from dashboard.importing import load_path
from dashboard.paths import REPO_ROOT
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
