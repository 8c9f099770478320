"""A place the gazetteer lacks, placed by hand (a click on the map), as a gazetteer entry."""

from __future__ import annotations

import re

from dashboard.gazetteer import fold

PRECISIONS = {"town centre, <1 km": 1000, "about ±2 km": 2000, "about ±10 km": 10000,
              "district, about ±25 km": 25000}
LOCAL = "local:"  # the id prefix of places added by hand


def place_id(name: str) -> str:
    """The id of a place added by hand: ``local:`` and its folded name, ``local:nor-getashen``."""
    return LOCAL + "-".join(re.findall(r"[a-z0-9]+", fold(name)))


def new_place(name: str, variants: str, precision: str, lon: float,
              lat: float) -> tuple[dict | None, str]:
    """The GeoJSON feature of a place placed by hand, or None and what is wrong.

    ``variants`` are other spellings separated by commas; ``precision`` is one of
    :data:`PRECISIONS`.
    """
    name = " ".join(name.split())
    if not name or place_id(name) == LOCAL:
        return None, "give the place a name (with letters or digits)"
    if precision not in PRECISIONS:
        return None, f"the precision must be one of {', '.join(PRECISIONS)}"
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None, f"{lat}, {lon} is not a point on Earth (latitude, longitude)"
    alt = [v for v in dict.fromkeys(" ".join(v.split()) for v in variants.split(","))
           if v and v != name]
    return ({"type": "Feature", "geometry": {"type": "Point",
                                              "coordinates": [round(lon, 6), round(lat, 6)]},
             "properties": {"id": place_id(name), "name": name, "display_name": name,
                            "alt_names": alt, "kind": "town", "precision": precision,
                            "precision_m": PRECISIONS[precision], "country": None,
                            "source": "placed by hand on the map while reviewing a report",
                            "note": ""}}, "")


def parse_point(text: str) -> tuple[float, float] | None:
    """``"39.81, 46.75"`` (latitude, longitude) as ``(lon, lat)``; None if unreadable."""
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError:
        return None
    return lon, lat
