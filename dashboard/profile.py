"""The study this dashboard is set up for: its area, the places always named on maps,
the map data's attribution and the base map's colours.

The live map, the exported page, images and time-lapses and the *About* text all read them
here, so another study changes one file.
"""

from __future__ import annotations

from dataclasses import dataclass

# [[south, west], [north, east]]: Armenia, Nagorno-Karabakh, Azerbaijan
STUDY_AREA = [[38.8, 44.0], [41.2, 50.0]]
LABELLED_PLACES = ("stepanakert", "martakert", "goris", "hakari_bridge", "yerevan", "baku",
                   "nakhchivan_city", "yevlakh")
ATTRIBUTION = ("Borders: Natural Earth (public domain), generalised; places: GeoNames "
               "(CC BY 4.0) and Wikipedia")


@dataclass(frozen=True)
class Palette:
    """The base map's colours, on the web map and in static exports alike."""

    sea: str = "#cddbe7"
    land: str = "#f2efe9"  # country fill
    border: str = "#6b6b6b"  # country borders
    province: str = "#a8a8a8"
    disputed: str = "#4d4d4d"  # the disputed area's outline


PALETTE = Palette()
