"""The search text of many events at once, as :func:`search_text` makes it for one.

Texts are folded in Arrow where they are ASCII (there :func:`~dashboard.gazetteer.fold`
only lower-cases) and by ``fold`` itself once per distinct other text. Names of places in
titles and descriptions are found by one pass over all their words: each word's place in
the gazetteer's vocabulary, then the names that start at it, longest first; a text where
two names overlap, or that is not ASCII, is read by
:meth:`~dashboard.gazetteer.Gazetteer.named_in` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.gazetteer import Gazetteer, Place, fold
from dashboard.importing.arrow_text import arrow, joined_text
from dashboard.importing.columns import per_combo

TEXTS = ("title", "description", "actor1", "actor2", "claimed_by")
PLACES = ("place_id", "origin_place_id", "destination_place_id")
BETWEEN_WORDS = "[^0-9A-Za-z_]+"  # what separates words (``\\w+``) in ASCII text
BATCH = 50_000  # texts split into words at a time (their words take memory)


def _by_value(func: Callable[[str], object], values: pa.Array) -> list:
    """``func`` of each value, once per distinct value."""
    codes, results = per_combo(func, pd.Series(values.to_pandas(types_mapper=pd.ArrowDtype)))
    return [results[c] for c in codes]


def folded(values: pa.Array) -> pa.Array:
    """:func:`fold` of each text."""
    ascii_ = np.asarray(pc.string_is_ascii(values), dtype=bool)
    out = pc.ascii_lower(values)
    rest = np.flatnonzero(~ascii_)
    if len(rest):
        redone = pa.array(_by_value(fold, values.take(pa.array(rest))), type=pa.large_string())
        mask = np.zeros(len(values), dtype=bool)
        mask[rest] = True
        out = pc.replace_with_mask(out, pa.array(mask), redone)
    return out


def join_present(pieces: list[pa.Array], present: list[np.ndarray], sep: str = " ") -> pa.Array:
    """Row by row, ``sep.join`` of the pieces present in that row, in order."""
    count = len(present[0])
    keep = np.stack(present)  # piece x row
    piece, row = np.nonzero(keep)
    order = np.lexsort((piece, row))
    values = pa.concat_arrays([arrow(p) for p in pieces]).take(
        pa.array(piece[order] * count + row[order]))
    offsets = np.concatenate(([0], np.cumsum(keep.sum(axis=0)))).astype(np.int64)
    lists = pa.LargeListArray.from_arrays(pa.array(offsets), values)
    return pc.binary_join(lists, pa.scalar(sep, pa.large_string()))


class _Names:
    """The gazetteer's names as word ids, for finding them in many texts at once."""

    def __init__(self, gazetteer: Gazetteer):
        self.words = gazetteer.name_words()
        vocabulary = sorted({w for words in self.words for w in words})
        self.vocabulary = pa.array(vocabulary, type=pa.large_string())
        ids = {w: i for i, w in enumerate(vocabulary)}
        self.names = list(self.words)
        self.coded = [[ids[w] for w in words] for words in self.names]

    def matches(self, texts: pa.Array) -> tuple[np.ndarray, pa.Array]:
        """For each text: whether two names overlap in it, and the names found in it, in
        order, the longest where several start at one word (their ids joined by commas)."""
        tokens = pc.split_pattern_regex(texts, pattern=BETWEEN_WORDS)
        flat, parents = pc.list_flatten(tokens), pc.list_parent_indices(tokens)
        words = np.asarray(pc.fill_null(pc.index_in(flat, value_set=self.vocabulary), -1))
        parent, size = np.asarray(parents), len(words)
        start = np.flatnonzero(words >= 0)
        start = start[np.argsort(words[start], kind="stable")]
        bounds = np.searchsorted(words[start], np.arange(len(self.vocabulary) + 1))
        found = np.zeros(size, dtype=np.int64)  # length of the longest name starting there
        name_at = np.full(size, -1)
        for name, coded in enumerate(self.coded):
            at = start[bounds[coded[0]]:bounds[coded[0] + 1]]
            for k, word in enumerate(coded[1:], start=1):
                at = at[at + k < size]
                at = at[(words[at + k] == word) & (parent[at + k] == parent[at])]
            longer = len(coded) > found[at]
            found[at[longer]] = len(coded)
            name_at[at[longer]] = name
        starts = np.flatnonzero(found)
        clash = np.zeros(len(texts), dtype=bool)
        for k in range(1, int(found.max(initial=0))):
            inside = starts[(found[starts] > k) & (starts + k < size)]
            inside = inside[(found[inside + k] > 0) & (parent[inside + k] == parent[inside])]
            clash[parent[inside]] = True
        offsets = np.concatenate(([0], np.cumsum(np.bincount(parent[starts],
                                                             minlength=len(texts)))))
        ids = pc.cast(pa.array(name_at[starts]), pa.large_string())
        lists = pa.LargeListArray.from_arrays(pa.array(offsets.astype(np.int64)), ids)
        return clash, pc.binary_join(lists, pa.scalar(",", pa.large_string()))

    def places(self, names: str) -> list[Place]:
        """The places named by ``names`` (ids joined by commas), each once, in order (as
        ``named_in`` lists them)."""
        found: dict[str, Place] = {}
        for name in names.split(",") if names else ():
            for place in self.words[self.names[int(name)]]:
                found.setdefault(place.id, place)
        return list(found.values())


