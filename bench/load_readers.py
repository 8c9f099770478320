"""Simulated readers: WebSocket sessions that open the page, then change the date range and
pan the map in turn, each interaction timed until the page shows its result.

A date change reruns the page; its time runs to the arrival of the updated "Events shown"
count (and, separately, to the end of the rerun). A pan reports the map's new view as the
browser's map component does, which reruns the map's fragment alone; its time runs to the
end of that run, when the new map has been sent. Every loop is bounded in interactions and
in time.
"""

from __future__ import annotations

import asyncio
import os
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from math import cos, radians
from pathlib import Path

from bench.generate import TOWNS
from bench.wsclient import RerunError, Session

COUNT = "Events shown"
DONE = {"FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"}
MAP_PIXELS = (1000, 680)  # the map's width and height in a desktop browser
ZOOMS = (8, 9, 10, 11, 12)  # towns to streets: circles per area at 8, single events later
PAGE_TIMEOUT = 120.0  # seconds a reader waits for its first page


@dataclass
class Interaction:
    """One interaction: ``updated`` seconds until the page showed its result, ``seconds``
    until the run finished."""

    kind: str  # "dates" or "pan"
    server: int
    updated: float
    seconds: float
    received: int


@dataclass
class Phase:
    """What one level of concurrent readers did, and what the servers did meanwhile."""

    store: str
    servers: int
    readers: int
    think: float = 0.0  # seconds each reader pauses after an update (0.5-1.5 times this)
    stress: bool = False  # readers quicker than the targets' readers, to see the limit
    interactions: list[Interaction] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)  # seconds to each reader's first page
    errors: list[str] = field(default_factory=list)
    cut: int = 0  # readers stopped by the time limit before their last interaction
    rss: list[list[float]] = field(default_factory=list)  # MB per server, sampled
    times: list[float] = field(default_factory=list)  # seconds since the start, per sample
    seconds: float = 0.0
    cpu_app: float = 0.0  # CPU seconds of the dashboard servers over the phase
    cpu_db: float = 0.0  # of PostgreSQL
    cpu_client: float = 0.0  # of this process (the simulated readers)
    load: float = 0.0  # the machine's 1-minute load average at the end

    def percentile(self, q: float, kind: str | None = None, end: bool = False) -> float:
        """The ``q`` quantile of the seconds to the update (or, with ``end``, to the end
        of the run) of the interactions of ``kind`` (all when None)."""
        times = sorted(i.seconds if end else i.updated for i in self.interactions
                       if kind is None or i.kind == kind)
        return quantile(times, q)


