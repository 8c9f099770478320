"""Popup and tooltip HTML for an event; every piece of data is HTML-escaped here.

The map writes the same HTML in the browser, from each event's fields sent once
(:mod:`dashboard.layers.store`, :mod:`dashboard.map_popups`); the tests hold that template
to this renderer. The benchmarks' naive map uses it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from dashboard.formatting import format_day, format_figures, format_when
from dashboard.gazetteer import Gazetteer, Place
from dashboard.safe_html import text as escape
from dashboard.schema import CATEGORIES
from dashboard.sources import source_paragraph


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


@lru_cache(maxsize=1024)  # many events share a place; maps make it per event
def place_line(place: Place) -> str:
    """``Stepanakert (also Khankendi, ...) · location: town centre, <1 km``, escaped."""
    variants = ", ".join(place.alt_names)
    also = f" <span class='ev-variants'>(also: {_e(variants)})</span>" if variants else ""
    return (f"{_e(place.name)}{also}<br><span class='ev-precision'>Location precision: "
            f"{_e(place.precision_text)}</span>")


TITLE_SLOT = "<!--title-->"


def title_html(row: dict) -> str:
    """The escaped title, put into popup and tooltip."""
    return _e(row["title"])


def popup_body(row: dict, gazetteer: Gazetteer) -> str:
    """The popup of one event (date, text, figures, place, source and quote) without its
    title, which stands in :data:`TITLE_SLOT`: a popup shows it as a heading there, an item
    of a place's list (whose summary shows the title) leaves it out.
    """
    category = CATEGORIES[row["category"]]
    when = format_when(row["start"].date(), row["end"].date() if row["date_end"] else None,
                       row["date_precision"], row["time"])
    parts = [
        f"<div class='ev-popup' data-event-id='{_e(row['event_id'])}'>",
        f"<div class='ev-meta'>{_e(category.label)} · {_e(row['event_type'].replace('_', ' '))}"
        f"</div>",
        f"<div class='ev-date'>{_e(when)}</div>",
        TITLE_SLOT,
    ]
    if row["description"]:
        parts.append(f"<p class='ev-desc'>{_e(row['description'])}</p>")
    actors = " → ".join(a for a in (row["actor1"], row["actor2"]) if a)
    if actors:
        parts.append(f"<p><b>Actors:</b> {_e(actors)}</p>")
    figures = format_figures(row)
    if figures:
        claimed = f" — <i>according to {_e(row['claimed_by'])}</i>" if row["claimed_by"] else ""
        parts.append(f"<p class='ev-figures'><b>Figures:</b> {_e(figures)}{claimed}</p>")
    elif row["claimed_by"]:
        parts.append(f"<p class='ev-claim'><b>Claimed by:</b> {_e(row['claimed_by'])}</p>")
    parts.append(f"<p class='ev-place'><b>Place:</b> {place_line(gazetteer[row['place_id']])}</p>")
    if row["origin_place_id"]:
        origin = gazetteer[row["origin_place_id"]].display_name
        destination = gazetteer[row["destination_place_id"]].display_name
        parts.append(f"<p><b>Movement:</b> from {_e(origin)} to {_e(destination)}</p>")
    parts.append(source_paragraph(row["source"], row["source_ref"]))
    if row["quote"]:
        parts.append(f"<blockquote class='ev-quote'>“{_e(row['quote'])}”</blockquote>")
    if row["notes"]:
        parts.append(f"<p class='ev-notes'><b>Notes:</b> {_e(row['notes'])}</p>")
    parts.append(f"<div class='ev-id'>Event {_e(row['event_id'])} · events file line "
                 f"{_e(row['line'])}</div></div>")
    return "".join(parts)


def tooltip_rest(row: dict, gazetteer: Gazetteer) -> str:
    """The hover label after the title: date and place, escaped."""
    place = gazetteer[row["place_id"]].display_name
    return f"{_e(when_short(row))} · {_e(place)}"


def when_short(row: Mapping[Any, Any]) -> str:
    """The start date at its precision: ``19 Sep 2023``, ``September 2023``."""
    return format_day(row["start"].date(), row["date_precision"])
