"""Place-name variants: a search for one finds the others in text; imports know the names."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from dashboard.filters import FilterState, apply_filters, search_mask
from dashboard.gazetteer import fold
from dashboard.importing import import_bytes
from dashboard.importing.places import MERGE_DISTANCE_KM, distance_km
from dashboard.paths import DEFAULT_EVENTS, GEODATA_DIR
from tests.fixtures_imports import ACLED_COLUMNS

ROWS = list(csv.DictReader(DEFAULT_EVENTS.open(encoding="utf-8")))
PLACES = {f["properties"]["id"]: f["properties"] for f in json.loads(
    (GEODATA_DIR / "places.geojson").read_text(encoding="utf-8"))["features"]}


def variants(place_id: str) -> list[str]:
    place = PLACES[place_id]
    return [place["name"], *place.get("alt_names", [])]


def mentions(row: dict[str, str], names: list[str]) -> bool:
    """Whether the row's title or description names one of ``names`` as whole words."""
    text = fold(f"{row['title']} \n {row['description']}")
    return any(re.search(rf"(?<!\w){re.escape(fold(n))}(?!\w)", text) for n in names)


def expected(place_id: str) -> set[str]:
    """Events at the place, or whose title or description names it in any spelling."""
    return {r["event_id"] for r in ROWS
            if place_id in (r["place_id"], r["origin_place_id"], r["destination_place_id"])
            or mentions(r, variants(place_id))}


def found(bundled, query: str) -> set[str]:
    events = bundled.events
    return set(events[search_mask(events, query)]["event_id"])


@pytest.mark.parametrize("variant", variants("stepanakert"))
def test_every_spelling_of_stepanakert_finds_the_same_events(bundled, variant):
    want = expected("stepanakert")
    assert any(mentions(r, ["Stepanakert"]) for r in ROWS), "the data no longer names it"
    assert found(bundled, variant) == found(bundled, "Stepanakert") >= want
    assert len(want) > sum(r["place_id"] == "stepanakert" for r in ROWS), (
        "events naming Stepanakert in their text should be found, not only those there")


def _unique_places(geodata) -> list[str]:
    """Places each of whose spellings names no other place, nor is part of another's name.

    (The town of Lachin is not meant where a text names the Lachin corridor.)
    """
    gazetteer = geodata.gazetteer
    others = {p.id: [n for o in gazetteer if o.id != p.id for n in o.names] for p in gazetteer}
    return [p.id for p in gazetteer
            if all(gazetteer.named(n) == (p,) for n in p.names)
            and not any(mentions({"title": o, "description": ""}, list(p.names))
                        for o in others[p.id])]


def test_each_spelling_of_each_place_finds_the_events_naming_it(bundled, geodata):
    checked = 0
    for place_id in _unique_places(geodata):
        want = expected(place_id)
        for variant in variants(place_id):
            missing = want - found(bundled, variant)
            assert not missing, f"{variant!r} ({place_id}) misses {sorted(missing)}"
            checked += 1
    assert checked > 50


def test_a_name_inside_a_word_is_not_a_mention(geodata):
    assert [p.id for p in geodata.gazetteer.named_in(fold("Armenians rally"))] == []
    assert [p.id for p in geodata.gazetteer.named_in(fold("the Lachin corridor"))] == [
        "lachin_corridor"]


def test_search_still_needs_every_word(bundled):
    assert found(bundled, "Khankendi zzzz-nothing") == set()
    state = FilterState(search="Khankendi")
    assert set(apply_filters(bundled.events, state)["event_id"]) == found(bundled, "Khankendi")


# --- imports --------------------------------------------------------------------------------

def acled(*rows: dict[str, str]) -> bytes:
    base = dict.fromkeys(ACLED_COLUMNS, "")
    base.update(event_date="2023-09-19", year="2023", time_precision="1",
                disorder_type="Political violence", event_type="Explosions/Remote violence",
                sub_event_type="Shelling/artillery/missile attack",
                actor1="Military Forces of Azerbaijan (2003-)", country="Azerbaijan",
                source="Test Wire", source_scale="National", fatalities="0",
                notes="Fixture row.", geo_precision="1")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({**base, **r} for r in rows)
    return out.getvalue().encode("utf-8")


def test_acled_khankendi_near_stepanakert_is_stepanakert(geodata):
    lon, lat = geodata.gazetteer["stepanakert"].anchor
    far_lat = lat + 1.8  # about 200 km north
    raw = acled({"event_id_cnty": "AZE10", "location": "Khankendi", "admin1": "Khankendi",
                 "latitude": f"{lat + 0.01:.4f}", "longitude": f"{lon:.4f}"},
                {"event_id_cnty": "AZE11", "location": "Khankendi", "admin1": "Elsewhere",
                 "latitude": f"{far_lat:.4f}", "longitude": f"{lon:.4f}"})
    data = import_bytes(raw, "acled.csv", geodata)
    events = data.events.set_index("event_id")
    near, far = events.loc["AZE10"], events.loc["AZE11"]
    assert near["place_id"] == "stepanakert"
    assert near["place_name"] == geodata.gazetteer["stepanakert"].display_name
    assert near["regions"] == geodata.place_regions["stepanakert"]
    assert "Khankendi" in near["notes"] and "ACLED geo_precision 1" in near["notes"]
    assert far["place_id"] != "stepanakert" and far["place_name"] == "Khankendi"
    assert distance_km(geodata.gazetteer["stepanakert"], far_lat, lon) > MERGE_DISTANCE_KM
    assert len(data.geodata.gazetteer) == len(geodata.gazetteer) + 1  # only the far one added
    # Searching the bundled spelling finds the upload's Khankendi at Stepanakert.
    assert "AZE10" in set(data.events[search_mask(data.events, "Stepanakert")]["event_id"])


def test_a_coarse_location_keeps_its_point_but_learns_the_names(geodata):
    lon, lat = geodata.gazetteer["stepanakert"].anchor
    raw = acled({"event_id_cnty": "AZE12", "location": "Xankandi", "geo_precision": "2",
                 "latitude": f"{lat:.4f}", "longitude": f"{lon:.4f}"})
    data = import_bytes(raw, "acled.csv", geodata)
    row = data.events.iloc[0]
    assert row["place_id"] != "stepanakert" and "ACLED geo_precision 2" in row[
        "location_precision"]
    assert bool(search_mask(data.events, "Stepanakert").iloc[0])
