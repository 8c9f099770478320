"""ACLED exports mapped onto the events schema (see the README's import table)."""

from __future__ import annotations

from collections.abc import Mapping, Set
from datetime import date, timedelta

import numpy as np
import pandas as pd

from dashboard.importing.columns import (
    Columns,
    Mapped,
    categorical,
    constant,
    flags,
    mapped_text,
    per_combo,
)
from dashboard.importing.common import (
    LIMITS,
    Draft,
    Format,
    RowProblems,
    coordinate,
    coordinates,
    day,
    figure,
    figure_text,
    joined,
    slug,
)
from dashboard.schema import COLUMNS
from dashboard.validation import DateRange

CATEGORIES = {  # ACLED event_type -> our layer
    "Battles": "military",
    "Explosions/Remote violence": "military",
    "Violence against civilians": "civilian_harm",
    "Protests": "protest",
    "Riots": "protest",
    "Strategic developments": "political",
}
SUB_EVENT_CATEGORIES = {"Arrests": "civilian_harm", "Looting/property destruction":
                        "civilian_harm"}
EVENT_TYPES = {  # ACLED sub_event_type -> our event type; others become their slug
    "Armed clash": "armed_clash",
    "Government regains territory": "occupation",
    "Non-state actor overtakes territory": "occupation",
    "Non-violent transfer of territory": "occupation",
    "Shelling/artillery/missile attack": "shelling",
    "Air/drone strike": "air_strike",
    "Remote explosive/landmine/IED": "mine_incident",
    "Attack": "attack_on_civilians",
    "Abduction/forced disappearance": "detention",
    "Arrests": "detention",
    "Peaceful protest": "protest",
    "Protest with intervention": "protest",
    "Excessive force against protesters": "clash",
    "Violent demonstration": "clash",
    "Mob violence": "clash",
    "Agreement": "agreement",
    "Looting/property destruction": "property_destruction",
}
GEO_PRECISION = {  # ACLED geo_precision -> words, and a rough radius in metres
    "1": ("the named town or village (ACLED geo_precision 1)", 2_000),
    "2": ("near the named place, or a part of a region (ACLED geo_precision 2)", 25_000),
    "3": ("the region, shown at its capital (ACLED geo_precision 3)", 100_000),
}
TIME_PRECISION = {"1": "day", "2": "range", "3": "month"}


def detect(columns: Set[str]) -> bool:
    """ACLED's own id and date columns."""
    return {"event_id_cnty", "event_date"} <= columns


def span(when: date, precision: str) -> tuple[str, str]:
    """``date_start`` and ``date_end`` of an event ACLED dates ``when`` to ``precision``."""
    if precision == "range":  # ACLED: the event happened within the week around this date
        return str(when - timedelta(days=3)), str(when + timedelta(days=3))
    if precision == "month":
        return str(when.replace(day=1)), ""
    return str(when), ""


def located(location: str, admin1: str, country: str, geo_precision: str,
            ) -> tuple[str, str, int | None]:
    """The place name, location precision and radius (metres) of a row's coordinates."""
    where = joined(location, admin1, country, sep=", ")
    words, metres = GEO_PRECISION.get(geo_precision, ("as given (no ACLED geo_precision)",
                                                      None))
    return location or where or "unnamed place", f"point: {words}", metres


def described(event_type: str, sub_event: str, location: str, admin1: str,
              country: str) -> tuple[str, str, str]:
    """Our event type, the title and the description of an ACLED event."""
    where = joined(location, admin1, country, sep=", ")
    what = sub_event or event_type
    return (EVENT_TYPES.get(sub_event) or slug(what),
            f"{what} in {location}" if location else what,
            f"ACLED records this as {event_type}" + (f" ({sub_event})" if sub_event else "")
            + (f" at {where}" if where else "") + ".")


def claimed(killed: str) -> tuple[str, str]:
    """``figure_qualifier`` and ``claimed_by`` of a count of fatalities ('' for none)."""
    return ("at_least", "ACLED (conservative estimate)") if killed else ("", "")


def noted(time_precision: str, geo_precision: str, disorder: str, civilians: str, tags: str,
          scale: str) -> str:
    """The notes keeping what ACLED says of its precision, disorder, targets and tags."""
    precision = TIME_PRECISION.get(time_precision or "1")
    return joined(f"ACLED time_precision {time_precision or '?'}"
                  + (" (within a week of the date given)" if precision == "range" else ""),
                  f"geo_precision {geo_precision or '?'}",
                  f"disorder type: {disorder}" if disorder else "",
                  f"civilian targeting: {civilians}" if civilians else "",
                  f"tags: {tags}" if tags else "",
                  f"source scale: {scale}" if scale else "")


def category_of(event_type: str, sub_event: str) -> str | None:
    """Our layer of an ACLED event type and sub-event type, or None."""
    return SUB_EVENT_CATEGORIES.get(sub_event) or CATEGORIES.get(event_type)


