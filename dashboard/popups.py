"""Popup and tooltip HTML for an event; every piece of data is HTML-escaped here."""

from __future__ import annotations

from html import escape

from dashboard.formatting import format_day, format_figures, format_when
from dashboard.gazetteer import Gazetteer, Place
from dashboard.schema import CATEGORIES


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def place_line(place: Place) -> str:
    """``Stepanakert (also Khankendi, ...) · location: town centre, <1 km``, escaped."""
    variants = ", ".join(place.alt_names)
    also = f" <span class='ev-variants'>(also: {_e(variants)})</span>" if variants else ""
    return (f"{_e(place.name)}{also}<br><span class='ev-precision'>Location precision: "
            f"{_e(place.precision_text)}</span>")


def popup_html(row: dict, gazetteer: Gazetteer) -> str:
    """The popup of one event: date, title, text, figures, place, source and quote."""
    category = CATEGORIES[row["category"]]
    when = format_when(row["start"].date(), row["end"].date() if row["date_end"] else None,
                       row["date_precision"], row["time"])
    parts = [
        f"<div class='ev-popup' data-event-id='{_e(row['event_id'])}'>",
        f"<div class='ev-meta'>{_e(category.label)} · {_e(row['event_type'].replace('_', ' '))}"
        f"</div>",
        f"<div class='ev-date'>{_e(when)}</div>",
        f"<h4 class='ev-title'>{_e(row['title'])}</h4>",
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
    footnote = f", footnote {_e(row['source_ref'])}" if row["source_ref"] else ""
    parts.append(f"<p class='ev-source'><b>Source:</b> {_e(row['source'])}{footnote}</p>")
    if row["quote"]:
        parts.append(f"<blockquote class='ev-quote'>“{_e(row['quote'])}”</blockquote>")
    if row["notes"]:
        parts.append(f"<p class='ev-notes'><b>Notes:</b> {_e(row['notes'])}</p>")
    parts.append(f"<div class='ev-id'>Event {_e(row['event_id'])} · events file line "
                 f"{_e(row['line'])}</div></div>")
    return "".join(parts)


def tooltip_html(row: dict, gazetteer: Gazetteer) -> str:
    """A one-line hover label: date, title and place."""
    place = gazetteer[row["place_id"]].display_name
    when = format_day(row["start"].date(), row["date_precision"])
    return f"<b>{_e(row['title'])}</b><br>{_e(when)} · {_e(place)}"
