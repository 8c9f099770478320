"""Shared fixtures: the bundled data loaded once, and small events files of the tests' own."""

from __future__ import annotations

import csv
import itertools
import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bench.generate import write_acled
from dashboard.dataset import Dataset, Geodata
from dashboard.importing import load_path
from dashboard.paths import DEFAULT_EVENTS, REPO_ROOT
from dashboard.popups import TITLE_SLOT, popup_body, title_html
from dashboard.schema import COLUMNS
from tests.browser_support import (
    CHROMIUM,
    EVENTS_CSV,
    LAUNCH_ARGS,
    PAGE_TIMEOUT,
    VIEWPORT,
    NetworkGuard,
    StreamlitServer,
    environment,
)
from tests.db_support import TEMPLATE, PostgresServer
from tests.db_support import missing as postgres_missing

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


def popup_as_shown(record: dict, gazetteer) -> str:
    """An event's popup as the map shows it, by the Python renderer: its body with the
    title set in. The browser's template writes the same (``test_browser_popups``)."""
    return popup_body(record, gazetteer).replace(
        TITLE_SLOT, f"<h4 class='ev-title'>{title_html(record)}</h4>")


def page_store(page: str) -> dict:
    """The event store a rendered map page carries (see ``dashboard.layers.store``)."""
    [data] = re.findall(r"window\.dashboardLoadStore\((.*)\);", page)
    return json.loads(data)


def drawn_ids(script: str) -> set[str]:
    """The ids of the events a map's script draws one by one (none for aggregates)."""
    if "window.dashboardLoadStore(" not in script:
        return set()
    store = page_store(script)
    return {store["t"][r[0]] if isinstance(r[0], int) else r[0] for r in store["e"]}


def write_csv(path: Path, rows: list[dict[str, str]], columns=COLUMNS) -> Path:
    """Write ``rows`` as an events CSV with ``columns`` as its header."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore",
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="session", autouse=True)
def table_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The tests' own cache of imported tables (``DASHBOARD_CACHE_DIR``), for the app, the
    command line and the servers they start: never the project's ``.cache/``."""
    folder = tmp_path_factory.mktemp("table-cache")
    with environment(DASHBOARD_CACHE_DIR=str(folder)):
        yield folder


@pytest.fixture(scope="session", autouse=True)
def working_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An empty working set (``DASHBOARD_WORKING_DIR``) for the app and the servers the
    tests start, so events accepted in the project's ``working/`` change no count."""
    folder = tmp_path_factory.mktemp("working-set")
    with environment(DASHBOARD_WORKING_DIR=str(folder)):
        yield folder


@pytest.fixture(scope="session")
def geodata() -> Geodata:
    """The bundled gazetteer and regions, loaded once."""
    return Geodata.load()


@pytest.fixture(scope="session")
def bundled(geodata: Geodata) -> Dataset:
    """The bundled events.csv, loaded once."""
    return load_path(DEFAULT_EVENTS, geodata)


@pytest.fixture(scope="session")
def generated(geodata: Geodata) -> Dataset:
    """3,000 generated ACLED events, imported as an upload is (loaded once)."""
    from bench.generate import acled_frame
    from dashboard.importing import import_bytes

    raw = acled_frame(3000, seed=11).to_csv(index=False).encode()
    return import_bytes(raw, "generated.csv", geodata)


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
        return load_path(events_file(*rows), geodata)
    return make


@pytest.fixture(scope="session")
def acled_100k(tmp_path_factory) -> Path:
    """100,000 generated ACLED events (``bench.generate``), written once per session."""
    return write_acled(tmp_path_factory.mktemp("acled-100k") / "acled.csv", 100_000, seed=5)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


# Browser fixtures: Debian's Chromium through Playwright (see tests/browser_support.py).


