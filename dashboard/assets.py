"""Leaflet and its plugins from installed packages, so the map needs no internet.

Folium points every element at CDNs. :func:`localise` rewrites a map's assets to
local URLs (served by Streamlit's static serving from a copy made by
:func:`sync_static`) or to inline ``data:`` URLs for standalone pages. An element that
needs an asset we cannot serve locally raises :class:`OfflineAssetError` instead of
silently breaking the offline map.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import mimetypes
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import branca.element
import folium

from dashboard.errors import DashboardError
from dashboard.files import PUBLIC, write_atomic, write_changed


class OfflineAssetError(DashboardError):
    """A map element needs a script or stylesheet that only a CDN provides."""


@dataclass(frozen=True)
class Asset:
    """One file of an installed package."""

    package: str  # module with a BASE_DIR (XStatic) or a module directory
    file: str

    @property
    def directory(self) -> Path:
        """The installed directory holding the file."""
        module = importlib.import_module(self.package)
        base = getattr(module, "BASE_DIR", None)
        return Path(base) if base else Path(str(module.__file__)).parent / "templates"

    @property
    def path(self) -> Path:
        """The installed file."""
        return self.directory / self.file

    @property
    def vendor_dir(self) -> str:
        """The folder name of its package under the static ``vendor`` directory."""
        return self.package.rsplit(".", 1)[-1]


LEAFLET = "xstatic.pkg.leaflet"
CLUSTER = "xstatic.pkg.leaflet_markercluster"
# folium's names for its assets -> where we take them from; None drops an asset that
# nothing of ours needs (jQuery, Bootstrap, awesome-markers).
KNOWN: dict[str, Asset | None] = {
    "leaflet": Asset(LEAFLET, "leaflet.js"),
    "leaflet_css": Asset(LEAFLET, "leaflet.css"),
    "markerclusterjs": Asset(CLUSTER, "leaflet.markercluster.js"),
    "markerclustercss": Asset(CLUSTER, "MarkerCluster.css"),
    "markerclusterdefaultcss": Asset(CLUSTER, "MarkerCluster.Default.css"),
    "leaflet-heat.js": Asset("folium", "leaflet_heat.min.js"),
    "jquery": None,
    "bootstrap": None,
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers_font_css": None,
    "awesome_rotate_css": None,
}
# Dropping these is only safe while no element uses what they provide.
NEEDS_DROPPED = {"awesome_markers": "folium.Icon needs awesome-markers; use a DivIcon",
                 "awesome_markers_css": "folium.Icon needs awesome-markers; use a DivIcon"}


def _elements(root: branca.element.Element) -> Iterator[branca.element.Element]:
    yield root
    for child in list(root._children.values()):
        yield from _elements(child)


def _uses_awesome_markers(root: branca.element.Element) -> bool:
    return any(isinstance(e, folium.Icon) for e in _elements(root))


def localise(root: branca.element.Element, url: Callable[[Asset], str]) -> list[Asset]:
    """Point every element's scripts and stylesheets at ``url(asset)``.

    Returns the assets used, in load order. Raises :class:`OfflineAssetError` for an
    element that needs an asset with no local copy (or a branca colormap, which pulls
    d3 from a CDN).
    """
    if _uses_awesome_markers(root):
        raise OfflineAssetError(NEEDS_DROPPED["awesome_markers"])
    used: list[Asset] = []
    for element in _elements(root):
        if isinstance(element, branca.colormap.ColorMap):
            raise OfflineAssetError("branca colormaps load d3 from a CDN; draw legends "
                                    "with our own HTML")
        for attr in ("default_js", "default_css"):
            entries = getattr(element, attr, None)
            if not entries:
                continue
            local = []
            for name, _href in entries:
                if name not in KNOWN and name not in NEEDS_DROPPED:
                    raise OfflineAssetError(
                        f"{type(element).__name__} needs {name!r}, which has no local copy")
                asset = KNOWN.get(name)
                if asset is not None:
                    local.append((name, url(asset)))
                    if asset not in used:
                        used.append(asset)
            # An instance attribute shadows the class list for this element only.
            setattr(element, attr, local)
    return used


def sync_static(static_dir: Path) -> Path:
    """Copy the asset packages' files into ``static_dir/vendor``, each only when missing or
    changed and written whole: servers started together never rewrite a file a browser
    is reading, nor serve half of one."""
    vendor = Path(static_dir) / "vendor"
    for asset in {a for a in KNOWN.values() if a is not None}:
        source = asset.directory
        images = source / "images"
        files = [source / asset.file] + (sorted(p for p in images.rglob("*") if p.is_file())
                                         if images.is_dir() else [])
        for item in files:
            write_changed(vendor / asset.vendor_dir / item.relative_to(source),
                          item.read_bytes(), PUBLIC)
    return vendor


def sync_text(static_dir: Path, folder: str, name: str, text: str) -> str:
    """Write ``text`` under ``static_dir/vendor/folder`` once, its content hash in the file
    name (so browsers may cache it); the path under ``static_dir``."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    stem, _, suffix = name.rpartition(".")
    path = Path(static_dir) / "vendor" / folder / f"{stem}-{digest}.{suffix}"
    if not path.exists():
        write_atomic(path, text.encode("utf-8"), PUBLIC)  # a browser never gets half a file
    return path.relative_to(static_dir).as_posix()


def static_url(base: str = "/app/static") -> Callable[[Asset], str]:
    """URLs of the copies :func:`sync_static` made, under Streamlit's static route."""
    base = base.rstrip("/")
    return lambda asset: f"{base}/vendor/{asset.vendor_dir}/{asset.file}"


def _data_url(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def inline_url(asset: Asset) -> str:
    """A ``data:`` URL of the asset; images a stylesheet refers to are inlined too."""
    if not asset.file.endswith(".css"):
        return _data_url(asset.path)
    css = asset.path.read_text(encoding="utf-8")
    css = re.sub(r"url\((['\"]?)(images/[^'\")]+)\1\)",
                 lambda m: f"url({_data_url(asset.directory / m.group(2))})", css)
    return "data:text/css;base64," + base64.b64encode(css.encode("utf-8")).decode("ascii")
