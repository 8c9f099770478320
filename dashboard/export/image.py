"""PNG, SVG and PDF snapshots of the map: the dashboard's view, ready for a report.

:func:`render_figure` lays out a matplotlib figure (title, map, legend, scale bar, place
names, a note of events outside the view, sources); :func:`render` saves it. Only
``Figure`` objects are used, never pyplot, so rendering is safe in Streamlit's threads,
and no text from the data is read as mathtext.
"""

from __future__ import annotations

import io
import threading
from typing import Any, cast

import matplotlib as mpl
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerPatch
from matplotlib.patches import FancyArrowPatch

from dashboard.dataset import Dataset
from dashboard.export import density_mpl, describe
from dashboard.export.basemap_mpl import (
    draw_basemap,
    draw_north,
    draw_scalebar,
    load_basemap,
    to_mercator,
)
from dashboard.export.layout_mpl import (
    FONT,
    TEXT,
    choose_corner,
    fit_aspect,
    label_places,
    view_extent,
    wrap,
)
from dashboard.export.symbols_mpl import (
    SYMBOL_PT,
    Symbol,
    arrow_legend_patch,
    cluster,
    draw_shapes,
    draw_symbols,
    legend_entries,
    offset_points,
)
from dashboard.export.types import ExportError, SnapshotOptions
from dashboard.filters import FilterState
from dashboard.schema import CATEGORIES

FORMATS = ("png", "svg", "pdf")  # what MapFigure.save writes; the exports are in registry.py
DESIGN_WIDTH_IN, DESIGN_HEIGHT_IN = 8.0, 5.0  # the page size the font sizes are meant for
MARGIN_IN = 0.1  # page margin at scale 1, inches
Z_OVERLAY = 20
_RC_LOCK = threading.Lock()  # rc_context changes global rcParams: one save at a time


class MapFigure:
    """A laid-out map figure whose events can be swapped (as a time-lapse does).

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The figure, ``options.width`` × ``options.height`` pixels at ``options.dpi``.
    ax : matplotlib.axes.Axes
        The map, in Web Mercator metres.
    """

    def __init__(self, figure: Figure, ax, data: Dataset, extent, scale: float, categories):
        self.figure, self.ax, self.data = figure, ax, data
        self.extent, self.scale, self.categories = extent, scale, list(categories)
        self.symbols: list[Symbol] = []
        self.event_artists: list = []
        self.legend = self.note = self.headline = None
        self.overlay: list = []
        self._shapes: dict = {}
        self.density: density_mpl.Density | None = None  # many events: drawn as density

    def set_events(self, events: pd.DataFrame) -> None:
        """Draw ``events`` in place of the ones drawn before; update counts and note."""
        for artist in self.event_artists:
            artist.remove()
        if self.density is not None:
            self.symbols, self.event_artists = [], self.density.draw(self.ax, events)
        else:
            radius = 1.1 * SYMBOL_PT * self.scale * self.figure.dpi / 72
            self.symbols = cluster(events, self.ax, radius)
            self.event_artists = (draw_shapes(self.ax, events, self.scale, self._shapes,
                                              self.data.geodata.gazetteer)
                                  + draw_symbols(self.ax, self.symbols, self.scale))
        if self.legend is not None:
            counts = events["category"].value_counts()
            for text, category in zip(self.legend.get_texts(), self.categories, strict=False):
                n = counts.get(category, 0)
                text.set_text(f"{CATEGORIES[category].label} "
                              + (f"({n:,})" if self.density is not None else f"({n})"))
        if self.note is not None:
            text = density_mpl.map_note(events, self.extent, self.data, self.density)
            self.note.set_text(self._wrap(text, self.note.get_fontsize()))

    def _wrap(self, text: str, size: float) -> str:
        width = self.figure.bbox.width - 2 * MARGIN_IN * self.scale * self.figure.dpi
        return wrap(text, size, width, _renderer(self.figure))

    def marker_pixel(self, place_id: str, category: str) -> tuple[int, int]:
        """Where the symbol of ``category`` standing for ``place_id`` is, in PNG pixels.

        Raises
        ------
        KeyError
            When no symbol of that layer stands for that place.
        """
        for symbol in self.symbols:
            if symbol.category == category and place_id in symbol.place_ids:
                dx, dy = offset_points(category, self.scale)
                return self._pixel(symbol.x, symbol.y, dx, dy)
        raise KeyError(f"no {category} symbol at {place_id}")

    def pixel_of(self, lon: float, lat: float) -> tuple[int, int]:
        """Where a point (degrees) lands in PNG pixels (origin top left)."""
        x, y = to_mercator([lon], [lat])
        return self._pixel(float(x[0]), float(y[0]))

    def _pixel(self, x: float, y: float, dx: float = 0, dy: float = 0) -> tuple[int, int]:
        px, py = self.ax.transData.transform((x, y))
        points = self.figure.dpi / 72
        return round(px + dx * points), round(self.figure.bbox.height - py - dy * points)

    def dynamic_artists(self) -> list:
        """What changes between time-lapse frames, in drawing order."""
        texts = [a for a in (self.headline, self.note) if a is not None]
        moving = [*self.event_artists, *self.overlay, *texts]
        if self.density is not None:  # hexagons hide the map: what lies on them is redrawn
            above = (*self.ax.collections, *self.ax.lines, *self.ax.texts)
            moving += [a for a in above if a.get_zorder() > density_mpl.Z_DENSITY
                       and not any(a is b for b in moving)]
        return sorted(moving, key=lambda a: a.get_zorder())

    def save(self, fmt: str, title: str) -> bytes:
        """The figure as PNG, SVG or PDF bytes."""
        buffer = io.BytesIO()
        kwargs: dict[str, Any] = {"format": fmt, "dpi": self.figure.dpi, "facecolor": "white"}
        if fmt == "png":
            self.figure.savefig(buffer, metadata={"Title": title, "Software": describe.PRODUCT},
                                **kwargs)
            return buffer.getvalue()
        # Text stays text (searchable, editable); these settings exist only as rcParams.
        rc: Any = {"svg.fonttype": "none", "svg.hashsalt": "map"}
        metadata = {"Title": title, "Date" if fmt == "svg" else "CreationDate": None}
        with _RC_LOCK, mpl.rc_context(rc):
            self.figure.savefig(buffer, metadata=metadata, **kwargs)
        return buffer.getvalue()


