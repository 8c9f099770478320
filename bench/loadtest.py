"""Concurrent sessions against a local dashboard server: rerun latency, bytes, server memory.

Run with ``python -m bench.loadtest`` (or ``make loadtest``). It starts ``streamlit run
dashboard/app.py`` on a free 127.0.0.1 port, drives 1, 10 and 20 WebSocket sessions that
each move the date range slider before every rerun, then 1,000 reruns to see whether the
server's memory stays flat. Every loop is bounded in reruns and in time; the server is
stopped at the end. The 1-session row is the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from bench.wsclient import Rerun, RerunError, Session
from tests.browser_support import EVENTS_CSV, StreamlitServer

TARGET_P95 = 2.0  # seconds, 20 sessions
FLAT_MB = 10.0  # RSS growth over the memory run's last 900 reruns still called flat
LEVELS = (1, 10, 20)
POOL = 20  # date ranges shared by the sessions in the second table (presets, common ranges)


@dataclass
class Phase:
    """The reruns of one run of the load test and what the server's memory did."""

    sessions: int
    reruns: list[Rerun] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cut: int = 0  # sessions stopped by the time limit before their last rerun
    rss: list[float] = field(default_factory=list)  # MB, sampled over the phase
    seconds: float = 0.0
    cpu: float = 0.0  # the server's CPU seconds over the phase

    def percentile(self, q: float) -> float:
        times = sorted(r.seconds for r in self.reruns)
        if not times:
            return float("nan")
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
    """Samples the server's RSS every ``interval`` seconds until stopped."""

    def __init__(self, pid: int, interval: float = 0.5):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples: list[float] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.samples.append(rss_mb(self.pid))
            self._stop_event.wait(self.interval)

    def stop(self) -> list[float]:
        self._stop_event.set()
        self.join()
        self.samples.append(rss_mb(self.pid))
        return self.samples


def date_range(first: date, last: date, index: int, distinct: int) -> tuple[date, date]:
    """The ``index``-th range the sessions ask for; at most ``distinct`` different ones
    (any number with 0).

    Ends step through a month ending 90 days before the data's last day (September 2023
    in the bundled data, where most events are) and lengths through two years, so that
    neighbouring reruns differ in the events they show.
    """
    k = index % distinct if distinct else index
    end = max(first, last - timedelta(days=90 + (k * 7) % 31))
    return max(first, end - timedelta(days=1 + (k * 17) % 700)), end


async def drive(url: str, session_no: int, reruns: int, deadline: float, distinct: int,
                phase: Phase, counter: list[int], on_count=None) -> None:
    """One session: open the page, then ``reruns`` slider moves, each waited for."""
    try:
        async with Session(url) as session:
            await session.rerun()  # the first page load; not counted
            slider = session.page.widgets[session.widget_id("dates")].slider
            first = date(1970, 1, 1) + timedelta(microseconds=slider.min)
            last = date(1970, 1, 1) + timedelta(microseconds=slider.max)
            for i in range(reruns):
                if time.monotonic() > deadline:
                    phase.cut += 1
                    return
                session.set_dates(*date_range(first, last, session_no * 1009 + i, distinct))
                result = await session.rerun()
                if result.status != "FINISHED_SUCCESSFULLY" or session.page.exceptions:
                    phase.errors.append(f"session {session_no}: {result.status} "
                                        f"{session.page.exceptions[:1]}")
                phase.reruns.append(result)
                counter[0] += 1
                if on_count is not None:
                    on_count(counter[0])
    except (RerunError, OSError, KeyError) as exc:
        phase.errors.append(f"session {session_no}: {type(exc).__name__}: {exc}")


def run_phase(server: StreamlitServer, sessions: int, reruns: int, limit: float,
              distinct: int, every: int = 0) -> Phase:
    """``sessions`` concurrent sessions of ``reruns`` reruns each, within ``limit`` s.

    With ``every``, RSS is also sampled after each ``every`` reruns in all.
    """
    assert server.process is not None
    phase = Phase(sessions)
    sampler = Sampler(server.process.pid)
    counter = [0]
    marks: list[float] = []

    def on_count(done: int) -> None:
        if every and done % every == 0:
            marks.append(rss_mb(server.process.pid))

    async def main() -> None:
        deadline = time.monotonic() + limit
        await asyncio.gather(*(drive(server.url, s, reruns, deadline, distinct, phase,
                                     counter, on_count) for s in range(sessions)))

    sampler.start()
    start, cpu = time.monotonic(), cpu_seconds(server.process.pid)
    asyncio.run(main())
    phase.seconds = time.monotonic() - start
    phase.cpu = cpu_seconds(server.process.pid) - cpu
    samples = sampler.stop()
    phase.rss = marks if every else samples
    return phase


