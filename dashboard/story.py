"""The guided story: chapters the source documents support, each a preset of filters.

The chapters are in ``sources/story.toml``. Each chapter's text is in our own words,
attributes contested claims to whoever makes them and relies only on the events listed in
``key_events`` (rows of the bundled ``events.csv``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dashboard.errors import DataFileError
from dashboard.filters import FilterState
from dashboard.paths import REPO_ROOT

STORY_FILE = REPO_ROOT / "sources" / "story.toml"


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


def load_chapters(path: Path = STORY_FILE) -> tuple[Chapter, ...]:
    """The chapters of ``story.toml``, in their order.

    Raises
    ------
    DataFileError
        When the file cannot be read or a chapter lacks a field.
    """
    try:
        with Path(path).open("rb") as handle:
            chapters = tomllib.load(handle)["chapter"]
        return tuple(Chapter(
            id=c["id"], title=c["title"], text=c["text"], date_from=c["date_from"],
            date_to=c["date_to"], regions=tuple(c["regions"]),
            categories=tuple(c["categories"]), key_events=tuple(c["key_events"]))
            for c in chapters)
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise DataFileError(f"cannot read the story {path}: {exc}") from None


CHAPTERS: tuple[Chapter, ...] = load_chapters()

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
