"""The events schema: columns, categories (map layers) and controlled vocabularies."""

from __future__ import annotations

from dataclasses import dataclass

COLUMNS: tuple[str, ...] = (
    "event_id",
    "date_start",
    "date_end",
    "date_precision",
    "time",
    "place_id",
    "category",
    "event_type",
    "title",
    "description",
    "actor1",
    "actor2",
    "killed",
    "injured",
    "displaced",
    "figure_qualifier",
    "claimed_by",
    "origin_place_id",
    "destination_place_id",
    "source",
    "source_ref",
    "quote",
    "notes",
)

FIGURE_COLUMNS: tuple[str, ...] = ("killed", "injured", "displaced")
# "range": it happened on some day between date_start and date_end (imported data).
DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year", "range")
FIGURE_QUALIFIERS: dict[str, str] = {
    "exact": "",
    "about": "about",
    "at_least": "at least",
    "more_than": "more than",
}
REQUIRED_TEXT: tuple[str, ...] = ("event_id", "title", "source")


@dataclass(frozen=True)
class Category:
    """A map layer: its label, colour (Okabe-Ito, colour-blind safe) and symbol."""

    id: str
    label: str
    colour: str
    symbol: str
    description: str


# The layers in legend order: id, label, colour (Okabe-Ito), symbol; then what each holds.
_LAYERS = (
    ("military", "Military", "#D55E00", "triangle"),
    ("civilian_harm", "Civilian harm", "#CC79A7", "cross"),
    ("blockade", "Blockade", "#E69F00", "square"),
    ("displacement", "Displacement", "#0072B2", "diamond"),
    ("political", "Political", "#009E73", "star"),
    ("protest", "Protest", "#56B4E9", "circle"),
)
_HOLDS = {
    "military": "Offensives, shelling, ceasefires, mines and attacks on peacekeepers.",
    "civilian_harm": "Deaths, injuries, detentions, missing people, damage to civilian life.",
    "blockade": "The closure of the Lachin corridor and its humanitarian effects.",
    "displacement": "People leaving Nagorno-Karabakh, crossings and arrivals.",
    "political": "Statements, agreements, demands and diplomatic reactions.",
    "protest": "Demonstrations and clashes with police.",
}
CATEGORIES: dict[str, Category] = {
    layer[0]: Category(*layer, _HOLDS[layer[0]]) for layer in _LAYERS}

EVENT_TYPES: dict[str, str] = {
    "agreement": "a signed or announced agreement between parties",
    "air_strike": "an air or drone strike (imported data)",
    "apology": "an apology by one party to another",
    "armed_clash": "armed groups fighting each other (imported data)",
    "arrival": "people arriving at a destination",
    "attack_on_civilians": "an armed attack on civilians (imported data)",
    "attack_on_medical_transport": "ambulances or medical vehicles hit",
    "attack_on_peacekeepers": "peacekeepers killed or their vehicles hit",
    "blockade": "a road or supply route closed",
    "capitulation": "a party giving up armed resistance",
    "casualty_report": "a count of killed or injured people, attributed to who gives it",
    "ceasefire": "a ceasefire agreed or brokered",
    "ceasefire_violation": "a reported breach of a ceasefire",
    "clash": "physical confrontation between protesters and police",
    "crossing": "people crossing a border or checkpoint",
    "cultural_destruction": "destruction or desecration of cultural heritage",
    "demand": "demands made by one party of another",
    "detention": "people captured or detained",
    "disinformation": "false reports and their denial",
    "dissolution": "dissolution of an institution or state body",
    "hate_speech": "statements dehumanising a group",
    "humanitarian_situation": "shortages of food, fuel, medicine or services",
    "infrastructure_failure": "power, internet or phone networks failing",
    "mine_incident": "casualties from landmines",
    "missing_persons": "people missing or out of contact",
    "negotiation": "talks between parties",
    "non_state_violence": "fighting between non-state groups (UCDP GED type 2)",
    "occupation": "territory taken and held",
    "offensive": "a military offensive or operation",
    "one_sided_violence": "violence by an organised group against civilians (UCDP GED type 3)",
    "peacekeeping_deployment": "deployment or conduct of peacekeeping forces",
    "property_destruction": "looting or destruction of property (imported data)",
    "protest": "a demonstration or blockade by protesters",
    "referendum": "a vote on status or independence",
    "revolution": "a government overthrown by popular protest",
    "sanctions_call": "a call for sanctions or economic pressure",
    "shelling": "bombardment of towns, villages or infrastructure",
    "state_based_violence": "fighting in which a state is a party (UCDP GED type 1)",
    "statement": "a public statement or interview",
    "war": "a war between states or armed forces",
}
