"""ACLED exports mapped onto the events schema (see the README's import table)."""

from __future__ import annotations

from collections.abc import Mapping, Set
from datetime import timedelta

from dashboard.importing.common import (
    Draft,
    Format,
    RowProblems,
    coordinates,
    day,
    figure,
    joined,
    slug,
)
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
    category = SUB_EVENT_CATEGORIES.get(sub_event) or CATEGORIES.get(event_type)
    if category is None:
        problems.add("event_type", event_type,
                     f"is not an ACLED event type ({', '.join(CATEGORIES)})")
    point = coordinates(record, problems)
    killed = figure(record, "fatalities", problems)
    if problems or when is None or precision is None or category is None:
        return None
    draft = Draft(point=point)
    row = draft.row
    if precision == "range":  # ACLED: the event happened within the week around this date
        row["date_start"] = str(when - timedelta(days=3))
        row["date_end"] = str(when + timedelta(days=3))
    elif precision == "month":
        row["date_start"] = str(when.replace(day=1))
    else:
        row["date_start"] = str(when)
    row["date_precision"] = precision
    location = get("location", "")
    where = joined(location, get("admin1", ""), get("country", ""), sep=", ")
    words, metres = GEO_PRECISION.get(get("geo_precision", ""), ("as given (no ACLED "
                                                                  "geo_precision)", None))
    draft.place_name = location or where or "unnamed place"
    draft.location_precision, draft.precision_m = f"point: {words}", metres
    actors = (joined(get("actor1", ""), get("assoc_actor_1", "")),
              joined(get("actor2", ""), get("assoc_actor_2", "")))
    what = sub_event or event_type
    row.update(
        event_id=get("event_id_cnty", ""), category=category,
        event_type=EVENT_TYPES.get(sub_event) or slug(what),
        title=f"{what} in {location}" if location else what,
        description=f"ACLED records this as {event_type}"
                    + (f" ({sub_event})" if sub_event else "")
                    + (f" at {where}" if where else "") + ".",
        actor1=actors[0], actor2=actors[1], killed=killed,
        figure_qualifier="at_least" if killed else "",
        claimed_by="ACLED (conservative estimate)" if killed else "",
        source=joined("ACLED", get("source", ""), sep=": "),
        source_ref=get("event_id_cnty", ""),
        quote=get("notes", ""),
        notes=joined(f"ACLED time_precision {get('time_precision', '') or '?'}"
                     + (" (within a week of the date given)" if precision == "range" else ""),
                     f"geo_precision {get('geo_precision', '') or '?'}",
                     f"disorder type: {get('disorder_type', '')}"
                     if get("disorder_type") else "",
                     f"civilian targeting: {get('civilian_targeting', '')}"
                     if get("civilian_targeting") else "",
                     f"tags: {get('tags', '')}" if get("tags") else "",
                     f"source scale: {get('source_scale', '')}"
                     if get("source_scale") else ""),
    )
    return draft


ACLED = Format(
    id="acled", label="an ACLED export",
    required_columns=("event_id_cnty", "event_date", "event_type", "latitude", "longitude"),
    detect=detect, convert=convert,
    columns={  # schema column -> the ACLED column it comes from, for problems
        "event_id": "event_id_cnty", "date_start": "event_date", "date_end": "event_date",
        "date_precision": "time_precision", "category": "event_type",
        "event_type": "sub_event_type", "killed": "fatalities", "place_id": "location",
        "title": "sub_event_type", "quote": "notes"})
