"""Reading the project's own data files safely (regular files only, size bounded) and
writing files whole (a reader sees the old file or the new one, never part of one)."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from dashboard.errors import DashboardError

GEODATA_MAX_BYTES = 512 * 2**20  # far above any gazetteer or shape file we ship
PUBLIC = 0o644  # files others may read: the copies Streamlit's static route serves


def check_regular(path: Path, what: str, error: type[DashboardError]) -> None:
    """Raise ``error`` unless ``path`` is a regular file; never blocks on a pipe."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise error(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        raise error(f"cannot read {what} {path}: not a regular file (a pipe, device or "
                    "folder)")


def read_regular_text(path: Path, what: str, error: type[DashboardError],
                      limit: int = GEODATA_MAX_BYTES) -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes, else ``error``."""
    raw = read_regular_bytes(path, what, error, limit)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"cannot read {what} {path}: not UTF-8 text ({exc.reason})") from None


def read_regular_bytes(path: Path, what: str, error: type[DashboardError],
                       limit: int = GEODATA_MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, else ``error`` naming
    ``what`` it is.

    Opened without blocking and checked on the open file, so a file swapped for a pipe
    between the check and the read cannot hang it either.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise error(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise error(f"cannot read {what} {path}: not a regular file (a pipe, device or "
                        "folder)")
        if info.st_size > limit:
            raise error(f"cannot read {what} {path}: {info.st_size / 2**20:.0f} MB, more "
                        f"than the limit of {limit / 2**20:.0f} MB")
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise error(f"cannot read {what} {path}: more than {limit / 2**20:.0f} MB")
    return raw


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    The finished file is moved into place, so a reader (a browser, another process) sees
    the old file or the new one whole, never part of one. ``mode`` sets the file's
    permissions (a temporary file is only its owner's).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_changed(path: Path, data: bytes, mode: int | None = None) -> bool:
    """Write ``data`` to ``path`` (whole, see :func:`write_atomic`) unless the file holds
    exactly it already; whether it wrote. An unchanged file keeps its inode and time."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data, mode)
    return True
