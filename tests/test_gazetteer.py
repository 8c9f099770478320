"""The gazetteer: variants, precision, date-aware corridor routes."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.errors import GeodataError
from dashboard.gazetteer import Gazetteer, fold

REQUIRED = ["stepanakert", "martakert", "martakert_region", "taghavard", "martuni",
            "hakari_bridge", "lachin_corridor", "syunik", "goris", "kornidzor", "yerevan",
            "yerevan_government_house", "nakhchivan_ar", "baku", "moscow", "berlin"]


@pytest.mark.parametrize("place_id", REQUIRED)
def test_places_the_documents_name_are_present(geodata, place_id):
    place = geodata.gazetteer[place_id]
    assert place.source and place.precision


@pytest.mark.parametrize(
    ("place_id", "shown", "variant"),
    [("stepanakert", "Stepanakert / Khankendi", "Xankəndi"),
     ("martuni", "Martuni / Khojavend", "Xocavənd"),
     ("shushi", "Shushi / Shusha", "Şuşa"),
     ("nakhchivan_city", "Nakhchivan / Nakhijevan", "Naxçıvan")],
)
def test_contested_names_show_both_and_keep_variants(geodata, place_id, shown, variant):
    place = geodata.gazetteer[place_id]
    assert place.display_name == shown
    assert variant in place.alt_names
    assert fold(variant) in place.search_terms()


def test_fold_matches_azerbaijani_and_accented_spellings():
    assert fold("Xankəndi") == "xankandi" and fold("XANKƏNDİ") == fold("Xankəndi")
    assert fold("Naxçıvan") == "naxcivan"


@pytest.mark.parametrize(("place_id", "kind"),
                         [("syunik", "area"), ("lachin_corridor", "line"),
                          ("hakari_bridge", "point"), ("nagorno_karabakh", "area")])
def test_geometry_kinds(geodata, place_id, kind):
    assert geodata.gazetteer[place_id].geometry_kind == kind


def test_precision_is_in_words_and_metres(geodata):
    bridge = geodata.gazetteer["hakari_bridge"]
    assert bridge.precision_m == 2000
    assert "±2,000 m" in bridge.precision_text


@pytest.mark.parametrize(("when", "route"),
                         [(date(2021, 6, 1), "lachin_corridor_old"),
                          (date(2022, 8, 29), "lachin_corridor_old"),
                          (date(2022, 8, 30), "lachin_corridor_new"),
                          (date(2023, 9, 25), "lachin_corridor_new")])
def test_corridor_route_follows_the_date(geodata, when, route):
    assert geodata.gazetteer.on("lachin_corridor", when).id == route


def test_routes_are_lines_through_different_waypoints(geodata):
    old = geodata.gazetteer["lachin_corridor_old"].geometry
    new = geodata.gazetteer["lachin_corridor_new"].geometry
    bridge = geodata.gazetteer["hakari_bridge"].geometry
    assert new.distance(bridge) < 1e-6 < old.distance(bridge)


def test_embassy_without_coordinate_says_so(geodata):
    embassy = geodata.gazetteer["yerevan_russian_embassy"]
    assert "not geocoded" in embassy.precision
    assert embassy.anchor == geodata.gazetteer["yerevan"].anchor


def test_unreadable_gazetteer_is_our_error(tmp_path):
    bad = tmp_path / "places.geojson"
    bad.write_text('{"features": [{"properties": {"id": "x"}}]}', encoding="utf-8")
    with pytest.raises(GeodataError, match="lacks properties"):
        Gazetteer.load(bad)
    with pytest.raises(GeodataError, match="cannot read"):
        Gazetteer.load(tmp_path / "missing.geojson")
