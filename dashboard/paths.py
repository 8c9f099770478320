"""Where the bundled data lives, and when a file last changed."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
GEODATA_DIR = REPO_ROOT / "geodata"
DEFAULT_EVENTS = REPO_ROOT / "events.csv"
CACHE_DIR = REPO_ROOT / ".cache"  # tables imported from events files (dashboard.tablecache)
WORKING_DIR = REPO_ROOT / "working"  # the review page's working set (dashboard.review)
PLACES_FILE = "places.geojson"
REGIONS_FILE = "regions.geojson"
BASEMAP_FILE = "basemap.geojson"


def modified(path: Path) -> float:
    """``path``'s modification time; 0 when it cannot be read (a cache key, not a date)."""
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def geodata_stamp(directory: Path) -> tuple[float, float]:
    """When the gazetteer and the region shapes of ``directory`` last changed."""
    return modified(directory / PLACES_FILE), modified(directory / REGIONS_FILE)
