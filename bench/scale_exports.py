"""Exports of a generated dataset for the scale section of ``make bench``: the PNG (a density
map beyond the map's threshold), the standalone page (sums per area), and the CSV and
GeoJSON of every event written to a file in parts. Against the targets of issue 10."""

from __future__ import annotations

from pathlib import Path

from dashboard.dataset import Dataset
from dashboard.export import EXPORTERS, SnapshotOptions
from dashboard.filters import FilterState, apply_filters

# seconds: a PNG of 1,000,000 events in 3 s, their CSV and GeoJSON in 20 s; a page ≤ 5 MB
TARGETS = {"png": 3.0, "html": None, "csv": 20.0, "geojson": 20.0}
PAGE_MB = 5


def export_rows(data: Dataset, size: int, folder: Path,
                timed) -> list[tuple[str, int, str, str]]:
    """(operation, events, result, note) of each export of every event of ``data``;
    ``timed(work, repeat)`` is the caller's median timer."""
    state = FilterState()
    shown = apply_filters(data.events, state)
    options = SnapshotOptions()
    repeat = 3 if size <= 100_000 else 1
    out = []
    for fmt, target in TARGETS.items():
        exporter = EXPORTERS[fmt]
        if exporter.write is not None:
            path = folder / f"events.{fmt}"

            def work(e=exporter, p=path) -> int:
                with p.open("wb") as file:
                    e.write(shown, file, None)
                return p.stat().st_size
        else:
            def work(e=exporter) -> int:
                return len(e.render(data, state, shown, options, None))
        seconds, written = timed(work, repeat)
        note = f"{written / 2**20:,.1f} MB"
        if target is not None:
            note += f"; target {target:g} s at 1M: {'met' if seconds <= target else 'MISSED'}"
        elif fmt == "html":
            note += f"; target ≤ {PAGE_MB} MB: {'met' if written <= PAGE_MB * 2**20 else 'MISSED'}"
        kind = "written in parts" if exporter.write is not None else "made in memory"
        out.append((f"export {fmt} ({kind})", size, f"{seconds:.2f} s", note))
    return out
