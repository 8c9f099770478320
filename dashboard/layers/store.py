"""What the map's popups and tooltips show, as compact data sent once per map.

Each drawn event becomes one record of plain (unescaped) fields; places and cited
documents are listed once and referred to by number; every text met more than once is
sent once, in a table, and referred to by its number. The browser builds the popups and
tooltips from this with one template (:mod:`dashboard.map_popups`), escaping every text
as :func:`dashboard.safe_html.text` does: the HTML is the same as
:func:`dashboard.popups.popup_body` makes.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain
from typing import Any

import pandas as pd

from dashboard.formatting import format_figures, format_when
from dashboard.gazetteer import Gazetteer
from dashboard.layers.features import records
from dashboard.popups import when_short
from dashboard.safe_html import is_web_link
from dashboard.sources import Source, cite

# The fields of a record, in order (the browser reads them by position). Text fields hold
# a number (the text table's entry) or the text itself; ``place`` and ``doc`` are numbers
# in the places and documents lists; ``links`` says which of source (1) and reference (2)
# are web links; ``origin`` is None for an event that is no movement.
RECORD = ("event_id", "category", "type", "when", "day", "title", "description", "actors",
          "figures", "claimed_by", "place", "origin", "destination", "source", "doc", "ref",
          "links", "quote", "notes", "line", "precise")
TEXT_FIELDS = frozenset(RECORD) - {"place", "doc", "links", "line", "precise"}
_POSITIONS = [i for i, name in enumerate(RECORD) if name in TEXT_FIELDS]
# The fields of a place (name, its variants joined, location precision, display name) and
# of a bundled document (short name, title, author, date, address, file): all text.
FIELDS = ("event_id", "category", "event_type", "start", "end", "date_end", "date_precision",
          "time", "title", "description", "actor1", "actor2", "killed", "injured",
          "displaced", "figure_qualifier", "claimed_by", "place_id", "origin_place_id",
          "destination_place_id", "source", "source_ref", "quote", "notes", "line")


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _doc_fields(source: Source) -> list[str]:
    title = source.quoted_title[:1].upper() + source.quoted_title[1:]  # starts a line
    return [source.short_name, title, source.author, source.date_text, source.url,
            source.file]


class EventStore:
    """The records of a map's events, with the places and documents they refer to."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.records: list[list[Any]] = []
        self.places: list[list[str]] = []
        self.docs: list[list[str]] = []
        self._place_index: dict[str, int] = {}
        self._doc_index: dict[str, int] = {}
        self._cited: dict[object, Source | None] = {}
        # Made once per distinct value: many events share a source, a day or a reference.
        self._web_link: dict[str, bool] = {}
        self._when: dict[tuple, tuple[str, str]] = {}

    def place(self, place_id: str) -> int:
        """The number of a place in the places list (added on first use)."""
        if place_id not in self._place_index:
            place = self.gazetteer[place_id]
            self._place_index[place_id] = len(self.places)
            self.places.append([place.name, ", ".join(place.alt_names),
                                place.precision_text, place.display_name])
        return self._place_index[place_id]

    def _doc(self, source_field: object) -> int | None:
        if source_field not in self._cited:
            self._cited[source_field] = cite(source_field)
        source = self._cited[source_field]
        if source is None:
            return None
        if source.id not in self._doc_index:
            self._doc_index[source.id] = len(self.docs)
            self.docs.append(_doc_fields(source))
        return self._doc_index[source.id]

    def _is_link(self, value: str) -> bool:
        if value not in self._web_link:
            self._web_link[value] = is_web_link(value)
        return self._web_link[value]

    def _dates(self, row: dict) -> tuple[str, str]:
        """The event's date in full (:func:`format_when`) and short (:func:`when_short`)."""
        key = (row["start"], row["end"] if row["date_end"] else None, row["date_precision"],
               row["time"])
        if key not in self._when:
            self._when[key] = (
                format_when(row["start"].date(), row["end"].date() if row["date_end"] else None,
                            row["date_precision"], row["time"]),
                when_short(row))
        return self._when[key]

    def record(self, row: dict) -> list[Any]:
        """The record of one event (a row with :data:`FIELDS`), as :data:`RECORD`."""
        doc = self._doc(row["source"])
        source, ref = _text(row["source"]), _text(row["source_ref"])
        links = 0
        if doc is None and self._is_link(source):
            links, source = 1, source.strip()  # shown as the link's address
        if ref and self._is_link(ref):
            links, ref = links | 2, ref.strip()
        moving = bool(row["origin_place_id"])
        gaz = self.gazetteer
        when, day = self._dates(row)
        return [
            row["event_id"], row["category"], row["event_type"], when, day,
            row["title"], row["description"],
            " → ".join(a for a in (row["actor1"], row["actor2"]) if a),
            format_figures(row), row["claimed_by"], self.place(row["place_id"]),
            gaz[row["origin_place_id"]].display_name if moving else None,
            gaz[row["destination_place_id"]].display_name if moving else None,
            None if doc is not None else source, doc, ref, links, row["quote"], row["notes"],
            int(row["line"]), 1 if row["date_precision"] == "day" else 0,
        ]

    def add(self, rows: list[dict]) -> list[int]:
        """Add the records of ``rows``; their numbers, in order."""
        first = len(self.records)
        self.records.extend(self.record(row) for row in rows)
        return list(range(first, len(self.records)))

    def data(self) -> dict:
        """The store as sent: ``t`` texts, ``p`` places, ``d`` documents, ``e`` records.

        A text met once stays in its place; one met more often is in ``t``, the most
        frequent first (their numbers are shortest), and its places hold its number.
        """
        # Column by column (records are many): counted in the records' order, as before.
        columns = [list(c) for c in zip(*self.records, strict=True)] or [[] for _ in RECORD]
        counts: Counter[str] = Counter(chain.from_iterable(zip(
            *(columns[i] for i in _POSITIONS), strict=True)))
        counts.pop(None, None)  # type: ignore[call-overload]
        for entry in (*self.places, *self.docs):
            counts.update(entry)
        table = [text for text, n in counts.most_common() if n > 1]
        number = {text: i for i, text in enumerate(table)}

        def packed(value: Any) -> Any:
            return number.get(value, value) if isinstance(value, str) else value

        for i in _POSITIONS:
            columns[i] = [number.get(v, v) if isinstance(v, str) else v for v in columns[i]]
        records = [list(r) for r in zip(*columns, strict=True)]
        return {"t": table, "p": [[packed(v) for v in p] for p in self.places],
                "d": [[packed(v) for v in d] for d in self.docs], "e": records}


def event_store(events: pd.DataFrame, gazetteer: Gazetteer) -> EventStore:
    """The store of ``events``, one record per row in their order."""
    store = EventStore(gazetteer)
    store.add(records(events, FIELDS))
    return store
