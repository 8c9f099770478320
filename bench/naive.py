"""The baseline of the browser benchmark: what a typical streamlit-folium app sends.

Such an app reads the ACLED export with pandas, filters it by the slider's dates and maps
every event of the range as one point of a single GeoJSON layer, its popup made of the
event's fields (a marker per event). :mod:`bench.naive_app` is that app; the functions
here are shared with :mod:`bench.scale`, which measures the payload where the app itself
would be too large to run.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

# What the popup of each event shows, as a typical app picks it from ACLED's columns.
POPUP_FIELDS = ("event_date", "event_type", "sub_event_type", "actor1", "actor2",
                "location", "admin1", "country", "fatalities", "source", "notes")
CENTER = (40.0, 46.0)  # the South Caucasus, where the generated events fall


def read_events(path: Path) -> pd.DataFrame:
    """The columns the naive map needs, the dates parsed, sorted by nothing."""
    frame = pd.read_csv(path, usecols=[*POPUP_FIELDS, "latitude", "longitude"],
                        dtype=str, keep_default_na=False)
    frame["day"] = pd.to_datetime(frame["event_date"]).dt.date
    frame["latitude"] = frame["latitude"].astype(float)
    frame["longitude"] = frame["longitude"].astype(float)
    return frame


def in_window(events: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    """The events dated from ``first`` to ``last`` (both included)."""
    return events[(events["day"] >= first) & (events["day"] <= last)]


def feature_collection(events: pd.DataFrame) -> dict[str, Any]:
    """One GeoJSON point feature per event, its popup fields as properties."""
    fields = list(POPUP_FIELDS)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
         "properties": dict(zip(fields, values, strict=True))}
        for lon, lat, *values in zip(events["longitude"], events["latitude"],
                                     *(events[f] for f in fields), strict=True)]}


def payload_bytes(events: pd.DataFrame) -> int:
    """The bytes of the GeoJSON the naive app sends for ``events`` (the map's script adds
    little to it)."""
    return len(json.dumps(feature_collection(events)).encode("utf-8"))
