"""All Streamlit caching of the app: data keyed on file paths and modification times, what
a rerun draws keyed on the data's key and what is shown. Datasets, filtered events and map
arguments are shared by all sessions (``cache_resource``: no copy per rerun): treat them as
read-only. The settings (``DASHBOARD_*``) are read from the environment here, once for as
long as it does not change. Where the browser gets static files: :mod:`dashboard.ui.static`.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
from collections.abc import Callable, Hashable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit import dataframe_util

from dashboard import map_focus
from dashboard.dataset import Dataset, Geodata, combine
from dashboard.db import Database, PostgisStore
from dashboard.db.frames import FRAME_COLUMNS, Context, to_frame
from dashboard.db.reviews import DatabaseReviews
from dashboard.filters import FilterState
from dashboard.importing import import_bytes
from dashboard.paths import GEODATA_DIR, geodata_stamp, modified
from dashboard.playback import Frame, frames
from dashboard.query import EmbeddedStore, EventStore, Selection
from dashboard.settings import PREFIX, Limits, Settings
from dashboard.tablecache import TableCache, load_cached
from dashboard.ui import folium_args
from dashboard.ui.progress import Once

Keyed = tuple[str, Dataset]  # a dataset and what it was read from (path and time, or hash)


@functools.lru_cache(maxsize=4)  # read on every rerun many times: Streamlit's cache costs more
def _settings(environ: tuple[tuple[str, str], ...]) -> Settings:
    return Settings.from_env(dict(environ))


def settings() -> Settings:
    """The server's settings, read from its environment's ``DASHBOARD_*`` variables
    (``dashboard.settings.SettingsError`` for such a variable that is not a setting)."""
    return _settings(tuple(sorted((k, v) for k, v in os.environ.items()
                                  if k.startswith(PREFIX))))


@st.cache_resource(show_spinner="Loading places and regions…", max_entries=4)
def _geodata(directory: str, stamp: tuple[float, float]) -> Geodata:
    # One object per server (shared: read-only); a database's store keys its places on it.
    return Geodata.load(Path(directory))


@st.cache_resource(show_spinner=False, max_entries=8)
def _dataset(path: str, mtime: float, geodata_dir: str, stamp: tuple[float, float],
             limits: Limits, tables: TableCache) -> Once[Dataset]:
    return Once()  # filled outside, so its progress bar is not replayed on every rerun


def dataset(path: Path, geodata_dir: Path = GEODATA_DIR) -> Keyed:
    """The loaded events file and its cache key; reloaded when it or the geodata change.
    Loaded once per server, with a progress bar, from the table cache
    (``DASHBOARD_CACHE_DIR``) when the file was imported before; no size or row limit."""
    key = (str(path), modified(path), str(geodata_dir), geodata_stamp(geodata_dir))
    tables = TableCache(settings().cache_dir, background=True)
    once = _dataset(*key, settings().file_limits, tables)

    def load(progress: Callable[[float, str], None]) -> Dataset:
        geodata = _geodata(str(geodata_dir), key[3])
        return load_cached(path, geodata, tables, geodata_dir=geodata_dir,
                           limits=settings().file_limits, progress=progress)

    return f"file:{key}", once.get(load, "Loading events…")


@st.cache_resource(show_spinner=False, max_entries=16)
def _imported(raw: bytes, name: str, fmt: str | None, geodata_dir: str,
              stamp: tuple[float, float], limits: Limits) -> Once[Dataset]:
    return Once()


def imported(raw: bytes, name: str, fmt: str | None,
             geodata_dir: Path = GEODATA_DIR) -> Keyed:
    """An uploaded file read into a dataset, once per content, name and format; its key."""
    stamp = geodata_stamp(geodata_dir)
    digest = hashlib.sha256(raw).hexdigest()
    limits = settings().limits
    once = _imported(raw, name, fmt, str(geodata_dir), stamp, limits)

    def load(progress: Callable[[float, str], None]) -> Dataset:
        return import_bytes(raw, name, _geodata(str(geodata_dir), stamp), fmt=fmt,
                            limits=limits, progress=progress)

    return f"upload:{name}:{fmt}:{digest}:{stamp}", once.get(load, "Reading your file…")


@st.cache_resource(show_spinner="Combining the datasets…", max_entries=8)
def _combined(keys: tuple[str, ...], _parts: list[Dataset]) -> Dataset:
    return combine(_parts)  # the keys say what the parts are; they are not hashed


DATA_KEY = "_data_key"  # session_state: the key of the dataset this run shows


def combined(parts: list[Keyed]) -> Dataset:
    """Several datasets as one, combined once per set of sources rather than every rerun;
    their keys become the run's data key (:func:`data_key`), what drawings are cached on."""
    keys = tuple(key for key, _ in parts)
    st.session_state[DATA_KEY] = keys
    return parts[0][1] if len(parts) == 1 else _combined(keys, [data for _, data in parts])


