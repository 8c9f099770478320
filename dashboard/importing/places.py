"""Places for imported coordinates: the gazetteer's where names and distance agree, else
made up (the rule for one row; :mod:`~dashboard.importing.placing` applies it to columns)."""

from __future__ import annotations

import hashlib
import math
import re

from shapely.geometry import Point
from shapely.ops import nearest_points

from dashboard.gazetteer import IMPORTED, Gazetteer, Place
from dashboard.importing.common import Draft


def place_id(draft: Draft) -> str:
    """``at:40.20000,44.50000:1a2b3c``: the same coordinates and name give the same id."""
    assert draft.point is not None
    lat, lon = draft.point
    digest = hashlib.sha1(draft.place_name.encode("utf-8")).hexdigest()[:6]
    return f"at:{lat:.5f},{lon:.5f}:{digest}"


def make_place(draft: Draft, dataset: str, known: Place | None = None) -> Place:
    """A point place for a draft's coordinates, with their precision.

    ``known``: the gazetteer place its name names, whose variants it then takes.
    """
    assert draft.point is not None
    lat, lon = draft.point
    name = draft.place_name or f"{lat:.4f}, {lon:.4f}"
    variants = tuple(n for n in known.names if n != name) if known else ()
    return Place(
        id=place_id(draft), name=name, display_name=name, alt_names=variants,
        kind=IMPORTED, precision=draft.location_precision or "point",
        precision_m=draft.precision_m, country=None,
        source=f"coordinates from {dataset}", note="", anchor=(lon, lat),
        geometry=Point(lon, lat))


# An imported point named like a gazetteer place and this close to it is that place.
MERGE_DISTANCE_KM = 15.0
EARTH_RADIUS_KM = 6371.0


def distance_km(place: Place, lat: float, lon: float) -> float:
    """Great-circle distance from a point to the nearest point of a place's geometry."""
    point = Point(lon, lat)
    nearest = nearest_points(place.geometry, point)[0]
    lat1, lon1, lat2, lon2 = map(math.radians, (nearest.y, nearest.x, lat, lon))
    a = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def radius_m(draft: Draft) -> int | None:
    """How far off the record's location may be, in metres, where the file says."""
    if draft.precision_m is not None:
        return draft.precision_m
    stated = re.search(r"±([\d,]+) m\b", draft.location_precision)  # exported by us
    return int(stated.group(1).replace(",", "")) if stated else None


def named_nearby(draft: Draft, gazetteer: Gazetteer,
                 within_km: float = MERGE_DISTANCE_KM) -> tuple[Place, float] | None:
    """The gazetteer's point place that the draft's place name names, if within reach."""
    if draft.point is None or not draft.place_name:
        return None
    lat, lon = draft.point
    close = sorted((distance_km(p, lat, lon), p.id, p) for p in gazetteer.named(draft.place_name)
                   if p.geometry_kind == "point")
    return (close[0][2], close[0][0]) if close and close[0][0] <= within_km else None


def locate(draft: Draft, dataset: str, gazetteer: Gazetteer,
           within_km: float = MERGE_DISTANCE_KM) -> Place:
    """The place of an imported record located by coordinates.

    A name the gazetteer knows (any variant: ACLED's "Khankendi" is Stepanakert) within
    ``within_km`` gives the gazetteer's place, with its names, regions and precision,
    unless the record's own location is coarser than that distance; the row's notes then
    keep what the file said. Otherwise a place is made up, taking the known place's
    variants when the name matched, so searches for any of them find it.
    """
    found = named_nearby(draft, gazetteer, within_km)
    if found is None:
        return make_place(draft, dataset)
    place, km = found
    radius = radius_m(draft)
    if radius is not None and radius > within_km * 1000:
        return make_place(draft, dataset, known=place)
    assert draft.point is not None
    lat, lon = draft.point
    said = f"; {draft.location_precision}" if draft.location_precision else ""
    note = (f"Located in {dataset} as {draft.place_name} ({lat:.4f}, {lon:.4f}{said}); "
            f"shown at the gazetteer's {place.name}, {km:.1f} km away.")
    draft.row["notes"] = " ".join(n for n in (draft.row.get("notes", ""), note) if n)
    return place
