"""The gazetteer: named places with their variants, geometry and precision."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from dashboard.errors import GeodataError
from dashboard.files import read_regular_text

PROPERTIES = ("id", "name", "alt_names", "kind", "precision", "source")
WORD = re.compile(r"\w+")
IMPORTED = "imported point"  # the kind of a place made up for an imported file's point


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents, so ``Xankəndi`` and ``xankendi`` compare."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return folded.replace("ə", "a").replace("ı", "i")


@dataclass(frozen=True)
class Place:
    """One named place of ``geodata/places.geojson``."""

    id: str
    name: str
    display_name: str
    alt_names: tuple[str, ...]
    kind: str
    precision: str
    precision_m: int | None
    country: str | None
    source: str
    note: str
    anchor: tuple[float, float]
    geometry: BaseGeometry = field(compare=False, repr=False)
    valid_from: date | None = None
    valid_to: date | None = None
    routes: tuple[str, ...] = ()

    @property
    def geometry_kind(self) -> str:
        """``point``, ``line`` or ``area``."""
        kind = self.geometry.geom_type
        if kind.endswith("Point"):
            return "point"
        return "line" if "LineString" in kind else "area"

    @property
    def precision_text(self) -> str:
        """Precision in words and, where known, metres."""
        if self.precision_m is None:
            return self.precision
        return f"{self.precision} (about ±{self.precision_m:,} m)"

    def search_terms(self) -> str:
        """Folded name and every variant, for text search."""
        return " ".join(fold(n) for n in self.names)

    @property
    def names(self) -> tuple[str, ...]:
        """The name, then every variant."""
        return (self.name, *self.alt_names)


def _parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _place(feature: dict) -> Place:
    props = feature.get("properties") or {}
    missing = [p for p in PROPERTIES if p not in props]
    if missing:
        raise GeodataError(f"place {props.get('id', '?')!r} lacks properties: {missing}")
    geometry = shape(feature["geometry"])
    anchor = props.get("anchor") or list(geometry.representative_point().coords[0])
    return Place(
        id=props["id"],
        name=props["name"],
        display_name=props.get("display_name") or props["name"],
        alt_names=tuple(props.get("alt_names") or ()),
        kind=props["kind"],
        precision=props["precision"],
        precision_m=props.get("precision_m"),
        country=props.get("country"),
        source=props["source"],
        note=props.get("note") or "",
        anchor=(float(anchor[0]), float(anchor[1])),
        geometry=geometry,
        valid_from=_parse_date(props.get("valid_from")),
        valid_to=_parse_date(props.get("valid_to")),
        routes=tuple(props.get("routes") or ()),
    )


class Gazetteer:
    """Places by id, with date-aware geometry for places whose route changed."""

    def __init__(self, places: list[Place]):
        self._places: Mapping[str, Place] = {p.id: p for p in places}
        if len(self._places) != len(places):
            raise GeodataError("duplicate place ids in the gazetteer")
        self._variants: dict[str, tuple[Place, ...]] | None = None
        self._by_words: dict[tuple[str, ...], tuple[Place, ...]] | None = None
        self._lengths: dict[str, list[int]] = {}  # word counts of the names a word starts

    @classmethod
    def of(cls, places: Mapping[str, Place]) -> Gazetteer:
        """A gazetteer of ``places`` by id, kept as given: a mapping may make each place
        when it is first asked for (see :mod:`dashboard.tablecache.places`)."""
        gazetteer = cls([])
        gazetteer._places = places
        return gazetteer

    def named(self, name: str) -> tuple[Place, ...]:
        """The places of which ``name`` (any case or accents) is the name or a variant.

        Where ``name`` is one place's own name and only a variant of others (the Lachin
        corridor and its two routes), that place alone.
        """
        if self._variants is None:
            found: dict[str, list[Place]] = {}
            for place in self._places.values():
                for variant in dict.fromkeys(fold(n) for n in place.names):
                    found.setdefault(variant, []).append(place)
            own = {k: [p for p in v if fold(p.name) == k] for k, v in found.items()}
            self._variants = {k: tuple(own[k] or v) for k, v in found.items() if k.strip()}
        return self._variants.get(fold(name).strip(), ())

    def named_in(self, folded_text: str) -> list[Place]:
        """Places whose name or a variant stands as whole words in ``folded_text``.

        ``folded_text`` is already :func:`fold`-ed; names are compared word by word
        (punctuation between words ignored). The longest name wins where names overlap, so
        "Lachin corridor" is the corridor, not the town of Lachin.
        """
        if self._by_words is None:
            self.named("")  # builds the variant index
            assert self._variants is not None
            by_words: dict[tuple[str, ...], tuple[Place, ...]] = {}
            lengths: dict[str, set[int]] = {}
            for variant, places in self._variants.items():
                words = tuple(WORD.findall(variant))
                if words:
                    by_words[words] = (*by_words.get(words, ()), *places)
                    lengths.setdefault(words[0], set()).add(len(words))
            self._by_words = by_words
            self._lengths = {w: sorted(n, reverse=True) for w, n in lengths.items()}
        index = self._by_words
        tokens = WORD.findall(folded_text)
        found: dict[str, Place] = {}
        i = 0
        while i < len(tokens):
            step = 1
            for n in self._lengths.get(tokens[i], ()):
                named = index.get(tuple(tokens[i:i + n]), ())
                if named:
                    for place in named:
                        found.setdefault(place.id, place)
                    step = n
                    break
            i += step
        return list(found.values())

    def name_words(self) -> dict[tuple[str, ...], tuple[Place, ...]]:
        """Each name and variant as its folded words, with the places it names: what
        :meth:`named_in` looks for."""
        self.named_in("")
        assert self._by_words is not None
        return self._by_words

    @classmethod
    def of_features(cls, features: list[dict]) -> Gazetteer:
        """A gazetteer of GeoJSON place features, as ``places.geojson`` holds them."""
        return cls([_place(f) for f in features])

    @classmethod
    def load(cls, path: Path) -> Gazetteer:
        """Read a GeoJSON FeatureCollection of places."""
        try:
            data = json.loads(read_regular_text(Path(path), "the gazetteer", GeodataError))
            return cls([_place(f) for f in data["features"]])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise GeodataError(f"cannot read the gazetteer {path}: {exc}") from exc

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._places

    def __getitem__(self, place_id: str) -> Place:
        return self._places[place_id]

    def __iter__(self) -> Iterator[Place]:
        return iter(self._places.values())

    def __len__(self) -> int:
        return len(self._places)

    def on(self, place_id: str, when: date | None) -> Place:
        """The place itself, or for a place with routes, the route in use on ``when``."""
        place = self._places[place_id]
        if not place.routes or when is None:
            return place
        for route_id in place.routes:
            route = self._places[route_id]
            starts = route.valid_from or date.min
            ends = route.valid_to or date.max
            if starts <= when < ends:
                return route
        return place