def _skip_unless_required(reason: str, kind: str, variable: str) -> None:
    """Skip ``kind`` tests with ``reason`` printed, or fail where the environment says they
    must run (CI sets ``variable`` to 1)."""
    if os.environ.get(variable) == "1":
        pytest.fail(f"{reason}, and {variable}=1 says {kind} tests must run", pytrace=False)
    print(f"{kind} tests skipped: {reason}")
    pytest.skip(reason)


def _unavailable(reason: str) -> None:
    _skip_unless_required(reason, "browser", "REQUIRE_BROWSER_TESTS")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, one per test session; Playwright never downloads a browser here."""
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def guard() -> NetworkGuard:
    return NetworkGuard()


@pytest.fixture
def page(browser: Any, guard: NetworkGuard) -> Iterator[Any]:
    """A fresh page (own context, so own Streamlit session) behind the network guard."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(PAGE_TIMEOUT * 1000)
    tab = context.new_page()
    guard.attach(tab)
    try:
        yield tab
    finally:
        context.close()




@contextmanager
def serve(events: Path, base_path: str = "") -> Iterator[StreamlitServer]:
    """A Streamlit server on ``events``; a server that does not come up fails the test."""
    server = StreamlitServer(events, base_path=base_path)
    try:
        server.start()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def server() -> Iterator[StreamlitServer]:
    """The dashboard on the bundled events.csv, on a free port, for the whole module."""
    with serve(EVENTS_CSV) as running:
        yield running


# Database fixtures: a throwaway PostgreSQL with PostGIS (see tests/db_support.py).


def _no_database(reason: str) -> None:
    _skip_unless_required(reason, "database", "REQUIRE_DB_TESTS")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server with PostGIS for the test session, and a template database
    holding the schema; stopped and removed at the end."""
    from dashboard.db import Database, initialise

    reason = postgres_missing()
    if reason:
        _no_database(reason)
    server = PostgresServer()
    try:
        try:
            server.start()
        except RuntimeError as exc:
            _no_database(str(exc))
        reason = server.postgis_missing()
        if reason:
            _no_database(reason)
        server.execute(f"CREATE DATABASE {TEMPLATE}")
        database = Database(server.url(TEMPLATE))
        initialise(database)
        database.close()
        yield server
    finally:
        server.stop()


_DATABASES = itertools.count(1)


@pytest.fixture
def new_database(postgres: PostgresServer) -> Iterator[Callable[[], str]]:
    """Make an empty database with the schema; its name. Dropped after the test."""
    made: list[str] = []

    def make() -> str:
        name = f"events_{next(_DATABASES)}"
        postgres.create_database(name, TEMPLATE)
        made.append(name)
        return name
    yield make
    for name in made:
        postgres.drop_database(name)


@pytest.fixture
def database_url(postgres: PostgresServer, new_database) -> str:
    """The superuser's URL of an empty database with the schema, for one test."""
    return postgres.url(new_database())


@pytest.fixture(scope="session")
def loaded_database(postgres: PostgresServer) -> Callable[[Dataset], Any]:
    """A read-only :class:`dashboard.db.Database` holding a dataset's events, loaded once
    per dataset for the session."""
    from dashboard.db import Database, load

    made: dict[int, tuple[Dataset, Any]] = {}

    def database(data: Dataset) -> Any:
        if id(data) not in made:  # the dataset is kept, so its id is not reused
            name = f"loaded_{next(_DATABASES)}"
            postgres.create_database(name, TEMPLATE)
            writer = Database(postgres.url(name))
            load(writer, data)
            writer.close()
            made[id(data)] = (data, Database(postgres.url(name), read_only=True))
        return made[id(data)][1]
    return database


@pytest.fixture(params=["embedded", "postgis"])
def store_of(request) -> Callable[[Dataset], Any]:
    """Each store in turn, made of a dataset: in memory, and in a real PostGIS database."""
    from dashboard.query import EmbeddedStore

    if request.param == "embedded":
        return lambda data: EmbeddedStore(data.events)
    from dashboard.db import PostgisStore

    database = request.getfixturevalue("loaded_database")
    return lambda data: PostgisStore(database(data))
