"""Text columns in Arrow: into and out of pandas, joined and changed a column at a time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

TEXT: Literal["str"] = "str"  # Arrow-backed text, as pandas keeps text by default


def text_array(values: Sequence[str] | np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``values`` (Python text) as one compact Arrow-backed text array."""
    arrow = pa.array(values, type=pa.large_string())  # pandas' way in checks each for NA
    return pd.Series(pd.arrays.ArrowExtensionArray(arrow)).astype(TEXT).array


def as_text(column: pd.Series) -> pd.Series:
    """Text of any kind (categorical, object, Arrow) as an Arrow-backed text column."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        names = text_array(column.cat.categories.to_numpy(dtype=object))
        return pd.Series(names.take(column.cat.codes.to_numpy()), index=column.index)
    if column.dtype == object:
        return pd.Series(text_array(column.to_numpy()), index=column.index)
    return column.astype(TEXT)


def member(values: pd.Series, pool: pd.Series) -> np.ndarray:
    """Whether each of ``values`` is one of ``pool`` (text; any size)."""
    codes, _ = pd.factorize(pd.concat([as_text(pool), as_text(values)], ignore_index=True))
    codes = np.asarray(codes)
    known = np.zeros(codes.max() + 1 if len(codes) else 0, dtype=bool)
    known[codes[:len(pool)]] = True
    return known[codes[len(pool):]]


def arrow(values: pd.Series | np.ndarray | pa.Array) -> pa.Array:
    """Text (a column, or Python text) as one Arrow array."""
    if isinstance(values, pa.Array):
        return values
    if isinstance(values, pd.Series):
        values = as_text(values).array
        return pa.chunked_array(values.__arrow_array__()).combine_chunks().cast(
            pa.large_string())
    return pa.array(values, type=pa.large_string())


def from_arrow(values: pa.Array | pa.ChunkedArray, index: pd.Index | None = None) -> pd.Series:
    """An Arrow text array as a text column."""
    return pd.Series(pd.arrays.ArrowExtensionArray(values), index=index).astype(TEXT)


def joined_text(*parts: str | np.ndarray | pd.Series | pa.Array) -> pa.Array:
    """Text pieces (one per row, or the same for every row) joined, row by row."""
    text = pa.large_string()
    return pc.binary_join_element_wise(*(pa.scalar(p, type=text) if isinstance(p, str)
                                         else arrow(p) for p in parts), pa.scalar("", text))


def scatter(column: pd.Series, rows: np.ndarray, values: pa.Array) -> pd.Series:
    """A text column with ``values`` put at positions ``rows`` (ascending)."""
    mask = np.zeros(len(column), dtype=bool)
    mask[rows] = True
    return from_arrow(pc.replace_with_mask(arrow(column), pa.array(mask), values),
                      column.index)
