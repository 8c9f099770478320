"""The timeline's numbers: daily counts by category, undated events, displacement reports."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.schema import CATEGORIES
from dashboard.timeline import (
    binned_counts,
    choose_bin,
    daily_counts,
    displacement_reports,
    report_label,
    selected_interval,
    undated_counts,
    undated_note,
)
from tests.conftest import row

FIRST, LAST = date(2023, 9, 1), date(2023, 9, 30)


def crossing(event_id: str, day: str, people: str, qualifier: str, claimed_by: str,
             **changes: str) -> dict[str, str]:
    return row(event_id=event_id, date_start=day, category="displacement",
               event_type="crossing", displaced=people, figure_qualifier=qualifier,
               claimed_by=claimed_by, **changes)


@pytest.fixture
def events(make_dataset):
    return make_dataset(
        row(event_id="m1"), row(event_id="m2", time=""),
        row(event_id="p1", category="political", event_type="statement"),
        row(event_id="m3", date_start="2023-09-20"),
        row(event_id="month", date_start="2023-09-01", date_precision="month", time=""),
        row(event_id="year", date_start="2023-01-01", date_precision="year", time=""),
        row(event_id="early", date_start="2023-08-31"),
        crossing("b", "2023-09-24", "3000", "about", "Document B (author)"),
        crossing("a", "2023-09-28", "68000", "more_than",
                 "Document A, citing footnote [8]"),
        crossing("a2", "2023-09-28", "65000", "at_least", ""),
    ).events


def test_counts_per_day_and_category(events):
    counts = daily_counts(events, FIRST, LAST)
    got = {(d.date(), c): n for d, c, n in counts[["date", "category", "count"]].itertuples(
        index=False)}
    assert got == {(date(2023, 9, 19), "military"): 2, (date(2023, 9, 19), "political"): 1,
                   (date(2023, 9, 20), "military"): 1, (date(2023, 9, 24), "displacement"): 1,
                   (date(2023, 9, 28), "displacement"): 2}


def test_categories_in_map_order_with_labels(events):
    counts = daily_counts(events, FIRST, LAST)
    on_19 = counts[counts["date"] == "2023-09-19"]
    assert list(on_19["category"]) == ["military", "political"]
    assert list(on_19["label"]) == [CATEGORIES["military"].label,
                                    CATEGORIES["political"].label]


def test_month_and_year_precision_are_left_out_and_counted(events):
    counts = daily_counts(events, date(2023, 1, 1), LAST)
    assert counts["count"].sum() == 8  # every day-precision event, "early" included
    found = events["date_precision"].value_counts().to_dict()
    assert undated_counts(found) == {"month": 1, "year": 1}
    assert undated_note({"month": 1, "year": 1}) == (
        "1 event known only to the month and 1 only to the year are not on the daily chart.")
    assert undated_note({}) == ""


def test_range_limits_the_counted_days(events):
    counts = daily_counts(events, date(2023, 9, 20), date(2023, 9, 24))
    assert counts["count"].sum() == 2


def test_reports_are_points_not_sums(events):
    reports = displacement_reports(events)
    assert list(reports["event_id"]) == ["b", "a", "a2"]
    assert list(reports["people"]) == [3000, 68000, 65000]  # as reported, never added up
    assert reports["people"].max() == 68000


def test_labels_carry_qualifier_and_who_reports(events):
    labels = list(displacement_reports(events)["label"])
    assert labels[0] == "about 3,000 — Document B (author)"
    assert labels[1] == "more than 68,000 — Document A, citing footnote [8]"
    assert labels[2] == "at least 65,000 — Test document"  # no claimant: the source
    assert report_label(12, "exact", "") == "12"


def test_no_reports_is_an_empty_table(make_dataset):
    reports = displacement_reports(make_dataset(row()).events)
    assert reports.empty and "label" in reports.columns


@pytest.mark.parametrize("bounds", [
    [1695081600000, 1695340800000],  # epoch milliseconds, UTC midnights
    [1695081600000.0, 1695340800000.5],
    ["2023-09-19T00:00:00.000Z", "2023-09-22T00:00:00.000Z"],
    ["2023-09-22", "2023-09-19"],  # reversed
])
def test_selected_interval_reads_milliseconds_and_iso(bounds):
    state = {"selection": {"span": {"utcyearmonthdate_date": bounds}}}
    assert selected_interval(state, "span", FIRST, LAST) == (date(2023, 9, 19),
                                                              date(2023, 9, 22))


def test_selected_interval_is_clipped_and_empty_is_none():
    wide = {"selection": {"span": {"date": ["2020-01-01", "2024-01-01"]}}}
    assert selected_interval(wide, "span", FIRST, LAST) == (FIRST, LAST)
    outside = {"selection": {"span": {"date": ["2020-01-01", "2020-02-01"]}}}
    assert selected_interval(outside, "span", FIRST, LAST) is None
    for empty in (None, {}, {"selection": {"span": {}}}, {"selection": {}},
                  {"selection": {"span": {"date": ["nonsense", 3]}}}):
        assert selected_interval(empty, "span", FIRST, LAST) is None


@pytest.mark.parametrize(("start", "end", "unit"), [
    (date(2023, 9, 19), date(2023, 9, 19), "day"),
    (date(2023, 6, 1), date(2023, 9, 28), "day"),  # 120 days
    (date(2023, 5, 31), date(2023, 9, 28), "week"),
    (date(2022, 1, 1), date(2023, 12, 31), "week"),  # the opening range: 730 days
    (date(1991, 1, 1), date(2023, 12, 31), "month"),
])
def test_the_bin_follows_the_length_of_the_range(start, end, unit):
    assert choose_bin(start, end) == unit


def test_weeks_and_months_add_up_the_days(events):
    weeks = binned_counts(events, FIRST, LAST, "week")
    assert dict(zip(weeks["bin"], weeks["date"].dt.date, strict=False)) == {
        "17–23 Sep 2023": date(2023, 9, 17), "24–30 Sep 2023": date(2023, 9, 24)}
    assert weeks.groupby("bin")["count"].sum().to_dict() == {"17–23 Sep 2023": 4,
                                                             "24–30 Sep 2023": 3}
    months = binned_counts(events, date(2023, 8, 1), LAST, "month")
    assert months.groupby("bin")["count"].sum().to_dict() == {"August 2023": 1,
                                                              "September 2023": 7}
    assert undated_note({"month": 1}, "week") == (
        "1 event known only to the month is not on the weekly chart.")
