"""Places made up for imported coordinates, and the gazetteer and regions extended by them."""

from __future__ import annotations

import hashlib

from shapely.geometry import Point

from dashboard.dataset import Geodata
from dashboard.gazetteer import Gazetteer, Place
from dashboard.importing.common import Draft
from dashboard.regions import place_regions


def place_id(draft: Draft) -> str:
    """``at:40.20000,44.50000:1a2b3c``: the same coordinates and name give the same id."""
    assert draft.point is not None
    lat, lon = draft.point
    digest = hashlib.sha1(draft.place_name.encode("utf-8")).hexdigest()[:6]
    return f"at:{lat:.5f},{lon:.5f}:{digest}"


def make_place(draft: Draft, dataset: str) -> Place:
    """A point place for a draft's coordinates, with their precision."""
    assert draft.point is not None
    lat, lon = draft.point
    name = draft.place_name or f"{lat:.4f}, {lon:.4f}"
    return Place(
        id=place_id(draft), name=name, display_name=name, alt_names=(),
        kind="imported point", precision=draft.location_precision or "point",
        precision_m=draft.precision_m, country=None,
        source=f"coordinates from {dataset}", note="", anchor=(lon, lat),
        geometry=Point(lon, lat))


def extend(geodata: Geodata, places: list[Place]) -> Geodata:
    """``geodata`` with ``places`` added; their regions by one spatial join.

    Points outside every region shape belong to "outside the mapped regions".
    """
    new = [p for p in dict((p.id, p) for p in places).values() if p.id not in geodata.gazetteer]
    if not new:
        return geodata
    regions = dict(geodata.place_regions)
    regions.update(place_regions(Gazetteer(new), geodata.regions))
    return Geodata(Gazetteer([*geodata.gazetteer, *new]), geodata.regions, geodata.choices,
                   regions)
