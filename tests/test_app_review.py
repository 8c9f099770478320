"""The "Add a report" section through AppTest: candidates, accept, reject, problems, hostile
text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.review import WorkingSet
from dashboard.ui import placing_map
from dashboard.ui import state as ui_state
from dashboard.ui.urlsync import md_escape
from tests.test_app import run_app, shown

pytestmark = pytest.mark.app
REPORT = ("On 19 September 2023 shelling in Stepanakert killed 27 people, officials said. "
          "The next day, 3 civilians were injured in Shusha.")
HOSTILE = ("On 19 September 2023 <script>alert('x')</script> shelling in Stepanakert killed "
           "27 people, officials said. =HYPERLINK(\"http://evil\",\"click\") "
           "<img src=x onerror=alert(1)>")
UNKNOWN = "On 19 September 2023 shelling in Kvarzhenik killed 2 people, officials said."


@pytest.fixture
def working(monkeypatch, tmp_path: Path) -> WorkingSet:
    monkeypatch.setenv("DASHBOARD_WORKING_DIR", str(tmp_path / "work"))
    return WorkingSet(tmp_path / "work")


def paste(monkeypatch, text: str = REPORT) -> AppTest:
    at = run_app(monkeypatch)
    at.text_input(key=ui_state.REPORT_SOURCE).set_value("Test report, 2023")
    at.text_area(key=ui_state.REPORT_TEXT).set_value(text).run()
    assert not at.exception, at.exception
    return at


def decide(at: AppTest, edits: dict[int, dict[str, str]]) -> AppTest:
    """Edit the candidates' table as a user would, then save."""
    editor = at.data_editor[0]
    at.session_state[editor.key] = {"edited_rows": edits, "added_rows": [],
                                    "deleted_rows": []}
    at.button(key=ui_state.REPORT_APPLY).click().run()
    assert not at.exception, at.exception
    return at


def section(at: AppTest):
    [found] = [e for e in at.expander if e.label.startswith("Add a report")]
    return found


def test_a_pasted_report_yields_candidates_with_marked_text(monkeypatch, working):
    at = paste(monkeypatch)
    table = at.data_editor[0].value
    assert len(table) >= 2
    assert set(table["decision"]) == {"pending"}
    assert "Stepanakert" in " ".join(table["quote"])
    assert set(table["source"]) == {"Test report, 2023"}
    [marked] = [c for c in section(at).children.values() if c.type == "html"]
    assert "<mark class='date'" in marked.proto.body and "<mark class='place'" in marked.proto.body
    assert "<mark class='figure'" in marked.proto.body


def test_accepting_adds_to_the_map_and_rejecting_does_not(monkeypatch, working):
    at = paste(monkeypatch)
    before = shown(at)
    at = decide(at, {0: {"decision": "accept"}, 1: {"decision": "reject"}})
    assert shown(at) == before + 1
    assert at.success[0].value == "1 accepted, 1 rejected."
    rows = working.rows()
    assert len(rows) == 1 and "27" in rows[0]["killed"]
    assert list(at.data_editor[0].value["decision"][:2]) == ["accept", "reject"]
    assert [e["action"] for e in working.changes()] == ["accept", "reject"]
    # Opened again in a new session, the review resumes and the event is still shown.
    again = paste(monkeypatch)
    assert list(again.data_editor[0].value["decision"][:2]) == ["accept", "reject"]
    assert shown(again) == before + 1


def test_an_invalid_edit_shows_its_problem_and_is_not_saved(monkeypatch, working):
    at = paste(monkeypatch)
    before = shown(at)
    at = decide(at, {0: {"decision": "accept", "date_start": "19/09/2023"}})
    assert shown(at) == before
    assert working.rows() == []
    message = "date_start: '19/09/2023' is not an ISO date (YYYY-MM-DD)"
    assert md_escape(message) in at.warning[0].value
    table = at.data_editor[0].value
    assert table["decision"][0] == "pending" and message in table["problems"][0]
    assert table["date_start"][0] == "19/09/2023"  # the edit is kept, to be fixed


def test_hostile_text_stays_text(monkeypatch, working):
    at = paste(monkeypatch, HOSTILE)
    [marked] = [c for c in section(at).children.values() if c.type == "html"]
    body = marked.proto.body
    assert "<script" not in body and "<img" not in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    at = decide(at, {0: {"decision": "accept"}})
    [accepted] = working.rows()
    assert "<script>alert('x')</script>" in accepted["quote"]  # verbatim, as written
    assert at.data_editor[0].value["quote"][0] == accepted["quote"]  # a table cell: text


def upload_report(monkeypatch, name: str, data: bytes) -> AppTest:
    at = run_app(monkeypatch)
    at.file_uploader(key=ui_state.REPORT_FILE).set_value((name, data, "text/plain")).run()
    assert not at.exception, at.exception
    return at


def test_an_uploaded_report_yields_candidates(monkeypatch, working):
    at = upload_report(monkeypatch, "report.txt", REPORT.encode())
    assert len(at.data_editor[0].value) >= 2


