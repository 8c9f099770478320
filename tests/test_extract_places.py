"""Places in reports: name variants, abbreviations, towns, fuzzy spellings, ambiguity,
the most specific place, movements, containment."""

from __future__ import annotations

import pytest

from dashboard.extract import place_index
from dashboard.extract.placing import choose
from dashboard.extract.towns import load_towns


@pytest.fixture(scope="module")
def index():
    return place_index()


def ids(index, text: str) -> list[list[str]]:
    return [[o.id for o in m.options] for m in index.find(text)]


@pytest.mark.parametrize("name", ["Stepanakert", "Khankendi", "Xankəndi", "XANKENDI",
                                  "Ханкенди", "Степанакерт", "Ստեփանակերտ"])
def test_every_variant_folds_to_its_place(index, name):
    assert ids(index, f"Residents of {name} sheltered in basements.") == [["stepanakert"]]


def test_a_mention_keeps_its_offsets(index):
    text = "Shells fell on Xankəndi at dawn."
    [mention] = index.find(text, offset=100)
    assert (mention.start, mention.end) == (115, 123)
    assert text[mention.start - 100:mention.end - 100] == "Xankəndi"


def test_the_longest_name_wins(index):
    assert ids(index, "Trucks waited on the Lachin corridor.") == [["lachin_corridor"]]
    assert ids(index, "Trucks waited in Lachin.") == [["lachin"]]


@pytest.mark.parametrize(("text", "expected"), [
    ("Monuments in Nakhijevan were razed.", ["nakhchivan_city", "nakhchivan_ar"]),
    ("Shelling was heard in Khojavend.", ["martuni", "khojavend_district"]),
    ("A convoy reached Martuni.", ["martuni", "geonames:616437", "geonames:616438"]),
])
def test_ambiguous_names_list_every_candidate(index, text, expected):
    [mention] = index.find(text)
    assert mention.ambiguous and [o.id for o in mention.options] == expected


def test_an_ambiguous_name_is_never_chosen(index):
    text = "Monuments in Nakhijevan were razed."
    placing = choose(index.find(text), text, 0, False)
    assert placing.place is None and [m.text for m in placing.ambiguous] == ["Nakhijevan"]


def test_abbreviations_the_text_defines(index):
    text = "The Republic of Artsakh (RA) closed schools. Families in RA queued for bread."
    aliases = index.abbreviations(text)
    assert [[o.id for o in m.options] for m in index.find(text, 0, aliases)] == [
        ["nagorno_karabakh"], ["nagorno_karabakh"], ["nagorno_karabakh"]]


def test_a_town_not_in_the_gazetteer_comes_from_geonames(index):
    [mention] = index.find("Volunteers from Ashtarak brought blankets.")
    assert [o.id for o in mention.options] == ["geonames:616877"]
    assert mention.options[0].source == "GeoNames" and "Armenia" in mention.options[0].name


def test_towns_are_limited_to_the_chosen_countries():
    assert load_towns(("AM",)).named(("ashtarak",))
    assert not load_towns(("AZ",)).named(("ashtarak",))


@pytest.mark.parametrize(("text", "expected"), [
    ("Families fled the village of Taghaverdd overnight.", "taghavard"),
    ("Aid was stored near Xankendy.", "stepanakert"),
    ("A bus left from Kornidzhor at dawn.", "kornidzor"),
])
def test_transliteration_variants_match_fuzzily(index, text, expected):
    [mention] = index.find(text)
    assert mention.options[0].id == expected and "fuzzy" in mention.how


def test_demonyms_and_words_far_from_a_place_are_not_places(index):
    assert ids(index, "Armenian and Azerbaijani officials met Russian envoys.") == []
    assert ids(index, "Then Stapanakart said nothing.") == []  # no locative word before it


def test_a_government_building_from_its_country(index):
    assert ids(index, "Crowds gathered in front of the Armenian government.") == [
        ["yerevan_government_house"]]


def test_the_most_specific_place_and_actors(index):
    text = "Azerbaijan shelled Stepanakert, the main city of Artsakh."
    assert choose(index.find(text), text, 0, False).place.id == "stepanakert"
    text = "Baku repeatedly violated the truce near Goris."
    assert choose(index.find(text), text, 0, False).place.id == "goris"


def test_movements_fill_origin_and_destination(index):
    text = "Thousands fled Stepanakert, crossed the Kornidzor bridge and arrived in Goris."
    placing = choose(index.find(text), text, 0, True)
    assert (placing.place.id, placing.origin.id, placing.destination.id) == (
        "hakari_bridge", "stepanakert", "goris")


def test_a_movement_without_a_named_origin_starts_at_the_main_place_and_says_so(index):
    text = "A second convoy entered Armenia."
    home = index.option("nagorno_karabakh")
    placing = choose(index.find(text), text, 0, True, home=home)
    assert (placing.origin.id, placing.destination.id) == ("nagorno_karabakh", "armenia")
    assert "origin not named" in placing.notes[0]
    text = "A second convoy arrived in Goris."  # the main place in the same country: no origin
    placing = choose(index.find(text), text, 0, True, home=index.option("syunik"))
    assert (placing.origin, placing.destination.id, placing.place.id) == (None, "goris", "goris")
    assert "only one end of the movement named (goris)" in placing.notes[0]


def test_containment(index):
    within = index.within
    assert within(index.option("stepanakert"), index.option("nagorno_karabakh"))
    assert within(index.option("nagorno_karabakh"), index.option("azerbaijan"))
    assert within(index.option("goris"), index.option("syunik"))
    assert not within(index.option("kornidzor"), index.option("azerbaijan"))  # by its country
    assert index.consistent(index.option("armenia"), index.option("yerevan"))
    assert not index.consistent(index.option("baku"), index.option("yerevan"))