def table(phases: list[Phase]) -> str:
    rows = [f"{'sessions':>8} {'reruns':>6} {'p50 s':>7} {'p95 s':>7} {'max s':>7} "
            f"{'errors':>6} {'MB/rerun':>8} {'reruns/s':>8} {'CPU ms/rerun':>12} "
            f"{'RSS MB start→end':>17}"]
    for p in phases:
        mb = (statistics.mean(r.received for r in p.reruns) / 2**20) if p.reruns else 0.0
        rate = len(p.reruns) / p.seconds if p.seconds else 0.0
        rss = f"{p.rss[0]:.0f}→{p.rss[-1]:.0f}" if p.rss else "-"
        cpu = p.cpu * 1000 / len(p.reruns) if p.reruns else 0.0
        rows.append(f"{p.sessions:>8} {len(p.reruns):>6} {p.percentile(0.5):>7.2f} "
                    f"{p.percentile(0.95):>7.2f} {p.percentile(1.0):>7.2f} "
                    f"{len(p.errors):>6} {mb:>8.3f} {rate:>8.1f} {cpu:>12.0f} {rss:>17}")
    return "\n".join(rows)


def levels(server: StreamlitServer, args: argparse.Namespace,
           distinct: int) -> list[Phase]:
    """One phase per number of sessions; prints each row as it is measured."""
    phases = []
    for level in args.levels:
        reruns = max(args.reruns, 20) if level == 1 else args.reruns
        phases.append(run_phase(server, level, reruns, args.limit, distinct))
        print(table(phases[-1:]).splitlines()[-1], flush=True)
    for p in phases:
        for error in dict.fromkeys(p.errors):
            print(f"  error ({p.sessions} sessions): {error}")
        if p.cut:
            print(f"  {p.cut} of {p.sessions} sessions stopped by the time limit "
                  f"({args.limit:.0f} s) before their last rerun")
    if args.levels and args.levels[-1] >= 20 and phases[-1].reruns:
        p95 = phases[-1].percentile(0.95)
        print(f"target: {args.levels[-1]} sessions p95 <= {TARGET_P95:.1f} s: "
              f"{'met' if p95 <= TARGET_P95 else 'MISSED'} ({p95:.2f} s; baseline: 1 session "
              f"p50 {phases[0].percentile(0.5):.2f} s)")
    return phases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=10, help="reruns per session")
    parser.add_argument("--levels", type=int, nargs="+", default=list(LEVELS))
    parser.add_argument("--distinct", type=int, default=None,
                        help="date ranges the sessions share (0: every rerun a new one); "
                             f"default: 0, then {POOL}")
    parser.add_argument("--memory-reruns", type=int, default=1000)
    parser.add_argument("--memory-sessions", type=int, default=4)
    parser.add_argument("--session-reruns", type=int, default=50,
                        help="reruns of each session of the memory run")
    parser.add_argument("--limit", type=float, default=40.0,
                        help="seconds per phase; the memory run gets four times this")
    parser.add_argument("--events", type=Path, default=EVENTS_CSV)
    args = parser.parse_args(argv)
    print(f"cores: {os.cpu_count()}, load average before: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    with StreamlitServer(args.events) as server:
        assert server.process is not None
        warm = run_phase(server, 1, 1, args.limit, 1)  # imports and loads the data
        print(f"server up, one page loaded: RSS {rss_mb(server.process.pid):.0f} MB, "
              f"{len(warm.errors)} errors", flush=True)
        modes = [args.distinct] if args.distinct is not None else [0, POOL]
        for distinct in modes:
            print("\n" + ("every rerun asks for a new date range" if not distinct else
                          f"date ranges from a pool of {distinct} that all sessions share"))
            print(table([]))
            levels(server, args, distinct)
        if args.memory_reruns:
            memory(server, args)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def memory(server: StreamlitServer, args: argparse.Namespace) -> None:
    """``--memory-reruns`` reruns, RSS sampled every 100: rounds of a few concurrent
    sessions that each rerun ``--session-reruns`` times and leave, so new sessions keep
    coming as well as reruns."""
    per = args.session_reruns
    rounds = -(-args.memory_reruns // (args.memory_sessions * per))
    rss, reruns, errors, seconds = [rss_mb(server.process.pid)], 0, 0, 0.0
    deadline = time.monotonic() + args.limit * 4
    for _ in range(rounds):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        phase = run_phase(server, args.memory_sessions, per, left, args.distinct or 0,
                          every=100)
        rss += phase.rss
        reruns, errors = reruns + len(phase.reruns), errors + len(phase.errors)
        seconds += phase.seconds
    print(f"\nmemory over {reruns} reruns ({rounds} rounds of {args.memory_sessions} new "
          f"sessions x {per} reruns, {seconds:.0f} s, {errors} errors), server RSS MB at the "
          "start and after every 100 reruns:")
    print("  " + " ".join(f"{m:.0f}" for m in rss))
    if len(rss) >= 4:
        growth = rss[-1] - rss[1]
        print(f"  growth from rerun 100 to {reruns}: {growth:+.1f} MB: "
              f"{'flat' if growth <= FLAT_MB else 'NOT flat'} (flat: <= {FLAT_MB:.0f} MB)")


if __name__ == "__main__":
    sys.exit(main())
