"""A loaded :class:`~dashboard.dataset.Dataset` to the files of a cache entry, and back.

Nothing here names the table's columns or the fields of a place or a problem: the events
table goes through :mod:`~dashboard.tablecache.frames`, everything else of the dataset is
written from its dataclass fields and read back by their type hints, and of the geodata
only what the file added (places, and their entries in the geodata's other mappings) is
written; the rest is the geodata it was loaded with. What cannot be read back equal is
refused with :class:`~dashboard.tablecache.frames.Unsupported` and left uncached.
"""

from __future__ import annotations

import json
import types
from dataclasses import fields, is_dataclass, replace
from datetime import date, datetime
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import pandas as pd

from dashboard.dataset import Dataset, Geodata
from dashboard.gazetteer import Gazetteer, Place
from dashboard.point_places import PointPlaces
from dashboard.tablecache.frames import Unsupported, read_frame, write_frame
from dashboard.tablecache.places import AddedPlaces, lazy_fields

EVENTS, PLACES, META = "events.parquet", "places.parquet", "meta.json"
POINTS = "points.parquet"  # the imported points' table (dashboard.point_places)
KEPT = ("path", "events", "geodata", "parts")  # not in the metadata: see write_dataset
EXTRA = "geodata."  # the places table's columns from the geodata's other mappings


@cache
def hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def plain(value: Any) -> Any:
    """``value`` as JSON: dataclasses as their fields, tuples as lists, dates in ISO."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    raise Unsupported(f"cannot keep a {type(value).__name__}")


def typed(value: Any, hint: Any) -> Any:
    """:func:`plain`'s ``value`` as the type ``hint`` says."""
    origin, args = get_origin(hint), get_args(hint)
    if value is None:
        return None
    if origin in (Union, types.UnionType):
        return typed(value, next(a for a in args if a is not type(None)))
    if origin is list:
        return [typed(v, args[0]) for v in value]
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(typed(v, args[0]) for v in value)
        return tuple(typed(v, a) for v, a in zip(value, args, strict=True))
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    if hint is Path:
        return Path(value)
    if isinstance(hint, type) and is_dataclass(hint):
        own = hints(hint)
        return hint(**{k: typed(v, own[k]) for k, v in value.items()})
    return value


def _gazetteer_field() -> str:
    return next(f.name for f in fields(Geodata) if hints(Geodata)[f.name] is Gazetteer)


def added(geodata: Geodata, base: Geodata,
          ) -> tuple[list[Place], dict[str, list], dict[str, pd.DataFrame]]:
    """The places ``geodata`` has beyond ``base``, their values in its other mappings, and
    its tables that are not ``base``'s.

    Raises
    ------
    Unsupported
        When ``geodata`` differs from ``base`` in any other way.
    """
    gazetteer, places, extras, frames = _gazetteer_field(), [], {}, {}
    for f in fields(Geodata):
        mine, theirs = getattr(geodata, f.name), getattr(base, f.name)
        if mine is theirs:
            continue
        if isinstance(mine, pd.DataFrame):
            frames[f.name] = mine
        elif f.name == gazetteer:
            places = [p for p in mine if p.id not in theirs]
            if len(mine) != len(theirs) + len(places):
                raise Unsupported("the gazetteer lost places")
        elif isinstance(mine, dict) and isinstance(theirs, dict):
            extras[f.name] = {k: v for k, v in mine.items() if k not in theirs}
            if len(mine) != len(theirs) + len(extras[f.name]):
                raise Unsupported(f"geodata.{f.name} lost entries")
        else:
            raise Unsupported(f"geodata.{f.name} is not the one it was loaded with")
    ids = [p.id for p in places]
    if any(set(extra) != set(ids) for extra in extras.values()):
        raise Unsupported("geodata mappings not keyed by the places added")
    return places, {name: [extra[i] for i in ids] for name, extra in extras.items()}, frames


def write_dataset(data: Dataset, base: Geodata, entry: Path) -> None:
    """Write ``data``, loaded with ``base``, into the empty folder ``entry``.

    Raises
    ------
    Unsupported
        For a dataset that would not be read back equal (or a combined one).
    """
    if data.parts:
        raise Unsupported("a combined dataset is cached per file")
    geodata, points = data.geodata, data.geodata.points  # imported points: one table
    if points is not None:
        write_frame(points.table, entry / POINTS)
        regions = geodata.place_regions
        geodata = replace(geodata, gazetteer=geodata.base, place_regions=getattr(
            regions, "base", regions))  # the rest compared with the base as for places
    places, extras, frames = added(geodata, base)
    for name, frame in frames.items():
        write_frame(frame, entry / f"{EXTRA}{name}.parquet")
    if places:
        names = [f.name for f in fields(Place)]
        columns = zip(*map(attrgetter(*names), places), strict=True)
        table = pd.DataFrame({n: pd.Series(c, dtype=object) for n, c in zip(names, columns,
                                                                             strict=True)})
        for name, values in extras.items():
            table[EXTRA + name] = pd.Series(values, dtype=object)
        write_frame(table, entry / PLACES)
    write_frame(data.events, entry / EVENTS)
    meta = {"fields": {f.name: plain(getattr(data, f.name)) for f in fields(Dataset)
                       if f.name not in KEPT},
            "rows": len(data.events), "places": bool(places), "frames": list(frames),
            "points": points is not None}
    (entry / META).write_text(json.dumps(meta), encoding="utf-8")  # last: what readers open


def read_fields(entry: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The dataset's fields other than its table and geodata; what else the entry says
    (``rows``: the table's length; ``places``: whether places were added; ``frames``: the
    geodata's tables written whole)."""
    meta = json.loads((entry / META).read_text(encoding="utf-8"))
    own = hints(Dataset)
    return {k: typed(v, own[k]) for k, v in meta.pop("fields").items()}, meta


def _geodata(entry: Path, base: Geodata, meta: dict[str, Any]) -> Geodata:
    values = {f.name: getattr(base, f.name) for f in fields(Geodata)}
    for name in meta["frames"]:
        values[name] = read_frame(entry / f"{EXTRA}{name}.parquet")
    if not meta["places"]:
        return Geodata(**values)
    table = read_frame(entry / PLACES, as_needed=lazy_fields(hints(Place)))
    gazetteer = _gazetteer_field()
    base_places = {p.id: p for p in values[gazetteer]}
    values[gazetteer] = Gazetteer.of(AddedPlaces(base_places, table, hints(Place)))
    ids = table["id"].tolist()
    for name in (c.removeprefix(EXTRA) for c in table.columns if c.startswith(EXTRA)):
        values[name] = {**values[name], **dict(zip(ids, table[EXTRA + name], strict=True))}
    return Geodata(**values)


def read_dataset(entry: Path, path: Path, base: Geodata) -> Dataset:
    """The dataset :func:`write_dataset` wrote into ``entry``, as read from ``path``.

    Raises
    ------
    Exception
        Anything, for an entry that is damaged or was written by other code.
    """
    values, meta = read_fields(entry)
    events = read_frame(entry / EVENTS)
    if len(events) != meta["rows"]:
        raise ValueError(f"{entry} holds {len(events)} rows, not {meta['rows']}")
    geodata = _geodata(entry, base, meta) if meta["places"] or meta["frames"] else base
    if meta.get("points"):
        geodata = geodata.with_points(PointPlaces(read_frame(entry / POINTS)))
    return Dataset(path, events, geodata, **values)
