"""The vector base map of static exports, in Web Mercator, drawn with matplotlib.

Projection and path building happen once per base map file (cached on path and
modification time); drawing then only adds three collections to an axes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path as MplPath
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar
from pyproj import Transformer

from dashboard.basemap import basemap_stamp, read_basemap
from dashboard.errors import GeodataError
from dashboard.export.types import Bounds, ExportError
from dashboard.paths import BASEMAP_FILE, GEODATA_DIR
from dashboard.profile import PALETTE

WEB_MERCATOR = "EPSG:3857"
MAX_LAT = 85.0
_TO_MERCATOR = Transformer.from_crs("EPSG:4326", WEB_MERCATOR, always_xy=True)
Extent = tuple[float, float, float, float]  # x0, y0, x1, y1 in Web Mercator metres


def to_mercator(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Web Mercator metres of longitudes and latitudes (degrees)."""
    lat = np.clip(np.asarray(lat, dtype=float), -MAX_LAT, MAX_LAT)
    x, y = _TO_MERCATOR.transform(np.asarray(lon, dtype=float), lat)
    return np.asarray(x), np.asarray(y)


def to_bounds(extent: Extent) -> Bounds:
    """The ``(south, west, north, east)`` degrees of a Web Mercator extent."""
    x0, y0, x1, y1 = extent
    (west, east), (south, north) = _TO_MERCATOR.transform([x0, x1], [y0, y1],
                                                          direction="INVERSE")
    return float(south), float(west), float(north), float(east)


def latitude_of(y: float) -> float:
    """The latitude (degrees) of a Web Mercator ``y``."""
    return math.degrees(2 * math.atan(math.exp(y / 6378137.0)) - math.pi / 2)


def project(geometry):
    """A shapely geometry in lon/lat, projected to Web Mercator."""
    return shapely.transform(geometry, lambda xy: np.column_stack(to_mercator(xy[:, 0],
                                                                             xy[:, 1])))


def rings(geometry) -> list[np.ndarray]:
    """Every ring (polygons) or part (lines) of a geometry as an ``(n, 2)`` array."""
    parts = getattr(geometry, "geoms", [geometry])
    out = []
    for part in parts:
        if part.geom_type == "Polygon":
            out += [np.asarray(r.coords) for r in (part.exterior, *part.interiors)]
        elif part.geom_type in ("LineString", "LinearRing"):
            out.append(np.asarray(part.coords))
        else:
            out += rings(part)
    return out


def polygon_path(geometry) -> MplPath:
    """A compound path of a (multi)polygon, holes included."""
    pieces = [MplPath(r, closed=True) for r in rings(geometry) if len(r) > 2]
    return MplPath.make_compound_path(*pieces)


@dataclass(frozen=True)
class Basemap:
    """The projected base map: country fills and borders, provinces, the disputed area."""

    fills: tuple[MplPath, ...]
    borders: tuple[np.ndarray, ...]
    provinces: tuple[np.ndarray, ...]
    disputed: tuple[np.ndarray, ...]
    coverage: tuple[float, float, float, float]  # west, south, east, north (degrees)

    def covers(self, lon: float, lat: float) -> bool:
        """Whether a point lies inside the area the base map draws."""
        west, south, east, north = self.coverage
        return west <= lon <= east and south <= lat <= north


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Basemap:
    frame = gpd.GeoDataFrame.from_features(read_basemap(Path(path))["features"],
                                           crs="EPSG:4326")
    west, south, east, north = (float(v) for v in frame.total_bounds)
    frame = frame.to_crs(WEB_MERCATOR)
    level = (frame["level"] if "level" in frame else pd.Series(None, index=frame.index,
                                                               dtype=object)).fillna("province")
    countries = frame.geometry[level == "country"]
    return Basemap(
        fills=tuple(polygon_path(g) for g in countries),
        borders=tuple(r for g in countries for r in rings(g)),
        provinces=tuple(r for g in frame.geometry[level == "province"] for r in rings(g)),
        disputed=tuple(r for g in frame.geometry[level == "disputed area"] for r in rings(g)),
        coverage=(west, south, east, north),
    )


def load_basemap(path: Path = GEODATA_DIR / BASEMAP_FILE) -> Basemap:
    """The projected base map of ``path``, read again only when the file changes.

    Raises
    ------
    ExportError
        When the file cannot be used (see :func:`dashboard.basemap.read_basemap`).
    """
    path = Path(path)
    try:
        return _load(str(path.resolve()), basemap_stamp(path))
    except GeodataError as exc:
        raise ExportError(str(exc)) from None


def draw_basemap(ax: Axes, basemap: Basemap, scale: float) -> None:
    """Sea, filled countries, dashed provinces, borders and the dashed disputed area."""
    ax.set_facecolor(PALETTE.sea)
    ax.add_collection(PathCollection(basemap.fills, facecolors=PALETTE.land,
                                     edgecolors="none", zorder=1), autolim=False)
    ax.add_collection(LineCollection(basemap.provinces, colors=PALETTE.province,
                                     linewidths=0.45 * scale, linestyles=(0, (3, 4)),
                                     zorder=2), autolim=False)
    ax.add_collection(LineCollection(basemap.borders, colors=PALETTE.border, linewidths=0.8 * scale,
                                     zorder=3), autolim=False)
    ax.add_collection(LineCollection(basemap.disputed, colors=PALETTE.disputed,
                                     linewidths=1.0 * scale, linestyles=(0, (4, 3)),
                                     zorder=4), autolim=False)


def nice_km(limit_km: float) -> float:
    """The largest 1, 2 or 5 × 10^n km not above ``limit_km``."""
    exponent = math.floor(math.log10(max(limit_km, 1e-3)))
    for step in (5, 2, 1):
        if step * 10 ** exponent <= limit_km:
            return step * 10 ** exponent
    return 10 ** exponent


def draw_scalebar(ax: Axes, extent: Extent, corner: str, scale: float, zorder: float) -> list:
    """A scale bar in km, true at the map's centre latitude (Mercator stretches by 1/cos)."""
    x0, y0, x1, y1 = extent
    factor = math.cos(math.radians(latitude_of((y0 + y1) / 2)))
    km = nice_km((x1 - x0) * factor / 1000 * 0.22)
    font = FontProperties(size=7.5 * scale)  # as layout_mpl.FONT["scalebar"]
    bar = AnchoredSizeBar(ax.transData, km * 1000 / factor, f"{km:g} km", corner,
                          pad=0.5, borderpad=0.8, sep=3 * scale, frameon=True,
                          size_vertical=(y1 - y0) * 0.006, color="#222222",
                          fontproperties=font)
    bar.patch.set(facecolor="white", alpha=0.85, edgecolor="none")
    bar.set_zorder(zorder)
    ax.add_artist(bar)
    return [bar]


def draw_north(ax: Axes, corner: str, scale: float, zorder: float) -> list:
    """A small north arrow (north is up on a Web Mercator map)."""
    x = 0.035 if corner.endswith("left") else 0.965
    arrow = ax.annotate("N", xy=(x, 0.965), xytext=(0, -26 * scale), xycoords="axes fraction",
                        textcoords="offset points", ha="center", va="top",
                        fontsize=8 * scale, fontweight="bold", zorder=zorder,
                        annotation_clip=False,
                        arrowprops={"arrowstyle": "-|>", "color": "#222222",
                                    "lw": 1.0 * scale, "mutation_scale": 9 * scale})
    arrow.set_parse_math(False)
    return [arrow]