def named(told: pa.Array, gazetteer: Gazetteer) -> tuple[np.ndarray, list[list[Place]]]:
    """For each folded text: a code, and by code the places it names
    (:meth:`~dashboard.gazetteer.Gazetteer.named_in`)."""
    names = _Names(gazetteer)
    text = pa.large_string()
    signatures = []  # the ids of the names a text names, or (marked) the text itself where
    for first in range(0, len(told), BATCH):  # it is not ASCII or names overlap in it
        some = told.slice(first, BATCH)
        clash, found = names.matches(some)
        found_here = pa.array(np.asarray(pc.string_is_ascii(some), dtype=bool) & ~clash)
        signatures.append(pc.if_else(found_here, found.cast(text), joined_text("\x00", some)))
    signature = pa.concat_arrays(signatures) if signatures else pa.array([], type=text)
    codes, keys = pd.factorize(pd.Series(pd.arrays.ArrowExtensionArray(signature)))
    return np.asarray(codes), [gazetteer.named_in(k[1:]) if k.startswith("\x00")
                               else names.places(k) for k in keys]


class Terms(Protocol):
    """Search terms of places by id."""

    def __contains__(self, place_id: object) -> bool: ...

    def __getitem__(self, place_id: str) -> str: ...


def _terms(ids: tuple[str, ...], named_places: list[Place], terms: Terms) -> tuple[str, bool]:
    """The terms of an event's places, then of those its texts name, and whether any."""
    order = [p for p in ids if p]
    order += [p.id for p in named_places if p.id not in order]
    said = [terms[p] for p in order if p in terms]
    return " ".join(said), bool(said)


def search_texts(rows: pd.DataFrame, terms: Terms, gazetteer: Gazetteer) -> pa.Array:
    """The search text of each row (its :data:`TEXTS` and :data:`PLACES`): folded texts,
    then ``terms`` of its places and of the places of ``gazetteer`` its title and
    description name."""
    parts = []
    for first in range(0, len(rows), BATCH):
        batch = rows.iloc[first:first + BATCH]
        texts = {c: arrow(batch[c]) for c in TEXTS}
        folds = {c: folded(t) for c, t in texts.items()}
        told = joined_text(folds["title"], " \n ", folds["description"])
        codes, lists = named(told, gazetteer)
        combos, results = per_combo(
            lambda place, origin, destination, code, lists=lists: _terms(
                (place, origin, destination), lists[code], terms),
            *(batch[c] for c in PLACES), codes)
        words = arrow(np.array([r[0] for r in results], dtype=object)).take(pa.array(combos))
        said = np.array([r[1] for r in results], dtype=bool)[combos]
        present = [np.asarray(pc.not_equal(texts[c], ""), dtype=bool) for c in TEXTS]
        parts.append(join_present([*folds.values(), words], [*present, said]))
    return pa.concat_arrays(parts) if parts else pa.array([], type=pa.large_string())
