"""Event layers drawn with matplotlib as the web map draws them.

Markers carry their layer's colour and shape (never colour alone); events of one layer
close together on the page share one symbol with a count, as the web map clusters them;
layers at one place sit at the fixed offsets of :data:`dashboard.layers.symbols.OFFSETS`.
Routes and areas are dashed, movements are arrows whose width follows the web map's.
A symbol whose events are all known only to the month or year is drawn faded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import cast

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import ArrowStyle, FancyArrowPatch, Patch
from matplotlib.path import Path as MplPath
from matplotlib.transforms import offset_copy

from dashboard.export.basemap_mpl import polygon_path, project, rings, to_mercator
from dashboard.gazetteer import Gazetteer
from dashboard.layers.features import records, shape_style
from dashboard.layers.symbols import OFFSETS
from dashboard.schema import CATEGORIES

MARKERS = {"triangle": "^", "cross": "P", "square": "s", "diamond": "D", "star": "*",
           "circle": "o"}
# Sizes that make the six shapes look equally heavy.
MARKER_SCALE = {"^": 1.0, "P": 1.0, "s": 0.85, "D": 0.78, "*": 1.3, "o": 0.9}
EDGE = "#1a1a1a"
SYMBOL_PT = 11.0  # symbol size in points at scale 1
PX_TO_PT = 0.6  # web map stroke pixels to points on the page
Z_AREA, Z_LINE, Z_ARROW, Z_MARKER, Z_COUNT = 5, 6, 7, 9, 10
FADED = 0.3  # fill opacity of symbols of events known only to the month or year
IMPRECISE_LABEL = "Faded: date known only to the month or year"


def marker_style(category: str, scale: float = 1.0, precise: bool = True) -> dict:
    """Line2D keyword arguments of a layer's symbol; faded when not ``precise``."""
    cat = CATEGORIES[category]
    marker = MARKERS[cat.symbol]
    return {"marker": marker, "markersize": SYMBOL_PT * MARKER_SCALE[marker] * scale,
            "markerfacecolor": cat.colour if precise else to_rgba(cat.colour, FADED),
            "markeredgecolor": EDGE, "markeredgewidth": (0.7 if precise else 1.0) * scale,
            "linestyle": "none"}


def offset_points(category: str, scale: float = 1.0) -> tuple[float, float]:
    """The layer's offset around its place in points (right, up)."""
    dx, dy = OFFSETS.get(category, (0, 0))
    return dx * scale, -dy * scale


@dataclass
class Symbol:
    """One drawn symbol: the events of one layer at one spot of the page."""

    category: str
    x: float  # Web Mercator metres
    y: float
    count: int
    place_ids: set[str]
    imprecise: int = 0  # events known only to the month or year (or a range of days)

    @property
    def precise(self) -> bool:
        """Whether some event of the symbol is dated to the day (else it is drawn faded)."""
        return self.imprecise < self.count


def cluster(events: gpd.GeoDataFrame, ax: Axes, radius_px: float) -> list[Symbol]:
    """Per layer, events whose places lie within ``radius_px`` of each other on the page.

    Places are taken heaviest first; each joins the first symbol near enough, which stays
    at its first (heaviest) place, so a symbol always sits on a real place.
    """
    symbols: list[Symbol] = []
    for category in CATEGORIES:
        subset = events[events["category"] == category]
        if subset.empty:
            continue
        places: dict[tuple, list] = defaultdict(list)
        vague: dict[tuple, int] = defaultdict(int)
        spots = zip(subset.geometry.x, subset.geometry.y, strict=True)
        for spot, place_id, precision in zip(spots, subset["place_id"],
                                             subset["date_precision"], strict=True):
            places[spot].append(place_id)
            vague[spot] += precision != "day"
        ordered = sorted(places.items(), key=lambda kv: (-len(kv[1]), sorted(kv[1])[0]))
        lon, lat = np.array([s[0] for s in ordered], dtype=float).T
        xs, ys = to_mercator(lon, lat)
        pixels = ax.transData.transform(np.column_stack([xs, ys]))
        own: list[tuple[Symbol, np.ndarray]] = []
        for (spot, ids), x, y, pixel in zip(ordered, xs, ys, pixels, strict=True):
            near = next((s for s, p in own if np.hypot(*(p - pixel)) <= radius_px), None)
            if near is None:
                own.append((Symbol(category, float(x), float(y), len(ids), set(ids),
                                   vague[spot]), pixel))
            else:
                near.count += len(ids)
                near.place_ids.update(ids)
                near.imprecise += vague[spot]
        symbols += [s for s, _ in own]
    return symbols


