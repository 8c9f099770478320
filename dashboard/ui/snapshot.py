"""The Snapshot panel: the current view as image, page, data or time-lapse."""

from __future__ import annotations

import re

import streamlit as st

from dashboard.dataset import Dataset
from dashboard.errors import DashboardError
from dashboard.export import FORMATS, ExportError, SnapshotOptions, snapshot
from dashboard.filters import FilterState

LABELS = {
    "png": "Image (PNG)", "svg": "Image (SVG, editable)", "pdf": "Image (PDF)",
    "html": "Interactive page (HTML, works offline)", "csv": "Data (CSV for spreadsheets)",
    "geojson": "Data (GeoJSON for GIS)", "gif": "Time-lapse (animated GIF)",
}
SIZES = {"A4 landscape, print (2339 × 1654)": (2339, 1654),
         "Report width (1600 × 1130)": (1600, 1130),
         "Slide (1920 × 1080)": (1920, 1080), "Web (1200 × 800)": (1200, 800)}
IMAGE_FORMATS = ("png", "svg", "pdf", "gif")


def file_name(state: FilterState, fmt: str) -> str:
    """``events_2023-09-19_2023-10-03_syunik.png``: what the file holds, in its name."""
    parts = ["events", str(state.date_from or "start"), str(state.date_to or "end"),
             *state.regions[:3]]
    return re.sub(r"[^A-Za-z0-9_.-]", "-", "_".join(parts)) + f".{fmt}"


def _options(fmt: str) -> SnapshotOptions:
    columns = st.columns(3)
    area = columns[0].radio(
        "Area", ["Extent of the shown events", "Current map view"], key="snap_area",
        help="The current map view is known once you have moved or zoomed the map.")
    bounds = st.session_state.get("map_bounds") if area == "Current map view" else None
    if area == "Current map view" and bounds is None:
        columns[0].caption("Move or zoom the map first; until then the extent is used.")
    width, height = 1600, 1130
    if fmt in IMAGE_FORMATS:
        size = columns[1].selectbox("Size", list(SIZES), index=1, key="snap_size")
        width, height = SIZES[size]
    step = 1
    if fmt == "gif":
        step = columns[2].number_input("Days per frame", 1, 365, 1, key="snap_step")
    return SnapshotOptions(width=width, height=height, bounds=bounds, step_days=int(step))


def render_snapshot_panel(data: Dataset, state: FilterState, shown: int) -> None:
    """Choose a format, make the file, offer it for download; failures say why."""
    with st.expander("Snapshot: export what the map shows", expanded=False):
        fmt = st.selectbox("Format", list(FORMATS), format_func=LABELS.__getitem__,
                           key="snap_format")
        try:
            options = _options(fmt)
        except ExportError as exc:
            st.error(f"These options cannot be exported: {exc}")
            return
        st.caption(f"{shown} events, with the filters and layers chosen in the sidebar.")
        request = (state, fmt, options)
        if st.button("Prepare file", key="snap_prepare", type="primary"):
            bar = st.progress(0.0, text="Preparing…")
            try:
                content = snapshot(data, state, fmt, options,
                                   progress=lambda f, m: bar.progress(min(f, 1.0), text=m))
            except DashboardError as exc:  # ExportError, or unusable geodata
                bar.empty()
                st.error(f"The export failed: {exc}")
                return
            bar.empty()
            st.session_state["snapshot"] = (request, content)
        ready = st.session_state.get("snapshot")
        if ready and ready[0] == request:
            st.download_button(f"Download {file_name(state, fmt)} ({len(ready[1]):,} bytes)",
                               ready[1], file_name=file_name(state, fmt),
                               mime=FORMATS[fmt], key="snap_download")
        elif ready:
            st.caption("The filters or options changed since the last file: prepare it again.")
