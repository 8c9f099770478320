"""The layer (``CATEGORIES`` id) and event type (``EVENT_TYPES`` id) of a sentence, by rules
over its words; each result names the words that decided it.

The first layer rule whose words occur decides the layer, in this order: protest;
casualty figures (soldiers: military, else civilian harm); displacement figures;
disinformation; a named speaker's statement (political); displacement words; civilian
harm; blockade; military; other political words. Then the first type rule of that layer
whose words occur decides the type, else the layer's default. Words governed by a modal
("can leave", "will be punished") do not count, except a speaker's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dashboard.extract.figures import Figure

_W = r"(?<![\w-])(?:{})(?![\w-])"
_MODAL = re.compile(r"\b(?:can|could|will|would|may|might|should|must|shall|want\s+to|wants\s+to|"
                    r"going\s+to|not\s+be)\s+(?:\w+\s+){0,3}$")  # lower case: "May" is a month
LAYER_WORDS: tuple[tuple[str, str], ...] = (
    ("protest", r"protest\w*|rall(?:y|ies|ied)|demonstrations?|demonstrators?|gathered|"
                r"marched|pickets?|sit-ins?"),
    ("political", r"fake\s+news|disinformation|propaganda|false\s+reports?"),
    ("displacement", r"refugees?|refuge|exodus|fled|flee(?:ing)?|evacuat\w+|displaced|"
                     r"displacement|crossed|arriv(?:ed|als?|ing)|leave\s+for|left\s+for|"
                     r"deport\w*|expelled"),
    ("civilian_harm", r"civilians?|civil(?:ian)?\s+infrastructure|residential|schools?|"
                      r"hospitals?|towns\s+and\s+villages|ambulances?|morgue\S*|heritage|"
                      r"cemeter\w+|churche?s?|desecrat\w+|internet|electricity|mobile|"
                      r"communication|get\s+in\s+touch|detain\w*|arrest\w*|abduct\w*|"
                      r"hostages?|missing|war\s+crimes|hatred"),
    ("blockade", r"blockade\w*|blocked|closed\s+the\s+(?:road|corridor)|closure|shortages?|"
                 r"access\s+to\s+food|humanitarian\s+catastrophe|siege|cut\s+off"),
    ("military", r"offensive|attacks?|attacked|shell\w*|bombard\w*|strikes?|airstrikes?|"
                 r"drones?|artillery|clash\w*|fighting|hostilities|war|operation|aggression|"
                 r"ceasefire|truce|capitulat\w*|surrender\w*|advanced|occupied|occupation|"
                 r"mines?|troops|peacekeep\w+|military\s+actions?|escalation|used\s+force|"
                 r"retaliation|invasion|invaded|servicemen"),
    ("political", r"agree\w*|agreements?|statement|negotiat\w+|talks|sanctions?|referendum|"
                  r"dissolution|dissolve\w*|apolog\w+|condemn\w+|deplor\w+|"
                  r"denied|called\s+(?:for|on)|demand\w*|requirements?|requested|declar\w+|"
                  r"signed|treaty|accord|recogni[sz]\w+|describes|interview|press\s+conference|"
                  r"summit|meeting|elections?|revolution|ousted|ultimatum"),
)
TYPE_WORDS: dict[str, tuple[tuple[str, str], ...]] = {
    "protest": (("clash", r"clash\w*|scuffles?|police"),),
    "civilian_harm": (
        ("attack_on_medical_transport", r"ambulances?|medical\s+vehicles?|morgue\S*"),
        ("cultural_destruction", r"heritage|cemeter\w+|churche?s?|desecrat\w+|monuments?"),
        ("infrastructure_failure", r"internet|electricity|mobile|power|networks?|"
                                   r"communication|get\s+in\s+touch"),
        ("detention", r"captur\w+|detain\w*|arrest\w*|abduct\w*|hostages?|prisoners?"),
        ("missing_persons", r"missing|unaccounted|whereabouts"),
        ("shelling", r"shell\w*|bombard\w*|artillery|strikes?|rockets?"),
        ("hate_speech", r"hatred"),
    ),
    "blockade": (("humanitarian_situation", r"shortages?|food|medicines?|fuel|healthcare|"
                                            r"humanitarian\s+catastrophe"),),
    "displacement": (("humanitarian_situation", r"shelters?|fate|conditions"),
                     ("crossing", r"cross\w+|bridge|checkpoint|border"),
                     ("arrival", r"arriv\w+|enter\w*|reached|refuge")),
    "military": (
        ("ceasefire_violation", r"violat\w+"),
        ("attack_on_peacekeepers", r"peacekeep\w+\s+(?:were\s+)?(?:killed|hit)|"
                                   r"(?:killed|hit)\s+(?:\w+\s+){0,3}peacekeep\w+|servicemen"),
        ("ceasefire", r"ceasefire|truce"),
        ("capitulation", r"capitulat\w*|surrender\w*"),
        ("mine_incident", r"mines?|landmines?"),
        ("peacekeeping_deployment", r"peacekeep\w+|mission"),
        ("occupation", r"occupied|occupation|took\s+control|captured"),
        ("shelling", r"shell\w*|bombard\w*|artillery"),
    ),
    "political": (
        ("disinformation", r"fake\s+news|disinformation|propaganda|false\s+reports?"),
        ("sanctions_call", r"sanctions?"),
        ("apology", r"apolog\w+"),
        ("negotiation", r"negotiat\w+|talks"),
        ("agreement", r"agree\w*|agreements?|signed|accord|treaty"),
        ("referendum", r"referendum"),
        ("revolution", r"revolution|ousted"),
        ("dissolution", r"dissol\w+"),
        ("demand", r"demand\w*|requirements?|requested|called\s+for|ultimatum"),
        ("hate_speech", r"hatred|cancerous|describes"),
    ),
}
DEFAULT_TYPES = {"protest": "protest", "civilian_harm": "attack_on_civilians",
                 "blockade": "blockade", "displacement": "crossing", "military": "offensive",
                 "political": "statement"}
_LAYERS = tuple((layer, re.compile(_W.format(words), re.IGNORECASE))
                for layer, words in LAYER_WORDS)
_TYPES = {layer: tuple((t, re.compile(_W.format(w), re.IGNORECASE)) for t, w in rules)
          for layer, rules in TYPE_WORDS.items()}


@dataclass(frozen=True)
class Layer:
    """A sentence's layer and type, and the words (with offsets) that decided them."""

    category: str
    event_type: str
    words: tuple[tuple[int, int, str], ...]  # (start, end, text) in the sentence: the layer's
    type_words: tuple[tuple[int, int, str], ...] = ()  # and the type's

    @property
    def decided_by(self) -> str:
        """The deciding words, quoted: ``'bombarded', 'towns and villages'``."""
        words = (*self.words, *self.type_words)
        return ", ".join(f"'{w}'" for w in dict.fromkeys(t for _, _, t in words))


