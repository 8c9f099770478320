"""The app through AppTest: picking a story chapter logs no Streamlit warning."""

from __future__ import annotations

import logging

import pytest
from streamlit.elements.lib import policies

from dashboard.story import CHAPTERS
from tests.test_app import run_app

pytestmark = pytest.mark.app


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_picking_chapters_logs_no_warning(monkeypatch):
    # Streamlit warns once per process; make sure this test would see it.
    monkeypatch.setattr(policies, "_shown_default_value_warning", False)
    records = _Records()
    logger = logging.getLogger(policies.__name__)
    logger.addHandler(records)
    try:
        at = run_app(monkeypatch)
        for chapter in CHAPTERS[:3]:
            at.selectbox(key="story_chapter").set_value(chapter.id).run()
            assert not at.exception
        at.button(key="story_next").click().run()
        at.checkbox(key="category_military").uncheck().run()
    finally:
        logger.removeHandler(records)
    assert records.messages == []
    assert at.checkbox(key="category_military").value is False
