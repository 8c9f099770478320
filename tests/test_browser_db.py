"""Two dashboard servers on one database act as one site: a ``db load`` of a new file shows
in the pages of both after a rerun, map and count alike."""

from __future__ import annotations

import time

import pytest

from dashboard.cli import main
from tests.browser_support import (
    EVENTS_CSV,
    RERUN_TIMEOUT,
    VIEWPORT,
    map_frame,
    metric_count,
    open_dashboard,
    settled_ids,
)
from tests.conftest import row, serve

pytestmark = pytest.mark.browser


def test_a_load_shows_on_both_servers(browser, postgres, new_database, monkeypatch,
                                      events_file, guard):
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", postgres.url(new_database()))
    assert main(["db", "load", str(EVENTS_CSV)]) == 0
    with serve(EVENTS_CSV) as one, serve(EVENTS_CSV) as two:
        pages = []
        for server in (one, two):
            page = browser.new_context(viewport=VIEWPORT).new_page()
            guard.attach(page)
            open_dashboard(page, server.url)
            pages.append(page)
        before = [metric_count(page) for page in pages]
        assert before[0] == before[1] and before[0]
        new = events_file(row(event_id="db-new-1", title="Loaded while the site was up"),
                          row(event_id="db-new-2", date_start="2023-09-20"), name="new.csv")
        assert main(["db", "load", str(new)]) == 0
        time.sleep(1.1)  # each server reads the data version at most once a second
        for page in pages:
            page.reload()
            ids = settled_ids(page, map_frame(page), lambda found: "db-new-1" in found,
                              "the newly loaded events on the map", timeout=RERUN_TIMEOUT * 2)
            assert "db-new-2" in ids and metric_count(page) == before[0] + 2
        assert guard.external() == []
        for page in pages:
            page.context.close()