def _found(pattern: re.Pattern[str], text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)
            if not _MODAL.search(text[max(0, m.start() - 40):m.start()])]


def classify(text: str, figures: list[Figure], speaker: str = "",
             offset: int = 0) -> Layer | None:
    """The layer and type of sentence ``text``; ``None`` when no rule's words occur.

    ``figures`` are the sentence's, with offsets in the document (the sentence starts at
    ``offset``); ``speaker`` is who the sentence says made a statement, if anyone.
    """
    harm = [f for f in figures if f.kind in ("killed", "injured", "missing", "detained")]
    moved = [f for f in figures if f.kind == "displaced"]
    protest = _found(_LAYERS[0][1], text)
    if protest:
        return _typed("protest", text, protest)
    if harm:
        words = tuple((f.start - offset, f.end - offset, f.text) for f in harm)
        casualties = [f for f in harm if f.kind in ("killed", "injured")]
        if casualties and all(f.combatants for f in casualties):
            return _typed("military", text, words, "casualty_report")
        kinds = {f.kind for f in harm}
        fallback = "detention" if kinds == {"detained"} else (
            "missing_persons" if kinds == {"missing"} else "casualty_report")
        return _typed("civilian_harm", text, words, fallback, types=False)
    if moved:
        return _typed("displacement", text,
                      tuple((f.start - offset, f.end - offset, f.text) for f in moved))
    for layer, pattern in _LAYERS[1:]:
        if speaker and layer == "displacement":
            at = max(text.find(speaker), 0)
            return _typed("political", text, ((at, at + len(speaker), speaker),))
        found = _found(pattern, text)
        if found:
            return _typed(layer, text, tuple(found))
    return None


def _typed(layer: str, text: str, words: tuple | list, fallback: str = "",
           types: bool = True) -> Layer:
    for event_type, pattern in _TYPES.get(layer, ()) if types else ():
        found = _found(pattern, text)
        if found:
            return Layer(layer, event_type, tuple(words), tuple(found))
    return Layer(layer, fallback or DEFAULT_TYPES[layer], tuple(words))
