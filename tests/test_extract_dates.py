"""Dates in reports: every absolute form, relative dates, spans, the document date."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.extract.anchoring import date_document
from dashboard.extract.dates import find_dates, find_times
from dashboard.extract.sentences import split

TODAY = date(2024, 3, 15)  # a Friday


def dates_of(text: str, today: date | None = TODAY) -> list[tuple]:
    """(first, last, precision, role) of every date of every sentence of ``text``."""
    dating = date_document(text, split(text), today)
    return [(m.first, m.last, m.precision, m.role)
            for found in dating.mentions.values() for m in found]


@pytest.mark.parametrize(("text", "first", "last", "precision"), [
    ("Shelling resumed on March 3, 2024 near the river.", date(2024, 3, 3), None, "day"),
    ("Shelling resumed on Mar. 3, 2024 near the river.", date(2024, 3, 3), None, "day"),
    ("Shelling resumed on 3 March 2024 near the river.", date(2024, 3, 3), None, "day"),
    ("Shelling resumed on the 3rd of March near the river.", date(2024, 3, 3), None, "day"),
    ("Shelling resumed on 03.03.2024 near the river.", date(2024, 3, 3), None, "day"),
    ("Shelling resumed on 2024-03-03 near the river.", date(2024, 3, 3), None, "day"),
    ("Shelling resumed on 3 March near the river.", date(2024, 3, 3), None, "day"),
    ("Talks were held in February 2024 in the capital.", date(2024, 2, 1), None, "month"),
    ("The dam was built in 1987 by the state.", date(1987, 1, 1), None, "year"),
    ("Fighting flared in mid-February along the line.", date(2024, 2, 11), date(2024, 2, 20),
     "range"),
    ("Fighting flared in late January 2024 along the line.", date(2024, 1, 21),
     date(2024, 1, 31), "range"),
    ("Drones struck on the night of 9 to 10 March over the city.", date(2024, 3, 9),
     date(2024, 3, 10), "day"),
    ("Strikes hit the port on 4-5 March, officials said.", date(2024, 3, 4), date(2024, 3, 5),
     "day"),
    ("Strikes hit the port between 4 and 7 March, officials said.", date(2024, 3, 4),
     date(2024, 3, 7), "range"),
    ("The siege lasted from 28 February to 2 March in the valley.", date(2024, 2, 28),
     date(2024, 3, 2), "day"),
    ("Clashes spread over the years 2019-2021 in the hills.", date(2019, 1, 1),
     date(2021, 12, 31), "year"),
])
def test_absolute_date_forms(text, first, last, precision):
    assert dates_of(text)[0][:3] == (first, last, precision)


def test_a_span_since_a_month_runs_to_the_document_date():
    found = dates_of("The road has been closed since November 2023, residents say.")
    assert found == [(date(2023, 11, 1), TODAY, "month", "event")]


def test_a_date_without_a_year_after_the_document_date_is_last_year():
    found = dates_of("The convoy left on December 28 with food.")
    assert found[0][0] == date(2023, 12, 28)


@pytest.mark.parametrize(("text", "first", "last"), [
    ("Yesterday a shell hit the market.", date(2024, 3, 14), None),
    ("Today the mayor called for calm.", TODAY, None),
    ("Three days ago a bus was hit.", date(2024, 3, 12), None),
    ("Last week the border was closed.", date(2024, 3, 4), date(2024, 3, 10)),
    ("On Tuesday a rally was dispersed.", date(2024, 3, 12), None),
    ("Crowds protested on Wednesday and Thursday outside the hall.", date(2024, 3, 13),
     date(2024, 3, 14)),
    ("To date, the water supply has not been restored.", TODAY, None),
    ("Twelve fishermen are still missing.", TODAY, None),
])
def test_dates_relative_to_the_document_date(text, first, last):
    assert dates_of(text)[0][:2] == (first, last)


def test_later_counts_from_the_date_written_before():
    text = "The shelling began on 2 March. Two days later the hospital was evacuated."
    assert [d[0] for d in dates_of(text)] == [date(2024, 3, 2), date(2024, 3, 4)]


def test_event_references_take_the_main_event():
    text = ("On 2 March 2024 the army launched an offensive on the valley. The truce "
            "brokered on 4 March ended it. At the start of the offensive, roads were mined. "
            "During the offensive, two bridges were destroyed. After a day of fighting, "
            "the town fell.")
    dating = date_document(text, split(text), TODAY)
    assert dating.main_event == (date(2024, 3, 2), date(2024, 3, 4))
    found = [(m.kind, m.first, m.last) for ms in dating.mentions.values() for m in ms]
    assert ("event_start", date(2024, 3, 2), None) in found
    assert ("event_during", date(2024, 3, 2), date(2024, 3, 4)) in found
    assert ("event_after", date(2024, 3, 3), None) in found


def test_roles_as_of_comparison_and_future():
    text = ("As of 10 March, 40 people had fled. Unlike the 2016 war, the front held. "
            "The council will be dissolved from 1 January 2025.")
    roles = {d[0]: d[3] for d in dates_of(text)}
    assert roles == {date(2024, 3, 10): "as_of", date(2016, 1, 1): "comparison",
                     date(2025, 1, 1): "future"}


def test_a_year_before_counted_people_is_not_a_date():
    assert find_dates("Some 2000 people gathered in the square.") == []


def test_document_date_chosen_and_stated():
    text = ("Fighting began on 1 June 2022. A meeting is due from 1 January 2030. "
            "As of 3 June, 50 people had fled.")
    dating = date_document(text, split(text))
    assert dating.document_date == date(2022, 6, 3)
    assert "latest 'as of' date" in dating.reason and "3 June" in dating.reason
    given = date_document(text, split(text), date(2022, 7, 1))
    assert given.document_date == date(2022, 7, 1) and "as given" in given.reason
    meta = date_document(text, split(text), None, date(2022, 6, 9), "the PDF's creation date")
    assert meta.reason == "2022-06-09, from the PDF's creation date"
    assert date_document("No dates here.", split("No dates here.")).document_date is None


@pytest.mark.parametrize(("text", "time", "approximate"), [
    ("around 1 pm", "13:00", True), ("at 9:30 a.m.", "09:30", False),
    ("at noon", "12:00", False), ("at 23:15", "23:15", False),
    ("at about 11 pm", "23:00", True),
])
def test_times(text, time, approximate):
    found = find_times(f"The strike came {text} on Monday.")
    assert [(t.time, t.approximate) for t in found] == [(time, approximate)]
