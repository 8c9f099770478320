"""The scale table's rows for loading from the table cache and for what a rerun asks of the
store: building it, the timeline's bars, the map's cells and one playback step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from dashboard.aggregate import zoom_for
from dashboard.dataset import Dataset, Geodata
from dashboard.filters import FilterState
from dashboard.layers.aggregates import aggregate_layers
from dashboard.map_builder import event_layers
from dashboard.query import EmbeddedStore
from dashboard.settings import Limits
from dashboard.tablecache import TableCache, load_cached

Row = tuple[str, int, str, str]
Timed = Callable[..., tuple[float, object]]
REGION = (38.8, 44.0, 41.2, 50.0)  # the first view: the South Caucasus
WEEK = (date(2023, 9, 17), date(2023, 9, 23))  # a playback step of the offensive's week


def cache_rows(path: Path, size: int, folder: Path, geodata: Geodata, limits: Limits,
               timed: Timed) -> list[Row]:
    """Loading ``path`` the first time (imported, then kept) and again (from the cache)."""
    cache = TableCache(folder / f"cache-{size}")
    cold, _ = timed(lambda: load_cached(path, geodata, cache, limits=limits), 1)
    warm, _ = timed(lambda: load_cached(path, geodata, cache, limits=limits), 3)
    return [("load, first time (import + cache written)", size, f"{cold:.1f} s",
             "target ≤ 30 s at 1M"),
            ("load, unchanged file (table cache)", size, f"{warm:.2f} s",
             f"{cold / warm:,.0f}× faster than the first; target ≤ 3 s at 1M")]


def store_rows(data: Dataset, size: int, timed: Timed) -> list[Row]:
    """What a rerun asks of the store, at the whole period (the heaviest)."""
    seconds, store = timed(lambda: EmbeddedStore(data.events), 1)
    assert isinstance(store, EmbeddedStore)
    everything = store.select(FilterState())
    span = everything.span()
    assert span is not None
    bars, _ = timed(lambda: everything.day_counts(*span, "month"), 5)
    zoom = zoom_for(REGION)
    cells, found = timed(lambda: everything.aggregates(zoom), 3)

    def step() -> object:  # window, then what the map draws for it, as the page does
        mode, drawn = everything.overlapping(*WEEK).for_map(REGION)
        if mode == "events":
            return event_layers(drawn.frame(), data.geodata.gazetteer)
        return aggregate_layers(drawn.aggregates(zoom))

    played, _ = timed(step, 3)
    return [("store built (once per data)", size, f"{seconds:.2f} s", "index, codes, points"),
            ("timeline bars, whole period", size, f"{bars * 1000:.0f} ms",
             "target ≤ 100 ms at 1M"),
            ("map cells, whole period", size, f"{cells * 1000:.0f} ms",
             f"{len(found):,} cells at zoom {zoom}"),  # type: ignore[arg-type]
            ("playback step (window + map layers)", size, f"{played * 1000:.0f} ms",
             "a week of Sep 2023; target ≤ 0.5 s at 1M")]
