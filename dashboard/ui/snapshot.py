"""The Snapshot panel: the current view as image, page, data or time-lapse."""

from __future__ import annotations

import re
from collections.abc import Callable

import streamlit as st

from dashboard.dataset import Dataset
from dashboard.errors import DashboardError
from dashboard.export import EXPORTERS, ExportError, SnapshotOptions, snapshot
from dashboard.filters import FilterState
from dashboard.query import Selection
from dashboard.ui import state as ui_state

SIZES = {"A4 landscape, print (2339 × 1654)": (2339, 1654),
         "Report width (1600 × 1130)": (1600, 1130),
         "Slide (1920 × 1080)": (1920, 1080), "Web (1200 × 800)": (1200, 800)}


def file_name(state: FilterState, fmt: str) -> str:
    """``events_2023-09-19_2023-10-03_syunik.png``: what the file holds, in its name."""
    parts = ["events", str(state.date_from or "start"), str(state.date_to or "end"),
             *state.regions[:3]]
    return (re.sub(r"[^A-Za-z0-9_.-]", "-", "_".join(parts))
            + f".{EXPORTERS[fmt].extension}")


def _options(fmt: str) -> SnapshotOptions:
    exporter = EXPORTERS[fmt]
    columns = st.columns(3)
    bounds = None
    if exporter.needs_extent:
        area = columns[0].radio(
            "Area", ["Extent of the shown events", "Current map view"], key=ui_state.SNAP_AREA,
            help="The current map view is known once you have moved or zoomed the map.")
        bounds = st.session_state.get("map_bounds") if area == "Current map view" else None
        if area == "Current map view" and bounds is None:
            columns[0].caption("Move or zoom the map first; until then the extent is used.")
    width, height = 1600, 1130
    if exporter.image:
        size = columns[1].selectbox("Size", list(SIZES), index=1, key=ui_state.SNAP_SIZE)
        width, height = SIZES[size]
    step = 1
    if exporter.animated:
        step = columns[2].number_input("Days per frame", 1, 365, 1, key=ui_state.SNAP_STEP)
    return SnapshotOptions(width=width, height=height, bounds=bounds, step_days=int(step))


def maker(data: Dataset, state: FilterState, shown: Selection, fmt: str,
          options: SnapshotOptions) -> Callable[[], bytes]:
    """The file of this request, made when the download button is clicked (not before)."""
    return lambda: snapshot(data, state, fmt, options, events=shown.frame())


def check(state: FilterState, shown: Selection, fmt: str,
          options: SnapshotOptions) -> None:
    """Raise now what would make the file fail when clicked (the format's cheap checks).

    Raises
    ------
    ExportError
        For a time-lapse that cannot be made (no period, too many frames).
    DashboardError
        For an unusable base map (images, time-lapses and pages draw it).
    """
    EXPORTERS[fmt].check(state, lambda: shown.columns(["start", "end"]), options)


def shown_text(shown: int) -> str:
    """``1 event, with ...`` / ``12 events, with ...``."""
    return (f"{shown:,} {'event' if shown == 1 else 'events'}, with the filters and layers "
            f"chosen in the sidebar.")


def render_snapshot_panel(data: Dataset, state: FilterState, shown: Selection) -> None:
    """Choose a format; one click makes the file and downloads it. Failures say why."""
    with st.expander("Snapshot: export what the map shows", expanded=False):
        fmt = st.selectbox("Format", list(EXPORTERS),
                           format_func=lambda f: EXPORTERS[f].label, key=ui_state.SNAP_FORMAT)
        try:
            options = _options(fmt)
        except ExportError as exc:
            st.error(f"These options cannot be exported: {exc}")
            return
        try:
            check(state, shown, fmt, options)
        except DashboardError as exc:  # ExportError, or unusable geodata
            st.error(f"The export cannot be made: {exc}")
            return
        st.caption(shown_text(len(shown)))
        name = file_name(state, fmt)
        st.download_button(f"Download {name}", maker(data, state, shown, fmt, options),
                           file_name=name, mime=EXPORTERS[fmt].mime, key=ui_state.SNAP_DOWNLOAD,
                           type="primary", on_click="ignore", icon=":material/download:",
                           help="The file is made when you click: images and time-lapses "
                                "take a few seconds.")
