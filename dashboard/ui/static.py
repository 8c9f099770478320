"""Where the browser gets files: Leaflet and its plugins, the base map's borders and the
source documents, from Streamlit's static route when it is served, else inlined.

Files are synced once per server process (and the borders again when their file changes);
the data's caches are all in :mod:`dashboard.ui.cache`.
"""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st

from dashboard.assets import Asset, inline_url, static_url, sync_static, sync_text
from dashboard.map_builder import basemap_json
from dashboard.paths import BASEMAP_FILE, GEODATA_DIR, modified
from dashboard.sources import sync_texts

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


@functools.cache
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


@functools.lru_cache(maxsize=4)
def _borders_url(base: str, mtime: float) -> str | None:
    text = basemap_json(GEODATA_DIR / BASEMAP_FILE)
    try:
        name = sync_text(STATIC_DIR, "basemap", "borders.json", text)
    except OSError:
        return None
    return f"{base}/{name}"


def borders_url() -> str | None:
    """Where the browser fetches the base map's borders once, None to inline them."""
    base = _static_base()
    return _borders_url(base, modified(GEODATA_DIR / BASEMAP_FILE)) if base else None


def asset_url(asset: Asset) -> str:
    """Where the browser gets a Leaflet file: the static route, else a data URL."""
    base = _static_base()
    return static_url(base)(asset) if base else inline_url(asset)