def with_halo(draw, *args, halo: float, **kwargs) -> list:
    """``draw(*args, **kwargs)`` twice: a white outline ``halo`` points wide, then the text.

    Only the outline is a path effect, so SVG and PDF keep the text as searchable text.
    """
    outline = [patheffects.withStroke(linewidth=halo, foreground="white")]
    return [draw(*args, **{**kwargs, "color": "white", "path_effects": outline}),
            draw(*args, **kwargs)]


def draw_symbols(ax: Axes, symbols: list[Symbol], scale: float) -> list:
    """One marker line per layer, at its offset, and a count beside clustered symbols."""
    artists = []
    fig = cast(Figure, ax.figure)  # offset_copy wants the top figure; ours has no subfigures
    for category in CATEGORIES:
        mine = [s for s in symbols if s.category == category]
        if not mine:
            continue
        dx, dy = offset_points(category, scale)
        moved = offset_copy(ax.transData, fig=fig, x=dx, y=dy, units="points")
        for precise in (False, True):
            these = [s for s in mine if s.precise == precise]
            if these:
                line = Line2D([s.x for s in these], [s.y for s in these], transform=moved,
                              zorder=Z_MARKER, **marker_style(category, scale, precise))
                ax.add_line(line)
                artists.append(line)
        beside = offset_copy(ax.transData, fig=fig, x=dx + 4.5 * scale, y=dy + 2.5 * scale,
                             units="points")
        for s in (s for s in mine if s.count > 1):
            artists += with_halo(ax.text, s.x, s.y, str(s.count), halo=2.0 * scale,
                                 transform=beside, fontsize=7 * scale, fontweight="bold",
                                 color="#111111", ha="left", va="bottom", zorder=Z_COUNT,
                                 parse_math=False, clip_on=True)
    return artists


def _dashes(style: dict, width_pt: float) -> str | tuple:
    values = [float(v) for v in str(style.get("dashArray", "")).replace(",", " ").split()]
    if not values:
        return "solid"
    return (0, tuple(v * PX_TO_PT / width_pt for v in values))  # matplotlib scales by width


def _area(ax: Axes, geometry, style: dict, colour: str, scale: float) -> list:
    width = float(style.get("weight", 2)) * PX_TO_PT * scale
    alpha = float(style.get("opacity", 0.9))
    artists: list[Artist] = []
    if float(style.get("fillOpacity", 0)) > 0:
        artists.append(PathCollection([polygon_path(geometry)], facecolors=colour,
                                      edgecolors="none", alpha=float(style["fillOpacity"]),
                                      zorder=Z_AREA))
    artists.append(LineCollection(rings(geometry), colors=colour, linewidths=width,
                                  alpha=alpha, linestyles=_dashes(style, width), zorder=Z_AREA))
    return artists


def _line(ax: Axes, geometry, style: dict, colour: str, scale: float) -> list:
    width = float(style.get("weight", 5)) * PX_TO_PT * scale
    return [LineCollection(rings(geometry), colors=colour, linewidths=width,
                           alpha=float(style.get("opacity", 0.85)),
                           linestyles=_dashes(style, width), capstyle="round",
                           zorder=Z_LINE)]


def _arrow(ax: Axes, geometry, style: dict, colour: str, scale: float) -> list:
    shaft = np.asarray(geometry.geoms[0].coords)  # a real head replaces the two strokes
    width = float(style.get("weight", 4)) * PX_TO_PT * scale
    pixels = ax.transData.transform(shaft[-2:])
    last = float(np.hypot(*(pixels[1] - pixels[0]))) * 72 / ax.figure.dpi  # points
    length = min(2.4 * width, max(6 * scale, 0.9 * last))
    head = ArrowStyle("-|>", head_length=length, head_width=max(3.5 * scale, 1.1 * width))
    return [FancyArrowPatch(path=MplPath(shaft), arrowstyle=head, mutation_scale=1,
                            color=colour, linewidth=width, alpha=float(style.get("opacity", .9)),
                            capstyle="round", joinstyle="round", zorder=Z_ARROW)]


