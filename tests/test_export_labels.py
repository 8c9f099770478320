"""Place names on static maps never overlap one another (Goris beside the Hakari bridge)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from matplotlib.text import Annotation

from dashboard.export import SnapshotOptions, image
from dashboard.filters import FilterState, apply_filters

STATES = [FilterState(), FilterState(date_from=date(2023, 9, 19), date_to=date(2023, 10, 3)),
          FilterState(date_from=date(2023, 9, 24), date_to=date(2023, 9, 30),
                      regions=("syunik",))]
SIZES = [SnapshotOptions(width=800, height=565, dpi=100),
         SnapshotOptions(width=1200, height=800, dpi=100)]


def place_labels(result) -> list[tuple[str, object]]:
    """The drawn place names (not their white halos) and their boxes on the page."""
    renderer = result.figure.canvas.get_renderer()
    names = [t for t in result.ax.texts
             if isinstance(t, Annotation) and t.get_color() != "white"]
    return [(t.get_text(), t.get_window_extent(renderer)) for t in names]


@pytest.mark.parametrize(("state", "options"), list(itertools.product(STATES, SIZES)))
def test_place_names_do_not_overlap(bundled, state, options):
    result = image.render_figure(bundled, state, apply_filters(bundled.events, state), options)
    labels = place_labels(result)
    assert len(labels) >= 3
    clashes = [(a, b) for (a, box_a), (b, box_b) in itertools.combinations(labels, 2)
               if box_a.overlaps(box_b)]
    assert clashes == []


def test_goris_and_the_hakari_bridge_are_both_named(bundled):
    state = STATES[0]
    result = image.render_figure(bundled, state, apply_filters(bundled.events, state), SIZES[1])
    names = {name for name, _ in place_labels(result)}
    assert {"Goris", "Hakari bridge"} <= names