def quantile(times: list[float], q: float) -> float:
    if not times:
        return float("nan")
    times = sorted(times)
    return times[min(len(times) - 1, round(q * (len(times) - 1)))]


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children in MB, from /proc."""
    total = 0
    for proc in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{proc}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of ``pid`` and its children so far, from /proc."""
    total = 0.0
    for proc in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{proc}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _children(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    kids = [int(p) for p in found]
    return kids + [k for kid in kids for k in _children(kid)]


class Sampler(threading.Thread):
    """Samples the RSS of each of ``pids`` every ``interval`` seconds until stopped."""

    def __init__(self, pids: list[int], interval: float = 0.5):
        super().__init__(daemon=True)
        self.pids, self.interval = pids, interval
        self.samples: list[list[float]] = [[] for _ in pids]
        self.times: list[float] = []
        self._start = time.monotonic()
        self._stop_event = threading.Event()

    def sample(self) -> None:
        self.times.append(time.monotonic() - self._start)
        for series, pid in zip(self.samples, self.pids, strict=True):
            series.append(rss_mb(pid))

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()
        self.sample()


def date_range(first: date, last: date, index: int, distinct: int) -> tuple[date, date]:
    """The ``index``-th range the readers ask for; at most ``distinct`` different ones
    (any number with 0).

    Drawn from ``index`` alone (so every reader's sequence differs, with no pattern tied
    to the reader's number): an end anywhere in the data's span and a length from a day
    to two years, so a range may hold a handful of events or tens of thousands.
    """
    pick = random.Random(index % distinct if distinct else index)
    end = first + timedelta(days=pick.randint(0, (last - first).days))
    return max(first, end - timedelta(days=pick.randint(0, 730))), end


def view(index: int) -> tuple[float, float, float, float, int]:
    """The ``index``-th view a reader pans to: near a town of the generated data, at a
    zoom from the region to its streets; (south, west, north, east, zoom)."""
    pick = random.Random(index)
    town = TOWNS[pick.randrange(len(TOWNS))]
    zoom = ZOOMS[index % len(ZOOMS)]
    lat = town[4] + pick.uniform(-0.05, 0.05)
    lon = town[5] + pick.uniform(-0.05, 0.05)
    per_pixel = 360 / (256 * 2 ** zoom)  # degrees of longitude
    half_w = MAP_PIXELS[0] / 2 * per_pixel
    half_h = MAP_PIXELS[1] / 2 * per_pixel * cos(radians(lat))
    return (round(lat - half_h, 6), round(lon - half_w, 6), round(lat + half_h, 6),
            round(lon + half_w, 6), zoom)


class Gate:
    """Opens once every reader has loaded its page (or failed to)."""

    def __init__(self, total: int):
        self.left, self.opened = total, asyncio.Event()

    def arrive(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self.opened.set()


async def reader(url: str, server: int, number: int, count: int, gate: Gate, limit: float,
                 distinct: int, phase: Phase, done: list[int], on_done=None) -> None:
    """One reader: its page, then ``count`` interactions, pausing ``phase.think`` seconds
    (0.5-1.5 times) between them and up to ``phase.think`` before the first, as readers do
    not all act at the same moment; stops ``limit`` seconds after all pages were loaded."""
    name = f"reader {number}"
    think = phase.think
    pause = random.Random(number)
    arrived = False
    try:
        async with Session(url, timeout=PAGE_TIMEOUT) as session:
            first = await session.rerun()
            phase.loads.append(first.seconds)
            _check(session, first.status, name, phase)
            gate.arrive()
            arrived = True
            await gate.opened.wait()
            deadline = time.monotonic() + limit
            if think:
                await asyncio.sleep(think * pause.uniform(0.0, 1.0))
            slider = session.page.widgets[session.widget_id("dates")].slider
            start = date(1970, 1, 1) + timedelta(microseconds=slider.min)
            end = date(1970, 1, 1) + timedelta(microseconds=slider.max)
            for i in range(count):
                if time.monotonic() > deadline:
                    phase.cut += 1
                    return
                step = number * 1009 + i
                if i % 2 == 0:
                    session.set_dates(*date_range(start, end, step, distinct))
                    result = await session.rerun()
                    updated = result.metrics.get(COUNT)
                    if updated is None or not session.page.metrics.get(COUNT, "").replace(
                            ",", "").isdigit():
                        phase.errors.append(f"{name}: no updated count after a date change")
                        updated = result.seconds
                    kind = "dates"
                else:
                    result = await session.rerun(session.pan(*view(step)))
                    updated, kind = result.seconds, "pan"
                _check(session, result.status, name, phase)
                phase.interactions.append(Interaction(kind, server, updated, result.seconds,
                                                      result.received))
                done[0] += 1
                if on_done is not None:
                    on_done(done[0])
                if think and i < count - 1:
                    await asyncio.sleep(think * pause.uniform(0.5, 1.5))
    except (RerunError, OSError, KeyError, TimeoutError) as exc:
        phase.errors.append(f"{name}: {type(exc).__name__}: {exc}")
    finally:
        if not arrived:
            gate.arrive()


def _check(session: Session, status: str, name: str, phase: Phase) -> None:
    if status not in DONE:
        phase.errors.append(f"{name}: the run ended {status}")
    for problem in [*session.page.exceptions, *session.page.errors]:
        phase.errors.append(f"{name}: {problem[:200]}")


def run_phase(phase: Phase, urls: list[str], pids: list[int], db_pid: int | None,
              count: int, limit: float, distinct: int = 0, every: int = 0,
              first: int = 0) -> Phase:
    """``phase.readers`` concurrent readers, split over ``urls`` in turn, of ``count``
    interactions each, pausing as ``phase.think`` says (:func:`reader`); the servers'
    memory sampled every 0.5 s, or with ``every`` after each ``every`` interactions in all.
    ``first`` numbers the readers, whose numbers choose their ranges and views (other
    numbers for each level, and for each round of a memory run)."""
    sampler = Sampler(pids)
    done = [0]

    def on_done(total: int) -> None:
        if every and total % every == 0:
            sampler.sample()

    async def main() -> None:
        gate = Gate(phase.readers)
        await asyncio.gather(*(reader(urls[r % len(urls)], r % len(urls), first + r, count,
                                      gate, limit, distinct, phase, done, on_done)
                               for r in range(phase.readers)))

    if not every:
        sampler.start()
    start = time.monotonic()
    app, db = sum(cpu_seconds(p) for p in pids), cpu_seconds(db_pid) if db_pid else 0.0
    client = time.process_time()
    asyncio.run(main())
    phase.seconds = time.monotonic() - start
    phase.cpu_app = sum(cpu_seconds(p) for p in pids) - app
    phase.cpu_db = (cpu_seconds(db_pid) - db) if db_pid else 0.0
    phase.cpu_client = time.process_time() - client
    phase.load = os.getloadavg()[0]
    if not every:
        sampler.stop()
    phase.rss, phase.times = sampler.samples, sampler.times
    return phase
