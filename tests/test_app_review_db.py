"""The "Add a report" section on a page served from a database: accepted events are written
to the database with the reviewers' login (never to the working set's files), the page's
count shows them on the next run, the review resumes on another page, and a page that has
only the reader's login says that accepting needs a writer's."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.db import Database, load
from dashboard.db.migrate import grant_reader
from dashboard.review import digest
from dashboard.ui import state as ui_state
from tests.test_app import run_app, shown
from tests.test_app_review import REPORT, decide, paste, section
from tests.test_db_app import shown_text

pytestmark = pytest.mark.app
READER, PASSWORD = "page_reader", "Pa55-of-the-reader"


@pytest.fixture
def served(monkeypatch, postgres, new_database, bundled, tmp_path: Path):
    """A database holding the bundled events, the page reading it as a reader; the
    writer's URL and the database's name. The working set is an empty folder."""
    name = new_database()
    writer = Database(postgres.url(name))
    load(writer, bundled)
    with writer.connection() as connection:
        grant_reader(connection, READER, PASSWORD)
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", postgres.url(name, READER, PASSWORD))
    monkeypatch.setenv("DASHBOARD_WORKING_DIR", str(tmp_path / "work"))
    return postgres.url(name), name


def test_an_accepted_candidate_lands_in_the_database_and_in_the_count(monkeypatch, served,
                                                                       tmp_path):
    writer_url, name = served
    monkeypatch.setenv("DASHBOARD_REVIEW_DATABASE_URL", writer_url)
    at = paste(monkeypatch)
    assert not at.error, shown_text(at)
    before = shown(at)
    assert "reviewed" in " ".join(c.value for c in section(at).caption)
    at = decide(at, {0: {"decision": "accept"}, 1: {"decision": "reject"}})
    assert at.success[0].value == "1 accepted, 1 rejected.", shown_text(at)
    assert shown(at) == before + 1  # on the rerun that follows the save
    writer = Database(writer_url)
    [(event_id,)] = writer.fetch("SELECT e.event_id FROM events e JOIN datasets d "
                                 "USING (dataset_id) WHERE d.name = 'reviewed'")
    assert event_id == at.data_editor[0].value["event_id"][0]
    assert writer.fetch("SELECT action, document, document_sha256, item FROM change_log "
                        "WHERE action IN ('accept', 'reject') ORDER BY id") == [
        ("accept", "pasted report", digest(REPORT), event_id),
        ("reject", "pasted report", digest(REPORT), at.data_editor[0].value["event_id"][1])]
    assert not (tmp_path / "work" / "reviewed-events.csv").exists()  # nothing in files
    # Another page (or server) resumes the review from the database; counted once.
    again = paste(monkeypatch)
    assert list(again.data_editor[0].value["decision"][:2]) == ["accept", "reject"]
    assert shown(again) == before + 1
    text = shown_text(again)
    assert PASSWORD not in text and writer_url not in text and name not in text


def test_with_only_the_readers_login_accepting_needs_a_writer(monkeypatch, served, tmp_path):
    _, name = served
    monkeypatch.delenv("DASHBOARD_REVIEW_DATABASE_URL", raising=False)
    at = run_app(monkeypatch)
    assert not at.error and not at.data_editor
    assert not [w for w in section(at).text_area if w.key == ui_state.REPORT_TEXT]
    [said] = [i.value for i in section(at).info]
    assert "needs a login that may write" in said and "DASHBOARD_REVIEW_DATABASE_URL" in said
    assert not (tmp_path / "work").exists()  # nothing written to files either
    text = shown_text(at)
    assert PASSWORD not in text and name not in text


def test_a_writer_that_may_not_write_is_said_without_its_login(monkeypatch, served, postgres):
    _, name = served
    monkeypatch.setenv("DASHBOARD_REVIEW_DATABASE_URL", postgres.url(name, READER, PASSWORD))
    at = decide(paste(monkeypatch), {0: {"decision": "accept"}})  # a reader may read...
    said = " ".join(e.value for e in at.error)  # ...but not write
    assert "could not be saved" in said and "refused" in said, shown_text(at)
    assert PASSWORD not in said and name not in said


@pytest.mark.parametrize("decision", ["accept", "reject"])
def test_a_candidate_decided_on_another_page_meanwhile_is_said_so(monkeypatch, served,
                                                                   decision):
    writer_url, _ = served
    monkeypatch.setenv("DASHBOARD_REVIEW_DATABASE_URL", writer_url)
    first, second = paste(monkeypatch), paste(monkeypatch)  # both show the rows pending
    first = decide(first, {0: {"decision": "accept"}})
    assert first.success[0].value == "1 accepted, 0 rejected.", shown_text(first)
    second = decide(second, {0: {"decision": decision}})  # on the table drawn before
    assert second.success[0].value == ("0 accepted, 0 rejected. 1 had been decided by "
                                       "another reviewer meanwhile."), shown_text(second)
    assert second.data_editor[0].value["decision"][0] == "accept"
    writer = Database(writer_url)
    assert writer.fetch("SELECT count(*) FROM events e JOIN datasets d USING (dataset_id) "
                        "WHERE d.name = 'reviewed'") == [(1,)]
    assert writer.fetch("SELECT action FROM change_log WHERE action IN ('accept', 'reject')"
                        ) == [("accept",)]