NO_EVENTS = to_frame(FRAME_COLUMNS, [], Context({}, None))  # a database's Dataset holds none


def from_database(found: PostgisStore, geodata_dir: Path = GEODATA_DIR) -> Dataset:
    """The page's data from a database: no events (the store answers for them), the
    gazetteer with the database's places; the run's data key is the data version."""
    st.session_state[DATA_KEY] = (f"database:{found.key()}",)
    base = _geodata(str(geodata_dir), geodata_stamp(geodata_dir))
    return Dataset(Path("database"), NO_EVENTS, found.geodata(base), name="the database")


def data_key() -> tuple[str, ...]:
    """What the data shown in this run was read from (see :func:`combined`)."""
    return st.session_state.get(DATA_KEY, ())


@st.cache_resource(show_spinner="Indexing the events…", max_entries=8)
def _store(data: tuple[str, ...], _events: pd.DataFrame) -> EmbeddedStore:
    return EmbeddedStore(_events)


@functools.lru_cache(maxsize=2)  # asked several times a rerun: Streamlit's cache costs more
def _database(url: str) -> PostgisStore:
    return PostgisStore(Database(url, read_only=True, max_connections=8))


def database() -> PostgisStore | None:
    """The read-only store of ``DASHBOARD_DATABASE_URL`` (None when unset); its data version
    joins the run's data key, so what is cached on the data is made again after a write."""
    url = settings().database_url
    if url is None:
        return None
    found = _database(url)
    st.session_state[DATA_KEY] = (*(k for k in data_key() if not k.startswith("database:")),
                                  f"database:{found.key()}")
    return found


@st.cache_resource(show_spinner=False, max_entries=2)
def _reviews(digest: str, _url: str, limits: Limits) -> DatabaseReviews:
    return DatabaseReviews(Database(_url, max_connections=4), limits=limits, geodata=lambda:
                           _geodata(str(GEODATA_DIR), geodata_stamp(GEODATA_DIR)))


def reviews() -> DatabaseReviews | None:
    """The review page's decisions in the database, with the reviewers' login
    (``DASHBOARD_REVIEW_DATABASE_URL``); None when that is unset."""
    url = settings().review_database_url
    return None if url is None else _reviews(hashlib.sha256(url.encode()).hexdigest(), url,
                                             settings().limits)


def store(data: Dataset) -> EventStore:
    """The events of ``data`` ready to be queried, built once per data (shared); the
    database's when ``DASHBOARD_DATABASE_URL`` is set (``DatabaseError`` when it is away)."""
    found = database()
    return _store(data_key(), data.events) if found is None else found


def shown(data: Dataset, state: FilterState) -> Selection:
    """The events ``state`` selects (the store keeps the last few; shared: read-only)."""
    return store(data).select(state)


@st.cache_resource(show_spinner=False, max_entries=32)
def _steps(data: tuple[str, ...], events: str, date_from: date, date_to: date, step: int,
           skip: bool, _starts: Callable[[], pd.DataFrame]) -> list[Frame]:
    return frames(_starts(), date_from, date_to, step, skip_empty=skip)


def steps(events: Selection, date_from: date, date_to: date, step: int,
          skip: bool) -> list[Frame]:
    """Playback's steps over these events (``playback.frames``), once per data and set."""
    return _steps(data_key(), events.key, date_from, date_to, step, skip,
                  lambda: events.columns(["start"]))


