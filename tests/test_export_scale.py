"""Exports of many events: density images and frames, a page of sums, data written in parts.

The data exports are compared with the one-record-at-a-time writer they replaced
(:func:`reference_csv`, :func:`reference_geojson`), byte for byte.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from bench.generate import write_acled
from dashboard.aggregate import MAX_EVENTS
from dashboard.export import EXPORTERS, SnapshotOptions, page, save, snapshot, timelapse
from dashboard.export import density_mpl as density
from dashboard.export.image import render_figure
from dashboard.export.tables import (
    HEADER,
    WHEN,
    csv_cells,
    neutralise,
    neutralise_column,
    to_csv,
    to_geojson,
    write_csv,
    write_geojson,
)
from dashboard.filters import FilterState, apply_filters
from dashboard.formatting import format_when
from dashboard.importing import load_path
from dashboard.schema import COLUMNS, FIGURE_COLUMNS
from dashboard.sources import full_citation
from tests.test_export_image import SMALL, svg_text
from tests.test_export_page import ASSET_URL

EVERYTHING = FilterState()
BUNDLED_STATES = (FilterState(), FilterState(date_from=date(2023, 9, 19),
                                             date_to=date(2023, 10, 3),
                                             regions=("nagorno_karabakh",)))


@pytest.fixture(scope="module")
def generated(tmp_path_factory, geodata):
    """10,000 generated ACLED events, imported."""
    path = write_acled(tmp_path_factory.mktemp("scale") / "acled.csv", 10_000, seed=5)
    return load_path(path, geodata)


def reference_records(events: pd.DataFrame) -> list[dict]:
    """Each event's fields as the exports carried them before they were written in parts."""
    def cell(value):
        if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
            return ""
        return str(int(value)) if isinstance(value, (int, float)) else str(value)

    out = []
    for row in events.to_dict("records"):
        record = dict.fromkeys(HEADER)
        record.update({c: cell(row[c]) for c in COLUMNS})
        end = row["end"].date() if row["date_end"] else None
        record[WHEN] = format_when(row["start"].date(), end, row["date_precision"],
                                   row["time"])
        for column in FIGURE_COLUMNS:
            record[column] = None if pd.isna(row[column]) else int(row[column])
        record.update(place_name=row["place_name"],
                      location_precision=row["location_precision"],
                      latitude=row["marker"].y, longitude=row["marker"].x,
                      regions=list(row["regions"]), dataset=row.get("dataset") or "",
                      citation=full_citation(row["source"]))
        out.append(record)
    return out


