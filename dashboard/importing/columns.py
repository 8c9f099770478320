"""Records as whole columns of text, and mapping them once per distinct value.

A file's records are kept as Arrow-backed text columns, not a dict per row. The rules of a
format or of the schema are plain Python functions of a few values; :func:`per_combo` runs
such a function once for each distinct combination of values in the columns it reads and
spreads the results back over the rows, so a million rows of a few thousand distinct
combinations cost a few thousand calls, with exactly the rules' own results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa

from dashboard.importing.arrow_text import arrow, from_arrow, text_array

NAMES: Literal["str"] = "str"  # the text of categories
# Where the draft of a row located by coordinates keeps its point and how it is described
# (see dashboard.importing.common.Draft): NaN coordinates when it is not.
DRAFT_COLUMNS = ("latitude", "longitude", "place_name", "location_precision", "precision_m")


@dataclass(frozen=True)
class Coded:
    """A column as a code per row and its distinct values (Python objects) by code."""

    codes: np.ndarray
    values: np.ndarray

    def __len__(self) -> int:
        return len(self.codes)

    @classmethod
    def of(cls, column: pd.Series | np.ndarray) -> Coded:
        """The codes and distinct values of ``column``."""
        if isinstance(column, pd.Series) and isinstance(column.dtype, pd.CategoricalDtype):
            return cls(column.cat.codes.to_numpy().astype(np.int64),
                       column.cat.categories.to_numpy(dtype=object))
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        return cls(np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object))

    def take(self, rows: np.ndarray) -> Coded:
        return Coded(self.codes[rows], self.values)


Column = pd.Series | np.ndarray | Coded  # what the functions below take as a column


@dataclass
class Columns:
    """The records of a file as text columns (each value stripped), with their lines.

    A column the file lacks reads as empty text in every row, as a missing key of a record
    reads as ``""``. :meth:`coded` gives a column's codes, found once.
    """

    data: dict[str, pd.Series]
    lines: np.ndarray
    _coded: dict[str, Coded] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, name: str) -> pd.Series:
        if name in self.data:
            return self.data[name]
        return pd.Series(constant(len(self)))

    def coded(self, name: str) -> Coded:
        """A column as codes and distinct values."""
        if name not in self._coded:
            self._coded[name] = Coded.of(self[name])
        return self._coded[name]

    @classmethod
    def from_records(cls, records: list[tuple[int, dict[str, str]]],
                     header: Sequence[str]) -> Columns:
        """Columns of ``header`` from numbered dict records (GeoJSON features)."""
        data = {c: pd.Series(text_array([r.get(c, "") for _, r in records]))
                for c in header}
        return cls(data, np.array([n for n, _ in records], dtype=np.int64))

    def take(self, rows: np.ndarray) -> Columns:
        """The records at positions ``rows``."""
        return Columns({c: s.iloc[rows].reset_index(drop=True) for c, s in self.data.items()},
                       self.lines[rows], {c: k.take(rows) for c, k in self._coded.items()})

    def records(self, rows: np.ndarray, names: Sequence[str] | None = None,
                ) -> Iterator[tuple[int, dict[str, str]]]:
        """``(line, record)`` of the rows at positions ``rows``, in their order."""
        names = list(self.data) if names is None else [n for n in names if n in self.data]
        if not len(rows):
            return
        values = [self.data[n].iloc[rows].tolist() for n in names]
        for line, row in zip(self.lines[rows].tolist(), zip(*values, strict=True), strict=True):
            yield line, dict(zip(names, row, strict=True))


def _codes(column: Column) -> tuple[np.ndarray, int]:
    """Codes of the distinct values, and how many codes there may be."""
    if isinstance(column, Coded):
        return column.codes, len(column.values)
    if isinstance(column, pd.Series) and isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy().astype(np.int64), len(column.cat.categories)
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    return np.asarray(codes, dtype=np.int64), len(uniques)


def combo_codes(*columns: Column) -> tuple[np.ndarray, np.ndarray]:
    """A code per row for its combination of values, and the first row of each code.

    Codes count combinations in order of first appearance.
    """
    first = columns[0]
    codes, _ = _codes(first)
    if len(columns) == 1 and (isinstance(first, Coded) or (
            isinstance(first, pd.Series) and isinstance(first.dtype, pd.CategoricalDtype))):
        codes, _ = _codes(codes)  # in order of first appearance
    for column in columns[1:]:
        more, size = _codes(column)
        codes, _ = _codes(codes * size + more)
    if not len(codes):
        return codes, codes
    seen = np.maximum.accumulate(codes)
    firsts = np.flatnonzero(np.concatenate(([True], codes[1:] > seen[:-1])))
    return codes, firsts


def values_at(column: Column, rows: np.ndarray) -> list:
    """The values of ``column`` at positions ``rows`` as Python objects."""
    if isinstance(column, Coded):
        return column.values[column.codes[rows]].tolist()
    if isinstance(column, pd.Series):
        return column.iloc[rows].tolist()
    return column[rows].tolist()


def per_combo(func: Callable[..., Any], *columns: Column) -> tuple[np.ndarray, list]:
    """``func`` of each distinct combination of ``columns``' values: a code per row and the
    results by code."""
    codes, firsts = combo_codes(*columns)
    args = [values_at(c, firsts) for c in columns]
    return codes, [func(*a) for a in zip(*args, strict=True)]


def spread(codes: np.ndarray, results: list) -> np.ndarray:
    """The results by code as one object array over the rows."""
    out = np.empty(len(results), dtype=object)
    for i, result in enumerate(results):  # one by one: tuples stay tuples
        out[i] = result
    return out[codes]


def categorical(codes: np.ndarray, results: Sequence[str]) -> pd.Categorical:
    """Text results by code as a categorical over the rows, categories sorted."""
    names = np.array(list(results), dtype=object)
    order, uniques = pd.factorize(names, sort=True)
    return pd.Categorical.from_codes(np.asarray(order)[codes] if len(codes) else codes,
                                     categories=pd.Index(uniques, dtype=NAMES))


REPEATED = 0.1  # text is kept as a categorical when it has fewer distinct values per row


def compact_text(codes: np.ndarray, texts: Sequence[str] | pa.Array,
                 index: pd.Index | None = None) -> pd.Series:
    """Texts by code as a column: a categorical (sorted categories) where they repeat, else
    Arrow-backed text (a categorical of mostly distinct values only costs memory)."""
    if len(texts) <= max(REPEATED * len(codes), 1):
        names = texts.to_pylist() if isinstance(texts, pa.Array) else texts
        return pd.Series(categorical(codes, names), index=index)
    return from_arrow(arrow(texts if isinstance(texts, pa.Array)
                            else np.array(texts, dtype=object)).take(pa.array(codes)), index)


def constant(rows: int, value: str = "") -> pd.Categorical:
    """The same text in each of ``rows`` rows."""
    return pd.Categorical.from_codes(np.zeros(rows, dtype=np.int8),
                                     categories=pd.Index([value], dtype=NAMES))


def mapped_text(func: Callable[..., str], *columns: Column) -> pd.Categorical:
    """Text ``func`` makes of each distinct combination of ``columns``, as a categorical."""
    return categorical(*per_combo(func, *columns))


def flags(func: Callable[..., bool], *columns: Column) -> np.ndarray:
    """Whether ``func`` holds for each row's combination of ``columns``, as booleans."""
    codes, results = per_combo(func, *columns)
    return np.asarray(results, dtype=bool)[codes] if len(codes) else np.zeros(0, bool)


def stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames of the same columns one after the other, keeping categoricals categorical."""
    frames = [f for f in frames if len(f.columns)]
    if len(frames) == 1:
        return frames[0].reset_index(drop=True)
    out = {}
    for name in frames[0].columns:
        parts = [f[name].reset_index(drop=True) for f in frames]
        if any(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
            cats = [p.array if isinstance(p.dtype, pd.CategoricalDtype)
                    else pd.Categorical(p.astype(object)) for p in parts]
            out[name] = pd.Series(sorted_union(cats))
        else:
            out[name] = pd.concat(parts, ignore_index=True)
    return pd.DataFrame(out)


def sorted_union(parts: list[pd.Categorical]) -> pd.Categorical:
    """Categoricals one after the other, their categories united and sorted."""
    names = sorted(set().union(*(set(p.categories) for p in parts)))
    categories = pd.Index(names or [""], dtype=NAMES)
    codes = [p.set_categories(categories).codes for p in parts]
    return pd.Categorical.from_codes(np.concatenate(codes), categories=categories)


@dataclass
class Mapped:
    """Rows a vectorised converter mapped cleanly: positions and their drafts as columns.

    ``frame`` has the schema's columns as text and :data:`DRAFT_COLUMNS`, a row for each
    position in ``rows``; rows not in ``rows`` are mapped one by one.
    """

    rows: np.ndarray
    frame: pd.DataFrame