# Per set of shown events: ~0.3 MB of map script each (bundled data), shared by all sessions.
@st.cache_resource(show_spinner=False, max_entries=32)
def _map_args(data: tuple[str, ...], drawn: tuple, key: str, _layers: Callable[[], list],
              _base: Callable[[], tuple]) -> dict[str, Any]:
    layers = _layers()
    like = _map_like(data, drawn[-1], key, folium_args.switchable(layers))
    if like:  # the base map's script and switcher are written once per data
        return folium_args.reuse(like, layers)
    fmap, control = _base()
    args = folium_args.prepare(fmap, layers, control, key=key)
    like.update(folium_args.shared(args))
    return args


@st.cache_resource(show_spinner=False, max_entries=16)
def _map_like(data: tuple[str, ...], borders: str, key: str, switchable: tuple) -> dict:
    return {}  # filled by the first map of this base and switcher


def map_args(drawn: tuple, key: str, layers: Callable[[], list],
             base: Callable[[], tuple]) -> dict[str, Any]:
    """The map component's arguments for what is ``drawn`` (what names the events or the
    aggregates drawn, then where the borders are fetched from): ``layers()`` on ``base()``
    (map, control), once per data and ``drawn``. Shared: do not change the result."""
    return _map_args(data_key(), drawn, key, layers, base)


@st.cache_resource(show_spinner=False, max_entries=4)
def placing_args(places: Hashable, drawn: tuple, key: str,
                 _build: Callable[[], tuple]) -> dict[str, Any]:
    """The placing map's (no events), once per reviewers' places and ``drawn``. Shared."""
    fmap, layers, control = _build()
    return folium_args.prepare(fmap, layers, control, key=key)


@st.cache_resource(show_spinner=False, max_entries=32)
def _table(data: tuple[str, ...], rows: tuple[str, ...],
           _build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    return _build()


def table(rows: tuple[str, ...], build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The events table's rows named by ``rows`` (a selection's key, the page's first event
    and size), from ``build()`` once per data and ``rows``. Shared: do not change it."""
    return _table(data_key(), rows, build)


@st.cache_resource(show_spinner=False, max_entries=128)
def _timeline_specs(data: tuple[str, ...], state: FilterState,
                    marker: tuple[date, date] | None,
                    _build: Callable[[], tuple]) -> tuple[dict | None, ...]:
    return tuple(None if spec is None else _with_arrow(spec) for spec in _build())


def _with_arrow(spec: dict) -> dict:
    """``spec`` with its tables as Arrow bytes, converted once rather than every rerun."""
    return {**spec, "datasets": {name: dataframe_util.convert_anything_to_arrow_bytes(table)
                                 for name, table in spec["datasets"].items()}}


def timeline_specs(state: FilterState, marker: tuple[date, date] | None,
                   build: Callable[[], tuple]) -> list[dict | None]:
    """The timeline's Vega-Lite specs (for ``st.vega_lite_chart``) from ``build()``
    (:func:`dashboard.timeline_spec.timeline_specs`), once per data, filters and playback
    step; shared by all sessions, so each call gets its own top level (Streamlit moves the
    datasets out of the spec it is given)."""
    return [None if spec is None else dict(spec)
            for spec in _timeline_specs(data_key(), state, marker, build)]


@st.cache_resource(show_spinner=False, max_entries=8)
def _first_view(data: tuple[str, ...], _store: EventStore) -> list[list[float]] | None:
    return map_focus.view_of(_store.extent())


def first_view(data: Dataset) -> list[list[float]] | None:
    """The data's region the map first fits (``map_focus.view_of``), once per data."""
    return _first_view(data_key(), store(data))


@st.cache_resource(show_spinner=False, max_entries=8)
def _opening(data: tuple[str, ...], span: tuple[date, date],
             _store: EventStore) -> tuple[date, date]:
    return _store.opening(*span)


def opening(data: Dataset, span: tuple[date, date]) -> tuple[date, date]:
    """The range the page opens on (``periods.opening_range``), once per data, not per
    rerun: it sorts every event."""
    return _opening(data_key(), span, store(data))


@st.cache_resource(show_spinner=False)
def _frozen() -> bool:
    gc.collect()
    gc.freeze()
    return True


def settle_heap() -> None:
    """Once per server, after the first full run: take what is loaded by then (modules,
    the data) out of the garbage collector's walks. Streamlit collects all generations
    after every run (``runner.postScriptGC``): over the whole heap, 60-90 ms per rerun.
    """
    _frozen()
