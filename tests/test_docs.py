"""The README and geodata/SOURCES.md say what the code does."""

from __future__ import annotations

import re

import pytest

from dashboard.paths import GEODATA_DIR, REPO_ROOT
from dashboard.periods import PERIODS
from dashboard.schema import CATEGORIES, COLUMNS, EVENT_TYPES

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_documents_the_columns_in_order():
    block = README.split("exactly these columns in this order:", 1)[1].split("\n\n")[1]
    rows = block.splitlines()[2:]
    listed = [n for line in rows for n in re.findall(r"`([a-z0-9_]+)`", line.split("|")[1])]
    assert listed == list(COLUMNS)


def test_readme_lists_every_event_type_with_its_meaning():
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \|$", README, flags=re.MULTILINE))
    for name, meaning in EVENT_TYPES.items():
        assert rows.get(name, "").strip() == meaning


@pytest.mark.parametrize("category", CATEGORIES.values(), ids=list(CATEGORIES))
def test_readme_lists_each_layer_with_colour_and_symbol(category):
    assert (f"| `{category.id}` | {category.label} | {category.symbol} | `{category.colour}` "
            f"| {category.description} |") in README


def test_readme_names_the_presets_and_commands():
    for period in PERIODS:
        assert f"*{period.label}*" in README
    for command in ("make run", "make test", "python -m dashboard validate"):
        assert command in README


def test_readme_screenshot_exists():
    assert (REPO_ROOT / "docs" / "screenshot.png").is_file()


def test_sources_md_covers_every_geodata_file():
    sources = (GEODATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for path in GEODATA_DIR.glob("*.geojson"):
        assert path.name in sources
    assert "derive.py" in sources and "Natural Earth" in sources and "GeoNames" in sources
