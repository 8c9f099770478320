"""Which of a sentence's places is the event's: the most specific one named, and for
movements of people the crossing, where from and where to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dashboard.extract.places import PlaceMention, PlaceOption

_WORDS_BETWEEN = r"(?:the\s+)?(?:[\w’'-]+\s+){0,2}$"
ROLES = (
    ("crossing", re.compile(r"\b(?:crossed|crossing|through|via|over|across)\s+(?:the\s+)?$",
                            re.IGNORECASE)),
    ("destination", re.compile(r"\b(?:into|to|towards|reached|reaching|arrived\s+(?:in|at)|"
                               r"arriving\s+(?:in|at)|arrivals?\s+in|enter(?:ed|ing|s)?|"
                               r"for)\s+" + _WORDS_BETWEEN, re.IGNORECASE)),
    ("origin", re.compile(r"\b(?:from|left|leaving|fled|fleeing|out\s+of|escaped|"
                          r"evacuated\s+from)\s+" + _WORDS_BETWEEN, re.IGNORECASE)),
)
_ACTOR_AFTER = re.compile(r"^(?:[’']s\s+(?![\w-]+\s+(?:region|province|district)\b)|"
                          r"\s+(?:\w+ly\s+)?(?:has|have|had|is|was|were|are|will|would|did|does|said|says|"
                          r"\w+ed)\b)")
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|into|to|from|of|across|inside|outside|towards|"
                              r"through|over|around|within|on)\s+(?:the\s+)?$", re.IGNORECASE)
_PEOPLE_AFTER = re.compile(r"^\s*(?:Armenians|Azerbaijanis|residents|refugees|people|"
                           r"population|civilians|inhabitants|families)\b")


@dataclass(frozen=True)
class Placing:
    """The event's place, a movement's origin and destination, and how they were chosen."""

    place: PlaceOption | None
    origin: PlaceOption | None
    destination: PlaceOption | None
    how: str
    ambiguous: tuple[PlaceMention, ...]
    notes: tuple[str, ...] = ()


def _most_specific(mentions: list[PlaceMention]) -> PlaceOption | None:
    """The most specific place (lowest rank; the first named on a tie)."""
    options = [m.options[0] for m in mentions]
    return min(options, key=lambda o: o.rank) if options else None


def role_of(mention: PlaceMention, text: str, offset: int) -> str:
    """``crossing``, ``destination``, ``origin`` or ``""``, from the words around it."""
    before = text[max(0, mention.start - offset - 45):mention.start - offset]
    for role, pattern in ROLES:
        if pattern.search(before):
            return role
    return "origin" if _PEOPLE_AFTER.match(text[mention.end - offset:]) else ""


def is_actor(mention: PlaceMention, text: str, offset: int) -> bool:
    """Whether a place is named as who acts ("Baku repeatedly violated", "Azerbaijan’s
    campaign") rather than where: not after "in", "at"..., and before a verb or "’s"."""
    before = text[max(0, mention.start - offset - 25):mention.start - offset]
    return not _LOCATIVE_BEFORE.search(before) and bool(
        _ACTOR_AFTER.match(text[mention.end - offset:]))


def choose(mentions: list[PlaceMention], text: str, offset: int, movement: bool,
           fallback: PlaceOption | None = None, fallback_how: str = "",
           home: PlaceOption | None = None) -> Placing:
    """The place of an event told in sentence ``text`` (starting at ``offset``).

    Ambiguous names are never chosen: they are returned for a person to decide. Without
    an unambiguous place, ``fallback`` (the place of the sentence before, or of the main
    event) is used, saying so. A movement naming where people went but not where from
    starts at ``home`` (the main event's place) when that lies in another country.
    """
    clear = [m for m in mentions if not m.ambiguous]
    places = [m for m in clear if not is_actor(m, text, offset)]
    acting = [m for m in clear if m not in places]
    ambiguous = tuple(m for m in mentions if m.ambiguous)
    origin = destination = None
    how = ""
    if movement:
        roles: dict[str, list[PlaceMention]] = {}
        for mention in clear:
            role = role_of(mention, text, offset)
            if role or mention in places:
                roles.setdefault(role, []).append(mention)
        origin = _most_specific(roles.get("origin", []))
        destination = _most_specific(roles.get("destination", []))
        place = _most_specific(roles.get("crossing", []) or roles.get("", []))
        if place is not None:
            how = "the crossing named" if roles.get("crossing") else "the most specific place"
        elif destination or origin:
            place = destination or origin
            how = "where the people went" if destination else "where the people came from"
    else:
        place = _most_specific(places)
        how = "the most specific place named" if len(places) > 1 else "the place named"
    if place is None and acting and fallback is None:
        place, how = _most_specific(acting), "the place named as who acts"
    notes: list[str] = []
    if destination is not None and origin is None and home is not None and \
            home.country != destination.country:
        origin = home
        notes.append(f"origin not named, taken as {home.id}, the place of the document's "
                     "main event")
    if (origin is None) != (destination is None):
        named = origin or destination
        assert named is not None
        notes.append(f"only one end of the movement named ({named.id}): add the other, a "
                     "movement needs both")
    if place is None and fallback is not None:
        place, how = fallback, fallback_how
    elif place is None:
        how = "no unambiguous place named"
    return Placing(place, origin, destination, how, ambiguous, tuple(notes))
