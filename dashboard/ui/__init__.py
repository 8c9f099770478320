"""The Streamlit UI: widgets into a frozen FilterState, core calls, rendering."""
