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
from datetime import date
from itertools import chain
from typing import Any

import pandas as pd

from dashboard.formatting import days, figures_column, format_day, format_when
from dashboard.gazetteer import Gazetteer
from dashboard.layers.features import values
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
        self.columns: list[list[Any]] = [[] for _ in RECORD]  # the records, field by field
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

    def _dates(self, start: date, end: date | None, precision: str,
               time: str) -> tuple[str, str]:
        """An event's date in full (:func:`format_when`) and short (:func:`format_day`)."""
        key = (start, end, precision, time)
        if key not in self._when:
            self._when[key] = (format_when(start, end, precision, time),
                               format_day(start, precision))
        return self._when[key]

    def _cites(self, source_field: object, ref_field: object
               ) -> tuple[str | None, int | None, str, int]:
        """What a record says of its source: the source's text (None when it is a bundled
        document), the document's number, the reference and which of them are links."""
        doc = self._doc(source_field)
        source, ref = _text(source_field), _text(ref_field)
        links = 0
        if doc is None and self._is_link(source):
            links, source = 1, source.strip()  # shown as the link's address
        if ref and self._is_link(ref):
            links, ref = links | 2, ref.strip()
        return None if doc is not None else source, doc, ref, links

    def add(self, columns: dict[str, list]) -> list[int]:
        """Add the records of the events whose :data:`FIELDS` are ``columns`` (lists, as
        :func:`dashboard.layers.features.values` gives them); their numbers, in order.

        Made column by column: what many events share (a source, a day, a place) once.
        """
        c = columns
        first, count = len(self.columns[0]), len(c["event_id"])
        cites: dict[tuple, tuple] = {}
        for pair in zip(c["source"], c["source_ref"], strict=True):
            if pair not in cites:
                cites[pair] = self._cites(*pair)
        source, doc, ref, links = (list(v) for v in zip(
            *(cites[p] for p in zip(c["source"], c["source_ref"], strict=True)), strict=True)
        ) if count else ([], [], [], [])
        ends = [e if flag else None for e, flag in zip(c["end"], c["date_end"], strict=True)]
        keys = list(zip(c["start"], ends, c["date_precision"], c["time"], strict=True))
        for key in set(keys) - self._when.keys():
            self._dates(*key)
        when = [self._when[key][0] for key in keys]
        day = [self._when[key][1] for key in keys]
        shown = {pid: self.gazetteer[pid].display_name
                 for pid in {*c["origin_place_id"], *c["destination_place_id"]} if pid}
        moving = [bool(o) for o in c["origin_place_id"]]
        numbered = self._place_index
        made = {
            "event_id": c["event_id"], "category": c["category"], "type": c["event_type"],
            "when": when, "day": day, "title": c["title"], "description": c["description"],
            "actors": [f"{a} → {b}" if a and b else (a or b or "")
                       for a, b in zip(c["actor1"], c["actor2"], strict=True)],
            "figures": figures_column(c), "claimed_by": c["claimed_by"],
            "place": [numbered[pid] if pid in numbered else self.place(pid)
                      for pid in c["place_id"]],
            "origin": [shown[o] if m else None
                       for o, m in zip(c["origin_place_id"], moving, strict=True)],
            "destination": [shown[d] if m else None
                            for d, m in zip(c["destination_place_id"], moving, strict=True)],
            "source": source, "doc": doc, "ref": ref, "links": links, "quote": c["quote"],
            "notes": c["notes"], "line": [int(v) for v in c["line"]],
            "precise": [1 if p == "day" else 0 for p in c["date_precision"]],
        }
        for column, name in zip(self.columns, RECORD, strict=True):
            column.extend(made[name])
        return list(range(first, first + count))

    @property
    def records(self) -> list[list[Any]]:
        """The records, each as :data:`RECORD`."""
        return [list(r) for r in zip(*self.columns, strict=True)]

    def data(self) -> dict:
        """The store as sent: ``t`` texts, ``p`` places, ``d`` documents, ``e`` records.

        A text met once stays in its place; one met more often is in ``t``, the most
        frequent first (their numbers are shortest), and its places hold its number.
        """
        # Column by column (records are many): counted in the records' order.
        columns = list(self.columns)
        counts: Counter[str] = Counter(chain.from_iterable(zip(
            *(columns[i] for i in _POSITIONS), strict=True)))
        counts.pop(None, None)  # type: ignore[call-overload]
        counts.update(chain.from_iterable((*self.places, *self.docs)))
        table = [text for text, n in counts.most_common() if n > 1]
        number = {text: i for i, text in enumerate(table)}

        def packed(values: list[Any]) -> list[Any]:
            return [number.get(v, v) if isinstance(v, str) else v for v in values]

        for i in _POSITIONS:
            columns[i] = packed(columns[i])
        records = [list(r) for r in zip(*columns, strict=True)]
        return {"t": table, "p": [packed(p) for p in self.places],
                "d": [packed(d) for d in self.docs], "e": records}


def event_store(events: pd.DataFrame, gazetteer: Gazetteer) -> EventStore:
    """The store of ``events``, one record per row in their order."""
    store = EventStore(gazetteer)
    found = values(events, [name for name in FIELDS if name not in ("start", "end")])
    for name in ("start", "end"):
        found[name] = days(events[name])
    store.add(found)
    return store
