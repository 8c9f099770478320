"""Settings of a running dashboard: one table of names, defaults and help, datasette-style.

The environment is read once, at the edge (the command line's ``main``, the app's cache
module), into a frozen :class:`Settings`; the core is given the :class:`Limits` it needs
and never reads the environment itself. A ``DASHBOARD_`` name that is not a setting is
refused, so a misspelt setting is not silently ignored. The README's table of settings is
checked against :data:`SETTINGS` by the tests.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from dashboard.errors import DashboardError
from dashboard.paths import CACHE_DIR, DEFAULT_EVENTS, WORKING_DIR
from dashboard.validation import DATE_MAX, DATE_MIN, HARD_MAX, HARD_MIN, DateRange

PREFIX = "DASHBOARD_"
MAX_UPLOAD_MB = 200
MAX_BYTES = MAX_UPLOAD_MB * 2**20  # default size limit of a file
MAX_ROWS = 1_000_000
UNLIMITED = 2**62  # the size and rows of a file named on the command line or the settings


class SettingsError(DashboardError):
    """A ``DASHBOARD_`` environment variable that is not a setting."""


@dataclass(frozen=True)
class Limits:
    """What an events file may hold: its size, rows, characters in a field and dates."""

    max_bytes: int = MAX_BYTES
    max_rows: int = MAX_ROWS
    max_field_chars: int = 100_000
    dates: DateRange = field(default_factory=DateRange)


def _paths(text: str) -> tuple[Path, ...]:
    paths = tuple(Path(p) for p in text.split(os.pathsep) if p)
    if not paths:
        raise ValueError("no path")
    return paths


def _folder(text: str) -> Path:
    return Path(text).expanduser()


def _megabytes(text: str) -> float:
    megabytes = float(text)
    if not 0 < megabytes < 2**20:
        raise ValueError(f"{megabytes} MB is out of range")
    return megabytes


def _positive(text: str) -> int:
    number = int(text)
    if number <= 0:
        raise ValueError(f"{number} is not positive")
    return number


def _database_url(text: str) -> str | None:
    """The database URL as given (checked when connecting); ``none`` for no database."""
    return None if text.lower() == "none" else text


def _day(text: str) -> date:
    """A date, kept within what the date slider can show."""
    return min(max(date.fromisoformat(text), HARD_MIN), HARD_MAX)


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, documented default, help and parser.

    ``parse`` turns the variable's text (stripped, not empty) into the value; a
    ``ValueError`` means the text is unusable and the default applies.
    """

    name: str
    default: str
    help: str
    parse: Callable[[str], Any]

    @property
    def attribute(self) -> str:
        """The :class:`Settings` attribute it sets: ``DASHBOARD_MAX_ROWS`` → ``max_rows``."""
        return self.name.removeprefix(PREFIX).lower()


SETTINGS: tuple[Setting, ...] = (
    Setting("DASHBOARD_EVENTS", "the bundled `events.csv`",
            "events files the app shows, separated by `:` (`;` on Windows); "
            "`--events PATH` after `--` takes precedence", _paths),
    Setting("DASHBOARD_MAX_UPLOAD_MB", str(MAX_UPLOAD_MB),
            "largest events file uploaded through the page, in megabytes (files named in "
            "`DASHBOARD_EVENTS` or on the command line have no limit)", _megabytes),
    Setting("DASHBOARD_MAX_ROWS", str(MAX_ROWS), "most rows an uploaded file may have",
            _positive),
    Setting("DASHBOARD_DATE_MIN", str(DATE_MIN),
            f"earliest date an event may have (`YYYY-MM-DD`, not before {HARD_MIN})", _day),
    Setting("DASHBOARD_DATE_MAX", str(DATE_MAX),
            f"latest date an event may have (`YYYY-MM-DD`, not after {HARD_MAX})", _day),
    Setting("DASHBOARD_CACHE_DIR", "`.cache/` in the project folder",
            "folder of the tables imported from files named in `DASHBOARD_EVENTS` or on the "
            "command line, so an unchanged file loads fast (`make clean` empties the "
            "default one)", _folder),
    Setting("DASHBOARD_DATABASE_URL", "none",
            "PostgreSQL/PostGIS database the events are read from instead of the files "
            "(`postgresql://reader@host/db`; see *One database for a team*)", _database_url),
    Setting("DASHBOARD_REVIEW_DATABASE_URL", "none",
            "the reviewers' login to that database, a role that may write: the *Add a report* "
            "page writes accepted events, places and reviews with it (unset: a page served "
            "from a database cannot accept)", _database_url),
    Setting("DASHBOARD_WORKING_DIR", "`working/` in the project folder",
            "folder of the working set the *Add a report* page appends accepted events and "
            "new places to (never the bundled files); the app shows its events when it has "
            "any (`make clean` removes the default one)", _folder),
)
BY_NAME = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """The settings of one server or command, read once from the environment."""

    events: tuple[Path, ...] = (DEFAULT_EVENTS,)
    max_upload_mb: float = MAX_UPLOAD_MB
    max_rows: int = MAX_ROWS
    date_min: date = DATE_MIN
    date_max: date = DATE_MAX
    cache_dir: Path = CACHE_DIR
    database_url: str | None = field(default=None, repr=False)  # holds a password
    review_database_url: str | None = field(default=None, repr=False)  # a writer's, too
    working_dir: Path = WORKING_DIR

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """The settings ``environ`` gives; defaults for the unset or unusable ones.

        A date range that ends before it starts is left at its defaults.

        Raises
        ------
        SettingsError
            For a ``DASHBOARD_`` name that is not a setting, listing the known ones.
        """
        unknown = sorted(n for n in environ if n.startswith(PREFIX) and n not in BY_NAME)
        if unknown:
            raise SettingsError(
                f"unknown setting {', '.join(unknown)}; the settings are "
                f"{', '.join(BY_NAME)} (see the README)")
        values = {}
        for setting in SETTINGS:
            text = (environ.get(setting.name) or "").strip()
            if not text:
                continue
            try:
                values[setting.attribute] = setting.parse(text)
            except ValueError:
                continue  # unusable: the default applies
        settings = cls(**values)
        if settings.date_min > settings.date_max:
            settings = replace(settings, date_min=DATE_MIN, date_max=DATE_MAX)
        return settings

    @property
    def limits(self) -> Limits:
        """What an uploaded events file may hold under these settings."""
        return Limits(max_bytes=int(self.max_upload_mb * 2**20), max_rows=self.max_rows,
                      dates=DateRange(self.date_min, self.date_max))

    @property
    def file_limits(self) -> Limits:
        """What a file named in ``DASHBOARD_EVENTS`` or on the command line may hold: any
        size and any number of rows; the dates of :attr:`limits`."""
        return replace(self.limits, max_bytes=UNLIMITED, max_rows=UNLIMITED)

