"""A report's text as HTML with its dates, places and figures marked (the text escaped)."""

from __future__ import annotations

from collections.abc import Iterable

from dashboard.extract import Highlight
from dashboard.safe_html import text as html_text

COLOURS = {"date": "#cfe3ff", "place": "#d6f5d6", "figure": "#ffe0b3"}


def marked_html(text: str, highlights: Iterable[Highlight]) -> str:
    """``text`` escaped, each highlight in a ``<mark>`` titled with what it was read as.

    Overlapping highlights keep the first (the earliest, then the shortest).
    """
    parts: list[str] = []
    done = 0
    for mark in sorted(highlights, key=lambda h: (h.start, h.end)):
        if mark.start < done or mark.end <= mark.start or mark.end > len(text):
            continue
        parts.append(html_text(text[done:mark.start]))
        colour = COLOURS.get(mark.kind, "#eee")
        parts.append(f"<mark class='{mark.kind}' style='background:{colour}' "
                     f"title='{html_text(mark.kind + ': ' + mark.detail)}'>"
                     f"{html_text(text[mark.start:mark.end])}</mark>")
        done = mark.end
    parts.append(html_text(text[done:]))
    return ("<div class='report-text' style='white-space:pre-wrap;max-height:24rem;"
            "overflow:auto'>" + "".join(parts) + "</div>")
