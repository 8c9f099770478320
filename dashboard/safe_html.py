"""Untrusted text into HTML: escaped, direction overrides made visible, only web links.

Braces are written as ``&#123;``/``&#125;`` too: map HTML passes through Jinja again
(see :mod:`dashboard.safe_template`), and no data may form a template delimiter there.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

# Embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069) can make the text
# that follows read backwards; they are shown as their code points instead.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Every character text() changes: without one, the text is its own HTML.
_CHANGED = re.compile("[&<>\"'{}\u202a-\u202e\u2066-\u2069]")


def text(value: object, quote: bool = True) -> str:
    """``value`` as HTML text: escaped, braces encoded, direction controls shown as
    ``[U+202E]``."""
    raw = "" if value is None else str(value)
    if not _CHANGED.search(raw):
        return raw
    escaped = html.escape(raw, quote=quote)
    escaped = escaped.replace("{", "&#123;").replace("}", "&#125;")  # quicker than translate
    return BIDI_CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", escaped)


def is_web_link(value: str) -> bool:
    """Whether ``value`` is an ``http`` or ``https`` URL with a host (no ``javascript:``)."""
    if "//" not in value:  # no host: not a link (and most values are none, quickly)
        return False
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value.strip()


def linked(value: object) -> str:
    """A web link as an anchor opening in a new tab; anything else as plain text."""
    raw = "" if value is None else str(value)
    if not is_web_link(raw):
        return text(raw)
    url = text(raw.strip())
    return f"<a href=\"{url}\" target=\"_blank\" rel=\"noopener noreferrer\">{url}</a>"