@pytest.mark.parametrize(("name", "data", "said"), [
    ("garbage.txt", bytes(range(256)) * 64, "is not"),
    ("huge.txt", b"word " * (51 * 2**20 // 5), "MB"),
    ("blank.txt", b"   \n", "no text"),
])
def test_a_refused_document_says_why_in_a_sentence(monkeypatch, working, name, data, said):
    at = upload_report(monkeypatch, name, data)
    assert not at.data_editor
    [error] = [e.value for e in at.error if name in e.value]
    assert said in error and error.endswith(".")


def test_blank_text_shows_nothing_to_review(monkeypatch, working):
    at = run_app(monkeypatch)
    at.text_area(key=ui_state.REPORT_TEXT).set_value("   ").run()
    assert not at.data_editor and not at.exception


def test_a_place_added_by_hand_can_take_a_candidate(monkeypatch, working):
    at = paste(monkeypatch)
    before = shown(at)
    at.text_input(key=ui_state.PLACE_NAME).set_value("Nor Getashen")
    at.button(key=ui_state.PLACE_ADD).click().run()
    assert "Click the place on the map" in at.error[0].value  # no click, no coordinates
    at.text_input(key=ui_state.PLACE_POINT).set_value("39.80, 46.70")
    at.button(key=ui_state.PLACE_ADD).click().run()
    assert not at.exception and "local:nor-getashen" in at.success[0].value
    at = decide(at, {0: {"decision": "accept", "place_id": "local:nor-getashen"}})
    assert shown(at) == before + 1
    assert working.rows()[0]["place_id"] == "local:nor-getashen"
    assert [e["action"] for e in working.changes()] == ["add place", "accept"]


def click_placing_map(at: AppTest, lat: float, lon: float) -> AppTest:
    """What the placing map reports when clicked at ``lat``, ``lon``, then a rerun."""
    at.session_state[ui_state.PLACING_MAP] = {"last_clicked": {"lat": lat, "lng": lon}}
    at.run()
    assert not at.exception, at.exception
    return at


def placed(working: WorkingSet, place_id: str) -> dict:
    [feature] = [f for f in json.loads(working.places.read_text(encoding="utf-8"))["features"]
                 if f["properties"]["id"] == place_id]
    return feature


def test_a_place_clicked_on_the_placing_map_takes_its_event_onto_the_map(monkeypatch, working):
    at = paste(monkeypatch, UNKNOWN)
    before = shown(at)
    assert at.data_editor[0].value["place_id"][0] == ""  # Kvarzhenik is in no gazetteer
    at = click_placing_map(at, 39.912341, 46.612341)
    assert any(c.value.endswith("39.91234, 46.61234, where the map was clicked.")
               for c in at.caption)
    at.text_input(key=ui_state.PLACE_NAME).set_value("Kvarzhenik")
    at.text_input(key=ui_state.PLACE_VARIANTS).set_value("Kvarjenik, Kvarzhenik")
    at.button(key=ui_state.PLACE_ADD).click().run()
    assert not at.exception and "local:kvarzhenik" in at.success[0].value
    feature = placed(working, "local:kvarzhenik")
    assert feature["geometry"]["coordinates"] == [46.612341, 39.912341]
    assert feature["properties"]["alt_names"] == ["Kvarjenik"]
    at.run()  # until its decisions are saved, the report is read with the new place
    assert at.data_editor[0].value["place_id"][0] == "local:kvarzhenik"
    at = decide(at, {0: {"decision": "accept"}})
    assert at.success[0].value == "1 accepted, 0 rejected."
    assert shown(at) == before + 1
    assert working.rows()[0]["place_id"] == "local:kvarzhenik"
    # The click was used: another place needs a click (or a point typed) of its own.
    at.text_input(key=ui_state.PLACE_NAME).set_value("Verin Kvarzhenik")
    at.button(key=ui_state.PLACE_ADD).click().run()
    assert "Click the place on the map" in at.error[0].value


def test_typed_coordinates_win_over_a_click(monkeypatch, working):
    at = click_placing_map(paste(monkeypatch, UNKNOWN), 39.5, 46.5)
    at.text_input(key=ui_state.PLACE_NAME).set_value("Kvarzhenik")
    at.text_input(key=ui_state.PLACE_POINT).set_value("39.75, 46.25").run()
    assert any(c.value.endswith("39.75000, 46.25000, as typed.") for c in at.caption)
    at.button(key=ui_state.PLACE_ADD).click().run()
    assert placed(working, "local:kvarzhenik")["geometry"]["coordinates"] == [46.25, 39.75]


def test_the_placing_map_is_made_again_when_places_change_not_events(monkeypatch, working):
    made = []
    original = placing_map.build
    monkeypatch.setattr(placing_map, "build", lambda g: made.append(len(g)) or original(g))
    at = paste(monkeypatch)
    at = decide(at, {0: {"decision": "accept"}})  # an event added: the same map
    assert at.success[0].value == "1 accepted, 0 rejected." and len(made) == 1
    at = click_placing_map(at, 39.5, 46.5)
    at.text_input(key=ui_state.PLACE_NAME).set_value("Kvarzhenik")
    at.button(key=ui_state.PLACE_ADD).click().run()
    at.run()  # a place added: made again, with it
    assert len(made) == 2 and made[1] == made[0] + 1, made