DRAW = {"area": _area, "line": _line, "arrow": _arrow}


SHAPE_FIELDS = ("category", "drawn_as", "shape_place", "shape", "event_id", "arrow_weight")


def shapes(events: pd.DataFrame, gazetteer: Gazetteer) -> list[tuple]:
    """The routes, areas and arrows of the events, as the web map draws them:
    ``(category, key, kind, geometry, style)``, per layer each shared route or area once
    (in the order the events first name it), then the arrows widest first."""
    shared: dict[str, dict[str, dict]] = {c: {} for c in CATEGORIES}
    arrows: dict[str, list[dict]] = {c: [] for c in CATEGORIES}
    for row in records(events[events["drawn_as"] != "point"], SHAPE_FIELDS):
        if row["drawn_as"] == "arrow":
            arrows[row["category"]].append(row)
        else:
            shared[row["category"]].setdefault(row["shape_place"], row)
    found = []
    for category in CATEGORIES:
        for row in shared[category].values():
            place = gazetteer[row["shape_place"]]
            style = shape_style(row["drawn_as"], category,
                                country=place.kind.startswith("country"))
            found.append((category, (place.id, row["drawn_as"]), row["drawn_as"],
                          row["shape"], style))
        styled = [(row, shape_style("arrow", category, row["arrow_weight"]))
                  for row in arrows[category]]
        for row, style in sorted(styled, key=lambda rs: -rs[1]["weight"]):
            found.append((category, (row["event_id"], "arrow"), "arrow", row["shape"], style))
    return found


def draw_shapes(ax: Axes, events: pd.DataFrame, scale: float, cache: dict,
                gazetteer: Gazetteer) -> list:
    """Routes, areas and arrows of the events, each shared shape once per layer.

    ``cache`` keeps projected geometries between calls (a time-lapse draws them often).
    """
    artists = []
    for category, key, kind, geometry, style in shapes(events, gazetteer):
        if key not in cache:
            cache[key] = project(geometry)
        for artist in DRAW[kind](ax, cache[key], style, CATEGORIES[category].colour, scale):
            artists.append(ax.add_artist(artist) if isinstance(artist, FancyArrowPatch)
                           else ax.add_collection(artist, autolim=False))
    return artists


def legend_entries(counts: dict[str, int], kinds: set[str], scale: float,
                   imprecise: bool = False) -> tuple:
    """Legend handles and labels: each layer with its count, then the shape keys drawn,
    then, when some symbol is faded (``imprecise``), what fading means."""
    handles: list[Artist] = [Line2D([], [], **marker_style(c, scale)) for c in counts]
    labels = [f"{CATEGORIES[c].label} ({n})" for c, n in counts.items()]
    grey = "#555555"
    if "line" in kinds:
        handles.append(Line2D([], [], color=grey, lw=2 * scale, linestyle=(0, (2, 1.2))))
        labels.append("Corridor route (dashed)")
    if "area" in kinds:
        handles.append(Patch(facecolor="none", edgecolor=grey, linestyle=(0, (3, 2)),
                             linewidth=1.2 * scale))
        labels.append("Area of an event (dashed)")
    if "arrow" in kinds:
        handles.append(FancyArrowPatch((0, 0), (1, 0), color=grey))
        labels.append("People moving (width: number)")
    if imprecise:
        handles.append(Line2D([], [], **{**marker_style("political", scale, precise=False),
                                         "markerfacecolor": to_rgba(grey, FADED)}))
        labels.append(IMPRECISE_LABEL)
    return handles, labels


def arrow_legend_patch(legend, orig_handle, xdescent, ydescent, width, height, fontsize):
    """Draw an arrow as the legend key of movements (a ``HandlerPatch`` patch_func)."""
    y = height / 2 - ydescent
    return FancyArrowPatch((-xdescent, y), (width - xdescent, y), arrowstyle="-|>",
                           mutation_scale=fontsize * 0.9, lw=fontsize * 0.22,
                           color=orig_handle.get_edgecolor())
