"""The scale section of ``make bench``: generated ACLED files of 10,000 and 100,000 events
(``BENCH_SCALE=10000,100000,1000000`` for more), each imported, filtered and mapped, against
a naive folium map (every event a GeoJSON feature with its popup) measured in the same run;
then, in headless Chromium, the dashboard and a naive folium app redrawing their maps after
changes of the date range (:mod:`bench.browser`; ``BENCH_BROWSER=0`` leaves it out).

Run alone with ``python -m bench.scale``.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import folium
import pandas as pd

from bench import browser_rows
from bench.generate import write_acled
from bench.scale_exports import export_rows
from bench.scale_store import REGION, cache_rows, store_rows
from dashboard.aggregate import zoom_for
from dashboard.dataset import Geodata
from dashboard.filters import FilterState, apply_filters
from dashboard.importing import load_path
from dashboard.layers.aggregates import aggregate_layers
from dashboard.map_builder import base_map, event_layers, layer_control
from dashboard.popups import popup_body
from dashboard.query import EmbeddedStore, Selection
from dashboard.settings import Limits
from dashboard.ui.folium_args import prepare

SIZES = tuple(int(n) for n in os.environ.get("BENCH_SCALE", "10000,100000").split(","))
NAIVE_UP_TO = 20_000  # the naive map of more events takes minutes: measured up to this size
UNLIMITED = Limits(max_bytes=2**40, max_rows=10**9)
YEAR = FilterState(date(2023, 1, 1), date(2023, 12, 31))
BROWSER = os.environ.get("BENCH_BROWSER", "1") != "0"


def timed(work: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    """Median seconds of ``work`` over ``repeat`` runs, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def rss_peak_mb() -> float:
    """This process's peak resident memory so far, from /proc (0 where there is none)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def layer_bytes(events: Selection, geodata: Geodata) -> tuple[str, int]:
    """What the map sends for ``events`` in the first view: its mode and the bytes of its
    layers' script (what a rerun sends; the base map is sent once)."""
    mode, drawn = events.for_map(REGION)
    layers = (event_layers(drawn.frame(), geodata.gazetteer) if mode == "events"
              else aggregate_layers(drawn.aggregates(zoom_for(REGION))))
    args = prepare(base_map(geodata.gazetteer), layers, layer_control(), key="bench")
    return mode, len(args["feature_group"])


def naive_page(events: pd.DataFrame, geodata: Geodata) -> str:
    """Baseline: one GeoJSON layer with a feature and its popup per event, as a typical
    streamlit-folium app sends it."""
    features = [{"type": "Feature",
                 "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                 "properties": {"popup": popup_body(row, geodata.gazetteer)}}
                for row in events.assign(lon=events.geometry.x, lat=events.geometry.y)
                .to_dict("records")]
    fmap = folium.Map(tiles=None)
    folium.GeoJson({"type": "FeatureCollection", "features": features},
                   popup=folium.GeoJsonPopup(fields=["popup"], labels=False)).add_to(fmap)
    return fmap.get_root().render()


def rows(geodata: Geodata) -> list[tuple[str, int, str, str]]:
    """(operation, events, result, baseline) for every size."""
    out: list[tuple[str, int, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            path = write_acled(Path(tmp) / f"acled-{size}.csv", size, seed=1)
            seconds, data = timed(lambda p=path: load_path(p, geodata, limits=UNLIMITED), 1)
            events = data.events  # type: ignore[attr-defined]
            extended = data.geodata  # type: ignore[attr-defined]  # with the file's places
            out.append(("import (generated ACLED CSV)", size, f"{seconds:.1f} s",
                        f"peak RSS so far {rss_peak_mb():,.0f} MB"))
            out += cache_rows(path, size, Path(tmp), geodata, UNLIMITED, timed)
            out += store_rows(data, size, timed)  # type: ignore[arg-type]
            store = EmbeddedStore(events)
            seconds, shown = timed(lambda s=store: s.mask(YEAR), 5)
            plain, _ = timed(lambda e=events: apply_filters(e, YEAR), 3)
            out.append(("filter (one year)", size, f"{seconds * 1000:.1f} ms",
                        f"{int(shown.sum()):,} shown; pandas filters "  # type: ignore[union-attr]
                        f"{plain * 1000:.0f} ms"))
            everything = store.select(FilterState())
            seconds, (mode, size_b) = timed(lambda e=everything, g=extended: layer_bytes(e, g))
            out.append(("map layers for the first view", size, f"{seconds * 1000:.0f} ms",
                        f"{mode}, {size_b / 1024:,.0f} KB of script"))
            if size <= NAIVE_UP_TO:
                seconds, page = timed(lambda e=events, g=extended: naive_page(e, g), 1)
                out.append(("  naive folium page (baseline)", size, f"{seconds * 1000:.0f} ms",
                            f"{len(page) / 2**20:,.1f} MB of page"))  # type: ignore[arg-type]
            else:
                out.append(("  naive folium page (baseline)", size, "not run",
                            f"over {NAIVE_UP_TO:,} events it takes minutes"))
            out += export_rows(data, size, Path(tmp), timed)  # type: ignore[arg-type]
            if BROWSER:
                out.extend(browser_rows.rows(path, size, Path(tmp)))
    return out


def print_table(found: list[tuple[str, int, str, str]]) -> None:
    width = max(len(r[0]) for r in found)
    print(f"\nscale ({os.cpu_count()} cores)")
    print(f"{'operation':<{width}}  {'events':>9}  {'median':>9}  notes (same run)")
    for name, count, value, note in found:
        print(f"{name:<{width}}  {count:>9,}  {value:>9}  {note}")


def main() -> int:
    print_table(rows(Geodata.load()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
