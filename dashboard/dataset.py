"""Everything the dashboard shows, loaded and joined once: events, places, regions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard.events import EventsFile, to_frame
from dashboard.gazetteer import IMPORTED, Gazetteer, fold
from dashboard.layers import locate
from dashboard.layers.features import arrow_weights
from dashboard.paths import GEODATA_DIR, PLACES_FILE, REGIONS_FILE
from dashboard.regions import Region, load_regions, place_regions, region_choices
from dashboard.validation import Problem


@dataclass
class Geodata:
    """The gazetteer, the region shapes and which regions each place lies in."""

    gazetteer: Gazetteer
    regions: gpd.GeoDataFrame
    choices: list[Region]
    place_regions: dict[str, tuple[str, ...]]

    @classmethod
    def load(cls, directory: Path = GEODATA_DIR) -> Geodata:
        """Read ``places.geojson`` and ``regions.geojson`` and join them."""
        gazetteer = Gazetteer.load(Path(directory) / PLACES_FILE)
        regions = load_regions(Path(directory) / REGIONS_FILE)
        return cls(gazetteer, regions, region_choices(regions),
                   place_regions(gazetteer, regions))


@dataclass
class Dataset:
    """Validated events with their geometry, regions and search text.

    ``events`` is a GeoDataFrame of plain fields: its geometry is each event's ``marker``
    point, with the columns of :data:`dashboard.layers.geometry.GEOMETRY_COLUMNS` and
    ``arrow_weight``. How an event looks is made by each renderer as it draws.
    """

    path: Path
    events: gpd.GeoDataFrame
    geodata: Geodata
    problems: list[Problem] = field(default_factory=list)
    total_rows: int = 0
    name: str = ""  # shown on its layer groups; the file name unless given
    format: str = "events"  # see dashboard.importing.FORMATS
    notices: list[str] = field(default_factory=list)  # e.g. "read as cp1252"
    parts: list[Dataset] = field(default_factory=list)  # what a combined dataset holds
    unit: str = "line"  # what problems count: "line" of a CSV file, "feature" of a GeoJSON one

    def __post_init__(self) -> None:
        self.name = self.name or self.path.name

    @property
    def skipped(self) -> list[Problem]:
        """Errors of rows that were left out (one entry per problem; not the header's)."""
        first = 0 if self.unit == "feature" else 1
        return [p for p in self.problems if p.severity == "error" and p.line > first]


def _regions_of(row: dict, geodata: Geodata) -> tuple[str, ...]:
    places = {row["place_id"], row["origin_place_id"], row["destination_place_id"]} - {""}
    gazetteer = geodata.gazetteer
    ids: set[str] = set()
    for place_id in places:
        place = gazetteer.on(place_id, row["start"].date()) if place_id == row["place_id"] \
            else gazetteer[place_id]
        ids.update(geodata.place_regions[place.id])
    return tuple(sorted(ids))


def _search_text(row: dict, place_terms: dict[str, str],
                 gazetteer: Gazetteer | None = None) -> str:
    """Folded text, names of the event's places, and every variant of places it names.

    A title saying "Stepanakert" is then found by a search for "Khankendi" too.
    """
    ids = [p for p in (row["place_id"], row["origin_place_id"], row["destination_place_id"])
           if p]
    folded = {c: fold(row[c]) for c in ("title", "description", "actor1", "actor2", "claimed_by")
              if row[c]}
    texts = list(folded.values())
    told = f"{folded.get('title', '')} \n {folded.get('description', '')}"
    named = gazetteer.named_in(told) if gazetteer is not None else []
    ids += [p.id for p in named if p.id not in ids]
    return " ".join([*texts, *(place_terms[p] for p in ids if p in place_terms)])


def enrich(events: EventsFile, geodata: Geodata) -> gpd.GeoDataFrame:
    """The typed events table with place names, regions, search text and geometry."""
    frame = to_frame(events)
    gazetteer = geodata.gazetteer
    records = frame.to_dict("records")
    frame["place_name"] = [gazetteer[r["place_id"]].display_name for r in records]
    frame["location_precision"] = [gazetteer[r["place_id"]].precision_text for r in records]
    frame["regions"] = [_regions_of(r, geodata) for r in records]
    place_terms = {p.id: p.search_terms() for p in gazetteer}
    # Names in the text are looked up among the gazetteer's own places: an imported file
    # makes up a place per point, and a thousand points named "Yerevan" would each add
    # their names to every event that mentions Yerevan (time and memory grow as n²).
    known = Gazetteer([p for p in gazetteer if p.kind != IMPORTED])
    frame["search_text"] = [_search_text(r, place_terms, known) for r in records]
    located = locate(frame, gazetteer)
    located["arrow_weight"] = arrow_weights(located)
    return located


def combine(parts: list[Dataset]) -> Dataset:
    """Several datasets shown together: one table, each event keeping its ``dataset``.

    Ids that two datasets share are prefixed with the later dataset's name, and a second
    dataset of the same name gets a number, so nothing is lost.
    """
    if len(parts) == 1:
        return parts[0]
    frames: list[pd.DataFrame] = []
    names: set[str] = set()
    ids: set[str] = set()
    gazetteer = {p.id: p for p in parts[0].geodata.gazetteer}
    regions = dict(parts[0].geodata.place_regions)
    for part in parts:
        name = part.name
        number = 2
        while name in names:
            name, number = f"{part.name} ({number})", number + 1
        names.add(name)
        frame = part.events.assign(dataset=name)
        clash = frame["event_id"].isin(ids)
        frame.loc[clash, "event_id"] = name + ":" + frame.loc[clash, "event_id"]
        ids.update(frame["event_id"])
        frames.append(frame)
        for place in part.geodata.gazetteer:
            gazetteer.setdefault(place.id, place)
        regions.update(part.geodata.place_regions)
    first = parts[0].geodata
    geodata = Geodata(Gazetteer(list(gazetteer.values())), first.regions, first.choices,
                      regions)
    events = pd.concat(frames, ignore_index=True)
    events["arrow_weight"] = arrow_weights(events)  # scaled across all datasets
    return Dataset(parts[0].path, events, geodata, [], sum(p.total_rows for p in parts),
                   name=", ".join(names), parts=parts)
