"""Region shapes and the once-at-load assignment of places to regions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.errors import GeodataError
from dashboard.files import check_regular
from dashboard.gazetteer import Gazetteer

OUTSIDE = "outside_mapped_regions"
OUTSIDE_NAME = "Outside the mapped regions"
LEVELS = ("disputed area", "country", "province")
# An area place belongs to a region that holds at least this share of it.
MIN_SHARED_AREA = 0.5
NEAR_BORDER_DEG = 0.05  # about 4-5 km at these latitudes


@dataclass(frozen=True)
class Region:
    """One choice of the region filter."""

    id: str
    name: str
    level: str
    country_name: str | None = None

    @property
    def label(self) -> str:
        """How the filter lists it: ``Syunik (province of Armenia)``."""
        if self.id == OUTSIDE:
            return self.name
        if self.level == "province" and self.country_name:
            return f"{self.name} (province of {self.country_name})"
        return f"{self.name} ({self.level})"


def load_regions(path: Path) -> gpd.GeoDataFrame:
    """Read ``regions.geojson`` as a GeoDataFrame indexed by region id."""
    check_regular(Path(path), "region shapes", GeodataError)
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise GeodataError(f"cannot read region shapes {path}: {exc}") from exc
    missing = {"id", "name", "level", "geometry"} - set(frame.columns)
    if missing:
        raise GeodataError(f"{path} lacks properties: {sorted(missing)}")
    if frame["id"].duplicated().any():
        raise GeodataError(f"{path} has duplicate region ids")
    if "country" not in frame.columns:
        frame["country"] = None
    return frame.set_index("id", drop=False)


def region_choices(regions: gpd.GeoDataFrame) -> list[Region]:
    """Regions in filter order: disputed area, countries, provinces; then 'outside'."""
    order = {level: i for i, level in enumerate(LEVELS)}
    ranked = sorted(regions.itertuples(), key=lambda r: (order.get(r.level, 9), r.name))
    names = dict(zip(regions["id"], regions["name"], strict=True))
    choices = [Region(r.id, r.name, r.level, names.get(r.country)) for r in ranked]
    return [*choices, Region(OUTSIDE, OUTSIDE_NAME, "outside")]


def place_regions(gazetteer: Gazetteer, regions: gpd.GeoDataFrame) -> dict[str, tuple[str, ...]]:
    """Region ids of each place (and route), by one spatial join.

    Points and lines belong to every region they touch. An area belongs to the regions
    that hold most of it (``MIN_SHARED_AREA`` of its own area): an event located only to
    "Armenia" is in Armenia, not in each of its provinces, and Nagorno-Karabakh is in
    Azerbaijan and the disputed area but not in the districts it overlaps in part.
    A point whose country the generalised borders get wrong is corrected (see
    :func:`_trust_country`); a place outside every shape falls back on its gazetteer
    ``country`` when that is a region, else on :data:`OUTSIDE`.
    """
    places = gpd.GeoDataFrame(
        {"place_id": [p.id for p in gazetteer]},
        geometry=[p.geometry for p in gazetteer],
        crs="EPSG:4326",
    )
    shapes = regions[["id", "geometry"]].rename(columns={"id": "region_id"})
    shapes = shapes.reset_index(drop=True).set_crs("EPSG:4326", allow_override=True)
    joined = gpd.sjoin(places, shapes, how="inner", predicate="intersects")
    joined = joined.reset_index(names="left")
    areas = joined.geom_type.str.contains("Polygon")
    # Areas are compared in degrees squared: a ratio, so the unit cancels out.
    left = np.asarray(places.geometry.values)[joined["left"].to_numpy()]
    right = np.asarray(shapes.geometry.values)[joined["index_right"].to_numpy()]
    own = shapely.area(left)
    shared = shapely.intersection(left, right)
    keep = ~areas | (shapely.area(shared) / np.maximum(own, 1e-12) >= MIN_SHARED_AREA)
    found = joined[keep].groupby("place_id")["region_id"].agg(lambda s: tuple(sorted(set(s))))
    result: dict[str, tuple[str, ...]] = {}
    for place in gazetteer:
        ids = tuple(found.get(place.id, ()))
        if place.geometry_kind == "point" and place.country and place.country in regions.index:
            ids = _trust_country(place.geometry, place.country, ids, regions)
        result[place.id] = ids or (OUTSIDE,)
    return result


def _trust_country(point, country: str, ids: tuple[str, ...],
                   regions: gpd.GeoDataFrame) -> tuple[str, ...]:
    """Correct a point that generalised borders put in the wrong country.

    Natural Earth borders are 1-3 km off near Kornidzor and Lachin; the gazetteer's
    ``country`` is authoritative there. Regions of another country are dropped and the
    nearest province of the right country within ``NEAR_BORDER_DEG`` is used instead.
    """
    def country_of(region_id: str) -> str:
        row = regions.loc[region_id]
        return region_id if row["level"] == "country" else (row["country"] or "")

    kept = [r for r in ids if country_of(r) == country or regions.loc[r, "level"] ==
            "disputed area"]
    if country not in kept:
        kept.append(country)
    provinces = regions[(regions["level"] == "province") & (regions["country"] == country)]
    if not any(r in provinces.index for r in kept) and len(provinces):
        distances = pd.Series(shapely.distance(provinces.geometry.values, point),
                              index=provinces.index)
        if distances.min() <= NEAR_BORDER_DEG:
            kept.append(str(distances.idxmin()))
    return tuple(sorted(kept))
