"""What a cache entry is keyed by: the file's bytes, the geodata's, the limits and the code.

The events file is hashed in chunks (SHA-256; ~0.6 s for 400 MB on this project's
machine), so a changed file misses the cache even when its time stamp stayed the same.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from dashboard.importing.files import open_regular
from dashboard.paths import PLACES_FILE, REGIONS_FILE
from dashboard.settings import Limits

FORMAT = 1  # the layout of an entry; raise it when the files of an entry change
CHUNK = 8 * 2**20
PACKAGE = Path(__file__).resolve().parent.parent
LIBRARIES = ("pandas", "pyarrow", "geopandas", "shapely")


def file_digest(path: Path, progress: Callable[[float], None] | None = None) -> str:
    """The SHA-256 of a regular file's bytes, read ``CHUNK`` bytes at a time.

    Raises
    ------
    dashboard.errors.DataFileError
        When it is missing, unreadable or not a regular file.
    OSError
        When reading it fails midway.
    """
    digest = hashlib.sha256()
    with open_regular(path) as handle:
        size = max(Path(path).stat().st_size, 1)
        done = 0
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            done += len(chunk)
            if progress is not None:
                progress(min(done / size, 1.0))
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the core's source and the libraries that shape a table, so a new
    version of either never reads a table an older one wrote."""
    digest = hashlib.sha256()
    for source in sorted(PACKAGE.rglob("*.py")):
        relative = source.relative_to(PACKAGE)
        if relative.parts[0] == "ui" or relative.name == "app.py":
            continue  # the page does not change what a file loads into
        digest.update(str(relative).encode() + b"\0" + source.read_bytes() + b"\0")
    digest.update(" ".join(version(name) for name in LIBRARIES).encode())
    return digest.hexdigest()


def geodata_digest(directory: Path) -> str:
    """A digest of the gazetteer and region shapes an events file is joined with."""
    digest = hashlib.sha256()
    for name in (PLACES_FILE, REGIONS_FILE):
        digest.update(file_digest(Path(directory) / name).encode())
    return digest.hexdigest()


def entry_key(content: str, path: Path, fmt: str | None, limits: Limits,
              geodata: str) -> str:
    """The name of the entry for a file with digest ``content`` read as ``fmt`` under
    ``limits``: everything that changes what it loads into."""
    parts = [FORMAT, content, str(Path(path).resolve()), fmt, repr(limits), geodata,
             code_digest()]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:40]
