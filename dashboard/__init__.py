"""Conflict-event map: a core library (no Streamlit) and a thin Streamlit UI.

The core loads and validates ``events.csv`` against the gazetteer in ``geodata/``,
assigns regions once at load, filters events by a frozen :class:`FilterState`,
and builds offline folium maps. Only :mod:`dashboard.app` and :mod:`dashboard.ui`
import Streamlit.
"""

__version__ = "0.1.0"
