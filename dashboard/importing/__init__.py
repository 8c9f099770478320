"""Every events file: this project's CSV, ACLED, UCDP GED, or GeoJSON of any of them.

One pipeline reads them all: bytes to a table of numbered records
(:mod:`~dashboard.importing.reading`), its :class:`Format` from the one registry
(:mod:`~dashboard.importing.formats`), each record mapped and checked
(:mod:`~dashboard.importing.checking`), then joined into a :class:`Dataset`. Our own file,
named on the command line, is checked strictly, as ``validate`` always has; uploads and
other formats are imported: a file that cannot be used is refused with one
:class:`ImportRefused` sentence, otherwise the valid rows load and every skipped one is
listed (line, column, value, reason). Nothing is written anywhere.

Records are kept as columns, and mapped, checked and joined a column at a time where the
rules allow (see :mod:`~dashboard.importing.checking`); a ``progress`` callback, when
given, hears how far an import got (a share from 0 to 1 and a short phrase), a few dozen
times at most.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from dashboard.dataset import Dataset, Geodata, combine
from dashboard.errors import DataFileError, ImportRefused
from dashboard.events import EventsFile
from dashboard.gazetteer import Gazetteer
from dashboard.importing.checking import Checked, check
from dashboard.importing.common import Format
from dashboard.importing.files import read_bytes
from dashboard.importing.formats import FORMATS, IDS, by_id, described, detect, own_format
from dashboard.importing.joining import enrich, extend
from dashboard.importing.ours import OWN
from dashboard.importing.progress import Progress, Steps
from dashboard.importing.reading import LAYOUTS, Table, read_table
from dashboard.settings import Limits

__all__ = ["FORMATS", "IDS", "LAYOUTS", "Checked", "Format", "ImportRefused", "Limits",
           "Progress", "described", "detect", "import_bytes", "import_path", "load_path",
           "load_paths", "read_bytes", "read_events", "read_path"]
READ, CHECKED = 0.45, 0.75  # shares of an import's time: reading, then checking, joining


def _keep(form: Format | None) -> Callable[[list[str]], Collection[str] | None]:
    """Which columns of a header to keep: those its format reads (all if it says none)."""
    def keep(header: list[str]) -> Collection[str] | None:
        found = form
        if found is None:
            try:
                found = detect(header)
            except ImportRefused:
                return None  # refused once the whole file is read
        return set(found.reads) or None
    return keep


def read(raw: bytes, name: str, gazetteer: Gazetteer, *, form: Format | None = None,
         fmt: str | None = None, limits: Limits | None = None, path: Path | None = None,
         steps: Steps | None = None) -> Checked:
    """``raw`` read and checked: in ``form``, else the format ``fmt`` names, else detected.

    ``name`` names the file in refusals, and the dataset unless it was read from ``path``
    (then the path's last part).

    Raises
    ------
    DataFileError
        For a file that cannot be used at all (an :class:`ImportRefused` sentence unless
        ``form`` is strict).
    """
    steps = steps or Steps()
    table, form = _table(raw, name, form, fmt, limits, steps)
    return _checked(table, form, gazetteer, name, path, limits, steps)


def _table(raw: bytes, name: str, form: Format | None, fmt: str | None,
           limits: Limits | None, steps: Steps) -> tuple[Table, Format]:
    """The records of ``raw`` and their format (see :func:`read`)."""
    form = form or (by_id(fmt) if fmt else None)
    table = read_table(raw, name, limits, form, _keep(form), steps.part(0.0, READ))
    if form is None:
        form = detect(table.header, name)
        table.problems = form.header_problems(table.header, name)
    return table, form


def _checked(table: Table, form: Format, gazetteer: Gazetteer, name: str, path: Path | None,
             limits: Limits | None, steps: Steps) -> Checked:
    return check(table, form, gazetteer, path or Path(name), path.name if path else name,
                 (limits or Limits()).dates, steps.part(READ, CHECKED))


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
              limits: Limits | None = None, steps: Steps | None = None) -> Checked:
    """A file on disk read and checked; our own events file strictly, any other imported."""
    path, steps = Path(path), steps or Steps()
    raw = read_bytes(path, limits.max_bytes if limits else None)
    own = own_format(raw, fmt)
    name = path.name if own is None else str(path)
    table, form = _table(raw, name, own, None if own else fmt, limits, steps)
    del raw  # a large file's bytes are not needed once its records are read
    return _checked(table, form, gazetteer, name, path, limits, steps)


def joined(checked: Checked, geodata: Geodata, steps: Steps | None = None) -> Dataset:
    """A checked file joined with the places, regions and map features of ``geodata``."""
    steps = steps or Steps()
    extended = extend(geodata, checked.places)
    frame = enrich(checked.events, extended, steps.part(CHECKED, 1.0))
    frame["dataset"] = checked.name
    return Dataset(checked.events.path, frame, extended, checked.events.problems,
                   checked.events.total_rows, name=checked.name, format=checked.format.id,
                   notices=checked.notices, unit=checked.unit)


def import_bytes(raw: bytes, name: str, geodata: Geodata, *, fmt: str | None = None,
                 limits: Limits | None = None, progress: Progress | None = None) -> Dataset:
    """An uploaded file as a :class:`Dataset` named ``name``; its skipped rows in ``problems``.

    ``progress`` hears how far the import got (see the module's description).

    Raises
    ------
    ImportRefused
        For an empty, oversized, unreadable or unrecognised file, in one sentence.
    """
    steps = Steps(progress)
    return joined(read(raw, name, geodata.gazetteer, fmt=fmt, limits=limits, steps=steps),
                  geodata, steps)


def import_path(path: Path | str, geodata: Geodata, *, fmt: str | None = None,
                limits: Limits | None = None, progress: Progress | None = None) -> Dataset:
    """:func:`import_bytes` of a file on disk."""
    path = Path(path)
    try:
        raw = read_bytes(path, limits.max_bytes if limits else None)
    except DataFileError as exc:
        raise ImportRefused(str(exc)) from None
    return import_bytes(raw, path.name, geodata, fmt=fmt, limits=limits, progress=progress)


def load_path(path: Path | str, geodata: Geodata, *, fmt: str | None = None,
              limits: Limits | None = None, progress: Progress | None = None) -> Dataset:
    """A file on disk in any format (see :func:`read_path`) as a :class:`Dataset`.

    ``progress`` hears how far the import got (see the module's description).
    """
    return _load(path, geodata, fmt, limits, Steps(progress))


def _load(path: Path | str, geodata: Geodata, fmt: str | None, limits: Limits | None,
          steps: Steps) -> Dataset:
    checked = read_path(path, geodata.gazetteer, fmt=fmt, limits=limits, steps=steps)
    return joined(checked, geodata, steps)


def load_paths(paths: list[Path | str], geodata: Geodata, *, fmt: str | None = None,
               limits: Limits | None = None, progress: Progress | None = None) -> Dataset:
    """Several files shown together (see :func:`dashboard.dataset.combine`); ``progress``
    hears how far the imports got, all together."""
    steps = Steps(progress)
    count = max(len(paths), 1)
    return combine([_load(p, geodata, fmt, limits, steps.part(i / count, (i + 1) / count))
                    for i, p in enumerate(paths)])
