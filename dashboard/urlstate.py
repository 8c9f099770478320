"""The filter state and map view as URL query parameters, and back, dropping bad values.

``?from=2023-09-19&to=2023-09-28&region=syunik&layer=displacement&q=Hakari&view=39.5,46.4,9``

- ``from``, ``to``: ISO dates, inclusive; left out when they are the data's first or last day;
- ``region``: a region id, repeated for several (or comma-separated); none means every region;
- ``layer``: a category id, repeated; none means every layer, ``layer=none`` means no layer;
- ``q``: the search text;
- ``view``: the map's centre and zoom, ``lat,lon,zoom``;
- ``chapter``: a story chapter id (see ``dashboard/story.py``), read by :func:`read_chapter`.

Reading never raises: each bad value is dropped and a short notice says which and why.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from dashboard.filters import FilterState
from dashboard.schema import CATEGORIES

FROM, TO, REGION, LAYER, SEARCH, VIEW = "from", "to", "region", "layer", "q", "view"
CHAPTER = "chapter"
PARAMS = (FROM, TO, REGION, LAYER, SEARCH, VIEW, CHAPTER)
NO_LAYERS = "none"
MAX_SEARCH = 200  # characters of search text, in the URL and the sidebar's search box
ZOOM_RANGE, VIEW_DECIMALS = (0.0, 22.0), 5  # zoom levels; decimals of a view (about 1 m)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SHOWN_CHARS = 60  # longer bad values are shortened in notices
MAX_NOTICES, MAX_NOTICE_CHARS = 10, 300  # notices listed (the rest counted); their length

Query = dict[str, str | list[str]]


@dataclass(frozen=True)
class MapView:
    """The map's centre (degrees) and zoom level; ranges are checked."""

    lat: float
    lon: float
    zoom: float

    def __post_init__(self) -> None:
        checks = (("latitude", self.lat, -90.0, 90.0), ("longitude", self.lon, -180.0, 180.0),
                  ("zoom", self.zoom, *ZOOM_RANGE))
        for name, value, low, high in checks:
            if not (isinstance(value, int | float) and math.isfinite(value)
                    and low <= value <= high):
                raise ValueError(f"{name} must be a number from {low:g} to {high:g}")


def coerce_view(value: object) -> MapView | None:
    """A ``MapView`` from what a map reports, or None when it holds no valid view.

    Accepts a ``MapView``, ``st_folium``'s ``{"center": {"lat", "lng"}, "zoom"}``, a mapping
    with ``lat``, ``lon`` (or ``lng``) and ``zoom``, or a ``(lat, lon, zoom)`` sequence.
    """
    if isinstance(value, MapView) or value is None:
        return value
    try:
        if isinstance(value, Mapping):
            centre = value.get("center", value)
            lat, lon = centre["lat"], centre.get("lon", centre.get("lng"))
            return MapView(float(lat), float(lon), float(value["zoom"]))
        lat, lon, zoom = cast("tuple[Any, Any, Any]", value)  # else TypeError, caught
        return MapView(float(lat), float(lon), float(zoom))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _number(value: float) -> str:
    text = f"{round(value, VIEW_DECIMALS):.{VIEW_DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def to_query(state: FilterState, view: MapView | None = None, *,
             span: tuple[date, date] | None = None, chapter: str | None = None) -> Query:
    """Query parameters for ``state`` and ``view``, leaving out those at their defaults.

    Parameters
    ----------
    state : FilterState
        The filters; categories are written in schema order, search stripped.
    view : MapView, optional
        The map view; written rounded to ``VIEW_DECIMALS`` decimals.
    span : tuple of date, optional
        The data's first and last day: dates equal to them are left out.
    chapter : str, optional
        The story chapter shown, written as ``chapter`` (the filters are written too).
    """
    first, last = span or (None, None)
    query: Query = {}
    if state.date_from is not None and state.date_from != first:
        query[FROM] = state.date_from.isoformat()
    if state.date_to is not None and state.date_to != last:
        query[TO] = state.date_to.isoformat()
    if state.regions:
        query[REGION] = list(dict.fromkeys(state.regions))
    if set(state.categories) != set(CATEGORIES):
        query[LAYER] = [c for c in CATEGORIES if c in state.categories] or [NO_LAYERS]
    if state.search.strip():
        query[SEARCH] = state.search.strip()
    if view is not None:
        query[VIEW] = ",".join(_number(v) for v in (view.lat, view.lon, view.zoom))
    if chapter:
        query[CHAPTER] = chapter
    return query


