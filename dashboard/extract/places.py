"""Places named in a text, with offsets: the gazetteer's names and variants, abbreviations
the text defines, "the Armenian government" as its building, GeoNames towns, and
transliteration variants by fuzzy matching. A name that may stand for several places
keeps them all (``ambiguous``); none is chosen silently."""

from __future__ import annotations

import re
from dataclasses import dataclass

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from dashboard.extract.towns import Town, Towns
from dashboard.gazetteer import WORD, Gazetteer, Place, fold

# Smaller is more specific: a building beats a town, a town a province, a province a country.
_RANKS = ((("building", "bridge", "checkpoint", "junction", "site", "square"), 0),
          (("village",), 1), (("town", "city"), 2), (("road", "corridor", "route"), 3),
          (("district", "province", "rayon", "autonomous", "marz"), 4),
          (("region", "disputed"), 5), (("country",), 6))
DEMONYMS = {"armenian": "armenia", "azerbaijani": "azerbaijan", "russian": "russia",
            "georgian": "georgia", "iranian": "iran", "turkish": "turkey", "german": "germany"}
_INSTITUTION = re.compile(
    rf"\b(?:in\s+front\s+of|outside|at|near|inside|to|towards)\s+the\s+(?P<demonym>"
    rf"{'|'.join(d.capitalize() for d in DEMONYMS)})\s+(?P<what>government|parliament)\b")
_DEFINED = re.compile(r"(?<=\S)\s*\((?P<abbr>[A-Z]{2,6})\)")
_LOCATIVE = re.compile(r"\b(?:in|at|near|from|to|into|towards|outside|of|via|through)\s+"
                       r"(?:the\s+(?:village|town|city|region|district)\s+of\s+)?$")
_DERIVED = ("i", "n", "an", "ian", "is", "ns", "ians", "ese", "ish")  # Armenia → Armenian
_PLACE_WORD = re.compile(r"^\s+(?:region|district|village|town|city|province)\b")


@dataclass(frozen=True)
class PlaceOption:
    """A place a name may stand for: a gazetteer place or a GeoNames town."""

    id: str
    name: str
    rank: int
    lon: float
    lat: float
    country: str | None  # a gazetteer country id: "armenia"
    source: str  # "gazetteer" or "GeoNames"


@dataclass(frozen=True)
class PlaceMention:
    """A place name in the text and the place (or places, if ambiguous) it stands for."""

    start: int
    end: int
    text: str
    options: tuple[PlaceOption, ...]
    how: str

    @property
    def ambiguous(self) -> bool:
        """Whether the name stands for more than one place."""
        return len(self.options) > 1


