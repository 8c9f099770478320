"""The map's aggregates summed in the database: each selected event's grid cell at a zoom
(the formula of :func:`dashboard.aggregate.cell_ids`), then per cell its count, count per
layer, mean position, bounds and date span, so only the cells leave the database.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dashboard.aggregate import CELL_PX, TILE_PX
from dashboard.schema import CATEGORIES

if TYPE_CHECKING:
    from dashboard.db.selection import PostgisSelection

LAYERS = list(CATEGORIES)
COLUMNS = ["lat", "lon", "count", *LAYERS, "dominant", "first", "last",
           "south", "west", "north", "east"]
# The cell's row and column: the event's Web Mercator position (``e.my``, ``e.mx``: fractions
# of the world kept with each event, see migrations/0003) in pixels over the cell size, as
# dashboard.aggregate.cell_ids computes them.
_X = "floor(e.mx * %(size)s / %(cell)s)::bigint"
_Y = "floor(e.my * %(size)s / %(cell)s)::bigint"
HEAD = (f"{_Y} AS cell_row, {_X} AS cell_column, count(*), sum(e.lat), sum(e.lon), "
        + ", ".join(f"count(*) FILTER (WHERE e.category = %(layer{i})s)"
                    for i in range(len(LAYERS)))
        + ", min(e.start_day), max(e.end_day), min(e.lat), min(e.lon), max(e.lat), "
          "max(e.lon)")


def cells(selection: PostgisSelection, zoom: float) -> pd.DataFrame:
    """The selected events summed per grid cell at ``zoom``: the columns and order of
    :func:`dashboard.aggregate.aggregate`, largest cell first."""
    names = {"size": TILE_PX * 2.0 ** int(zoom), "cell": CELL_PX,
             **{f"layer{i}": layer for i, layer in enumerate(LAYERS)}}
    head, values = _positional(HEAD, names)
    rows = selection.fetch(head, "GROUP BY cell_row, cell_column", head_params=values)
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    fields = list(zip(*rows, strict=True))
    count = np.array(fields[2], dtype=np.int64)
    per_layer = np.array(fields[5:5 + len(LAYERS)], dtype=np.int64).T
    rest = fields[5 + len(LAYERS):]
    table = pd.DataFrame({
        "lat": np.array(fields[3], dtype=float) / count,
        "lon": np.array(fields[4], dtype=float) / count,
        "count": count, **{c: per_layer[:, i] for i, c in enumerate(LAYERS)},
        "dominant": np.array(LAYERS)[per_layer.argmax(axis=1)],
        "first": np.array(rest[0], dtype="datetime64[D]").astype("datetime64[s]"),
        "last": np.array(rest[1], dtype="datetime64[D]").astype("datetime64[s]"),
        "south": np.array(rest[2], dtype=float), "west": np.array(rest[3], dtype=float),
        "north": np.array(rest[4], dtype=float), "east": np.array(rest[5], dtype=float)})
    table = table.sort_values(["count", "lat", "lon"], ascending=[False, True, True])
    return table.reset_index(drop=True)[COLUMNS]


def _positional(text: str, names: dict[str, object]) -> tuple[str, list[object]]:
    """``text`` with its ``%(name)s`` placeholders as ``%s``, and their values in order
    (the statement's other parts use positional placeholders)."""
    values: list[object] = []
    out, rest = [], text
    while "%(" in rest:
        before, _, after = rest.partition("%(")
        name, _, rest = after.partition(")s")
        out.append(before + "%s")
        values.append(names[name])
    out.append(rest)
    return "".join(out), values
