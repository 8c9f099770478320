"""Time the work of one dashboard rerun on the bundled data and on 5,000 synthetic events.

Baselines, measured in the same run: one folium ``Marker`` with its own ``Popup`` per event
(the approach the project avoids), and pandas' plain CSV reader for loading.
"""

from __future__ import annotations

import csv
import io
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

import folium
import pandas as pd

from bench import scale
from dashboard.assets import localise, static_url
from dashboard.dataset import Geodata
from dashboard.export import snapshot
from dashboard.filters import FilterState, apply_filters
from dashboard.importing import import_bytes, load_path
from dashboard.map_builder import base_map, event_layers, full_map
from dashboard.paths import DEFAULT_EVENTS
from dashboard.playback import frames, step_window
from dashboard.popups import popup_body
from dashboard.query import EmbeddedStore

REPEAT = 5
SYNTHETIC = 5000


def median_ms(work: Callable[[], object], repeat: int = REPEAT) -> float:
    """Median wall time of ``work`` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def synthetic_events(path: Path, count: int) -> Path:
    """The bundled rows repeated with new ids up to ``count`` rows."""
    rows = list(csv.DictReader(DEFAULT_EVENTS.open(encoding="utf-8")))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for i in range(count):
            writer.writerow({**rows[i % len(rows)], "event_id": f"syn-{i:05d}"})
    return path


def naive_map(events: pd.DataFrame, geodata: Geodata) -> str:
    """Baseline: one folium Marker and Popup object per event."""
    fmap = folium.Map(tiles=None)
    for record in events.to_dict("records"):
        lon, lat = geodata.gazetteer[record["place_id"]].anchor
        folium.Marker([lat, lon], popup=folium.Popup(popup_body(record, geodata.gazetteer)),
                      tooltip=record["title"]).add_to(fmap)
    return fmap.get_root().render()


def our_map(events: pd.DataFrame, geodata: Geodata) -> str:
    fmap = full_map(events, geodata.gazetteer)
    localise(fmap, static_url())
    return fmap.get_root().render()


def rerun_layers(events: pd.DataFrame, geodata: Geodata) -> str:
    """What changes on a rerun: filter, rebuild the event layers and render their script."""
    shown = apply_filters(events, FilterState(date_from=date(2023, 9, 1),
                                              date_to=date(2023, 9, 30)))
    fmap = base_map(geodata.gazetteer)
    for layer in event_layers(shown, geodata.gazetteer):
        layer.add_to(fmap)
    return fmap.get_root().render()


def playback_step(events: pd.DataFrame, geodata: Geodata) -> str:
    """One step of playback: its events (window mode) and their layers, rendered."""
    first, last = events["start"].min().date(), events["end"].max().date()
    steps = frames(events, first, last, 1, skip_empty=True)
    fmap = base_map(geodata.gazetteer)
    window = step_window(steps[len(steps) // 2], "window")  # as the page's playback asks
    step = EmbeddedStore(events).select(FilterState()).overlapping(*window).frame()
    for layer in event_layers(step, geodata.gazetteer):
        layer.add_to(fmap)
    return fmap.get_root().render()


def acled_bytes(count: int) -> bytes:
    """``count`` ACLED rows: the test fixture's valid rows repeated, spread over the area."""
    fixture = Path(__file__).resolve().parent.parent / "tests/fixtures/imports/acled.csv"
    rows = [r for r in csv.DictReader(fixture.open(encoding="utf-8"))
            if r["event_id_cnty"] in ("ARM1", "AZE2", "ARM3")]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for i in range(count):
        row = rows[i % len(rows)]
        writer.writerow({**row, "event_id_cnty": f"SYN{i}",
                         "latitude": f"{float(row['latitude']) + (i % 97) / 500:.4f}",
                         "longitude": f"{float(row['longitude']) + (i % 89) / 500:.4f}"})
    return buffer.getvalue().encode("utf-8")


