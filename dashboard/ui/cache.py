"""All Streamlit caching of the app, keyed on file paths and modification times."""

from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from dashboard.assets import Asset, inline_url, static_url, sync_static
from dashboard.dataset import Dataset, Geodata, combine
from dashboard.importing import import_bytes, load_path
from dashboard.paths import GEODATA_DIR, PLACES_FILE, REGIONS_FILE
from dashboard.sources import sync_texts

Keyed = tuple[str, Dataset]  # a dataset and what it was read from (path and time, or hash)
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


def modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@st.cache_data(show_spinner="Loading places and regions…")
def _geodata(directory: str, stamp: tuple[float, float]) -> Geodata:
    # Arguments starting with "_" are not part of Streamlit's cache key: these all are.
    return Geodata.load(Path(directory))


@st.cache_data(show_spinner="Loading events…")
def _dataset(path: str, mtime: float, geodata_dir: str, stamp: tuple[float, float]) -> Dataset:
    return load_path(path, _geodata(geodata_dir, stamp))


def _stamp(geodata_dir: Path) -> tuple[float, float]:
    return modified(geodata_dir / PLACES_FILE), modified(geodata_dir / REGIONS_FILE)


def dataset(path: Path, geodata_dir: Path = GEODATA_DIR) -> Keyed:
    """The loaded events file and its cache key; reloaded when it or the geodata change."""
    key = (str(path), modified(path), str(geodata_dir), _stamp(geodata_dir))
    return f"file:{key}", _dataset(*key)


@st.cache_data(show_spinner="Reading your file…", max_entries=16)
def _imported(raw: bytes, name: str, fmt: str | None, geodata_dir: str,
              stamp: tuple[float, float]) -> Dataset:
    return import_bytes(raw, name, _geodata(geodata_dir, stamp), fmt=fmt)


def imported(raw: bytes, name: str, fmt: str | None,
             geodata_dir: Path = GEODATA_DIR) -> Keyed:
    """An uploaded file read into a dataset, once per content, name and format; its key."""
    stamp = _stamp(geodata_dir)
    digest = hashlib.sha256(raw).hexdigest()
    return (f"upload:{name}:{fmt}:{digest}:{stamp}",
            _imported(raw, name, fmt, str(geodata_dir), stamp))


@st.cache_data(show_spinner="Combining the datasets…", max_entries=8)
def _combined(keys: tuple[str, ...], _parts: list[Dataset]) -> Dataset:
    return combine(_parts)  # the keys say what the parts are; they are not hashed


def combined(parts: list[Keyed]) -> Dataset:
    """Several datasets as one, combined once per set of sources rather than every rerun."""
    if len(parts) == 1:
        return parts[0][1]
    return _combined(tuple(key for key, _ in parts), [data for _, data in parts])


@st.cache_resource(show_spinner=False)
def _static_base() -> str | None:
    if not st.get_option("server.enableStaticServing"):
        return None
    try:
        sync_static(STATIC_DIR)
        sync_texts(STATIC_DIR)  # the source documents, opened from popups
    except OSError:
        return None
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static" if base else "/app/static"


def asset_url(asset: Asset) -> str:
    """Where the browser gets a Leaflet file: the static route, else a data URL."""
    base = _static_base()
    return static_url(base)(asset) if base else inline_url(asset)
