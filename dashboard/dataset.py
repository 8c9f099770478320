"""Everything the dashboard shows, loaded and joined once: events, places, regions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard.gazetteer import Gazetteer
from dashboard.layers.features import arrow_weight
from dashboard.paths import GEODATA_DIR, PLACES_FILE, REGIONS_FILE
from dashboard.point_places import ExtendedGazetteer, PlaceRegions, PointPlaces
from dashboard.regions import Region, load_regions, place_regions, region_choices
from dashboard.validation import Problem


@dataclass
class Geodata:
    """The gazetteer, the region shapes and which regions each place lies in.

    With an imported file's places, ``gazetteer`` is an
    :class:`~dashboard.point_places.ExtendedGazetteer` and ``place_regions`` a
    :class:`~dashboard.point_places.PlaceRegions`: the file's points are a table, not a
    :class:`~dashboard.gazetteer.Place` each.
    """

    gazetteer: Gazetteer
    regions: gpd.GeoDataFrame
    choices: list[Region]
    place_regions: Mapping[str, tuple[str, ...]]

    @property
    def base(self) -> Gazetteer:
        """The gazetteer's own places, without imported points."""
        gazetteer = self.gazetteer
        return gazetteer.base if isinstance(gazetteer, ExtendedGazetteer) else gazetteer

    @property
    def points(self) -> PointPlaces | None:
        """The imported point places, if any."""
        gazetteer = self.gazetteer
        return gazetteer.points if isinstance(gazetteer, ExtendedGazetteer) else None

    def with_points(self, points: PointPlaces) -> Geodata:
        """This geodata with ``points`` (their regions included) as its imported places."""
        regions = self.place_regions
        base = regions.base if isinstance(regions, PlaceRegions) else regions
        return Geodata(ExtendedGazetteer(self.base, points), self.regions, self.choices,
                       PlaceRegions(base, points))

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


def arrow_weights(events: pd.DataFrame) -> pd.Series:
    """:func:`dashboard.layers.features.arrow_weights`, looking only at the arrows."""
    weights = np.full(len(events), np.nan)
    arrows = np.flatnonzero((events["drawn_as"] == "arrow").to_numpy(dtype=bool))
    if len(arrows):
        largest = events["displaced"].max()
        people = events["displaced"].iloc[arrows].astype(object)
        weights[arrows] = [arrow_weight(None if pd.isna(n) else n, largest) for n in people]
    return pd.Series(weights, index=events.index, dtype=float)


def combine(parts: list[Dataset]) -> Dataset:
    """Several datasets shown together: one table, each event keeping its ``dataset``.

    Ids that two datasets share are prefixed with the later dataset's name, and a second
    dataset of the same name gets a number, so nothing is lost.
    """
    if len(parts) == 1:
        return parts[0]
    frames: list[pd.DataFrame] = []
    names: set[str] = set()
    ids: list[pd.Series] = []  # the ids of the datasets before
    gazetteer = {p.id: p for p in parts[0].geodata.base}
    regions: dict[str, tuple[str, ...]] = {}
    points = []
    for part in parts:
        name = part.name
        number = 2
        while name in names:
            name, number = f"{part.name} ({number})", number + 1
        names.add(name)
        frame = part.events.assign(dataset=name)
        clash = _among(frame["event_id"], ids)
        if clash.any():
            frame["event_id"] = frame["event_id"].where(~clash, name + ":" + frame["event_id"])
        ids.append(frame["event_id"])
        frames.append(frame)
        for place in part.geodata.base:
            gazetteer.setdefault(place.id, place)
        own = part.geodata.place_regions  # the gazetteer's; imported points have their own
        regions.update(own.base if isinstance(own, PlaceRegions) else own)
        if part.geodata.points is not None:
            points.append(part.geodata.points)
    first = parts[0].geodata
    geodata = Geodata(Gazetteer(list(gazetteer.values())), first.regions, first.choices,
                      regions)
    if points:
        geodata = geodata.with_points(PointPlaces.concat(points))
    events = concat_events(frames)
    events["arrow_weight"] = arrow_weights(events)  # scaled across all datasets
    return Dataset(parts[0].path, events, geodata, [], sum(p.total_rows for p in parts),
                   name=", ".join(names), parts=parts)


def _among(values: pd.Series, pools: list[pd.Series]) -> np.ndarray:
    """Whether each of ``values`` is in one of ``pools`` (text, compared in Arrow)."""
    if not pools:
        return np.zeros(len(values), dtype=bool)
    everything = pd.concat([*pools, values], ignore_index=True).astype("str")
    codes, _ = pd.factorize(everything)
    before = len(everything) - len(values)
    known = np.zeros(int(codes.max()) + 1, dtype=bool)
    known[codes[:before]] = True
    return known[codes[before:]]


def _as_text(column: pd.Series) -> pd.Series:
    """A categorical column as Arrow-backed text (the categories taken by code)."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return column.astype("str")
    names = pd.array(column.cat.categories.to_numpy(dtype=object), dtype="str")
    return pd.Series(names.take(column.cat.codes.to_numpy()), index=column.index)


def _distinct(columns: list[pd.Series], most: int) -> set[str] | None:
    """The values of text ``columns``, or None when there are more than ``most``."""
    found: set[str] = set()
    for column in columns:
        if isinstance(column.dtype, pd.CategoricalDtype):
            found.update(column.cat.categories)
        elif len(column) <= most:
            found.update(column.unique())
        else:
            return None
        if len(found) > most:
            return None
    return found


def concat_events(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Events tables one after the other. Text that is categorical in one of them is a
    categorical (the categories united, sorted) where it repeats, a tenth as many values
    as rows or fewer, else Arrow text."""
    most = max(sum(len(f) for f in frames) // 10, 1)  # distinct values of a categorical
    for name in frames[0].columns:
        categorical = [isinstance(f[name].dtype, pd.CategoricalDtype) for f in frames]
        if not any(categorical):
            continue
        distinct = _distinct([f[name] for f in frames], most)
        if distinct is None:
            frames = [f.assign(**{name: _as_text(f[name])}) for f in frames]
            continue
        names = sorted(distinct)
        frames = [f.assign(**{name: f[name].cat.set_categories(names) if kind
                              else pd.Categorical(f[name].astype("str"), categories=names)})
                  for f, kind in zip(frames, categorical, strict=True)]
    events = pd.concat(frames, ignore_index=True)
    if isinstance(frames[0], gpd.GeoDataFrame):
        events = gpd.GeoDataFrame(events, geometry=frames[0].geometry.name,
                                  crs=frames[0].crs)
    return events