def _scale(options: SnapshotOptions) -> float:
    width, height = options.width / options.dpi, options.height / options.dpi
    return max(0.45, min(3.0, width / DESIGN_WIDTH_IN, height / DESIGN_HEIGHT_IN))


def render_figure(data: Dataset, state: FilterState, events: pd.DataFrame,
                  options: SnapshotOptions, headline: str | None = None,
                  title: str | None = None) -> MapFigure:
    """Lay out and draw the map of ``events`` (already filtered by ``state``).

    Parameters
    ----------
    headline : str, optional
        A large line above the title (a time-lapse frame's date).
    title : str, optional
        The title; :func:`dashboard.export.describe.title` by default.
    """
    dpi = options.dpi
    figure = Figure(figsize=(options.width / dpi, options.height / dpi), dpi=dpi)
    FigureCanvasAgg(figure)
    renderer = _renderer(figure)
    scale = _scale(options)
    basemap = load_basemap()
    margin = MARGIN_IN * scale * dpi  # pixels
    usable = options.width - 2 * margin
    title = title if title is not None else describe.title(state, data, events)

    def block(text: str, y: float, va: str, size: float, **kwargs):
        lines = wrap(text, size, usable, renderer, kwargs.get("fontweight", "normal"))
        artist = figure.text(margin / options.width, y, lines, va=va, ha="left",
                             fontsize=size, **TEXT, **kwargs)
        return artist, artist.get_window_extent(renderer).height

    top = options.height - margin
    mpl_headline = None
    if headline is not None:
        mpl_headline, used = block(headline, top / options.height, "top", FONT["headline"] * scale,
                                   fontweight="bold", color="#111111")
        top -= used + 0.3 * margin
    _, used = block(title, top / options.height, "top", FONT["title"] * scale, fontweight="bold",
                    color="#111111", linespacing=1.25)
    top -= used + margin
    _, used = block(describe.footer(events), margin / options.height, "bottom",
                    FONT["footer"] * scale, color="#444444", linespacing=1.3)
    bottom = margin + used + 0.6 * margin

    base_extent = view_extent(events, basemap, options.bounds)
    dense = density_mpl.dense(events)
    width_pt = usable * 72 / dpi
    density = density_mpl.Density(base_extent, width_pt, scale) if dense else None
    note_text = density_mpl.map_note(events, base_extent, data, density)  # size near enough
    note, used = block(note_text, bottom / options.height, "bottom", FONT["note"] * scale,
                       style="italic", color="#333333")
    bottom += used + (0.5 * margin if note_text else 0)
    key_at, key_h = bottom + (FONT["note"] * 1.4 + 2) * scale * dpi / 72, 0.09 * scale * dpi
    bottom = key_at + key_h + 0.6 * margin if dense else bottom  # the colour bar's room
    if top - bottom < 0.25 * options.height:
        raise ExportError("the image is too small for its title and sources; make it "
                          "larger or lower its dpi")
    ax = figure.add_axes((margin / options.width, bottom / options.height,
                          usable / options.width, (top - bottom) / options.height))
    extent = fit_aspect(base_extent, usable / (top - bottom))
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.6 * scale)
        spine.set_color("#555555")
    draw_basemap(ax, basemap, scale)

    categories = [c for c in CATEGORIES if c in state.categories]
    result = MapFigure(figure, ax, data, extent, scale, categories)
    result.headline, result.note = mpl_headline, note
    result.density = density_mpl.Density(extent, width_pt, scale) if dense else None
    result.set_events(events)
    if result.density is not None:
        result.density.colourbar(figure, (margin / options.width, key_at / options.height,
                                          0.3 * usable / options.width, key_h / options.height))
        density_mpl.label_top_places(ax, events, extent, scale)
    else:
        label_places(ax, events, data, extent, result.symbols, scale)

    corner = choose_corner(events, extent)
    _add_legend(result, events, corner)
    bar_corner = "lower left" if corner == "lower right" else "lower right"
    result.overlay += draw_scalebar(ax, extent, bar_corner, scale, Z_OVERLAY)
    if corner != "upper right":
        result.overlay += draw_north(ax, "upper right", scale, Z_OVERLAY)
    return result


