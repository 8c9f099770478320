"""The guided story: chapters the source documents support, each a preset of filters.

Each chapter's text is in our own words, attributes contested claims to whoever makes them
and relies only on the events listed in ``key_events`` (rows of the bundled ``events.csv``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dashboard.filters import FilterState


@dataclass(frozen=True)
class Chapter:
    """A chapter: its filters, two or three sentences, and the events the text relies on."""

    id: str
    title: str
    text: str
    date_from: date
    date_to: date
    regions: tuple[str, ...]
    categories: tuple[str, ...]
    key_events: tuple[str, ...]


CHAPTERS: tuple[Chapter, ...] = (
    Chapter(
        "war-2020", "The 2020 war and the trilateral statement",
        "The 44-day war of 2020 ended with a trilateral statement that Russia, Armenia and "
        "Azerbaijan signed on 9 November 2020. Document A says that as a result Azerbaijan "
        "took most of Nagorno-Karabakh, Armenia withdrew its forces and Russia deployed "
        "peacekeepers in the parts Azerbaijan did not control. Document B puts them at around "
        "2,000, on the line of contact and in the Lachin corridor, the route linking "
        "Nagorno-Karabakh's population with the outside world.",
        date(2020, 9, 27), date(2020, 11, 30), ("nagorno_karabakh",),
        ("military", "political"),
        ("nk-0003", "nk-0004", "nk-0008", "nk-0006", "nk-0007", "nk-0005"),
    ),
    Chapter(
        "blockade", "The blockade (December 2022 – September 2023)",
        "Document A says that from December 2022, for over nine months, Azerbaijan blocked "
        "the only road linking Nagorno-Karabakh to Armenia, mapped here as the Lachin "
        "corridor. It says this denied 120,000 Armenians access to food, gas and healthcare "
        "and paralysed transport, and calls it a humanitarian catastrophe.",
        date(2022, 12, 1), date(2023, 9, 18), ("nagorno_karabakh",), ("blockade",),
        ("nk-0011",),
    ),
    Chapter(
        "offensive", "The offensive of 19-20 September 2023",
        "Around 1 pm on 19 September 2023, according to Document B, Azerbaijan launched a "
        "military offensive on Nagorno-Karabakh; Document A reports that Stepanakert and other "
        "towns and villages were bombarded. On 20 September Russia brokered a ceasefire, and "
        "Document B says the operation ended with the capitulation of Nagorno-Karabakh's "
        "president. Document A counts at least 200 dead and 400 wounded as of 20 September, "
        "and Document B quotes Nagorno-Karabakh's ombudsperson giving the same 200 and 400.",
        date(2023, 9, 19), date(2023, 9, 20), ("nagorno_karabakh",),
        ("military", "civilian_harm"),
        ("nk-0044", "nk-0042", "nk-0051", "nk-0054", "nk-0053", "nk-0037"),
    ),
    Chapter(
        "reactions", "Reactions in Yerevan, Moscow and Berlin",
        "Document B reports that on 19 September protesters at the government building in "
        "Yerevan demanded intervention, and that on 21-22 September protests paralysed "
        "traffic and some groups blocked the Russian embassy, demanding that Russia fulfil "
        "its peacekeeping role. In Moscow, foreign-ministry spokesperson Maria Zakharova said the "
        "Russian mission had been informed several minutes before the operation and accused "
        "Armenia of 'black ingratitude'. In Berlin, Bundestag human-rights committee chair "
        "Renata Alt said Russia had abandoned Armenia and called for sanctions on individuals "
        "against Azerbaijan.",
        date(2023, 9, 19), date(2023, 9, 22), ("armenia", "russia", "outside_mapped_regions"),
        ("political", "protest"),
        ("nk-0046", "nk-0056", "nk-0058", "nk-0031", "nk-0033", "nk-0035", "nk-0036"),
    ),
    Chapter(
        "exodus", "The exodus over the Hakari bridge (24-28 September 2023)",
        "On 24 September, Document B reports, a first group of about 3,000 Nagorno-Karabakh "
        "Armenians entered Armenia, while there was no information on the fate of displaced "
        "people, many of them waiting in shelters. Document A counts more than 68,000 people "
        "who had crossed the Hakari bridge into Armenia's Syunik province by noon on "
        "28 September, and says many people are missing. The two figures are counts at "
        "different dates, not numbers to add.",
        date(2023, 9, 24), date(2023, 9, 28), ("nagorno_karabakh", "armenia"),
        ("displacement", "civilian_harm"),
        ("nk-0061", "nk-0060", "nk-0063", "nk-0062"),
    ),
)

BY_ID: dict[str, Chapter] = {c.id: c for c in CHAPTERS}


def get_chapter(chapter_id: str | None) -> Chapter | None:
    """The chapter with ``chapter_id``, or None when there is none."""
    return BY_ID.get(chapter_id or "")


def chapter_state(chapter: Chapter, span: tuple[date, date] | None = None) -> FilterState:
    """The filters of ``chapter``, its dates clipped to ``span`` when given.

    Parameters
    ----------
    chapter : Chapter
        The chapter.
    span : tuple of date, optional
        The data's first and last day; a range outside it falls back to the whole span.
    """
    start, end = chapter.date_from, chapter.date_to
    if span is not None:
        first, last = span
        start, end = max(start, first), min(end, last)
        if start > end:
            start, end = first, last
    return FilterState(date_from=start, date_to=end, regions=chapter.regions,
                       categories=chapter.categories, search="")


def _step(chapter_id: str | None, offset: int) -> Chapter | None:
    ids = [c.id for c in CHAPTERS]
    if chapter_id not in ids:
        return CHAPTERS[0] if offset > 0 and CHAPTERS else None
    index = ids.index(chapter_id) + offset
    return CHAPTERS[index] if 0 <= index < len(CHAPTERS) else None


def next_chapter(chapter_id: str | None) -> Chapter | None:
    """The chapter after ``chapter_id``; the first one from free exploration; None at the end."""
    return _step(chapter_id, 1)


def previous_chapter(chapter_id: str | None) -> Chapter | None:
    """The chapter before ``chapter_id``; None at the first one or from free exploration."""
    return _step(chapter_id, -1)


def same_filters(state: FilterState, other: FilterState) -> bool:
    """Whether two states select the same events (region and layer order aside)."""
    return (state.date_from == other.date_from and state.date_to == other.date_to
            and set(state.regions) == set(other.regions)
            and set(state.categories) == set(other.categories)
            and state.search.strip() == other.search.strip())
