"""UCDP Georeferenced Event Dataset (GED) rows mapped onto the events schema."""

from __future__ import annotations

from collections.abc import Mapping, Set

from dashboard.importing.common import Draft, Format, RowProblems, coordinates, day, figure, joined
from dashboard.validation import DateRange

VIOLENCE = {  # type_of_violence -> (our layer, our event type)
    "1": ("military", "state_based_violence"),
    "2": ("military", "non_state_violence"),
    "3": ("civilian_harm", "one_sided_violence"),
}
WHERE_PREC = {  # where_prec -> words, and a rough radius in metres
    "1": ("the exact location (GED where_prec 1)", 1_000),
    "2": ("within about 25 km of the place (GED where_prec 2)", 25_000),
    "3": ("a second-order administrative division (GED where_prec 3)", 50_000),
    "4": ("a first-order administrative division (GED where_prec 4)", 150_000),
    "5": ("a line or area between places (GED where_prec 5)", 50_000),
    "6": ("the country only (GED where_prec 6)", 500_000),
    "7": ("international waters or airspace (GED where_prec 7)", None),
}
DATE_PREC = {"1": "the exact day", "2": "2-6 days", "3": "a week",
             "4": "more than a week, less than a month", "5": "more than a month, less "
             "than a year"}


def detect(columns: Set[str]) -> bool:
    """GED's precision codes, or its deaths estimate with the type of violence."""
    return bool({"where_prec", "date_prec"} & columns) \
        or {"best", "type_of_violence"} <= columns


def convert(record: Mapping[str, str], problems: RowProblems,
            dates: DateRange) -> Draft | None:
    """One GED row as a draft of our schema, or None (``problems`` say why)."""
    start, end = (day(record, column, problems, dates) for column in ("date_start", "date_end"))
    get = record.get
    if start and end and end < start:
        problems.add("date_end", get("date_end", ""), f"is before date_start {start}")
    violence = VIOLENCE.get(get("type_of_violence", ""))
    if violence is None:
        problems.add("type_of_violence", get("type_of_violence", ""), "is not 1, 2 or 3")
    date_prec = get("date_prec", "") or "1"
    if date_prec not in DATE_PREC:
        problems.add("date_prec", date_prec, "is not 1 to 5")
    point = coordinates(record, problems)
    figures = {c: figure(record, c, problems)
               for c in ("best", "low", "high", "deaths_civilians")}
    if problems or start is None or end is None or violence is None:
        return None
    draft = Draft(point=point)
    row = draft.row
    row["date_start"] = str(start)
    if end != start:
        row["date_end"] = str(end)
    row["date_precision"] = "day" if date_prec == "1" or end == start else "range"
    place = get("where_coordinates", "") or joined(get("adm_2", ""), get("adm_1", ""),
                                                   get("country", ""), sep=", ")
    words, metres = WHERE_PREC.get(get("where_prec", ""), ("as given (no GED where_prec)",
                                                           None))
    draft.place_name = place or "unnamed place"
    draft.location_precision, draft.precision_m = f"point: {words}", metres
    sides = " – ".join(s for s in (get("side_a", ""), get("side_b", "")) if s)
    best = figures["best"]
    range_text = ", ".join(f"{c} {figures[c]}" for c in ("low", "best", "high")
                           if figures[c])
    row.update(
        event_id=f"ged-{get('id', '')}", category=violence[0], event_type=violence[1],
        title=joined(sides or get("conflict_name", "") or "Event",
                     f"{best} killed (best estimate)" if best else "", sep=": "),
        description=joined(f"UCDP GED records {violence[1].replace('_', '-')} "
                           f"({get('conflict_name', '') or get('dyad_name', '')})",
                           get("where_description", ""), sep=" at ") + ".",
        actor1=get("side_a", ""), actor2=get("side_b", ""), killed=best,
        figure_qualifier="about" if best else "",
        claimed_by="UCDP GED (best estimate)" if best else "",
        source=joined("UCDP GED", get("source_office", ""), sep=": "),
        source_ref=joined(f"GED id {get('id', '')}", get("source_date", ""), sep=", "),
        quote=get("source_headline", "") or get("source_article", ""),
        notes=joined(f"UCDP GED deaths: {range_text}" if range_text else "",
                     f"civilian deaths {figures['deaths_civilians']}"
                     if figures["deaths_civilians"] else "",
                     f"date_prec {date_prec} ({DATE_PREC[date_prec]})",
                     f"where_prec {get('where_prec', '') or '?'}"),
    )
    return draft


GED = Format(
    id="ged", label="UCDP GED", detail="Georeferenced Event Dataset",
    required_columns=("id", "date_start", "date_end", "latitude", "longitude",
                      "type_of_violence", "best"),
    detect=detect, convert=convert,
    reads=("id", "date_start", "date_end", "date_prec", "type_of_violence", "latitude",
           "longitude", "best", "low", "high", "deaths_civilians", "where_coordinates",
           "adm_1", "adm_2", "country", "where_prec", "side_a", "side_b", "conflict_name",
           "dyad_name", "where_description", "source_office", "source_date",
           "source_headline", "source_article"),
    columns={  # schema column -> the GED column it comes from, for problems
        "event_id": "id", "date_precision": "date_prec", "category": "type_of_violence",
        "event_type": "type_of_violence", "killed": "best", "source": "source_office",
        "place_id": "where_coordinates", "title": "side_a", "quote": "source_headline"})
