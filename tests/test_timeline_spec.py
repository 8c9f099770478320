"""The timeline's Vega-Lite specs: valid against the schema, with the data, bins, colours,
selection and playback step a reader sees."""

from __future__ import annotations

from datetime import date

import jsonschema
import pytest
from altair.vegalite.v6.schema.core import load_schema

from dashboard.filters import FilterState, apply_filters
from dashboard.query import EmbeddedStore
from dashboard.schema import CATEGORIES
from dashboard.timeline import binned_counts, displacement_reports
from dashboard.timeline_spec import SELECTION, timeline_specs

STATES = {
    "days": FilterState(date(2023, 9, 15), date(2023, 10, 5)),
    "weeks": FilterState(date(2023, 1, 1), date(2023, 12, 31)),
    "months": FilterState(date(2020, 1, 1), date(2023, 12, 31)),
    "two categories": FilterState(date(2023, 1, 1), date(2023, 12, 31),
                                  categories=("military", "displacement")),
    "no dates": FilterState(),
}
MARKER = (date(2023, 9, 19), date(2023, 9, 25))


def select(bundled, state):
    """The events ``state`` selects, as the page asks for them."""
    return EmbeddedStore(bundled.events).select(state)


@pytest.fixture(scope="module")
def validator():
    return jsonschema.Draft7Validator(load_schema())


def as_json(spec: dict) -> dict:
    """The spec as the browser gets it: tables as rows of values."""
    return {**spec, "datasets": {name: table.to_dict("records")
                                 for name, table in spec["datasets"].items()}}


@pytest.mark.parametrize("marker", [None, MARKER], ids=["still", "playing"])
@pytest.mark.parametrize("state", STATES.values(), ids=STATES.keys())
def test_specs_are_valid_vega_lite(bundled, validator, state, marker):
    for spec in timeline_specs(select(bundled, state), state, marker):
        if spec is not None:
            errors = [e.message for e in validator.iter_errors(as_json(spec))]
            assert not errors, errors[:3]


def layer_data(spec: dict, mark: str):
    [layer] = [lay for lay in spec["layer"] if lay["mark"]["type"] == mark][:1]
    return spec["datasets"][layer["data"]["name"]], layer


def test_bars_count_the_shown_events_in_the_map_colours(bundled):
    state = STATES["two categories"]
    shown = apply_filters(bundled.events, state)
    days, _ = timeline_specs(select(bundled, state), state)
    table, bars = layer_data(days, "bar")
    expected = binned_counts(shown, state.date_from, state.date_to, "week")
    assert table["count"].sum() == expected["count"].sum() > 0
    assert list(table["bin"]) == list(expected["bin"])
    colour = bars["encoding"]["color"]["scale"]
    assert colour["domain"] == [CATEGORIES[c].label for c in ("military", "displacement")]
    assert colour["range"] == [CATEGORIES[c].colour for c in ("military", "displacement")]
    assert bars["encoding"]["x"]["timeUnit"] == "utcyearweek"
    [param] = days["params"]
    assert param["name"] == SELECTION and param["views"] == [bars["name"]]


def test_reports_are_those_in_the_range_with_who_reported_them(bundled):
    state = STATES["days"]
    shown = apply_filters(bundled.events, state)
    _, people = timeline_specs(select(bundled, state), state)
    table, _ = layer_data(people, "point")
    reports = displacement_reports(shown)
    assert list(table["event_id"]) == list(reports["event_id"]) != []
    assert list(table["claimed_by"]) == list(reports["claimed_by"])
    # Labels right of the middle point left, so that they stay inside the chart.
    middle = (date(2023, 9, 25) - date(1970, 1, 1)).days * 86_400_000
    assert list(table["right"]) == list(table["date"] > middle)
    assert table["right"].any() and not table["right"].all()


def test_no_report_in_the_range_gives_no_second_chart(bundled):
    state = FilterState(date(2023, 9, 19), date(2023, 9, 20))
    assert timeline_specs(select(bundled, state), state)[1] is None


def test_the_playback_step_is_shaded_in_both_charts(bundled):
    state = STATES["weeks"]
    for spec in timeline_specs(select(bundled, state), state, MARKER):
        band, _ = layer_data(spec, "rect")
        assert band["end"].iloc[0] - band["date"].iloc[0] == 7 * 86_400_000  # 19–25 Sep


def test_dataset_names_follow_the_content(bundled):
    first = STATES["days"]
    again = timeline_specs(select(bundled, first), first)[0]["datasets"].keys()
    assert timeline_specs(select(bundled, first), first)[0]["datasets"].keys() == again
    other = STATES["weeks"]
    moved = timeline_specs(select(bundled, other), other)[0]["datasets"].keys()
    assert moved != again
