"""The load test against real servers, at tiny sizes: the WebSocket client's reruns and
pans on the embedded store, and the whole database path (a throwaway PostgreSQL, ``db
init`` and ``db load``, two servers on one database, the memory run).

Keeps ``make loadtest`` from rotting; it asserts what the reruns show, never their speed.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from bench.load_readers import Interaction, Phase, cpu_seconds, rss_mb, view
from bench.load_report import table, targets
from bench.loadtest import _postmaster, parser, run
from bench.wsclient import MAP_COMPONENT, Session
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
        # A pan reruns the map's fragment alone; the page's other widgets are kept.
        panned = await session.rerun(session.pan(*view(3)))
        assert panned.status == "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"
        assert not session.page.exceptions and session.component_id(MAP_COMPONENT)
        assert session.widget_id("dates")
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


def test_two_servers_on_one_database_take_readers_and_a_memory_run(postgres, capsys):
    args = parser().parse_args([
        "--events", "300", "--stores", "database", "--levels", "2", "--interactions", "4",
        "--think", "0", "--stress-readers", "0", "--memory-reruns", "8", "--memory-readers", "2",
        "--reader-reruns", "4", "--limit", "60"])
    with ThreadPoolExecutor(1) as worker:  # its own thread, as above
        result = worker.submit(run, args, postgres).result()
    assert "db load of 300 events" in capsys.readouterr().out
    [phase] = result.phases
    assert (phase.store, phase.servers, phase.readers) == ("database", 2, 2)
    assert phase.errors == []
    assert sorted(i.kind for i in phase.interactions) == ["dates"] * 4 + ["pan"] * 4
    assert {i.server for i in phase.interactions} == {0, 1}  # readers on both servers
    assert all(0 < i.updated <= i.seconds for i in phase.interactions)
    assert len(phase.rss) == 2 and all(series and min(series) > 0 for series in phase.rss)
    # PostgreSQL's share of 8 small interactions can be under one clock tick (10 ms): the
    # phase's figure may be 0, but it is read from the database server's processes.
    assert phase.cpu_app > 0 and phase.cpu_db >= 0
    postmaster = _postmaster(postgres)
    assert postmaster is not None and cpu_seconds(postmaster) > 0
    memory = result.memory
    assert memory is not None and memory.reruns == 8 and memory.errors == []
    assert [len(series) for series in memory.rss] == [3, 3]  # start, after 4, after 8
    assert "| database | 2 | 2 | none | 8 |" in table(result.phases)
    assert "| no errors (both stores, every phase) | 0 in 16 interactions | met |" in \
        targets(result.phases, memory)
    assert postgres.url("loadtest") not in capsys.readouterr().out


def test_the_target_is_judged_at_the_readers_pace_and_the_stress_level_is_reported():
    def phase(think: float, seconds: float, stress: bool = False) -> Phase:
        done = Phase("database", 2, 40, think, stress=stress)
        done.interactions = [Interaction("dates", 0, seconds, seconds, 1)] * 20
        return done

    paced, stressed = phase(3.0, 0.4), phase(1.0, 1.8, stress=True)
    judged = targets([paced, stressed], None)
    assert "| p95 ≤ 1 s at 40 readers pausing 1.5–4.5 s, interaction → updated page " \
           "| 0.40 s (p50 0.40 s) | met |" in judged
    assert "pausing 0.5–1.5 s (stress), interaction → updated page | 1.80 s (p50 1.80 s) " \
           "| over by 0.80 s |" in judged
    assert "| 1.5–4.5 | 20 |" in table([paced]) and "| 0.5–1.5 (stress) | 20 |" in \
        table([stressed])
    assert "MISSED: over by 0.80 s" in targets([phase(3.0, 1.8)], None)
    # A quick stress level alone is reported, but neither meets nor misses the target.
    alone = targets([phase(1.0, 0.5, stress=True)], None)
    assert "| p95 ≤ 1 s at 40 readers | not measured in this run | - |" in alone
    assert "| 0.50 s (p50 0.50 s) | within by 0.50 s |" in alone and "met |" not in \
        alone.split("no errors")[0]
