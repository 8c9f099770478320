"""The timeline's two Vega-Lite charts as plain specs: bars of events per bin, and the
reports of people crossing.

Built as dictionaries, without Altair: a new filter state then costs a group-by and a few
dicts, not a chart object tree that is copied and checked against the Vega-Lite schema.
Tables go in ``datasets`` as DataFrames named by a hash of their content (what
``st.vega_lite_chart`` expects); ``tests/test_timeline_spec.py`` checks the specs against
the schema instead.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

import pandas as pd

from dashboard.filters import FilterState
from dashboard.query.store import Selection
from dashboard.schema import CATEGORIES
from dashboard.timeline import choose_bin

SELECTION = "span"  # the x-interval selection parameter
Y_AXIS_WIDTH = 64  # pixels, the same in both charts so their days line up
TIME_UNITS = {"day": "utcyearmonthdate", "week": "utcyearweek", "month": "utcyearmonth"}
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # a name, never fetched
Spec = dict[str, Any]


def chart_range(shown: Selection, state: FilterState) -> tuple[date, date]:
    """The chart's days: the state's date range, or the shown events' span."""
    if state.date_from is None or state.date_to is None:
        span = shown.span()
        if span is not None:
            return span
    return state.date_from or date.today(), state.date_to or date.today()


def _epoch_ms(day: date) -> int:
    return int(pd.Timestamp(day, tz="UTC").timestamp() * 1000)


def _utc(day: date) -> dict[str, Any]:
    """Midnight UTC of ``day`` for a Vega-Lite scale domain."""
    return {"date": day.day, "month": day.month, "utc": True, "year": day.year}