class PlaceIndex:
    """Finds places in text: built once per gazetteer and set of towns."""

    def __init__(self, gazetteer: Gazetteer, towns: Towns | None = None):
        self.gazetteer = gazetteer
        self.towns = towns
        index: dict[tuple[str, ...], list[Place]] = {}
        for place in gazetteer:
            for words in dict.fromkeys(tuple(WORD.findall(fold(n))) for n in place.names):
                if words:
                    index.setdefault(words, []).append(place)
        self._names = {k: tuple(self._option(p) for p in self._choose(k, v))
                       for k, v in index.items()}
        if towns:  # far-away towns of the same name make a gazetteer name ambiguous
            for words, options in self._names.items():
                self._names[words] = (*options, *self._homonyms(options, towns.named(words)))
        self._single = {k[0]: v for k, v in self._names.items() if len(k) == 1}
        self._countries = {k for k, v in self._single.items() if any(o.rank >= 5 for o in v)}
        self._folded: dict[str, str] = {}  # words as written → folded, for speed
        starts: dict[str, set[int]] = {}  # first word of a name → word counts of such names
        for words in [*self._names, *(towns.names if towns else ())]:
            starts.setdefault(words[0], set()).add(len(words))
        self._starts = {w: sorted(n, reverse=True) for w, n in starts.items()}

    def _choose(self, words: tuple[str, ...], places: list[Place]) -> list[Place]:
        """One place's own name wins over others' variants; a place beats its routes."""
        own = [p for p in places if tuple(WORD.findall(fold(p.name))) == words]
        if own:
            return own
        parents = [p for p in places if {q.id for q in places} - {p.id} <= set(p.routes)]
        return parents or places

    def _homonyms(self, options: tuple[PlaceOption, ...],
                  towns: tuple[Town, ...]) -> tuple[PlaceOption, ...]:
        """Towns named alike that are neither near nor inside the gazetteer's places."""
        return tuple(t for t in self._towns(towns) if not any(
            _near(t, o) or self.within(t, o) for o in options))

    def _option(self, place: Place) -> PlaceOption:
        kind = place.kind.lower()
        rank = next((r for words, r in _RANKS if any(w in kind for w in words)), 3)
        return PlaceOption(place.id, place.display_name, rank, place.anchor[0], place.anchor[1],
                           place.country, "gazetteer")

    def option(self, place_id: str) -> PlaceOption | None:
        """The option of a gazetteer place id, or None."""
        return self._option(self.gazetteer[place_id]) if place_id in self.gazetteer else None

    def abbreviations(self, text: str) -> dict[str, tuple[PlaceOption, ...]]:
        """Abbreviations the text defines for places: "Nagorno-Karabakh (NK)" → NK."""
        found = {}
        for defined in _DEFINED.finditer(text):
            start = max(0, defined.start() - 60)
            named = [m for m in self.find(text[start:defined.start()], start)
                     if m.end == defined.start() and not m.ambiguous]
            if named:
                found[fold(defined.group("abbr"))] = named[-1].options
        return found

    def find(self, text: str, offset: int = 0,
             aliases: dict[str, tuple[PlaceOption, ...]] | None = None) -> list[PlaceMention]:
        """Every place name in ``text`` (offsets shifted by ``offset``), longest first."""
        folded = self._folded
        if len(folded) > 200_000:
            folded.clear()
        tokens = [(m.start(), m.end(), folded.get(m.group(0)) or folded.setdefault(
            m.group(0), fold(m.group(0)))) for m in WORD.finditer(text)]
        found: list[PlaceMention] = []
        i = 0
        while i < len(tokens):
            mention, used = self._at(text, tokens, i, aliases or {})
            if mention is not None:
                found.append(PlaceMention(mention.start + offset, mention.end + offset,
                                          mention.text, mention.options, mention.how))
            i += used
        for match in _INSTITUTION.finditer(text):
            options = self._institution(match.group("demonym"), match.group("what"))
            if options and not any(m.start - offset < match.end() and match.start() <
                                   m.end - offset for m in found):
                start = match.start("demonym")
                found.append(PlaceMention(start + offset, match.end() + offset,
                                          text[start:match.end()], options,
                                          f"the {match.group('what')} of "
                                          f"{DEMONYMS[match.group('demonym').lower()]}"))
        return sorted(found, key=lambda m: m.start)

    def _at(self, text: str, tokens: list, i: int,
            aliases: dict) -> tuple[PlaceMention | None, int]:
        first = tokens[i]
        if first[2] in aliases and text[first[0]:first[1]].isupper():
            return PlaceMention(first[0], first[1], text[first[0]:first[1]], aliases[first[2]],
                                "abbreviation the text defines"), 1
        for n in self._starts.get(first[2], ()):
            words = tuple(t[2] for t in tokens[i:i + n])
            if len(words) < n:
                continue
            start, end = tokens[i][0], tokens[i + n - 1][1]
            written = text[start:end]
            if words in self._names:
                how = "gazetteer name or variant"
                return PlaceMention(start, end, written, self._names[words], how), n
            if self.towns and written[:1].isupper() and self.towns.named(words):
                towns = self.towns.named(words)
                return PlaceMention(start, end, written, self._towns(towns),
                                    "GeoNames town (not in the gazetteer)"), n
        fuzzy = self._fuzzy(text, first)
        return (fuzzy, 1) if fuzzy else (None, 1)

    def _towns(self, towns: tuple[Town, ...]) -> tuple[PlaceOption, ...]:
        unique = {t.geonameid: t for t in towns}.values()
        return tuple(PlaceOption(t.id, f"{t.name} ({t.country_name})", 1 if t.population <
                                 10_000 else 2, t.lon, t.lat, fold(t.country_name), "GeoNames")
                     for t in unique)

    def _fuzzy(self, text: str, token: tuple[int, int, str]) -> PlaceMention | None:
        """A capitalised word after "in", "near", "village of"..., close to a known name."""
        start, end, folded = token
        written = text[start:end]
        if len(folded) < 5 or not written[:1].isupper() or not (
                _LOCATIVE.search(text[max(0, start - 30):start]) or
                _PLACE_WORD.match(text[end:end + 12])):
            return None
        if folded in DEMONYMS or any(folded[:-len(suffix)] in self._countries
                                     for suffix in _DERIVED if folded.endswith(suffix)):
            return None
        from rapidfuzz import fuzz, process

        from dashboard.extract.towns import FUZZY_CUTOFF

        best = process.extract(folded, list(self._single), scorer=fuzz.ratio,
                               score_cutoff=FUZZY_CUTOFF, limit=3)
        options = [o for name, _, _ in best for o in self._single[name]]
        if self.towns:
            towns = self._towns(tuple(t for t, _ in self.towns.similar(folded)))
            options += [t for t in towns if not any(_near(t, o) for o in options)]
        if not options:
            return None
        unique = tuple({o.id: o for o in options}.values())
        return PlaceMention(start, end, written, unique, "spelled like a known name "
                            f"(fuzzy match of at least {FUZZY_CUTOFF}%)")

    def _institution(self, demonym: str, what: str) -> tuple[PlaceOption, ...]:
        country = DEMONYMS[demonym.lower()]
        return tuple(self._option(p) for p in self.gazetteer
                     if p.country == country and "building" in p.kind
                     and any(what in fold(n) for n in p.names))

    def _geometry(self, option: PlaceOption) -> BaseGeometry:
        if option.source == "gazetteer":
            return self.gazetteer[option.id].geometry
        return Point(option.lon, option.lat)

    def within(self, inner: PlaceOption, outer: PlaceOption) -> bool:
        """Whether ``inner`` lies in ``outer``: a country holds what the gazetteer says is
        in it; another area holds points it covers and areas it mostly covers."""
        if inner.id == outer.id:
            return True
        if outer.source != "gazetteer" or self._geometry(outer).geom_type not in (
                "Polygon", "MultiPolygon"):
            return False
        if outer.rank == 6:
            return inner.country == outer.id
        area, shape = self._geometry(outer), self._geometry(inner)
        if shape.geom_type in ("Polygon", "MultiPolygon"):
            return area.intersection(shape).area >= 0.5 * shape.area
        return area.covers(shape.representative_point())

    def consistent(self, a: PlaceOption, b: PlaceOption) -> bool:
        """The same place, or one within the other."""
        return self.within(a, b) or self.within(b, a)


def _near(a: PlaceOption, b: PlaceOption, degrees: float = 0.05) -> bool:
    """Within about 5 km: the same town in GeoNames and in the gazetteer."""
    return abs(a.lon - b.lon) < degrees and abs(a.lat - b.lat) < degrees
