"""Files named on the command line: opened only if regular, never read beyond the limit."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from dashboard.errors import DataFileError
from dashboard.settings import MAX_BYTES


def too_large(name: str, size: int, limit: int) -> str:
    """The sentence refusing a file of ``size`` bytes over ``limit``."""
    return f"{name} is {size / 2**20:.1f} MB, more than the limit of {limit / 2**20:.0f} MB."


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading, if it is a regular file (never blocks on a pipe).

    Raises
    ------
    DataFileError
        When it is missing, unreadable, or not a regular file (a pipe, device, folder).
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise DataFileError(f"events file not found: {path}") from None
    except OSError as exc:
        raise DataFileError(f"cannot read events file {path}: {exc.strerror}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise DataFileError(f"{path} is not a regular file (a pipe, device or folder); "
                            f"give the path of a saved file")
    return os.fdopen(fd, "rb")


def read_bytes(path: Path | str, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (default ``MAX_BYTES``).

    Never reads more than ``limit + 1`` bytes, in chunks, so a large limit is not a large
    allocation. Everything that goes wrong is a one-line :class:`DataFileError`.
    """
    limit = MAX_BYTES if limit is None else limit
    with open_regular(Path(path)) as handle:
        try:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise DataFileError(too_large(Path(path).name, size, limit))
            raw = _read_at_most(handle, limit + 1, first=size + 1)
        except OSError as exc:
            raise DataFileError(f"cannot read events file {path}: {exc.strerror}") from None
    if len(raw) > limit:
        raise DataFileError(too_large(Path(path).name, len(raw), limit))
    return raw


def _read_at_most(handle: BinaryIO, count: int, chunk: int = 16 * 2**20,
                  first: int | None = None) -> bytes:
    """Up to ``count`` bytes of ``handle``, read ``first`` bytes (its size, when known: one
    allocation, no copy), then ``chunk`` bytes at a time."""
    parts: list[bytes] = []
    while count > 0:
        part = handle.read(min(count, first or chunk))
        first = None
        if not part:
            break
        parts.append(part)
        count -= len(part)
    return b"".join(parts)