def _named(table: pd.DataFrame, datasets: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Put ``table`` in ``datasets`` under a name made from its content; its data clause."""
    digest = hashlib.md5(usedforsecurity=False)
    digest.update("\x1f".join(map(str, table.columns)).encode())
    digest.update(pd.util.hash_pandas_object(table, index=False).to_numpy().tobytes())
    name = digest.hexdigest()
    datasets[name] = table
    return {"name": name}


def _step_layers(marker: tuple[date, date], x_scale: Spec,
                 datasets: dict[str, pd.DataFrame]) -> list[Spec]:
    """The playback step: a shaded band over its days with a dashed line at its start."""
    step = pd.DataFrame({"date": [_epoch_ms(marker[0])],  # numbers: UTC, not local time
                         "end": [_epoch_ms(marker[1] + timedelta(days=1))]})
    data = _named(step, datasets)
    x = {"field": "date", "scale": x_scale, "type": "temporal"}
    return [{"data": data, "mark": {"type": "rect", "color": "black", "opacity": 0.12},
             "encoding": {"x": x, "x2": {"field": "end"}}},
            {"data": data, "mark": {"type": "rule", "color": "black", "strokeDash": [4, 3]},
             "encoding": {"x": x}}]


def _chart(layers: list[Spec], height: int, datasets: dict[str, pd.DataFrame]) -> Spec:
    return {"$schema": SCHEMA, "layer": layers, "height": height, "width": "container",
            # fit-x: the width fits the page, the height is the plot's own.
            "autosize": {"type": "fit-x", "contains": "padding"}, "datasets": datasets}


def _bars(counts: pd.DataFrame, unit: str, state: FilterState, x_scale: Spec,
          datasets: dict[str, pd.DataFrame]) -> Spec:
    labels = [c.label for c in CATEGORIES.values() if c.id in state.categories]
    colours = [c.colour for c in CATEGORIES.values() if c.id in state.categories]
    x: Spec = {"field": "date", "scale": x_scale, "timeUnit": TIME_UNITS[unit], "title": None,
               "type": "temporal"}
    if unit == "week":
        x["axis"] = {"format": "%b %Y"}
    return {
        "name": "view_days",
        "data": _named(counts, datasets),
        "mark": {"type": "bar", "clip": True},
        "encoding": {
            "x": x,
            "y": {"field": "count", "stack": "zero", "title": f"Events starting that {unit}",
                  "type": "quantitative",
                  "axis": {"minExtent": Y_AXIS_WIDTH, "maxExtent": Y_AXIS_WIDTH}},
            "color": {"field": "label", "type": "nominal", "title": None, "sort": labels,
                      "legend": {"orient": "top"},
                      "scale": {"domain": labels, "range": colours}},
            "order": {"field": "rank", "type": "quantitative"},
            "tooltip": [{"field": "bin", "title": unit.capitalize(), "type": "nominal"},
                        {"field": "label", "title": "Category", "type": "nominal"},
                        {"field": "count", "title": "Events", "type": "quantitative"}],
        },
    }


def _reports(reports: pd.DataFrame, start: date, end: date, x_scale: Spec,
             datasets: dict[str, pd.DataFrame]) -> list[Spec]:
    middle = pd.Timestamp(start) + (pd.Timestamp(end) - pd.Timestamp(start)) / 2
    table = reports.assign(right=reports["date"] > middle,  # labels there point left
                           date=[_epoch_ms(d.date()) for d in reports["date"]])
    data = _named(table, datasets)
    day = {"field": "date", "timeUnit": "utcyearmonthdate", "type": "temporal"}
    encoding: Spec = {
        "x": {**day, "bandPosition": 0.5, "scale": x_scale, "title": None},
        "y": {"field": "people", "title": "People reported crossing", "type": "quantitative",
              "axis": {"minExtent": Y_AXIS_WIDTH, "maxExtent": Y_AXIS_WIDTH}},
        "tooltip": [{**day, "format": "%d %b %Y", "title": "Date"},
                    {"field": "label", "title": "Reported", "type": "nominal"},
                    {"field": "event_id", "title": "Event", "type": "nominal"}],
    }
    colour = CATEGORIES["displacement"].colour
    labels: list[Spec] = [{"data": data, "transform": [{"filter": f"(datum.right === {side})"}],
               "mark": {"type": "text", "align": "right" if right else "left",
                        "dx": -6 if right else 6, "dy": -8, "fontSize": 11, "limit": 320},
               "encoding": {**encoding, "text": {"field": "claimed_by", "type": "nominal"}}}
              for right, side in ((False, "false"), (True, "true"))]
    return [{"data": data, "encoding": encoding,
             "mark": {"type": "line", "color": colour, "interpolate": "step-after"}},
            {"data": data, "encoding": encoding,
             "mark": {"type": "point", "color": colour, "filled": True, "shape": "diamond",
                      "size": 80}},
            *labels]


def timeline_specs(shown: Selection, state: FilterState,
                   marker: tuple[date, date] | None = None) -> tuple[Spec, Spec | None]:
    """Stacked bars of events per day, week or month by category, and the displacement
    reports (None when no report falls in the range).

    The bin follows the range's length (:func:`dashboard.timeline.choose_bin`). Two single
    views, not one concatenation, so each fits the page's width; the same x domain and a
    fixed y-axis width keep their days aligned. The bars' view carries the interval
    selection :data:`SELECTION` over x. ``marker`` is the playback step, shaded in both.
    """
    start, end = chart_range(shown, state)
    unit = choose_bin(start, end)
    x_scale = {"domain": [_utc(start), _utc(end + timedelta(days=1))]}
    counts = shown.day_counts(start, end, unit).copy()  # a store's answer: shared, kept
    # Numbers: milliseconds of UTC midnight (the days are midnights).
    counts["date"] = counts["date"].to_numpy(dtype="datetime64[ms]").astype("int64")
    counts["rank"] = counts["category"].map({c: i for i, c in enumerate(CATEGORIES)})
    day_sets: dict[str, pd.DataFrame] = {}
    step = _step_layers(marker, x_scale, day_sets) if marker is not None else []
    days = _chart([*step, _bars(counts, unit, state, x_scale, day_sets)], 160, day_sets)
    days["params"] = [{"name": SELECTION, "views": ["view_days"],
                       "select": {"type": "interval", "encodings": ["x"]}}]
    reports = shown.reports()
    reports = reports[(reports["date"] >= pd.Timestamp(start))
                      & (reports["date"] <= pd.Timestamp(end))]
    if reports.empty:
        return days, None
    report_sets: dict[str, pd.DataFrame] = {}
    step = _step_layers(marker, x_scale, report_sets) if marker is not None else []
    layers = [*step, *_reports(reports, start, end, x_scale, report_sets)]
    return days, _chart(layers, 120, report_sets)
