"""Words every export carries: what is shown, and where it comes from."""

from __future__ import annotations

import pandas as pd

from dashboard.dataset import Dataset
from dashboard.filters import FilterState
from dashboard.formatting import format_day
from dashboard.profile import ATTRIBUTION
from dashboard.schema import CATEGORIES
from dashboard.sources import full_citation

PRODUCT = "Conflict-event map"
MAP_DATA = f"{ATTRIBUTION}. Corridor routes schematic."


def date_span(state: FilterState, events: pd.DataFrame) -> tuple:
    """The state's dates, or the events' span where the state leaves them open."""
    start = state.date_from or (events["start"].min().date() if len(events) else None)
    end = state.date_to or (events["end"].max().date() if len(events) else None)
    return start, end


def title(state: FilterState, data: Dataset, events: pd.DataFrame) -> str:
    """``Events 19 Sep 2023 – 3 Oct 2023 · Syunik · Displacement`` for a state."""
    start, end = date_span(state, events)
    when = (f"{format_day(start)} – {format_day(end)}" if start and end and start != end
            else format_day(start) if start else "no events")
    names = {r.id: r.name for r in data.geodata.choices}
    where = ", ".join(names.get(r, r) for r in state.regions) or "all regions"
    layers = ("all layers" if set(state.categories) == set(CATEGORIES)
              else ", ".join(CATEGORIES[c].label for c in state.categories) or "no layers")
    text = f"Events {when} · {where} · {layers}"
    text += " · precisely dated only" if state.precise_only else ""
    return text + (f" · search “{state.search}”" if state.search else "")


def sources(events: pd.DataFrame) -> list[str]:
    """Citations of the distinct documents the shown events cite, most cited first."""
    if not len(events):
        return []
    return list(dict.fromkeys(full_citation(s) for s in events["source"].value_counts().index))


def footer(events: pd.DataFrame) -> str:
    """Sources, map data attribution and the product, for the foot of an export."""
    cited = "; ".join(sources(events)) or "none"
    return f"Sources: {cited}. {MAP_DATA} Made with {PRODUCT}."
