"""The browser's rows of ``make bench``'s scale table: the dashboard's first map and its
redraws after date changes (p50, p95) against the naive folium app's, with the targets."""

from __future__ import annotations

import os
from pathlib import Path

from bench import naive
from bench.browser import NAIVE_BUDGET, OPENING, STEPS, Redraws, available, run_app, step_starts

# Targets of the date change (p50, seconds) by size, and of ours against naive.
TARGETS = {10_000: 0.25, 1_000_000: 1.0}
RATIO_TARGETS = {100_000: 10.0}
NAIVE_MAX_MB = 64  # larger naive maps are not sent: minutes per step, near Streamlit's 200 MB
NAIVE_STEP_TIMEOUT = 600.0

Row = tuple[str, int, str, str]


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def ours_rows(ours: Redraws, size: int) -> list[Row]:
    out = [("browser: first map drawn (ours)", size,
            f"{ours.first_map:.1f} s" if ours.first_map else "none", ours.problem)]
    if ours.times:
        target = TARGETS.get(size)
        out.append(("browser: dates changed → map redrawn (p50)", size, f"{ours.p50:.2f} s",
                    f"p95 {ours.p95:.2f} s over {len(ours.times)} steps, "
                    f"{min(ours.shown):,}–{max(ours.shown):,} events in range, load "
                    f"{os.getloadavg()[0]:.1f}"
                    + (f"; target ≤ {target:g} s: {_verdict(ours.p50 <= target)}"
                       if target else "")
                    + (f"; {ours.problem}" if ours.problem else "")))
    return out


def naive_row(theirs: Redraws, ours: Redraws, size: int, megabytes: float) -> Row:
    """The baseline's row: p50 and p95 of its steps, or, where its first step never
    finished, how long it had run (a lower bound)."""
    name = "  naive folium app (baseline, p50)"
    if theirs.times:
        value, ratio, sign = f"{theirs.p50:.2f} s", theirs.p50 / ours.p50, ""
        told = f"p95 {theirs.p95:.2f} s over {len(theirs.times)} steps"
    elif theirs.failed_after:
        value, ratio, sign = f"> {theirs.failed_after:.0f} s", theirs.failed_after / ours.p50, ">"
        told = f"step 1 not redrawn after {theirs.failed_after:.0f} s"
    else:
        return (name, size, "failed", theirs.problem)
    wanted = RATIO_TARGETS.get(size)
    return (name, size, value,
            f"{told}; ours {sign}{ratio:,.0f}x faster"
            + (f" (target ≥ {wanted:g}x: {_verdict(ratio >= wanted)})" if wanted else "")
            + f"; {megabytes:,.1f} MB of GeoJSON for the opening range; first map "
            f"{theirs.first_map or 0:.1f} s" + (f"; {theirs.problem.strip()}"
                                                if theirs.problem else ""))


def rows(events: Path, size: int, tmp: Path) -> list[Row]:
    """The browser's rows of the scale table for the generated file ``events``."""
    why = available()
    if why:
        return [("browser: dates changed → map redrawn", size, "not run", why)]
    steps = step_starts(STEPS)
    ours = run_app(events, tmp, False, steps)
    out = ours_rows(ours, size)
    if not ours.times:
        return out
    first = naive.in_window(naive.read_events(events), *OPENING)
    megabytes = naive.payload_bytes(first) / 2**20
    if megabytes > NAIVE_MAX_MB:
        out.append(("  naive folium app (baseline)", size, "not feasible",
                    f"payload {megabytes:,.0f} MB of GeoJSON for the opening range "
                    f"({len(first):,} markers; run up to {NAIVE_MAX_MB} MB)"))
        return out
    theirs = run_app(events, tmp, True, steps, budget=NAIVE_BUDGET,
                     step_timeout=NAIVE_STEP_TIMEOUT)
    out.append(naive_row(theirs, ours, size, megabytes))
    return out
