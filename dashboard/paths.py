"""Where the bundled data lives."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
GEODATA_DIR = REPO_ROOT / "geodata"
DEFAULT_EVENTS = REPO_ROOT / "events.csv"
CACHE_DIR = REPO_ROOT / ".cache"  # tables imported from events files (dashboard.tablecache)
WORKING_DIR = REPO_ROOT / "working"  # the review page's working set (dashboard.review)
PLACES_FILE = "places.geojson"
REGIONS_FILE = "regions.geojson"
BASEMAP_FILE = "basemap.geojson"
