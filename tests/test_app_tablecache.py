"""The app with the cache of imported tables, and the upload box that states its limit."""

from __future__ import annotations

import time

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import dashboard.tablecache as tablecache
from bench.generate import write_acled
from dashboard.paths import GEODATA_DIR
from dashboard.settings import Settings
from dashboard.tablecache import TableCache, store
from tests.test_app import run_app, shown

pytestmark = pytest.mark.app


def test_the_upload_box_states_its_limit_before_the_upload(monkeypatch):
    monkeypatch.setenv("DASHBOARD_MAX_UPLOAD_MB", "50")
    monkeypatch.setenv("DASHBOARD_MAX_ROWS", "5000")
    uploader = run_app(monkeypatch).file_uploader(key="uploads")
    assert "up to 50 MB each" in uploader.label
    assert "over 50 MB or 5,000 rows are refused" in uploader.help
    assert uploader.proto.max_upload_size_mb == 50  # the browser refuses larger files


def test_the_default_upload_limit_is_200_mb(monkeypatch):
    uploader = run_app(monkeypatch).file_uploader(key="uploads")
    assert "up to 200 MB each" in uploader.label and "1,000,000 rows" in uploader.help
    assert uploader.proto.max_upload_size_mb == 200


def test_a_file_loaded_from_the_cache_shows_the_same_events(monkeypatch, tmp_path,
                                                            table_cache):
    path = write_acled(tmp_path / "acled-3k.csv", 3000, seed=3)
    st.cache_resource.clear()  # no dataset of an earlier test in this process
    first = run_app(monkeypatch, events=path).button(key="period_everything").click().run()
    count, loaded = shown(first), first.metric[0].help
    assert count == 3000 and not first.error
    key = TableCache(table_cache).key(path, GEODATA_DIR, None, Settings().file_limits)
    for _ in range(400):  # written in the background
        if store.find(table_cache, key):
            break
        time.sleep(0.05)
    assert store.find(table_cache, key)

    def refuse(*args, **kwargs):
        raise AssertionError("imported again")

    monkeypatch.setattr(tablecache, "load_path", refuse)
    st.cache_resource.clear()  # as a new server would
    again = run_app(monkeypatch, events=path).button(key="period_everything").click().run()
    assert not again.exception and not again.error
    assert (shown(again), again.metric[0].help) == (count, loaded)
    assert not again.get("progress")  # the bar is gone once the file is loaded


def loading_page() -> None:
    import streamlit as st

    from dashboard.ui.progress import Once

    @st.cache_resource
    def once() -> Once:
        return Once()

    def load(progress) -> int:
        for step in range(5):
            progress(step / 4, f"step {step}")
        st.session_state["loads"] = st.session_state.get("loads", 0) + 1
        return 42

    st.write(f"value {once().get(load, 'Waiting…')}")


def test_the_progress_bar_is_removed_and_the_load_not_repeated():
    at = AppTest.from_function(loading_page)
    at.run()
    at.run()
    assert not at.exception
    assert [m.value for m in at.markdown] == ["value 42"]
    assert at.session_state["loads"] == 1 and not at.get("progress")



class FakeSlot:
    """What ``with_bar`` draws into, recorded."""

    def __init__(self) -> None:
        self.drawn: list[tuple[float, str]] = []
        self.emptied = False

    def progress(self, fraction: float, text: str) -> FakeSlot:
        self.drawn.append((fraction, text))
        return self

    def empty(self) -> None:
        self.emptied = True


def test_the_bar_shows_each_phrase_moves_by_steps_and_goes_away():
    from dashboard.ui.progress import with_bar

    slot = FakeSlot()

    def load(progress) -> str:
        for step in range(10_001):
            progress(step / 10_000, "Reading the file")
        progress(1.5, "Done")
        return "loaded"

    assert with_bar(load, slot) == "loaded" and slot.emptied
    assert 90 <= len(slot.drawn) <= 110  # not one message per call
    assert slot.drawn[0] == (0.0, "Reading the file") and slot.drawn[-1] == (1.0, "Done")
    failing = FakeSlot()
    with pytest.raises(ValueError):
        with_bar(lambda progress: (progress(0.5, "half"), int("x")), failing)
    assert failing.drawn == [(0.5, "half")] and failing.emptied
