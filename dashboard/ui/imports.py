"""Your own events: the upload box at the top of the sidebar, and what was skipped."""

from __future__ import annotations

import csv
import io
import math

import streamlit as st

from dashboard.dataset import Dataset
from dashboard.export.tables import neutralise
from dashboard.importing import FORMATS, LAYOUTS, ImportRefused, described
from dashboard.ui import cache
from dashboard.ui import state as ui_state
from dashboard.ui.urlsync import md_escape

DETECT = ""
FORMAT_LABELS: dict[str, str] = {DETECT: "Detect from the columns",
                                  **{f.id: f.title for f in FORMATS}}
UPLOAD_TYPES = [suffix for layout in LAYOUTS for suffix in layout.suffixes]


def upload_limit() -> tuple[float, int]:
    """The largest upload, in megabytes (``DASHBOARD_MAX_UPLOAD_MB``, unless Streamlit's
    own ``server.maxUploadSize`` is lower), and the most rows (``DASHBOARD_MAX_ROWS``)."""
    settings = cache.settings()
    return min(settings.max_upload_mb, st.get_option("server.maxUploadSize")), settings.max_rows


def render_uploader() -> list[cache.Keyed]:
    """The upload box; the datasets of the files that could be read, with cache keys.

    A refused file gets one error line and the others still load. Nothing is written to
    disk: files are read from memory.
    """
    megabytes, rows = upload_limit()
    with st.sidebar.expander("Your events: add files", expanded=False):
        files = st.file_uploader(
            f"Events files of up to {megabytes:g} MB each: {described()}", type=UPLOAD_TYPES,
            accept_multiple_files=True, key=ui_state.UPLOADS,
            max_upload_size=max(1, math.ceil(megabytes)),
            help="Read in this session only; nothing is saved and events.csv is not changed. "
                 "Comma, semicolon or tab separated; UTF-8, else Windows-1252. Files over "
                 f"{megabytes:g} MB or {rows:,} rows are refused; name a larger file when "
                 "the dashboard starts (`--events`, `DASHBOARD_EVENTS`): it has no limit.")
        fmt = st.selectbox("Format", list(FORMAT_LABELS), format_func=FORMAT_LABELS.__getitem__,
                           key=ui_state.UPLOAD_FORMAT)
        st.toggle("Show the bundled events too", value=True, key=ui_state.WITH_BUNDLED)
    parts = []
    for upload in files or []:
        try:
            parts.append(cache.imported(upload.getvalue(), upload.name, fmt or None))
        except ImportRefused as exc:
            st.error(md_escape(f"{upload.name} was not loaded: {exc}"))
    return parts


def problems_csv(data: Dataset) -> bytes:
    """The skipped rows of ``data`` as CSV: line (or feature), column, problem."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([data.unit, "column", "problem"])
    for problem in data.skipped:
        writer.writerow([problem.line, problem.column, neutralise(problem.message)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def show_problems(data: Dataset) -> None:
    """Per dataset: notices, and a warning naming the skipped rows with a list to download."""
    for part in data.parts or [data]:
        for notice in part.notices:
            st.info(md_escape(notice))
        skipped = part.skipped
        if not skipped:
            continue
        lines = sorted({p.line for p in skipped})
        shown = ", ".join(map(str, lines[:20])) + (" …" if len(lines) > 20 else "")
        name = md_escape(part.name)
        st.warning(f"{len(lines)} of {part.total_rows} rows of {name} were skipped because "
                   f"of errors ({part.unit}s {shown}); the other rows are shown.",
                   icon="⚠️")
        with st.expander(f"What is wrong with the skipped rows of {name}"):
            st.dataframe([{part.unit: p.line, "column": p.column, "problem": p.message}
                          for p in skipped], hide_index=True, width="stretch")
            st.download_button("Download the list (CSV)", problems_csv(part),
                               file_name=f"skipped-rows-{part.name}.csv", mime="text/csv",
                               key=ui_state.skipped_key(part.name))
