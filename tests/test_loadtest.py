"""The load test's WebSocket client against a real server: one session, three reruns.

Keeps ``make loadtest`` from rotting; it asserts what the reruns show, never their speed.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from bench.loadtest import rss_mb
from bench.wsclient import Session
from tests.browser_support import EVENTS_CSV, StreamlitServer

pytestmark = pytest.mark.app

RANGES = [(date(2023, 9, 19), date(2023, 9, 20)), (date(2023, 9, 1), date(2023, 9, 30)),
          (date(2023, 9, 19), date(2023, 9, 20))]


async def shown_counts(url: str) -> tuple[list[str], list[int]]:
    async with Session(url, timeout=60) as session:
        first = await session.rerun()
        counts = [session.page.metrics["Events shown"]]
        statuses = [first.status]
        for dates in RANGES:
            session.set_dates(*dates)
            result = await session.rerun()
            assert not session.page.exceptions, session.page.exceptions
            assert result.received > 0 and result.messages > 0
            statuses.append(result.status)
            counts.append(session.page.metrics["Events shown"])
    return statuses, [int(c) for c in counts]


def test_one_session_reruns_and_the_slider_changes_what_is_shown():
    with StreamlitServer(EVENTS_CSV) as server, ThreadPoolExecutor(1) as worker:
        # Its own thread: Playwright's sync API may hold this thread's event loop.
        statuses, counts = worker.submit(asyncio.run, shown_counts(server.url)).result()
        assert server.process is not None and rss_mb(server.process.pid) > 0
    assert statuses == ["FINISHED_SUCCESSFULLY"] * 4
    everything, two_days, september, again = counts
    assert two_days < september <= everything
    assert again == two_days


def test_only_loopback_servers_are_driven():
    with pytest.raises(ValueError, match="loopback"):
        Session("http://192.0.2.1:8501/")