def _shown(value: str) -> str:
    text = value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS - 1] + "…"
    return f"'{text}'"


def _capped(notices: list[str]) -> list[str]:
    """At most ``MAX_NOTICES`` notices of at most ``MAX_NOTICE_CHARS`` each, and a count."""
    more = [f"Dropped {len(notices) - MAX_NOTICES:,} more values not listed here."]
    return [n if len(n) <= MAX_NOTICE_CHARS else n[:MAX_NOTICE_CHARS - 1] + "…"
            for n in notices[:MAX_NOTICES]] + (more if len(notices) > MAX_NOTICES else [])


def _values(raw: object) -> list[str]:
    if isinstance(raw, str):
        items: Iterable[object] = [raw]
    elif isinstance(raw, Iterable):
        items = raw
    else:
        items = [raw]
    return [str(v).strip() for v in items if v is not None and str(v).strip()]


def _tokens(values: list[str]) -> list[str]:
    """Repeated and comma-separated values, lower-cased, without duplicates."""
    split = (t.strip().lower() for v in values for t in v.split(","))
    return list(dict.fromkeys(t for t in split if t))


def _single(values: dict[str, list[str]], key: str, what: str, notices: list[str]) -> str:
    """The last value of a single-valued parameter ('' when absent)."""
    given = values.get(key, [])
    for extra in given[:-1]:
        notices.append(f"Dropped {what} {_shown(extra)}: '{key}' is given more than once "
                       f"and only the last one is used.")
    return given[-1] if given else ""


def _date(text: str, what: str, notices: list[str]) -> date | None:
    if not text:
        return None
    if not ISO_DATE.fullmatch(text):
        notices.append(f"Dropped {what} {_shown(text)}: not a date in YYYY-MM-DD form.")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        notices.append(f"Dropped {what} {text}: not a real date.")
        return None


def _clip(day: date, first: date, last: date, what: str, notices: list[str]) -> date:
    if day < first:
        notices.append(f"Moved {what} {day} to {first}, the first day of the data.")
        return first
    if day > last:
        notices.append(f"Moved {what} {day} to {last}, the last day of the data.")
        return last
    return day


def _dates(values: dict[str, list[str]], first: date, last: date,
           notices: list[str]) -> tuple[date, date]:
    date_from = _date(_single(values, FROM, "start date", notices), "start date", notices)
    date_to = _date(_single(values, TO, "end date", notices), "end date", notices)
    if date_from and date_to and date_to < date_from:
        notices.append(f"Dropped dates {date_from} to {date_to}: the range ends before it "
                       f"starts.")
        date_from = date_to = None
    date_from = _clip(date_from, first, last, "start date", notices) if date_from else first
    date_to = _clip(date_to, first, last, "end date", notices) if date_to else last
    return date_from, date_to


def _regions(values: dict[str, list[str]], known: Collection[str],
             notices: list[str]) -> tuple[str, ...]:
    lowered = {k.lower(): k for k in known}
    kept = []
    for token in _tokens(values.get(REGION, [])):
        if token in lowered:
            kept.append(lowered[token])
        else:
            notices.append(f"Dropped region {_shown(token)}: not a known region.")
    return tuple(dict.fromkeys(kept))


