"""Checked rows as text to a typed table: dates, figures and compact text columns.

Each distinct date (with its end and precision) and figure is parsed once, however many
rows share it.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from dashboard.events import effective_end
from dashboard.importing.arrow_text import as_text
from dashboard.importing.columns import per_combo
from dashboard.schema import COLUMNS, FIGURE_COLUMNS
from dashboard.validation import parse_date

# The schema's text columns are Arrow-backed text (``str``), as pandas makes them: code
# adds, cuts and compares them as text. (The columns joined to them that only repeat what
# a place or a text says, ``place_name``, ``location_precision`` and ``search_text``, are
# categoricals: see dashboard.importing.joining.)
CATEGORICAL: tuple[str, ...] = ()


def text_column(column: pd.Series, categorical: bool = False) -> pd.Series:
    """Text as Arrow-backed ``str``, or as a categorical of sorted, used categories."""
    if not categorical:
        return as_text(column)
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return pd.Series(pd.Categorical(as_text(column)), index=column.index)
    used = column.cat.remove_unused_categories()
    return used.cat.reorder_categories(sorted(used.cat.categories))


def _days(codes: np.ndarray, days: list[date]) -> pd.Series:
    values = np.array([np.datetime64(d, "D") for d in days], dtype="datetime64[D]")
    return pd.Series(values[codes].astype("datetime64[s]"))


def typed(table: pd.DataFrame) -> pd.DataFrame:
    """Rows as text (the schema's columns, ``line``) as a typed table: ``start``/``end``
    dates, integer figures (``Int64``), ``line``."""
    table = table.reset_index(drop=True)
    frame = pd.DataFrame({c: text_column(table[c], c in CATEGORICAL) for c in COLUMNS})
    frame["start"] = _days(*per_combo(parse_date, table["date_start"]))
    frame["end"] = _days(*per_combo(lambda s, e, p: effective_end(parse_date(s), e, p),
                                    table["date_start"], table["date_end"],
                                    table["date_precision"]))
    for column in FIGURE_COLUMNS:
        codes, numbers = per_combo(lambda v: int(v) if v else None, table[column])
        frame[column] = pd.array(numbers, dtype="Int64").take(codes)
    frame["line"] = table["line"].to_numpy(dtype=np.int64)
    return frame
