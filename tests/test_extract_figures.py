"""Figures and their qualifiers, claimants, footnote markers, and the layer rules."""

from __future__ import annotations

import pytest

from dashboard.extract.figures import claimant, find_figures
from dashboard.extract.layers import classify
from dashboard.extract.sentences import Sentence


def figures(text: str) -> list[tuple[str, int, str]]:
    return [(f.kind, f.value, f.qualifier) for f in find_figures(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("The strike killed 14 people in the market.", [("killed", 14, "exact")]),
    ("Nine civilians were wounded by shrapnel.", [("injured", 9, "exact")]),
    ("Some 12.500 refugees crossed into the province.", [("displaced", 12500, "about")]),
    ("1,5 thousand residents fled the district.", [("displaced", 1500, "exact")]),
    ("More than 2,300 families have left the valley.", [("displaced", 2300, "more_than")]),
    ("At least 31 soldiers died in the assault.", [("killed", 31, "at_least")]),
    ("Nearly 70 people are missing after the flood of shells.", [("missing", 70, "about")]),
    ("Police detained 45 protesters on the bridge.", [("detained", 45, "exact")]),
    ("Around 600 evacuees arrived in the capital.", [("displaced", 600, "about")]),
    ("Over 20 houses burned; 3 people were injured.", [("injured", 3, "exact")]),
    ("The attack left at least 8 dead and 19 wounded.",
     [("killed", 8, "at_least"), ("injured", 19, "at_least")]),
    ("Shelling killed 5 people and injured 11.", [("killed", 5, "exact"),
                                                   ("injured", 11, "exact")]),
])
def test_figure_forms_and_qualifiers(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text", [
    "The town has a population of 45,000 and two schools.",
    "The 44-day war ended in a truce.",
    "Talks lasted 12 hours in the capital.",
    "Several hundred people were wounded.",  # not a number
    "The convoy of 30 trucks carried flour.",
])
def test_numbers_that_are_not_figures(text):
    assert figures(text) == []


def test_a_qualifier_does_not_carry_into_another_clause():
    assert figures("About 40 people were detained and 12 are missing.") == [
        ("detained", 40, "about"), ("missing", 12, "exact")]


def test_soldiers_are_combatants():
    [figure] = find_figures("Seven servicemen were killed by a mine.")
    assert figure.combatants


@pytest.mark.parametrize(("text", "who"), [
    ("According to the regional health ministry, 12 people died.", "regional health ministry"),
    ("The governor of the province, Anna Petrosyan, said that the road was cut.",
     "Anna Petrosyan"),
    ("However, during the talks Karen Vardanyan, the head of the delegation, stated that "
     "nothing was agreed.", "Karen Vardanyan"),
    ("The rumour was denied by the Interior Ministry.", "Interior Ministry"),
    ("She later said the shelling stopped.", ""),
    ("Clashes were reported on the main road.", ""),
])
def test_claimants(text, who):
    assert claimant(text)[0] == who


def test_footnote_markers_become_source_ref():
    sentence = Sentence(0, 0, 40, "The bridge was shelled.[12] See [t]his.", 0)
    assert sentence.footnotes == ("[12]",)


@pytest.mark.parametrize(("text", "layer", "event_type", "word"), [
    ("Artillery shelling hit the northern front overnight.", "military", "shelling",
     "shelling"),
    ("The army launched an offensive on the plateau.", "military", "offensive", "offensive"),
    ("Heavy clashes erupted along the line of contact.", "military", "offensive", "clashes"),
    ("The truce was violated twice before noon.", "military", "ceasefire_violation",
     "violated"),
    ("Troops detained two shepherds near the border.", "civilian_harm", "detention",
     "detained"),
    ("Civilians were killed when the bus was hit.", "civilian_harm", "attack_on_civilians",
     "Civilians"),
    ("The corridor remained under blockade for weeks.", "blockade", "blockade", "blockade"),
    ("Shortages of insulin were reported in the hospital wards.", "civilian_harm",
     "attack_on_civilians", "hospital"),
    ("Bread shortages worsened as the road stayed closed.", "blockade",
     "humanitarian_situation", "shortages"),
    ("Hundreds of refugees crossed at the checkpoint.", "displacement", "crossing",
     "refugees"),
    ("Families were evacuated by bus to the capital.", "displacement", "crossing",
     "evacuated"),
    ("The two leaders agreed to resume talks.", "political", "negotiation", "agreed"),
    ("The foreign ministry condemned the attack on the village.", "political", "statement",
     "foreign ministry"),
    ("Students held a rally in front of the parliament.", "protest", "protest", "rally"),
    ("Demonstrators clashed with police at the square.", "protest", "clash", "Demonstrators"),
])
def test_layer_rules_name_their_words(text, layer, event_type, word):
    found = classify(text, find_figures(text), claimant(text)[0])
    assert (found.category, found.event_type) == (layer, event_type)
    assert word.lower() in found.decided_by.lower()


def test_casualty_figures_decide_the_layer():
    text = "The strike killed 4 soldiers and 2 civilians."
    assert classify(text, find_figures(text)).category == "civilian_harm"
    text = "Six peacekeepers were killed near the post."
    assert classify(text, find_figures(text)).category == "military"


def test_words_under_a_modal_do_not_count():
    assert classify("Nobody knows whether residents can leave their homes.", []) is None


def test_no_rule_no_layer():
    assert classify("The weather was mild and the harvest good.", []) is None
