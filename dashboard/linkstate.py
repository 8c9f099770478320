"""What a shared link holds beyond ``urlstate``: the opening range and the precision switch.

- no ``from`` and no ``to``: the range the page opens on (``periods.opening_range``), so that
  range is never written; a range both of whose dates ``urlstate`` would leave out as the
  data's first and last day (*Everything*) is written in full, so such a link stays one;
- ``precise``: ``1`` shows only events dated to the day; left out when off (``0``).

Reading never raises: a bad value is dropped and a notice says which and why.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from datetime import date

from dashboard.filters import FilterState
from dashboard.urlstate import FROM, TO, MapView, Query, from_query, to_query

PRECISE = "precise"


def _given(raw: object) -> list[str]:
    """The non-blank values of a parameter, as text."""
    values = raw if isinstance(raw, list | tuple) else [raw]
    return [str(v).strip() for v in values if v is not None and str(v).strip()]


def _precise(raw: object, notices: list[str]) -> bool:
    text = (_given(raw) or [""])[-1].lower()
    if text not in ("", "0", "1"):
        notices.append(f"Dropped precision switch '{text[:60]}': not 1 (on) or 0 (off).")
    return text == "1"


def read_link(params: Mapping[str, str | list[str]], *, regions: Collection[str],
              first: date, last: date, default: tuple[date, date]
              ) -> tuple[FilterState, MapView | None, list[str]]:
    """The filters, map view and notices of a link, as :func:`urlstate.from_query` reads
    them, with the opening range when it gives no date and the precision switch.

    Parameters
    ----------
    params : mapping
        Parameter names to a value or a list of values.
    regions : collection of str
        The known region ids.
    first, last : date
        The data's span: one missing date defaults to its end, dates are clipped to it.
    default : tuple of date
        The opening range, used when the link gives neither date.
    """
    values = dict(params)
    switch = values.pop(PRECISE, None)
    state, view, notices = from_query(values, regions=regions, first=first, last=last)
    if not _given(values.get(FROM)) and not _given(values.get(TO)):
        start, end = max(default[0], first), min(default[1], last)
        if start <= end:
            state = replace(state, date_from=start, date_to=end)
    return replace(state, precise_only=_precise(switch, notices)), view, notices


def write_link(state: FilterState, view: MapView | None = None, *,
               span: tuple[date, date] | None = None, default: tuple[date, date] | None = None,
               chapter: str | None = None) -> Query:
    """Query parameters for ``state``: :func:`urlstate.to_query`'s, without the opening
    range ``default``, with the whole span written out and ``precise=1`` when on."""
    query = to_query(state, view, span=span, chapter=chapter)
    dates = (state.date_from, state.date_to)
    if default is not None and dates == tuple(default):
        query.pop(FROM, None)
        query.pop(TO, None)
    elif (default is not None and FROM not in query and TO not in query
          and state.date_from is not None and state.date_to is not None):
        query = {FROM: state.date_from.isoformat(), TO: state.date_to.isoformat(), **query}
    if state.precise_only:
        query[PRECISE] = "1"
    return query
