"""Hostile links in a real browser: Markdown and template syntax in the URL stay text,
fetch nothing and run nothing."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.browser_support import PAGE_TIMEOUT, wait_until

pytestmark = pytest.mark.browser

SEARCHES = [
    "![x](http://evil.invalid/q.png) $x^2$",
    "Q{{7*7}}Q <img src=x onerror=window.__pwned=1>",
]


@pytest.mark.parametrize("search", SEARCHES)
def test_a_hostile_search_in_the_link_is_shown_as_typed(page, server, guard, search):
    page.goto(f"{server.url}?{urlencode({'q': search})}", timeout=PAGE_TIMEOUT * 1000)
    caption = page.get_by_test_id("stCaptionContainer").filter(has_text="search:")
    caption.first.wait_for(timeout=PAGE_TIMEOUT * 1000)
    text = wait_until(lambda: caption.first.inner_text(), PAGE_TIMEOUT,
                      "the filter summary naming the search")
    assert search in text, text  # literally: no image, no maths, no evaluated template
    assert "Q49Q" not in page.content()
    assert page.locator("img[src*='evil.invalid'], .katex, img[src='x']").count() == 0
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    guard.assert_only_local()
