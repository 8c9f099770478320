"""Sharing in a real browser: the copy-link button copies the URL that restores the view."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser_support import (
    RERUN_TIMEOUT,
    map_frame,
    open_dashboard,
    search_for,
    wait_until,
)

pytestmark = pytest.mark.browser
SHARE_FRAME = 'iframe[srcdoc*="copy-link"]'


def without_view(url: str) -> tuple:
    parts = urlsplit(url)
    query = {k: v for k, v in parse_qs(parts.query).items() if k != "view"}
    return parts.scheme, parts.netloc, parts.path, query


def href(page: Any) -> str:
    """The address as the page has it now (``page.url`` lags behind replaceState)."""
    return page.evaluate("() => location.href")


def test_copy_link_copies_the_url_of_the_current_view(page, server, guard):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"],
                                   origin=server.url.rstrip("/"))
    frame, _ = open_dashboard(page, server.url)
    search_for(page, frame, "Taghavard", 1)
    seen: list[str] = []

    def settled() -> bool:  # the same URL, with the search and the map's view, twice running
        seen.append(href(page))
        return len(seen) > 1 and seen[-1] == seen[-2] and "Taghavard" in seen[-1]

    wait_until(settled, RERUN_TIMEOUT, "the URL to carry the search and settle", interval=0.5)

    share = page.frame_locator(SHARE_FRAME)
    button = share.get_by_role("button", name="Copy link to this view")
    button.focus()
    page.keyboard.press("Enter")  # keyboard users can copy the link too
    status = share.get_by_role("status")
    wait_until(lambda: status.inner_text().strip(), RERUN_TIMEOUT, "the copy to be confirmed")
    assert "Link copied" in status.inner_text()

    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "Taghavard" in copied  # the link holds the search
    # The page's address, but for the map's view, which the map may still be reporting.
    assert without_view(copied) == without_view(href(page))
    field = share.get_by_role("textbox", name="Link to this view")
    assert field.is_visible() and field.input_value() == copied
    guard.assert_only_local()


def test_without_clipboard_the_link_is_shown_to_copy_by_hand(page, server, guard):
    open_dashboard(page, server.url)
    share = page.frame_locator(SHARE_FRAME)
    share.locator("#link").evaluate("el => { navigator.clipboard.writeText = () => "
                                    "Promise.reject(new Error('denied')); }")
    share.get_by_role("button", name="Copy link to this view").click()
    field = share.get_by_role("textbox", name="Link to this view")
    field.wait_for(state="visible", timeout=RERUN_TIMEOUT * 1000)
    assert without_view(field.input_value()) == without_view(href(page))
    assert "Copy the link below" in share.get_by_role("status").inner_text()
    guard.assert_only_local()


def test_the_link_names_a_map_view_only_once_the_map_is_moved(page, server, guard):
    open_dashboard(page, server.url)
    page.get_by_role("button", name="Offensive", exact=True).click()
    seen: list[str] = []

    def settled() -> bool:  # the preset's dates in the URL, twice running
        seen.append(href(page))
        return len(seen) > 1 and seen[-1] == seen[-2] and "from=2023-09-19" in seen[-1]

    wait_until(settled, RERUN_TIMEOUT, "the URL to carry the preset and settle", interval=0.5)
    url = href(page)
    assert "view=" not in url, f"the map was not moved, yet the link names a view: {url}"
    map_frame(page).evaluate("() => { window.map.panBy([200, 80], {animate: false}); }")
    wait_until(lambda: "view=" in href(page), RERUN_TIMEOUT, "the moved map's view in the URL")
    guard.assert_only_local()
