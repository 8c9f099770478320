"""The places of the database that the page's gazetteer lacks (those made up for imported
coordinates), so that the map can draw and describe every event the database returns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import shapely

from dashboard.dataset import Geodata
from dashboard.db.connection import Database
from dashboard.gazetteer import Gazetteer, Place

# The columns of a place (of ``places p``), in the order :func:`place_of` reads them.
PLACE_FIELDS = """p.place_id, p.name, p.display_name, p.alt_names, p.kind, p.precision,
           p.precision_m, p.country, p.source, p.note, ST_X(p.anchor), ST_Y(p.anchor),
           ST_AsBinary(p.geom), p.valid_from, p.valid_to, p.routes"""
PLACES = f"""
    SELECT {PLACE_FIELDS},
           coalesce((SELECT array_agg(pr.region_id ORDER BY pr.region_id)
                     FROM place_regions pr WHERE pr.place_id = p.place_id), '{{}}')
    FROM places p WHERE NOT (p.place_id = ANY(%s)) ORDER BY p.place_id"""


def place_of(r: Sequence[Any]) -> Place:
    """The place of a row of :data:`PLACE_FIELDS` (first in :data:`PLACES` and others)."""
    return Place(id=r[0], name=r[1], display_name=r[2], alt_names=tuple(r[3]), kind=r[4],
                 precision=r[5], precision_m=r[6], country=r[7], source=r[8], note=r[9],
                 anchor=(float(r[10]), float(r[11])), geometry=shapely.from_wkb(bytes(r[12])),
                 valid_from=r[13], valid_to=r[14], routes=tuple(r[15]))


def extended(geodata: Geodata, database: Database) -> Geodata:
    """``geodata`` with the database's other places and the regions they lie in."""
    known = [p.id for p in geodata.gazetteer]
    rows = database.fetch(PLACES, (known,))
    if not rows:
        return geodata
    places = [place_of(r) for r in rows]
    regions = {**geodata.place_regions, **{r[0]: tuple(r[16]) for r in rows}}
    return Geodata(Gazetteer([*geodata.gazetteer, *places]), geodata.regions,
                   geodata.choices, regions)
