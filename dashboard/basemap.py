"""The base map file (``geodata/basemap.geojson``), read and checked for the page and exports.

Both the interactive map (:mod:`dashboard.map_builder`) and the static exports
(:mod:`dashboard.export.basemap_mpl`) read it here, so a missing or corrupt file is the
same one-sentence :class:`GeodataError` in both.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from shapely.errors import GEOSException
from shapely.geometry import shape

from dashboard.errors import GeodataError
from dashboard.files import read_regular_text


def basemap_stamp(path: Path) -> float:
    """The file's modification time, a cache key; 0.0 when it cannot be seen."""
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return 0.0


def _check(data: Any) -> list[dict[str, Any]]:
    """The features; ``ValueError`` saying what is wrong."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        raise ValueError("it is not a GeoJSON FeatureCollection")
    if not data["features"]:
        raise ValueError("it has no shapes")
    for number, feature in enumerate(data["features"], start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(props, dict) or not isinstance(geometry, dict):
            raise ValueError(f"feature {number} lacks properties or geometry")
        if not isinstance(props.get("level"), str | None):
            raise ValueError(f"feature {number} has a level that is not text")
        try:
            shape(geometry)
        except (GEOSException, ValueError, TypeError, KeyError, IndexError,
                AttributeError):
            raise ValueError(f"feature {number} has no valid geometry") from None
    return data["features"]


def read_basemap(path: Path) -> dict[str, Any]:
    """The base map as a checked GeoJSON FeatureCollection (a new dict on every call).

    Raises
    ------
    GeodataError
        When the file is missing, unreadable, not JSON, or not a collection of shapes.
    """
    try:
        data = json.loads(read_regular_text(Path(path), "the base map", GeodataError))
        _check(data)
    except OSError as exc:
        raise GeodataError(f"cannot read the base map {path}: "
                           f"{exc.strerror or exc}") from None
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise GeodataError(f"cannot read the base map {path}: {reason}") from None
    return data
