"""Every events file: this project's CSV, ACLED, UCDP GED, or GeoJSON of any of them.

One pipeline reads them all: bytes to a table of numbered records
(:mod:`~dashboard.importing.reading`), its :class:`Format` from the one registry
(:mod:`~dashboard.importing.formats`), each record mapped and checked
(:mod:`~dashboard.importing.checking`), then joined into a :class:`Dataset`. Our own file,
named on the command line, is checked strictly, as ``validate`` always has; uploads and
other formats are imported: a file that cannot be used is refused with one
:class:`ImportRefused` sentence, otherwise the valid rows load and every skipped one is
listed (line, column, value, reason). Nothing is written anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dashboard.dataset import Dataset, Geodata, combine, enrich
from dashboard.errors import DataFileError, ImportRefused
from dashboard.events import EventsFile
from dashboard.gazetteer import Gazetteer
from dashboard.importing.checking import Checked, check
from dashboard.importing.common import Format
from dashboard.importing.files import read_bytes
from dashboard.importing.formats import FORMATS, IDS, by_id, described, detect, own_format
from dashboard.importing.ours import OWN
from dashboard.importing.places import extend
from dashboard.importing.reading import LAYOUTS, read_table
from dashboard.settings import Limits

__all__ = ["FORMATS", "IDS", "LAYOUTS", "Checked", "Format", "ImportRefused", "Limits",
           "described", "detect", "import_bytes", "import_path", "load_path", "load_paths",
           "read_bytes", "read_events", "read_path"]


def read(raw: bytes, name: str, gazetteer: Gazetteer, *, form: Format | None = None,
         fmt: str | None = None, limits: Limits | None = None, path: Path | None = None,
         ) -> Checked:
    """``raw`` read and checked: in ``form``, else the format ``fmt`` names, else detected.

    ``name`` names the file in refusals, and the dataset unless it was read from ``path``
    (then the path's last part).

    Raises
    ------
    DataFileError
        For a file that cannot be used at all (an :class:`ImportRefused` sentence unless
        ``form`` is strict).
    """
    form = form or (by_id(fmt) if fmt else None)
    table = read_table(raw, name, limits, form)
    if form is None:
        form = detect(table.header, name)
        table.problems = form.header_problems(table.header, name)
    return check(table, form, gazetteer, path or Path(name), path.name if path else name,
                 (limits or Limits()).dates)


def read_events(path: Path | str, gazetteer: Gazetteer,
                limits: Limits | None = None) -> EventsFile:
    """Our own events CSV, checked as ``validate`` checks it; rows with errors left out.

    ``limits`` (default :class:`~dashboard.settings.Limits`) bound its size and dates.

    Raises
    ------
    DataFileError
        When the file cannot be read, is empty, has no rows, or lacks required columns.
    """
    path = Path(path)
    raw = read_bytes(path, limits.max_bytes if limits else None)
    return read(raw, str(path), gazetteer, form=OWN, limits=limits, path=path).events


def read_path(path: Path | str, gazetteer: Gazetteer, *, fmt: str | None = None,
              limits: Limits | None = None) -> Checked:
    """A file on disk read and checked; our own events file strictly, any other imported."""
    path = Path(path)
    raw = read_bytes(path, limits.max_bytes if limits else None)
    own = own_format(raw, fmt)
    if own is not None:
        return read(raw, str(path), gazetteer, form=own, limits=limits, path=path)
    return read(raw, path.name, gazetteer, fmt=fmt, limits=limits, path=path)


def joined(checked: Checked, geodata: Geodata) -> Dataset:
    """A checked file joined with the places, regions and map features of ``geodata``."""
    extended = extend(geodata, checked.places)
    frame = enrich(checked.events, extended)
    frame["dataset"] = checked.name
    return Dataset(checked.events.path, frame, extended, checked.events.problems,
                   checked.events.total_rows, name=checked.name, format=checked.format.id,
                   notices=checked.notices, unit=checked.unit)


def import_bytes(raw: bytes, name: str, geodata: Geodata, *, fmt: str | None = None,
                 limits: Limits | None = None,
                 progress: Callable[[float, str], None] | None = None) -> Dataset:
    """An uploaded file as a :class:`Dataset` named ``name``; its skipped rows in ``problems``.

    ``progress(fraction, phrase)`` is told how far the import is, from 0 to 1.

    Raises
    ------
    ImportRefused
        For an empty, oversized, unreadable or unrecognised file, in one sentence.
    """
    if progress:
        progress(0.0, "Reading the file")
    data = joined(read(raw, name, geodata.gazetteer, fmt=fmt, limits=limits), geodata)
    if progress:
        progress(1.0, "Done")
    return data


def import_path(path: Path | str, geodata: Geodata, *, fmt: str | None = None,
                limits: Limits | None = None) -> Dataset:
    """:func:`import_bytes` of a file on disk."""
    path = Path(path)
    try:
        raw = read_bytes(path, limits.max_bytes if limits else None)
    except DataFileError as exc:
        raise ImportRefused(str(exc)) from None
    return import_bytes(raw, path.name, geodata, fmt=fmt, limits=limits)


def load_path(path: Path | str, geodata: Geodata, *, fmt: str | None = None,
              limits: Limits | None = None,
              progress: Callable[[float, str], None] | None = None) -> Dataset:
    """A file on disk in any format (see :func:`read_path`) as a :class:`Dataset`.

    ``progress(fraction, phrase)`` is told how far the load is, from 0 to 1.
    """
    if progress:
        progress(0.0, "Reading the file")
    data = joined(read_path(path, geodata.gazetteer, fmt=fmt, limits=limits), geodata)
    if progress:
        progress(1.0, "Done")
    return data


def load_paths(paths: list[Path | str], geodata: Geodata, *, fmt: str | None = None,
               limits: Limits | None = None) -> Dataset:
    """Several files shown together (see :func:`dashboard.dataset.combine`)."""
    return combine([load_path(p, geodata, fmt=fmt, limits=limits) for p in paths])
