"""Everything the dashboard shows, loaded and joined once: events, places, regions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard.events import EventsFile, read_events, to_frame
from dashboard.gazetteer import Gazetteer, fold
from dashboard.layers import build_features
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
    """Validated events with their drawn features, regions and search text."""

    path: Path
    events: pd.DataFrame
    geodata: Geodata
    problems: list[Problem] = field(default_factory=list)
    total_rows: int = 0

    @property
    def skipped(self) -> list[Problem]:
        """Errors of rows that were left out (one entry per problem)."""
        return [p for p in self.problems if p.severity == "error" and p.line > 1]


def _regions_of(row: dict, geodata: Geodata) -> tuple[str, ...]:
    places = {row["place_id"], row["origin_place_id"], row["destination_place_id"]} - {""}
    gazetteer = geodata.gazetteer
    ids: set[str] = set()
    for place_id in places:
        place = gazetteer.on(place_id, row["start"].date()) if place_id == row["place_id"] \
            else gazetteer[place_id]
        ids.update(geodata.place_regions[place.id])
    return tuple(sorted(ids))


def _search_text(row: dict, place_terms: dict[str, str]) -> str:
    places = [place_terms[p] for p in
              (row["place_id"], row["origin_place_id"], row["destination_place_id"]) if p]
    texts = [row[c] for c in ("title", "description", "actor1", "actor2", "claimed_by")]
    return " ".join(fold(t) for t in [*texts, *places] if t)


def enrich(events: EventsFile, geodata: Geodata) -> pd.DataFrame:
    """The typed events table with place names, regions, search text and map features."""
    frame = to_frame(events)
    gazetteer = geodata.gazetteer
    records = frame.to_dict("records")
    frame["place_name"] = [gazetteer[r["place_id"]].display_name for r in records]
    frame["location_precision"] = [gazetteer[r["place_id"]].precision_text for r in records]
    frame["regions"] = [_regions_of(r, geodata) for r in records]
    place_terms = {p.id: p.search_terms() for p in gazetteer}
    frame["search_text"] = [_search_text(r, place_terms) for r in records]
    return build_features(frame, gazetteer)


def load_dataset(events_path: Path | str, geodata: Geodata | None = None) -> Dataset:
    """Read, validate and enrich an events file; bad rows are reported, not fatal."""
    geodata = geodata or Geodata.load()
    events = read_events(events_path, geodata.gazetteer)
    frame = enrich(events, geodata)
    return Dataset(Path(events_path), frame, geodata, events.problems, events.total_rows)
