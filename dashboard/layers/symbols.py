"""Category symbols as SVG: distinct shapes, so colour is never the only cue."""

from __future__ import annotations

from dashboard.safe_html import text as escape
from dashboard.schema import CATEGORIES

SHAPES: dict[str, str] = {
    "triangle": "<polygon points='10,1.5 19,17.5 1,17.5'/>",
    "cross": "<polygon points='7,1 13,1 13,7 19,7 19,13 13,13 13,19 7,19 7,13 1,13 1,7 7,7'/>",
    "square": "<rect x='2.5' y='2.5' width='15' height='15'/>",
    "diamond": "<polygon points='10,0.5 19.5,10 10,19.5 0.5,10'/>",
    "star": "<polygon points='10,0.8 12.6,7 19.3,7.3 14.1,11.5 15.9,18.3 10,14.5 4.1,18.3 "
            "5.9,11.5 0.7,7.3 7.4,7'/>",
    "circle": "<circle cx='10' cy='10' r='8.5'/>",
}
# Markers of each category sit at a small fixed offset around their place, so events of
# several layers at one town stay visible side by side (pixels: right, down).
OFFSETS: dict[str, tuple[int, int]] = {
    "military": (0, -9),
    "civilian_harm": (8, -4),
    "blockade": (8, 5),
    "displacement": (0, 9),
    "political": (-8, 5),
    "protest": (-8, -4),
}
SIZE = 18


def symbol_svg(category: str, size: int = SIZE, label: str = "") -> str:
    """An inline SVG of the category's shape in its colour, with a dark outline."""
    cat = CATEGORIES[category]
    title = f"<title>{escape(label)}</title>" if label else ""
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{size}' height='{size}' "
        f"viewBox='0 0 20 20' role='img' aria-label='{escape(label or cat.label)}'>{title}"
        f"<g fill='{cat.colour}' stroke='#1a1a1a' stroke-width='1.2'>{SHAPES[cat.symbol]}</g>"
        f"</svg>"
    )


def icon_anchor(category: str, size: int = SIZE) -> tuple[int, int]:
    """The Leaflet ``iconAnchor`` that places the symbol at its offset."""
    dx, dy = OFFSETS.get(category, (0, 0))
    return (size // 2 - dx, size // 2 - dy)


CHARS: dict[str, str] = {"triangle": "▲", "cross": "✚", "square": "■", "diamond": "◆",
                         "star": "★", "circle": "●"}


def symbol_char(category: str) -> str:
    """The category's shape as a coloured text glyph (for lists, where SVG is too heavy)."""
    cat = CATEGORIES[category]
    return (f"<span class='ev-sym' style='color:{cat.colour}' aria-hidden='true'>"
            f"{CHARS[cat.symbol]}</span>")
