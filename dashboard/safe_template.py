"""Data never becomes template source.

branca renders each map element's script and compiles the result again as a Jinja
template (``MacroElement.render`` wraps it in ``Element(text)``), so a ``{{ ... }}`` in a
title, a file name or the search box would run on the server. Every route from data into
a folium map is closed by writing no ``{`` or ``}`` of data at all:

- JSON (GeoJSON data, layer names, options) goes through :func:`dumps`, which writes them
  inside strings as ``\\u007b`` and ``\\u007d``: the same string for any JSON reader, and
  no template delimiter;
- HTML text goes through :func:`dashboard.safe_html.text`, which writes them as ``&#123;``
  and ``&#125;``.

Structural JSON braces are always followed by ``"`` or ``}`` and never form ``{{``,
``{%`` or ``{#``. :func:`install` makes :func:`dumps` the ``tojson`` filter of the Jinja
environment that folium's and branca's templates share.

Compiling a rendered script again was also most of the time a map took to build (Jinja
tokenises every byte of the data). :func:`install` therefore gives branca's ``Element``
:func:`template`: text without template marks renders to itself, exactly as Jinja renders
it, without being compiled; text with marks is still compiled as before.
"""

from __future__ import annotations

import json
import re
from typing import Any

import jinja2

# A JSON string literal (json.dumps escapes quotes and backslashes in it). Every literal
# matches from its opening quote, so the scan never starts inside one.
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACES = str.maketrans({"{": "\\u007b", "}": "\\u007d"})
TEMPLATE_MARKS = ("{{", "{%", "{#")


def encode_braces(encoded: str) -> str:
    """JSON text with every brace inside a string literal written as a ``\\u`` escape.

    Done with string methods, not a match per literal (a map's data holds tens of
    thousands): escaped backslashes and quotes are set aside as control characters (which
    JSON text holds only escaped), so every other ``"`` opens or closes a literal.
    """
    if "{" not in encoded and "}" not in encoded:
        return encoded
    if "\x00" in encoded or "\x01" in encoded:  # not json.dumps's: the slower, general way
        return _STRING.sub(lambda m: m.group().translate(_BRACES), encoded)
    parts = encoded.replace("\\\\", "\x00").replace('\\"', "\x01").split('"')
    parts[1::2] = [p.translate(_BRACES) if "{" in p or "}" in p else p for p in parts[1::2]]
    return '"'.join(parts).replace("\x00", "\\\\").replace("\x01", '\\"')


def dumps(obj: Any, **kwargs: Any) -> str:
    """``json.dumps`` whose output holds no brace of data, only structural ones."""
    return encode_braces(json.dumps(obj, **kwargs))


class PlainText:
    """What ``jinja2.Template(text)`` renders for text without template marks or
    carriage returns: the text with one trailing newline removed."""

    def __init__(self, text: str) -> None:
        self.text = text.removesuffix("\n")

    def render(self, *args: Any, **kwargs: Any) -> str:
        return self.text


def template(source: str) -> jinja2.Template | PlainText:
    """``jinja2.Template(source)``, or :class:`PlainText` where that renders the same."""
    if "\r" in source or any(mark in source for mark in TEMPLATE_MARKS):
        return jinja2.Template(source)
    return PlainText(source)


def install() -> None:
    """Make :func:`dumps` the ``tojson`` of the templates folium and branca compile.

    ``jinja2.Template(source)`` shares one environment for the same settings; branca's
    ``Element`` and folium's elements all use it.
    """
    for environment in {jinja2.Template("").environment,
                        *_branca_environments()}:
        environment.policies["json.dumps_function"] = dumps
    import branca.element

    branca.element.Template = template  # type: ignore[misc,assignment]  # Element(text) only


def _branca_environments() -> list[jinja2.Environment]:
    import branca.element  # the package-loader environment of branca's own templates

    env = getattr(branca.element, "ENV", None)
    return [env] if isinstance(env, jinja2.Environment) else []


install()
