"""Region assignment: one spatial join at load, corrected where borders are generalised."""

from __future__ import annotations

import pytest

from dashboard.paths import GEODATA_DIR, REGIONS_FILE
from dashboard.regions import OUTSIDE, load_regions


@pytest.mark.parametrize(
    ("place_id", "expected"),
    [("stepanakert", {"nagorno_karabakh", "azerbaijan"}),
     ("goris", {"syunik", "armenia"}),
     ("kornidzor", {"syunik", "armenia"}),
     ("yerevan_government_house", {"yerevan", "armenia"}),
     ("moscow", {"russia"}),
     ("lachin_corridor", {"nagorno_karabakh", "syunik", "armenia", "azerbaijan"})],
)
def test_places_lie_in_their_regions(geodata, place_id, expected):
    assert expected <= set(geodata.place_regions[place_id])


def test_border_village_is_not_filed_under_the_wrong_country(geodata):
    # Natural Earth's generalised border puts Kornidzor in Azerbaijan; the gazetteer knows.
    assert "azerbaijan" not in geodata.place_regions["kornidzor"]


def test_an_area_is_in_the_regions_holding_it_not_in_each_part(geodata):
    assert geodata.place_regions["armenia"] == ("armenia",)
    assert set(geodata.place_regions["nagorno_karabakh"]) == {"nagorno_karabakh",
                                                               "azerbaijan"}
    assert set(geodata.place_regions["syunik"]) == {"syunik", "armenia"}


def test_places_beyond_every_shape_are_outside(geodata):
    assert geodata.place_regions["berlin"] == (OUTSIDE,)


def test_choices_list_disputed_area_countries_provinces_then_outside(geodata):
    levels = [c.level for c in geodata.choices]
    assert levels[0] == "disputed area" and levels[-1] == "outside"
    assert levels.index("province") > levels.index("country")
    labels = {c.id: c.label for c in geodata.choices}
    assert labels["syunik"] == "Syunik (province of Armenia)"


def test_regions_file_has_the_documented_ids():
    regions = load_regions(GEODATA_DIR / REGIONS_FILE)
    assert {"nagorno_karabakh", "syunik", "armenia", "azerbaijan"} <= set(regions.index)
    assert set(regions["level"]) == {"country", "province", "disputed area"}


def test_event_regions_include_origin_and_destination(bundled):
    crossing = bundled.events[bundled.events["displaced"] == 68000].iloc[0]
    assert {"nagorno_karabakh", "syunik"} <= set(crossing["regions"])
