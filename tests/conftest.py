"""Shared fixtures: the bundled data loaded once, and small events files of the tests' own."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard.dataset import Dataset, Geodata, load_dataset
from dashboard.paths import DEFAULT_EVENTS, REPO_ROOT
from dashboard.schema import COLUMNS

# A valid row every test can start from and change one field of.
BASE_ROW = {
    "event_id": "t-1", "date_start": "2023-09-19", "date_end": "", "date_precision": "day",
    "time": "13:00", "place_id": "stepanakert", "category": "military",
    "event_type": "offensive", "title": "Offensive begins", "description": "Test event.",
    "actor1": "Side A", "actor2": "Side B", "killed": "", "injured": "", "displaced": "",
    "figure_qualifier": "", "claimed_by": "", "origin_place_id": "",
    "destination_place_id": "", "source": "Test document", "source_ref": "[1]",
    "quote": "a verbatim line", "notes": "",
}


def row(**changes: str) -> dict[str, str]:
    """``BASE_ROW`` with some fields changed."""
    return {**BASE_ROW, **changes}


def write_csv(path: Path, rows: list[dict[str, str]], columns=COLUMNS) -> Path:
    """Write ``rows`` as an events CSV with ``columns`` as its header."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="session")
def geodata() -> Geodata:
    """The bundled gazetteer and regions, loaded once."""
    return Geodata.load()


@pytest.fixture(scope="session")
def bundled(geodata: Geodata) -> Dataset:
    """The bundled events.csv, loaded once."""
    return load_dataset(DEFAULT_EVENTS, geodata)


@pytest.fixture
def events_file(tmp_path: Path) -> Callable[..., Path]:
    """Write a small events file of the test's own rows."""
    def make(*rows: dict[str, str], columns=COLUMNS, name: str = "events.csv") -> Path:
        return write_csv(tmp_path / name, list(rows), columns)
    return make


@pytest.fixture
def make_dataset(geodata: Geodata, events_file) -> Callable[..., Dataset]:
    """Load a small events file of the test's own rows."""
    def make(*rows: dict[str, str]) -> Dataset:
        return load_dataset(events_file(*rows), geodata)
    return make


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT
