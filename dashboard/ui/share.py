"""Sharing: a button that copies the page's link, which holds the filters and the map view."""

from __future__ import annotations

import streamlit as st

HEIGHT = 96  # pixels: the button, a status line and the link field

# The URL is read in the browser when the button is clicked (the app rewrites it after each
# run), so no data goes into this markup. Where the clipboard is not allowed, the link
# stands selected in a field to copy by hand.
COPY_LINK_HTML = """
<style>
  body { margin: 0; font: 14px/1.4 "Source Sans Pro", system-ui, sans-serif; color: #31333f; }
  button { width: 100%; padding: 6px 10px; border: 1px solid rgba(49,51,63,.25);
    border-radius: 8px; background: #fff; color: inherit; font: inherit; cursor: pointer; }
  button:hover { border-color: #ff4b4b; color: #ff4b4b; }
  button:focus-visible { outline: 2px solid #ff4b4b; outline-offset: 2px; }
  input { width: 100%; box-sizing: border-box; margin-top: 4px; padding: 3px 6px;
    font: 12px ui-monospace, monospace; border: 1px solid rgba(49,51,63,.25);
    border-radius: 4px; }
  #status { font-size: 12px; min-height: 1.2em; margin-top: 2px; }
</style>
<button id="copy-link" type="button">🔗 Copy link to this view</button>
<div id="status" role="status" aria-live="polite"></div>
<input id="link" type="text" readonly aria-label="Link to this view" hidden>
<script>
  const button = document.getElementById('copy-link');
  const field = document.getElementById('link');
  const status = document.getElementById('status');
  function pageUrl() {
    try { return window.parent.location.href; } catch (error) { return document.referrer; }
  }
  button.addEventListener('click', async () => {
    const url = pageUrl();
    field.value = url;
    field.hidden = false;
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = 'Link copied: it opens this view with its filters.';
    } catch (error) {
      status.textContent = 'Copy the link below (Ctrl+C / ⌘C).';
      field.focus();
    }
    field.select();
  });
</script>
"""


def copy_link_button() -> None:
    """The copy-link button, its status and the link as text to copy by hand."""
    st.iframe(COPY_LINK_HTML, height=HEIGHT)
