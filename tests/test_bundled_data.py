"""The curated events.csv: complete, traceable to its documents, numbers read right."""

from __future__ import annotations

import csv
import re

import pytest

from dashboard.importing import read_events
from dashboard.paths import DEFAULT_EVENTS, REPO_ROOT
from dashboard.schema import EVENT_TYPES

DOCUMENTS = {"Document A": "000_a14db85909f91183.txt", "Document B": "002_4df34c9f753865f3.txt"}
ROWS = list(csv.DictReader(DEFAULT_EVENTS.open(encoding="utf-8")))


def document_text(source: str) -> str:
    name = next(f for prefix, f in DOCUMENTS.items() if source.startswith(prefix))
    return (REPO_ROOT / "sources" / name).read_text(encoding="utf-8")


def test_bundled_file_is_clean(geodata):
    result = read_events(DEFAULT_EVENTS, geodata.gazetteer)
    assert result.problems == []
    assert len(result.rows) >= 40


@pytest.mark.parametrize("event", ROWS, ids=[r["event_id"] for r in ROWS])
def test_quote_is_verbatim_in_its_document(event):
    assert event["quote"], "every row needs a supporting quote"
    assert event["quote"] in document_text(event["source"])


@pytest.mark.parametrize("event", ROWS, ids=[r["event_id"] for r in ROWS])
def test_footnote_marker_is_in_the_document(event):
    if event["source_ref"]:
        assert event["source_ref"] in document_text(event["source"])


def test_both_documents_contribute():
    counts = {p: sum(r["source"].startswith(p) for r in ROWS) for p in DOCUMENTS}
    assert all(n >= 20 for n in counts.values()), counts


def test_european_separators_are_read_as_thousands():
    crossing = [r for r in ROWS if "68.000" in r["quote"]]
    assert [(r["displaced"], r["figure_qualifier"]) for r in crossing] == [("68000",
                                                                            "more_than")]


@pytest.mark.parametrize(
    ("phrase", "column", "value", "qualifier"),
    [("at least 200 people dead", "killed", "200", "at_least"),
     ("at least 200 people dead", "injured", "400", "at_least"),
     ("killed 200 people and injured 400", "killed", "200", "exact"),
     ("about 3,000 people", "displaced", "3000", "about"),
     ("six Russian peacekeepers were killed", "killed", "6", "exact"),
     ("6 members of Azerbaijani military personnel", "killed", "6", "exact")],
)
def test_figures_match_the_words_of_the_documents(phrase, column, value, qualifier):
    matches = [r for r in ROWS if phrase in r["quote"]]
    assert matches, f"no row quotes {phrase!r}"
    assert all((r[column], r["figure_qualifier"]) == (value, qualifier) for r in matches)
    assert all(r["claimed_by"] for r in matches)


def test_every_figure_says_who_claims_it():
    with_figures = [r for r in ROWS if r["killed"] or r["injured"] or r["displaced"]]
    assert with_figures and all(r["claimed_by"] for r in with_figures)


def test_contested_terms_are_quoted_not_adopted():
    term = re.compile(r"(counter|anti)-terror\w*", re.IGNORECASE)
    uses = [(r["event_id"], r[c]) for r in ROWS for c in ("title", "description")
            if term.search(r[c])]
    assert uses, "the documents' contested terms should appear, attributed"
    for event_id, text in uses:
        for match in term.finditer(text):
            before = text[: match.start()].removesuffix("local ")
            assert before.endswith(("'", "“", '"')), f"{event_id}: unquoted {match.group()}"


def test_sources_name_the_bundled_document_files():
    for event in ROWS:
        name = next(f for p, f in DOCUMENTS.items() if event["source"].startswith(p))
        assert f"sources/{name}" in event["source"], event["event_id"]


def test_blockade_is_a_month_precision_span_from_december_2022():
    blockade = [r for r in ROWS if r["category"] == "blockade"]
    assert any(r["date_start"] == "2022-12-01" and r["date_precision"] == "month"
               and r["date_end"] for r in blockade)


def test_times_given_by_the_documents_are_kept():
    times = {r["time"] for r in ROWS if r["time"]}
    assert {"13:00", "12:00"} <= times


def test_descriptions_are_our_own_words():
    for event in ROWS:
        text = document_text(event["source"])
        long_runs = re.findall(r"[^.;:]{60,}", event["description"])
        assert not any(run.strip() in text for run in long_runs), event["event_id"]


def test_every_event_type_is_documented():
    assert {r["event_type"] for r in ROWS} <= set(EVENT_TYPES)
