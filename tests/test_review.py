"""The review core: the working set, atomic appends, the change log, resuming a review and
validation messages identical to ``validate``'s."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dashboard import cli
from dashboard.extract import extract_text, place_index
from dashboard.review import ACCEPTED, PENDING, REJECTED, Review, WorkingSet, digest
from dashboard.review import workset as workset_module
from dashboard.schema import COLUMNS
from tests.conftest import row

REPORT = ("On 19 September 2023 shelling in Stepanakert killed 27 people, officials said. "
          "The next day, 3 civilians were injured in Shusha.")


@pytest.fixture
def working(tmp_path: Path) -> WorkingSet:
    return WorkingSet(tmp_path / "work").ensure()


def test_a_new_working_set_has_a_header_and_copies_of_the_bundled_geodata(working):
    assert working.events.read_text().strip() == ",".join(COLUMNS)
    assert working.rows() == []
    assert "stepanakert" in {p.id for p in working.gazetteer()}
    assert (working.folder / "regions.geojson").exists()
    working.events.write_text(working.events.read_text() + "kept\n")
    working.ensure()  # never overwrites
    assert working.events.read_text().endswith("kept\n")


def test_append_is_atomic_keeps_quotes_as_written_and_logs(working, monkeypatch):
    formula = row(event_id="f-1", quote="=HYPERLINK(\"x\")", title="+1 \"quoted\", comma")
    working.append([{**formula, "confidence": "0.9", "evidence": "x"}], "doc.txt", "abc")
    assert working.rows() == [formula]  # no formula guard, no extra columns
    log = working.changes()
    assert [(e["document"], e["sha256"], e["action"], e["id"]) for e in log] == [
        ("doc.txt", "abc", "accept", "f-1")]
    assert log[0]["time"].endswith("+00:00")

    def crash(source, target):
        raise OSError("disk full")

    before = working.events.read_bytes()
    monkeypatch.setattr(workset_module.os, "replace", crash)
    with pytest.raises(OSError):
        working.append([row(event_id="f-2")], "doc.txt", "abc")
    assert working.events.read_bytes() == before  # the old file is whole
    assert not [p for p in working.folder.iterdir() if p.name.startswith(".events")]


def test_problems_are_validates_messages(working, capsys):
    bad = row(event_id="t-1", date_start="2023-02-30", killed="-3", place_id="nowhere")
    working.append([row()], "doc", "h")
    problems = working.problems(bad)
    assert problems, "an invalid row has problems"
    # Written to the file, validate reports exactly the same lines.
    with working.events.open("a", encoding="utf-8") as handle:
        handle.write(",".join(f'"{bad[c]}"' for c in COLUMNS) + "\n")
    cli.main(["validate", str(working.events), "--geodata", str(working.folder)])
    reported = [line for line in capsys.readouterr().out.splitlines()
                if line.startswith(str(working.events) + ":3:")]
    assert sorted(reported) == sorted(p.format(str(working.events)) for p in problems)
    assert any("duplicate id" in p.message for p in problems)


def test_a_review_is_saved_and_resumed_by_the_documents_hash(working):
    extraction = extract_text(REPORT, None, "Test report")
    sha = digest(REPORT)
    review = Review.of(extraction, "report.txt", sha)
    assert len(review.rows) >= 2 and review.status == [PENDING] * len(review.rows)
    assert set(review.rows[0]) == set(COLUMNS)
    review.edit(0, {**review.rows[0], "title": "Shelling of Stepanakert"})
    assert review.accept(0, working, place_index()) is not None
    review.reject(1, working)
    review.save(working)  # as the page does after its decisions
    again = Review.resume(working, sha)
    assert again is not None and again.status[:2] == [ACCEPTED, REJECTED]
    assert again.rows[0]["title"] == "Shelling of Stepanakert"
    assert Review.resume(working, digest("another text")) is None
    assert [r["title"] for r in working.rows()] == ["Shelling of Stepanakert"]
    assert [e["action"] for e in working.changes()][-2:] == ["accept", "reject"]


def test_an_invalid_row_is_not_appended(working):
    review = Review.of(extract_text(REPORT, None, "Test report"), "r.txt", digest(REPORT))
    review.edit(0, {**review.rows[0], "date_start": "19/09/2023"})
    problems = review.accept(0, working, place_index())
    assert [p.message for p in problems if p.column == "date_start"] == [
        "'19/09/2023' is not an ISO date (YYYY-MM-DD)"]
    assert working.rows() == [] and review.status[0] == PENDING


def test_a_geonames_place_becomes_a_working_place(working):
    index = place_index()
    town = next(t for t in index.towns.towns if t.country == "AM")
    review = Review("r.txt", "h", [row(event_id="g-1", place_id=town.id)])
    assert review.accept(0, working, index) == []
    places = {p.id: p for p in working.gazetteer()}
    assert places[town.id].name == town.name
    assert places[town.id].anchor == pytest.approx((town.lon, town.lat))
    assert json.loads(working.places.read_text())["type"] == "FeatureCollection"
    review.accept(0, working, index)  # accepted once only
    assert len(working.rows()) == 1
    assert [e["action"] for e in working.changes()] == ["add place", "accept"]
    assert os.path.getsize(working.log) > 0


def test_marked_text_escapes_the_report_and_marks_what_was_found():
    from dashboard.extract import Highlight
    from dashboard.review.marked import marked_html

    text = "<b>On 19 May</b> in Goris & {x}"
    marks = [Highlight(3, 12, "date", "On 19 May", "2023-05-19 (day)"),
             Highlight(6, 12, "date", "19 May", "overlap, dropped"),
             Highlight(20, 25, "place", "Goris", "goris 'quoted'")]
    html = marked_html(text, marks)
    assert "<b>" not in html and "&lt;b&gt;" in html and "&#123;x&#125;" in html
    assert html.count("<mark") == 2
    assert "title='place: goris &#x27;quoted&#x27;'>Goris</mark>" in html


def test_the_place_index_follows_the_working_gazetteer(working):
    from dashboard.review import working_index

    first = working_index(working)
    assert working_index(working) is first  # built once while the places do not change
    town = next(t for t in first.towns.towns if t.country == "AZ")
    Review("r.txt", "h", [row(event_id="g-2", place_id=town.id)]).accept(0, working, first)
    rebuilt = working_index(working)
    assert rebuilt is not first and town.id in {p.id for p in rebuilt.gazetteer}


def test_a_place_placed_by_hand_becomes_a_working_place(working):
    from dashboard.review.placing import new_place, parse_point

    assert parse_point("39.81, 46.75") == (46.75, 39.81) and parse_point("x") is None
    assert new_place(" ", "", "about ±2 km", 46.7, 39.8) == (
        None, "give the place a name (with letters or digits)")
    assert new_place("Nor Getashen", "", "about ±2 km", 46.7, 95)[0] is None
    feature, problem = new_place("Nor  Getashen", "Nor-Getashen, Getashen, Nor Getashen",
                                 "about ±2 km", 46.7, 39.8)
    assert problem == "" and feature is not None
    working.add_place(feature, "r.txt", "h")
    place = {p.id: p for p in working.gazetteer()}["local:nor-getashen"]
    assert place.name == "Nor Getashen" and place.alt_names == ("Nor-Getashen", "Getashen")
    assert place.anchor == (46.7, 39.8) and place.precision_m == 2000
    assert working.problems(row(place_id="local:nor-getashen")) == []


def test_a_tables_problems_are_each_rows_as_if_appended_alone(working):
    rows = [row(event_id="p-1"), row(event_id="p-2"), row(event_id="p-2"),
            row(event_id="p-3", place_id="nowhere")]
    working.append([rows[0]], "doc.txt", "abc")
    found = working.problems_of(rows)
    assert [[p.message for p in f] for f in found[:3]] == [
        ["duplicate id 'p-1' (first on line 2)"], [], []]
    assert found == [working.problems(r) for r in rows] and found[3][0].line == 3
