"""The story chapters: their key events exist and are shown, their order, texts and helpers."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

import pytest

from dashboard.filters import apply_filters
from dashboard.schema import CATEGORIES
from dashboard.story import (
    BY_ID,
    CHAPTERS,
    chapter_state,
    get_chapter,
    next_chapter,
    previous_chapter,
    same_filters,
)

SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z]|$)")
IDS = [c.id for c in CHAPTERS]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_key_events_exist_and_the_chapter_selects_them(chapter, bundled):
    known = set(bundled.events["event_id"])
    assert chapter.key_events and set(chapter.key_events) <= known
    shown = set(apply_filters(bundled.events, chapter_state(chapter))["event_id"])
    assert set(chapter.key_events) <= shown


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_each_chapter_shows_events_and_has_valid_filters(chapter, bundled):
    assert len(apply_filters(bundled.events, chapter_state(chapter))) > 0
    known_regions = {r.id for r in bundled.geodata.choices}
    assert set(chapter.regions) <= known_regions
    assert chapter.categories and set(chapter.categories) <= set(CATEGORIES)
    assert chapter.date_from <= chapter.date_to


@pytest.mark.parametrize("chapter", CHAPTERS, ids=IDS)
def test_texts_are_two_or_three_sentences(chapter):
    assert 2 <= len(SENTENCE_END.findall(chapter.text)) <= 3, chapter.text
    assert chapter.title and chapter.text == chapter.text.strip()


def test_chapters_are_in_date_order_with_unique_ids():
    assert len(set(IDS)) == len(IDS) == len(BY_ID)
    starts = [c.date_from for c in CHAPTERS]
    ends = [c.date_to for c in CHAPTERS]
    assert starts == sorted(starts) and ends == sorted(ends)


def test_next_and_previous():
    assert next_chapter(None) == CHAPTERS[0] == next_chapter("no-such-chapter")
    assert previous_chapter(None) is None and previous_chapter(IDS[0]) is None
    assert next_chapter(IDS[-1]) is None
    for before, after in pairwise(CHAPTERS):
        assert next_chapter(before.id) == after and previous_chapter(after.id) == before
    assert get_chapter("offensive") == BY_ID["offensive"] and get_chapter(None) is None


def test_chapter_state_clips_to_the_data_span():
    chapter = BY_ID["exodus"]
    assert chapter_state(chapter).date_from == chapter.date_from
    clipped = chapter_state(chapter, (date(2023, 9, 25), date(2023, 12, 31)))
    assert (clipped.date_from, clipped.date_to) == (date(2023, 9, 25), chapter.date_to)
    outside = chapter_state(chapter, (date(2024, 1, 1), date(2024, 2, 1)))
    assert (outside.date_from, outside.date_to) == (date(2024, 1, 1), date(2024, 2, 1))
    assert outside.regions == chapter.regions and outside.search == ""


def test_same_filters_ignores_order_only():
    state = chapter_state(BY_ID["reactions"])
    reordered = type(state)(state.date_from, state.date_to, tuple(reversed(state.regions)),
                            tuple(reversed(state.categories)))
    assert same_filters(state, reordered)
    assert not same_filters(state, type(state)(state.date_from, state.date_to,
                                               state.regions, state.categories, "x"))
