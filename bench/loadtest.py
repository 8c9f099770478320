"""Concurrent readers against dashboard servers on one PostgreSQL database and on the
embedded store: latency from interaction to updated page, errors, server memory.

Run with ``python -m bench.loadtest`` (or ``make loadtest``). It generates 100,000 events
(``bench.generate``), then for each store starts two ``streamlit run dashboard/app.py``
servers on free 127.0.0.1 ports: on the file itself (embedded), and on a throwaway
PostgreSQL with PostGIS filled with ``python -m dashboard db init`` and ``db load``
(database). Readers speaking Streamlit's WebSocket protocol (``bench/wsclient.py``), split
over both servers, open the page, then change the date range and pan the map in turn
(``bench/load_readers.py``) at 1, 10 and 40 at once, pausing about 3 s after each update,
then 40 pausing about 1 s (stress). On the database a memory run follows:
1,000 reruns by rounds of new readers. It prints one markdown table with the targets and
whether each is met. Every loop is bounded in interactions and in time; every server is
stopped and removed at the end. ``--events 10000 --levels 1,10 --stress-readers 0`` makes
a quick run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.load_readers import Phase, rss_mb, run_phase
from bench.load_report import MemoryRun, memory_lines, over_time, table, targets
from bench.load_setup import dashboards, generated, loaded, postgres
from tests.browser_support import StreamlitServer
from tests.db_support import PostgresServer

STORES = ("embedded", "database")
LEVELS = (1, 10, 40)


@dataclass
class Result:
    """Everything one run measured."""

    phases: list[Phase] = field(default_factory=list)
    memory: MemoryRun | None = None
    notes: list[str] = field(default_factory=list)


def _numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def _stores(text: str) -> list[str]:
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    wrong = [s for s in chosen if s not in STORES]
    if wrong:
        raise argparse.ArgumentTypeError(f"unknown store(s) {wrong}; choose from {STORES}")
    return chosen


def parser() -> argparse.ArgumentParser:
    found = argparse.ArgumentParser(prog="python -m bench.loadtest",
                                    description=__doc__.splitlines()[0])
    found.add_argument("--events", type=int, default=100_000,
                       help="generated events (default 100,000)")
    found.add_argument("--file", type=Path, help="an events file to use instead")
    found.add_argument("--stores", type=_stores, default=list(STORES),
                       help="embedded,database (default both)")
    found.add_argument("--levels", type=_numbers, default=list(LEVELS),
                       help="concurrent readers, e.g. 1,10,40 (the default)")
    found.add_argument("--servers", type=int, default=2,
                       help="dashboard servers per store, readers split over them")
    found.add_argument("--interactions", type=int, default=10,
                       help="interactions per reader (the 1-reader level does at least 20)")
    found.add_argument("--think", type=float, default=3.0,
                       help="seconds a reader pauses after each update (0.5-1.5 times this; "
                            "default 3)")
    found.add_argument("--stress-readers", type=int, default=40,
                       help="readers of the last level, quicker (0: no such level)")
    found.add_argument("--stress-think", type=float, default=1.0,
                       help="seconds those readers pause (0.5-1.5 times this; default 1)")
    found.add_argument("--distinct", type=int, default=0,
                       help="date ranges the readers share (0: every change a new one)")
    found.add_argument("--limit", type=float, default=90.0,
                       help="seconds per level; the memory run gets four times this")
    found.add_argument("--memory-reruns", type=int, default=1000)
    found.add_argument("--memory-readers", type=int, default=4)
    found.add_argument("--reader-reruns", type=int, default=50,
                       help="interactions of each reader of the memory run")
    return found


def run(args: argparse.Namespace, server: PostgresServer | None = None,
        say=print) -> Result:
    """Measure every chosen store at every level; ``server`` instead of a new PostgreSQL."""
    result = Result()
    with tempfile.TemporaryDirectory(prefix="loadtest-") as folder:
        work = Path(folder)
        events = args.file or generated(args.events, work)
        say(f"events: {events.name}", flush=True)
        for store in args.stores:
            if store == "embedded":
                with dashboards(events, args.servers) as servers:
                    _measure(store, servers, None, args, result, say)
                continue
            with postgres(server) as database, loaded(database, events) as filled:
                result.notes.append(f"db load of {filled.events:,} events: "
                                    f"{filled.seconds:.0f} s")
                say(result.notes[-1], flush=True)
                with dashboards(events, args.servers, filled.app_url) as servers:
                    postmaster = _postmaster(database)
                    _measure(store, servers, postmaster, args, result, say)
                    if args.memory_reruns:
                        result.memory = memory(store, servers, postmaster, args, say)
    return result


def _postmaster(database: PostgresServer) -> int | None:
    try:
        return int((database.data / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _measure(store: str, servers: list[StreamlitServer], db_pid: int | None,
             args: argparse.Namespace, result: Result, say) -> None:
    """Warm each server with one page, then one phase per level."""
    urls, pids = [s.url for s in servers], [s.process.pid for s in servers if s.process]
    warm = run_phase(Phase(store, len(servers), len(servers)), urls, pids, db_pid, 0,
                     args.limit)
    say(f"{store}: {len(servers)} servers up, first pages in "
        + ", ".join(f"{t:.1f}" for t in warm.loads) + " s, RSS "
        + ", ".join(f"{rss_mb(p):.0f}" for p in pids) + f" MB, {len(warm.errors)} errors",
        flush=True)
    result.phases += [p for p in [warm] if p.errors]  # errors count; the rest is warm-up
    levels = [Phase(store, len(servers), readers, args.think) for readers in args.levels]
    if args.stress_readers:
        levels.append(Phase(store, len(servers), args.stress_readers, args.stress_think,
                            stress=True))
    for number, level in enumerate(levels):
        count = max(args.interactions, 20) if level.readers == 1 else args.interactions
        phase = run_phase(level, urls, pids, db_pid, count, args.limit, args.distinct,
                          first=1_000 * number)  # each level its own ranges and views
        result.phases.append(phase)
        say(table([phase]).splitlines()[-1], flush=True)
        for error in list(dict.fromkeys(phase.errors))[:5]:
            say(f"  error: {error}")
        if phase.cut:
            say(f"  {phase.cut} of {phase.readers} readers stopped by the time limit "
                f"({args.limit:.0f} s) before their last interaction")


def memory(store: str, servers: list[StreamlitServer], db_pid: int | None,
           args: argparse.Namespace, say) -> MemoryRun:
    """``--memory-reruns`` interactions by rounds of new readers that each do
    ``--reader-reruns`` and leave, no pause; each server's RSS every 100."""
    urls, pids = [s.url for s in servers], [s.process.pid for s in servers if s.process]
    per = args.reader_reruns
    rounds = -(-args.memory_reruns // (args.memory_readers * per))
    run_ = MemoryRun(store, rounds, args.memory_readers, per,
                     every=min(100, max(1, args.memory_reruns // 2)))
    run_.rss = [[rss_mb(p)] for p in pids]
    deadline = time.monotonic() + args.limit * 4
    for number in range(rounds):
        left = deadline - time.monotonic()
        if left <= 0:
            say(f"  memory run stopped by its time limit after {number} rounds")
            break
        phase = run_phase(Phase(store, len(servers), args.memory_readers), urls, pids,
                          db_pid, per, left, every=run_.every,
                          first=10_000 + number * args.memory_readers)
        for series, sampled in zip(run_.rss, phase.rss, strict=True):
            series += sampled
        run_.reruns += len(phase.interactions)
        run_.errors += phase.errors
        run_.seconds += phase.seconds
    say(memory_lines(run_), flush=True)
    return run_


def main(argv: list[str] | None = None, server: PostgresServer | None = None) -> int:
    args = parser().parse_args(argv)
    before = os.getloadavg()
    print(f"cores: {os.cpu_count()}, load average before: "
          f"{' '.join(f'{x:.2f}' for x in before)}", flush=True)
    print("rows as measured: " + table([]).splitlines()[0], flush=True)
    result = run(args, server)
    loads = [p.load for p in result.phases]
    print(f"\n{args.events if not args.file else args.file} events, {args.servers} servers "
          f"per store, readers pausing {args.think:g} s (0.5-1.5x) after each update"
          + (f", then {args.stress_readers} pausing {args.stress_think:g} s (stress)"
             if args.stress_readers else "") + "; "
          f"load average before {before[0]:.1f}, at the end of each level "
          + ", ".join(f"{x:.1f}" for x in loads) + "\n")
    print(table(result.phases) + "\n")
    print(targets(result.phases, result.memory) + "\n")
    for phase in result.phases:
        print(over_time(phase))
    for note in result.notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