def _categories(values: dict[str, list[str]], notices: list[str]) -> tuple[str, ...]:
    tokens = _tokens(values.get(LAYER, []))
    unknown = [t for t in tokens if t not in CATEGORIES and t != NO_LAYERS]
    for token in unknown:
        notices.append(f"Dropped layer {_shown(token)}: not a known layer "
                       f"({', '.join(CATEGORIES)}, or {NO_LAYERS}).")
    if not set(tokens) - set(unknown):  # nothing valid left: every layer
        return tuple(CATEGORIES)
    return tuple(c for c in CATEGORIES if c in tokens)


def _search(values: dict[str, list[str]], notices: list[str]) -> str:
    text = _single(values, SEARCH, "search", notices)
    if len(text) > MAX_SEARCH:
        notices.append(f"Shortened the search to its first {MAX_SEARCH} characters.")
        text = text[:MAX_SEARCH].strip()
    return text


def _view(values: dict[str, list[str]], notices: list[str]) -> MapView | None:
    text = _single(values, VIEW, "map view", notices)
    if not text:
        return None
    parts = text.split(",")
    try:
        if len(parts) != 3:
            raise ValueError("not three numbers lat,lon,zoom")
        numbers = [float(p) for p in parts]
    except ValueError:
        notices.append(f"Dropped map view {_shown(text)}: not three numbers lat,lon,zoom.")
        return None
    try:
        return MapView(*(round(n, VIEW_DECIMALS) for n in numbers))
    except ValueError as exc:
        notices.append(f"Dropped map view {_shown(text)}: {exc}.")
        return None


def from_query(params: Mapping[str, str | list[str]], *, regions: Collection[str],
               first: date, last: date) -> tuple[FilterState, MapView | None, list[str]]:
    """The filters and map view a URL asks for, and a notice for each value dropped.

    Parameters
    ----------
    params : mapping
        Parameter names to a value or a list of values (repeated parameters).
    regions : collection of str
        The known region ids.
    first, last : date
        The data's span: missing dates default to it, dates outside it are clipped.

    Returns
    -------
    tuple
        The ``FilterState`` (dates always set, categories in schema order), the
        ``MapView`` or None, and human-readable notices, empty when nothing was dropped.
    """
    notices: list[str] = []
    last = max(first, last)
    values = {str(key): _values(raw) for key, raw in params.items()}
    for key in values:
        if key not in PARAMS:
            notices.append(f"Dropped unknown parameter {_shown(key)}.")
    date_from, date_to = _dates(values, first, last, notices)
    state = FilterState(date_from=date_from, date_to=date_to,
                        regions=_regions(values, regions, notices),
                        categories=_categories(values, notices),
                        search=_search(values, notices))
    return state, _view(values, notices), _capped(notices)  # left to right: view first


# The story chapter: read apart from the filters, whose defaults it then provides.
FILTER_PARAMS = {FROM: "date_from", TO: "date_to", REGION: "regions", LAYER: "categories",
                 SEARCH: "search"}


def read_chapter(params: Mapping[str, str | list[str]],
                 chapters: Collection[str]) -> tuple[str | None, list[str]]:
    """The chapter id a URL asks for (None when absent or unknown) and notices."""
    notices: list[str] = []
    values = {str(key): _values(raw) for key, raw in params.items()}
    text = _single(values, CHAPTER, "chapter", notices).lower()
    if text and text not in chapters:
        notices.append(f"Dropped chapter {_shown(text)}: not a known chapter "
                       f"({', '.join(chapters)}).")
        return None, _capped(notices)
    return text or None, _capped(notices)


def with_chapter(state: FilterState, chapter: FilterState,
                 params: Mapping[str, object]) -> FilterState:
    """``chapter``'s filters, except those the URL gives explicitly, which come from ``state``."""
    fields = {name: getattr(state if _values(params.get(key)) else chapter, name)
              for key, name in FILTER_PARAMS.items()}
    if fields["date_from"] > fields["date_to"]:  # an explicit bound beyond the chapter's
        fields["date_from"], fields["date_to"] = state.date_from, state.date_to
    return FilterState(**fields)