def convert(record: Mapping[str, str], problems: RowProblems,
            dates: DateRange) -> Draft | None:
    """One ACLED row as a draft of our schema (its date within ``dates``), or None
    (``problems`` say why)."""
    get = record.get
    when = day(record, "event_date", problems, dates)
    precision = TIME_PRECISION.get(get("time_precision", "") or "1")
    if precision is None:
        problems.add("time_precision", get("time_precision", ""), "is not 1, 2 or 3")
    event_type = get("event_type", "")
    sub_event = get("sub_event_type", "")
    category = category_of(event_type, sub_event)
    if category is None:
        problems.add("event_type", event_type,
                     f"is not an ACLED event type ({', '.join(CATEGORIES)})")
    point = coordinates(record, problems)
    killed = figure(record, "fatalities", problems)
    if problems or when is None or precision is None or category is None:
        return None
    draft = Draft(point=point)
    row = draft.row
    row["date_start"], row["date_end"] = span(when, precision)
    row["date_precision"] = precision
    location = get("location", "")
    draft.place_name, draft.location_precision, draft.precision_m = located(
        location, get("admin1", ""), get("country", ""), get("geo_precision", ""))
    row["event_type"], row["title"], row["description"] = described(
        event_type, sub_event, location, get("admin1", ""), get("country", ""))
    row["figure_qualifier"], row["claimed_by"] = claimed(killed)
    row.update(
        event_id=get("event_id_cnty", ""), category=category,
        actor1=joined(get("actor1", ""), get("assoc_actor_1", "")),
        actor2=joined(get("actor2", ""), get("assoc_actor_2", "")), killed=killed,
        source=joined("ACLED", get("source", ""), sep=": "),
        source_ref=get("event_id_cnty", ""),
        quote=get("notes", ""),
        notes=noted(get("time_precision", ""), get("geo_precision", ""),
                    get("disorder_type", ""), get("civilian_targeting", ""),
                    get("tags", ""), get("source_scale", "")),
    )
    return draft


def _when(text: str, dates: DateRange) -> date | None:
    return day({"event_date": text}, "event_date", RowProblems(0), dates)


def _span(text: str, time_precision: str, dates: DateRange) -> tuple[str, str]:
    """:func:`span` of a good ``event_date`` and ``time_precision``."""
    when = _when(text, dates)
    assert when is not None
    return span(when, TIME_PRECISION[time_precision or "1"])


def convert_columns(columns: Columns, dates: DateRange) -> Mapped:
    """:func:`convert` of whole columns, for the rows it finds nothing wrong with."""
    get = columns.coded
    ok = flags(lambda v: _when(v, dates) is not None, get("event_date"))
    ok &= flags(lambda v: (v or "1") in TIME_PRECISION, get("time_precision"))
    ok &= flags(lambda a, b: category_of(a, b) is not None, get("event_type"),
                get("sub_event_type"))
    for name, limit in LIMITS.items():
        ok &= flags(lambda v, limit=limit: coordinate(v, limit)[0] is not None, get(name))
    ok &= flags(lambda v: not figure_text(v)[1], get("fatalities"))
    rows = np.flatnonzero(ok)
    part = columns if len(rows) == len(columns) else columns.take(rows)
    get = part.coded
    frame = pd.DataFrame({c: constant(len(part)) for c in COLUMNS})
    codes, spans = per_combo(lambda v, p: _span(v, p, dates), get("event_date"),
                             get("time_precision"))
    frame["date_start"] = categorical(codes, [s[0] for s in spans])
    frame["date_end"] = categorical(codes, [s[1] for s in spans])
    frame["date_precision"] = mapped_text(lambda p: TIME_PRECISION[p or "1"],
                                          get("time_precision"))
    frame["category"] = mapped_text(lambda a, b: category_of(a, b) or "", get("event_type"),
                                    get("sub_event_type"))
    codes, texts = per_combo(described, get("event_type"), get("sub_event_type"),
                             get("location"), get("admin1"), get("country"))
    for i, name in enumerate(("event_type", "title", "description")):
        frame[name] = categorical(codes, [t[i] for t in texts])
    for name in ("actor1", "actor2"):
        assoc = f"assoc_actor_{name[-1]}"
        frame[name] = mapped_text(joined, get(name), get(assoc))
    codes, killed = per_combo(lambda v: figure_text(v)[0], get("fatalities"))
    frame["killed"] = categorical(codes, killed)
    frame["figure_qualifier"] = categorical(codes, [claimed(k)[0] for k in killed])
    frame["claimed_by"] = categorical(codes, [claimed(k)[1] for k in killed])
    frame["source"] = mapped_text(lambda v: joined("ACLED", v, sep=": "), get("source"))
    frame["event_id"] = frame["source_ref"] = part["event_id_cnty"].astype("str")
    frame["quote"] = part["notes"].astype("str")
    frame["notes"] = mapped_text(noted, get("time_precision"), get("geo_precision"),
                                 get("disorder_type"), get("civilian_targeting"),
                                 get("tags"), get("source_scale"))
    for name, limit in LIMITS.items():
        codes, numbers = per_combo(lambda v, limit=limit: coordinate(v, limit)[0], get(name))
        frame[name] = np.asarray(numbers, dtype=float)[codes]
    codes, places = per_combo(located, get("location"), get("admin1"), get("country"),
                              get("geo_precision"))
    frame["place_name"] = categorical(codes, [p[0] for p in places])
    frame["location_precision"] = categorical(codes, [p[1] for p in places])
    frame["precision_m"] = np.asarray([np.nan if p[2] is None else p[2] for p in places],
                                      dtype=float)[codes]
    return Mapped(rows, frame)


ACLED = Format(
    id="acled", label="an ACLED export",
    required_columns=("event_id_cnty", "event_date", "event_type", "latitude", "longitude"),
    detect=detect, convert=convert, vectorised=convert_columns,
    reads=("event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type",
           "latitude", "longitude", "fatalities", "location", "admin1", "country",
           "geo_precision", "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "source",
           "notes", "disorder_type", "civilian_targeting", "tags", "source_scale"),
    columns={  # schema column -> the ACLED column it comes from, for problems
        "event_id": "event_id_cnty", "date_start": "event_date", "date_end": "event_date",
        "date_precision": "time_precision", "category": "event_type",
        "event_type": "sub_event_type", "killed": "fatalities", "place_id": "location",
        "title": "sub_event_type", "quote": "notes"})