def import_rows(geodata: Geodata) -> list[tuple[str, int, float, str]]:
    """Importing an ACLED file (new places joined to regions) against pandas.read_csv."""
    raw = acled_bytes(SYNTHETIC)
    plain = median_ms(lambda: pd.read_csv(io.BytesIO(raw), dtype=str), 3)
    ours = median_ms(lambda: import_bytes(raw, "acled.csv", geodata), 3)
    return [("import ACLED upload (map, check, join)", SYNTHETIC, ours,
             f"{ours / plain:.0f}x pandas.read_csv ({plain:.1f} ms)")]


# Targets of the snapshot formats on the bundled data, in milliseconds.
EXPORT_TARGETS = {"png": 1000, "svg": None, "pdf": None, "html": 500, "csv": None,
                  "geojson": None, "gif": 10000}


def export_rows(geodata: Geodata) -> list[tuple[str, int, float, str]]:
    """Median time of each snapshot format (the GIF: 15 daily frames), against targets."""
    data = load_path(DEFAULT_EVENTS, geodata)
    state = FilterState(date_from=date(2023, 9, 15), date_to=date(2023, 9, 29))
    snapshot(data, state, "png")  # warm-up: imports matplotlib, projects the base map
    rows = []
    for fmt, target in EXPORT_TARGETS.items():
        runs = 3 if fmt == "gif" else REPEAT
        median = median_ms(lambda f=fmt: snapshot(data, state, f), runs)
        note = "" if target is None else (
            f"target < {target} ms: {'met' if median < target else 'MISSED'} "
            f"({target / median:.1f}x headroom)")
        rows.append((f"snapshot {fmt}", len(apply_filters(data.events, state)), median, note))
    return rows


def peak_mib(work: Callable[[], object]) -> float:
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> int:
    geodata = Geodata.load()
    rows: list[tuple[str, int, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        files = {len(list(csv.reader(DEFAULT_EVENTS.open(encoding="utf-8")))) - 1:
                 DEFAULT_EVENTS, SYNTHETIC: synthetic_events(Path(tmp) / "syn.csv", SYNTHETIC)}
        for count, path in files.items():
            plain = median_ms(lambda p=path: pd.read_csv(p, dtype=str))
            load = median_ms(lambda p=path: load_path(p, geodata))
            rows.append(("load + validate + join + geometry", count, load,
                         f"{load / plain:.0f}x pandas.read_csv ({plain:.1f} ms)"))
            events = load_path(path, geodata).events
            rows.append(("filter (one FilterState)", count,
                         median_ms(lambda e=events: apply_filters(e, FilterState())), ""))
            rerun = median_ms(lambda e=events: rerun_layers(e, geodata))
            rows.append(("rerun: filter + layers + render", count, rerun, ""))
            step = median_ms(lambda e=events: playback_step(e, geodata))
            rows.append(("playback step: window + layers + render", count, step,
                         f"{step / 500:.0%} of the fastest step (0.5 s)"))
            ours = median_ms(lambda e=events: our_map(e, geodata), 3)
            naive = median_ms(lambda e=events: naive_map(e, geodata), 3)
            rows.append(("full map page (ours)", count, ours,
                         f"one Marker per event: {naive:.0f} ms = {naive / ours:.1f}x ours"))
            rows.append(("peak memory of load, MiB", count,
                         peak_mib(lambda p=path: load_path(p, geodata)), ""))
    rows.extend(import_rows(geodata))
    rows.extend(export_rows(geodata))
    width = max(len(r[0]) for r in rows)
    print(f"{'operation':<{width}}  {'events':>6}  {'median':>10}  baseline (same run)")
    for name, count, value, note in rows:
        unit = "" if "MiB" in name else " ms"
        print(f"{name:<{width}}  {count:>6}  {value:>7.1f}{unit:<3}  {note}")
    print(f"(median of {REPEAT} runs, 3 for full pages and GIFs; GIF = 15 daily frames; "
          f"Python {sys.version.split()[0]})")
    scale.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