def reference_csv(events: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for record in reference_records(events):
        cells = []
        for column in HEADER:
            value = record[column]
            value = ";".join(value) if column == "regions" else value
            value = neutralise(value) if isinstance(value, str) else value
            cells.append("" if value is None else value)
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8-sig")


def reference_geojson(events: pd.DataFrame) -> bytes:
    features = [{"type": "Feature", "id": r["event_id"],
                 "geometry": {"type": "Point", "coordinates": [r["longitude"], r["latitude"]]},
                 "properties": {k: v for k, v in r.items() if k not in ("latitude", "longitude")}}
                for r in reference_records(events)]
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")


@pytest.mark.parametrize("state", BUNDLED_STATES, ids=["all", "nagorno_karabakh"])
def test_data_exports_are_the_bytes_of_the_record_writer_on_the_bundled_data(bundled, state):
    events = apply_filters(bundled.events, state)
    assert snapshot(bundled, state, "csv") == reference_csv(events)
    assert snapshot(bundled, state, "geojson") == reference_geojson(events)


def test_data_exports_are_the_bytes_of_the_record_writer_on_generated_data(generated):
    events = apply_filters(generated.events, EVERYTHING)
    assert to_csv(events) == reference_csv(events)
    assert to_geojson(events) == reference_geojson(events)


class Parts(io.BytesIO):
    """A file that remembers the size of every write."""

    def __init__(self):
        super().__init__()
        self.sizes: list[int] = []

    def write(self, data) -> int:
        self.sizes.append(len(data))
        return super().write(data)


@pytest.mark.parametrize(("write", "whole"), [(write_csv, to_csv), (write_geojson, to_geojson)])
def test_data_are_written_in_parts_with_the_same_bytes(generated, write, whole):
    events = apply_filters(generated.events, EVERYTHING)
    out, seen = Parts(), []
    write(events, out, lambda share, message: seen.append(share), chunk=1_000)
    assert out.getvalue() == whole(events)
    assert len(out.sizes) >= len(events) // 1_000
    assert max(out.sizes) < len(out.getvalue()) / 5, "no part holds the whole file"
    assert seen == sorted(seen) and seen[-1] == 1.0


HOSTILE = ["=1+1", "+A1", "-5", "@SUM(A1)", "\tx", "\rx", "a,b", 'say "hi"', "two\nlines",
           "cr\rinside", "", " =not a formula", "'=already", "Ստեփանակերտ, «quoted»", "=a,\"b\""]


def test_the_formula_guard_and_quoting_are_those_of_csv_writer():
    texts = pd.Series(HOSTILE, dtype="str")
    assert list(neutralise_column(texts)) == [neutralise(t) for t in HOSTILE]
    written = io.StringIO()
    csv.writer(written, lineterminator="\r\n").writerow([neutralise(t) for t in HOSTILE])
    assert ",".join(csv_cells(texts)) + "\r\n" == written.getvalue()


def test_save_streams_data_to_the_path_and_leaves_no_half_file(bundled, tmp_path,
                                                                monkeypatch):
    path = tmp_path / "events.csv"
    assert save(bundled, EVERYTHING, "csv", path) == path.stat().st_size
    assert path.read_bytes() == snapshot(bundled, EVERYTHING, "csv")

    def broken(events, out, progress=None):
        out.write(b"half")
        raise OSError("disk full")

    monkeypatch.setitem(EXPORTERS, "geojson", dataclasses.replace(EXPORTERS["geojson"],
                                                                  write=broken))
    with pytest.raises(OSError, match="disk full"):
        save(bundled, EVERYTHING, "geojson", tmp_path / "events.geojson")
    assert not (tmp_path / "events.geojson").exists()


def test_many_events_print_as_density_with_its_key_and_note(generated):
    svg = snapshot(generated, EVERYTHING, "svg", SMALL)
    text = svg_text(svg)
    assert "The 10,000 events are aggregated" in text
    assert "each hexagonal cell, about" in text and "km across" in text
    assert f"{density.COLOURBAR_LABEL} (hexagons about" in text
    assert density.LEGEND_TITLE in text
    assert not re.search(r"<path[^>]*marker", svg.decode()), "no event symbol is drawn"


def test_density_replaces_symbols_above_the_map_threshold_only(generated, monkeypatch):
    events = apply_filters(generated.events, EVERYTHING)
    at_limit = render_figure(generated, EVERYTHING, events.iloc[:MAX_EVENTS], SMALL)
    over = render_figure(generated, EVERYTHING, events.iloc[:MAX_EVENTS + 1], SMALL)
    assert at_limit.density is None and at_limit.symbols
    assert over.density is not None and not over.symbols
    dense_png = over.save("png", "over")
    monkeypatch.setattr(density, "dense", lambda events: False)
    symbols = render_figure(generated, EVERYTHING, events.iloc[:MAX_EVENTS + 1], SMALL)
    assert symbols.density is None and symbols.save("png", "over") != dense_png


def test_the_hexagons_count_every_event_in_view(generated):
    events = apply_filters(generated.events, EVERYTHING)
    figure = render_figure(generated, EVERYTHING, events, SMALL)
    [hexes] = figure.event_artists
    x0, y0, x1, y1 = figure.extent
    x, y = density.mercator(*density.lonlat(events))
    in_view = int(((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)).sum())
    assert int(np.asarray(hexes.get_array()).sum()) == in_view > 0.9 * len(events)
    assert figure.density is not None and figure.density.norm is not None
    assert figure.density.norm.vmax == np.asarray(hexes.get_array()).max()


def test_only_the_busiest_places_are_named_and_names_do_not_overlap(generated):
    events = apply_filters(generated.events, EVERYTHING)
    figure = render_figure(generated, EVERYTHING, events, SMALL)
    busiest = [name for name, *_ in density.top_places(events)]
    assert len(busiest) == density.TOP_PLACES
    counts = events["place_name"].value_counts()
    assert [counts[n] for n in busiest] == sorted(counts.to_numpy(), reverse=True)[:10]
    names = [t for t in figure.ax.texts if t.get_text() in busiest and t.get_color() != "white"]
    assert 0 < len(names) <= density.TOP_PLACES
    boxes = [t.get_window_extent() for t in names]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_time_lapse_frames_draw_density_on_one_scale(generated):
    state = FilterState(date_from=date(2022, 9, 1), date_to=date(2023, 10, 2))
    events = apply_filters(generated.events, state)
    assert len(events) > MAX_EVENTS
    options = SnapshotOptions(width=480, height=340, dpi=60, step_days=40)
    frames = timelapse.Frames(generated, state, events, options)
    assert frames.map.density is not None
    norm = frames.map.density.norm
    for day in frames.days:
        frames.draw(day)
        [hexes] = frames.map.event_artists
        assert frames.map.density.norm is norm
        shown = timelapse.started_by(events, day)
        assert np.asarray(hexes.get_array()).sum() <= len(shown)
    gif = Image.open(io.BytesIO(snapshot(generated, state, "gif", options)))
    assert gif.n_frames == len(frames.days)


def tiled(data, copies: int):
    """``data`` with its events repeated ``copies`` times, each copy moved a little."""
    events = data.events
    parts = []
    for i in range(copies):
        part = events.copy()
        part["event_id"] = part["event_id"] + f"-{i}"
        lon, lat = density.lonlat(events)
        part["marker"] = gpd.points_from_xy(lon + 0.004 * i, lat + 0.003 * i)
        parts.append(part.set_geometry("marker"))
    return type(data)(path=data.path, events=pd.concat(parts, ignore_index=True),
                      geodata=data.geodata)


def test_page_of_100k_events_is_sums_under_5_mb_and_offline(generated):
    data = tiled(generated, 10)
    html = snapshot(data, EVERYTHING, "html").decode("utf-8")
    assert len(html.encode()) <= 5 * 2**20
    assert "100,000 events are shown as circles" in html
    assert ASSET_URL.findall(html) == []
    hosts = set(re.findall(r"https?://([^/\"'\\]+)", html))
    assert hosts <= {"tile.openstreetmap.org", "www.openstreetmap.org", "www.w3.org"}, hosts
    decoder = json.JSONDecoder()  # each zoom's cells, as rows whose third field counts
    counts = [row[2] for found in re.finditer(r"dashboardAggregates\(", html)
              for row in decoder.raw_decode(html, found.end())[0]]
    assert counts and sum(counts) % 100_000 == 0, "each zoom's circles hold every event"
    assert len(counts) <= page.PAGE_CELLS
    assert '"kind": "marker"' not in html