def _add_legend(result: MapFigure, events: pd.DataFrame, corner: str) -> None:
    """The legend of the state's layers with their counts, and of the shapes drawn."""
    counts = events["category"].value_counts()
    counted = {c: int(counts.get(c, 0)) for c in result.categories}
    keys: dict[str, Any]
    if result.density is not None:  # no symbols: the counts only
        handles, labels = density_mpl.legend_entries(counted)
        title, keys = density_mpl.LEGEND_TITLE, {"handlelength": 0, "handletextpad": 0}
    else:
        handles, labels = legend_entries(counted, set(events["drawn_as"]), result.scale,
                                         imprecise=any(not s.precise for s in result.symbols))
        title, keys = "Layers", {"handlelength": 2.0}
    if not handles:
        return
    size = FONT["legend"] * result.scale
    legend = result.ax.legend(
        handles, labels, loc=corner, fontsize=size, title=title, title_fontsize=size,
        framealpha=0.9, edgecolor="#888888", borderpad=0.6, **keys,
        handler_map={FancyArrowPatch: HandlerPatch(patch_func=arrow_legend_patch)})
    legend.set_zorder(Z_OVERLAY + 2)
    for text in [*legend.get_texts(), legend.get_title()]:
        text.set_parse_math(False)
    result.legend = legend
    result.overlay.append(legend)


def render(data: Dataset, state: FilterState, events: pd.DataFrame, fmt: str,
           options: SnapshotOptions) -> bytes:
    """The map of ``events`` as PNG, SVG or PDF bytes.

    Raises
    ------
    ExportError
        For an unknown format, impossible bounds or an image too small for its text.
    """
    if fmt not in FORMATS:
        raise ExportError(f"an image can be {', '.join(FORMATS)}, not {fmt!r}")
    title = describe.title(state, data, events)
    return render_figure(data, state, events, options, title=title).save(fmt, title)


def _renderer(figure: Figure) -> Any:
    """The renderer of ``figure``'s Agg canvas (every image is laid out with Agg)."""
    return cast(FigureCanvasAgg, figure.canvas).get_renderer()
