"""PNG, SVG and PDF snapshots: the size asked for, the layers shown, literal text."""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET
from datetime import date

import numpy as np
import pytest
from PIL import Image
from pyproj import Geod

from dashboard.export import ExportError, SnapshotOptions, image, snapshot
from dashboard.export.basemap_mpl import latitude_of
from dashboard.export.layout_mpl import printable
from dashboard.export.symbols_mpl import IMPRECISE_LABEL
from dashboard.filters import FilterState, apply_filters
from dashboard.schema import CATEGORIES

SMALL = SnapshotOptions(width=800, height=565, dpi=100)  # quick, same layout as the default


def rgb_array(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def has_colour(pixels: np.ndarray, xy: tuple[int, int], colour: str, radius: int,
               tolerance: int = 30) -> bool:
    """Whether a pixel within ``radius`` of ``xy`` has ``colour`` (per channel)."""
    target = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
    x, y = xy
    patch = pixels[max(y - radius, 0):y + radius + 1, max(x - radius, 0):x + radius + 1]
    return bool((np.abs(patch - target).max(axis=2) <= tolerance).any())


def svg_text(svg: bytes) -> str:
    """All text of an SVG, whitespace normalised (wrapped lines joined)."""
    root = ET.fromstring(svg)
    words = " ".join(t for el in root.iter() if el.tag.endswith("text")
                     for t in el.itertext())
    return re.sub(r"\s+", " ", words)


@pytest.fixture(scope="module")
def stepanakert_layer(bundled) -> str:
    """A layer with an event drawn at Stepanakert in the bundled data."""
    at = bundled.events[bundled.events["place_id"] == "stepanakert"]
    assert len(at), "the bundled data should have an event at Stepanakert"
    return at["category"].iloc[0]


@pytest.mark.parametrize("size", [(800, 565, 100), (640, 900, 120)])
def test_png_has_the_asked_pixel_size_and_is_not_blank(bundled, size):
    width, height, dpi = size
    png = snapshot(bundled, FilterState(), "png", SnapshotOptions(width, height, dpi))
    picture = Image.open(io.BytesIO(png))
    assert picture.format == "PNG"
    assert picture.size == (width, height)
    colours = picture.convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 200


def test_the_layer_drawn_at_stepanakert_has_its_colour_and_goes_when_turned_off(
        bundled, stepanakert_layer):
    colour = CATEGORIES[stepanakert_layer].colour
    on = FilterState(categories=(stepanakert_layer,))
    shown = image.render_figure(bundled, on, apply_filters(bundled.events, on), SMALL)
    x, y = shown.marker_pixel("stepanakert", stepanakert_layer)
    pixels = rgb_array(shown.save("png", "test"))
    assert has_colour(pixels, (x, y), colour, radius=1)

    others = tuple(c for c in CATEGORIES if c != stepanakert_layer)
    off = FilterState(categories=others)
    hidden = image.render_figure(bundled, off, apply_filters(bundled.events, off), SMALL)
    place = bundled.geodata.gazetteer["stepanakert"].anchor
    around = hidden.pixel_of(*place)
    assert not has_colour(rgb_array(hidden.save("png", "test")), around, colour, radius=25)


def test_svg_is_xml_with_title_legend_places_and_sources(bundled):
    state = FilterState(categories=("military", "displacement"))
    svg = snapshot(bundled, state, "svg", SMALL)
    text = svg_text(svg)
    assert "Events" in text and "Military, Displacement" in text
    assert "Military (" in text and "Displacement (" in text
    assert "Protest (" not in text  # a layer that is off is not in the legend
    assert "Stepanakert / Khankendi" in text
    assert "Sources:" in text and "Natural Earth" in text
    assert re.search(r"\b\d+ km\b", text)


def test_pdf_is_a_pdf(bundled):
    assert snapshot(bundled, FilterState(), "pdf", SMALL).startswith(b"%PDF")


def test_text_from_the_data_prints_literally(bundled):
    state = FilterState(search="$x$ costs $5 <script>alert(1)</script>")
    svg = snapshot(bundled, state, "svg", SMALL)
    assert "$x$ costs $5 <script>alert(1)</script>" in svg_text(svg)
    assert b"<script>" not in svg  # escaped as XML text, never markup
    png = snapshot(bundled, state, "png", SMALL)  # unbalanced $ would break mathtext
    assert Image.open(io.BytesIO(png)).size == (SMALL.width, SMALL.height)


def test_events_outside_the_view_are_named(bundled):
    state = FilterState()
    wide = svg_text(snapshot(bundled, state, "svg", SMALL))
    assert "Outside this view:" in wide and "Moscow" in wide
    assert "Baku (" not in wide  # in view by default
    near_stepanakert = SnapshotOptions(800, 565, 100, bounds=(39.78, 46.70, 39.86, 46.80))
    tiny = svg_text(snapshot(bundled, state, "svg", near_stepanakert))
    note = tiny[tiny.index("Outside this view:"):]
    assert "Baku (" in note and "Yerevan (" in note


def test_a_single_place_is_not_shown_at_street_level(bundled):
    state = FilterState(search="Taghavard")
    events = apply_filters(bundled.events, state)
    assert len(events)
    figure = image.render_figure(bundled, state, events, SMALL)
    x0, x1 = figure.ax.get_xlim()
    y0, y1 = figure.ax.get_ylim()
    ground = (x1 - x0) * math.cos(math.radians(latitude_of((y0 + y1) / 2)))
    assert ground >= 55_000


def test_scale_bar_is_true_at_the_centre_latitude(bundled):
    figure = image.render_figure(bundled, FilterState(), bundled.events, SMALL)
    bars = [a for a in figure.overlay if hasattr(a, "size_bar")]
    assert len(bars) == 1
    km = float(bars[0].txt_label.get_text().split()[0])
    length = bars[0].size_bar.get_children()[0].get_width()  # Web Mercator metres
    y0, y1 = figure.ax.get_ylim()
    lat = latitude_of((y0 + y1) / 2)
    x_mid = sum(figure.ax.get_xlim()) / 2
    lon_per_m = 360 / (2 * math.pi * 6378137.0)
    lon_a, lon_b = x_mid * lon_per_m, (x_mid + length) * lon_per_m
    metres = Geod(ellps="WGS84").inv(lon_a, lat, lon_b, lat)[2]
    assert metres == pytest.approx(km * 1000, rel=0.01)


@pytest.mark.parametrize(("fmt", "options", "words"), [
    ("tiff", SMALL, "png, svg, pdf"),
    ("png", SnapshotOptions(800, 565, 100, bounds=(40.0, 46.0, 39.0, 47.0)), "south < north"),
    ("png", SnapshotOptions(800, 565, 100, bounds=(80.0, 46.0, 89.0, 47.0)), "85"),
    ("png", SnapshotOptions(200, 200, 600), "too small"),
])
def test_impossible_images_raise_export_error(bundled, fmt, options, words):
    with pytest.raises(ExportError, match=re.escape(words)):
        image.render(bundled, FilterState(), bundled.events, fmt, options)


def test_place_names_fall_back_to_what_the_font_can_draw():
    assert printable("Stepanakert / Ստեփանակերտ") == "Stepanakert / Ստեփանակերտ"  # Armenian
    assert printable("Tokyo / 東京") == "Tokyo"
    assert printable("Xankəndi") == "Xankəndi"


def test_vaguely_dated_events_print_faded_and_the_legend_says_so(bundled):
    offensive = FilterState(date(2023, 9, 19), date(2023, 9, 20))
    events = apply_filters(bundled.events, offensive)
    figure = image.render_figure(bundled, offensive, events, SMALL)
    faded = [s for s in figure.symbols if not s.precise]
    assert faded and all(s.imprecise == s.count for s in faded)
    vague_places = set(events.loc[events["date_precision"] != "day", "place_id"])
    assert set().union(*(s.place_ids for s in faded)) <= vague_places
    fills = {line.get_markerfacecolor()[3] if len(line.get_markerfacecolor()) == 4 else 1.0
             for line in figure.ax.get_lines()}
    assert min(fills) < 0.5 <= max(fills)  # faded symbols beside solid ones
    assert IMPRECISE_LABEL in svg_text(snapshot(bundled, offensive, "svg", SMALL))
    precise = FilterState(offensive.date_from, offensive.date_to, precise_only=True)
    assert IMPRECISE_LABEL not in svg_text(snapshot(bundled, precise, "svg", SMALL))
