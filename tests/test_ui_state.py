"""Widget state has one owner, ``dashboard/ui/state.py``: no other module touches a widget's
key, and the filters go through the widgets and back unchanged, every field of them."""

from __future__ import annotations

import ast
import importlib
import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.filters import FilterState
from dashboard.linkstate import write_link
from dashboard.paths import DEFAULT_EVENTS, REPO_ROOT
from dashboard.schema import CATEGORIES
from dashboard.story import CHAPTERS, chapter_state
from dashboard.ui import state as ui_state
from dashboard.ui.sidebar import data_span
from tests.conftest import row, write_csv
from tests.test_app import APP, run_app

PACKAGE = REPO_ROOT / "dashboard"
OWNER = PACKAGE / "ui" / "state.py"
USERS = sorted(p for p in [PACKAGE / "app.py", *(PACKAGE / "ui").glob("*.py")] if p != OWNER)
ACCESSORS = {"get", "setdefault", "pop", "__getitem__", "__setitem__", "__delitem__",
             "__contains__"}


def _is_session_state(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "session_state"


def _names(tree: ast.Module) -> dict[str, object]:
    """What the module-level names of ``tree`` stand for: string constants and imports."""
    names: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            names |= {t.id: node.value.value for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
            for target in node.targets:  # A, B = "a", "b"
                if isinstance(target, ast.Tuple):
                    names |= {t.id: v.value for t, v in zip(target.elts, node.value.elts,
                                                            strict=False)
                              if isinstance(t, ast.Name) and isinstance(v, ast.Constant)}
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                try:  # a module (``from dashboard.ui import state``) or a name in one
                    value = importlib.import_module(f"{node.module}.{alias.name}")
                except ImportError:
                    value = getattr(importlib.import_module(node.module), alias.name, None)
                names[alias.asname or alias.name] = value
    return names


def _key(node: ast.AST, names: dict[str, object]) -> str | None:
    """The session-state key ``node`` spells, or its fixed start; None when not known."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):  # an f-string: its literal start
        first = node.values[0] if node.values else None
        return first.value if isinstance(first, ast.Constant) else None
    if isinstance(node, ast.Name) and isinstance(names.get(node.id), str):
        return names[node.id]  # type: ignore[return-value]
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        value = getattr(names.get(node.value.id), node.attr, None)
        return value if isinstance(value, str) else None
    return None


def _is_widget_key(key: str) -> bool:
    return key in ui_state.WIDGET_KEYS or key.startswith(ui_state.WIDGET_PREFIXES)


def session_state_uses(path: Path) -> list[tuple[int, str]]:
    """Where ``path`` reads or writes a widget's key in ``st.session_state`` (line, key),
    or hands ``st.session_state`` itself to anything else (line, "").

    A key is known when spelled out, as an f-string's start, or as a constant of the module
    or of one it imports; a key held in a variable (``folium_args.show``'s) is not checked.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = _names(tree)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not _is_session_state(node):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.Subscript) and parent.value is node:
            key = _key(parent.slice, names)
        elif isinstance(parent, ast.Attribute) and parent.attr in ACCESSORS:
            call = parents.get(parent)
            key = _key(call.args[0], names) if isinstance(call, ast.Call) and call.args \
                else None
        elif isinstance(parent, ast.Compare) and node in parent.comparators:
            key = _key(parent.left, names)  # ``key in st.session_state``
        elif isinstance(parent, ast.Attribute):
            key = parent.attr  # ``st.session_state.dates``
        else:
            found.append((node.lineno, ""))  # the whole state handed on
            continue
        if key is not None and _is_widget_key(key):
            found.append((node.lineno, key))
    return sorted(found)


def literal_widget_keys(path: Path) -> list[tuple[int, str]]:
    """Where ``path`` spells a widget's key itself rather than taking it from ``state.py``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.lineno, ast.unparse(keyword.value)) for node in ast.walk(tree)
            if isinstance(node, ast.Call) for keyword in node.keywords
            if keyword.arg == "key" and isinstance(keyword.value, ast.Constant | ast.JoinedStr)]


@pytest.mark.parametrize("path", USERS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_state_module_touches_widget_keys(path):
    assert session_state_uses(path) == [], (
        f"{path.name} touches widget keys in st.session_state: go through dashboard/ui/state.py")


@pytest.mark.parametrize("path", USERS, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_widget_keys_are_named_in_the_state_module(path):
    assert literal_widget_keys(path) == []


def test_the_check_finds_what_it_should(tmp_path):
    offender = tmp_path / "offender.py"
    offender.write_text(
        "import streamlit as st\nfrom dashboard.ui import state\nfrom dashboard.ui.state import "
        "SEARCH\nKEY = 'regions'\nst.session_state['dates'] = 1\n"
        "st.session_state.get(state.DATASETS)\nst.session_state.setdefault(SEARCH, '')\n"
        "st.session_state[KEY] = []\nst.session_state[f'category_{1}'] = True\n"
        "x = 'precise_only' in st.session_state\nst.session_state.story_chapter = ''\n"
        "s = st.session_state\nst.session_state['focus_token'] = 1\n"
        "st.button('b', key='play_toggle')\n", encoding="utf-8")
    assert [line for line, _ in session_state_uses(offender)] == [5, 6, 7, 8, 9, 10, 11, 12]
    assert literal_widget_keys(offender) == [(14, "'play_toggle'")]


# -- Every field through the widgets and back -------------------------------------------------

def widgets(at: AppTest) -> FilterState:
    """The filters the rendered widgets show."""
    date_from, date_to = at.slider(key=ui_state.DATES).value
    assert at.date_input(key=ui_state.EXACT_DATES).value == (date_from, date_to)
    datasets = [w for w in at.multiselect if w.key == ui_state.DATASETS]
    return FilterState(
        date_from=date_from, date_to=date_to,
        regions=tuple(at.multiselect(key=ui_state.REGIONS).value),
        categories=tuple(c for c in CATEGORIES
                         if at.checkbox(key=ui_state.category_key(c)).value),
        search=at.text_input(key=ui_state.SEARCH).value,
        datasets=tuple(datasets[0].value) if datasets else (),
        precise_only=at.toggle(key=ui_state.PRECISE_ONLY).value)


def proposing(app: str) -> None:
    """The app, after proposing the filters the test put in ``wanted`` (once)."""
    import runpy

    import streamlit as st

    from dashboard.ui import state

    wanted = st.session_state.pop("wanted", None)
    if wanted is not None:
        state.propose(wanted, "test")
    runpy.run_path(app)


WANTED = FilterState(date_from=date(2023, 9, 19), date_to=date(2023, 9, 28),
                     regions=("syunik", "nagorno_karabakh"),
                     categories=("civilian_harm", "displacement"), search="Hakari",
                     datasets=("events.csv",), precise_only=True)


@pytest.mark.app
def test_a_proposal_reaches_every_widget_datasets_included(monkeypatch, tmp_path, bundled):
    extra = write_csv(tmp_path / "extra.csv", [row(event_id="x-1", title="Hakari crossing")])
    monkeypatch.setenv("DASHBOARD_EVENTS", f"{DEFAULT_EVENTS}{os.pathsep}{extra}")
    at = AppTest.from_function(proposing, args=(APP,), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert widgets(at) != WANTED
    assert len(at.multiselect(key=ui_state.DATASETS).options) == 2
    at.session_state["wanted"] = WANTED
    at.run()
    assert not at.exception, at.exception
    assert widgets(at) == WANTED  # every field, datasets included
    at.run()  # applied once: a rerun keeps what the widgets hold
    assert widgets(at) == WANTED
    others = FilterState(date_from=date(2022, 1, 1), date_to=date(2022, 12, 31),
                         datasets=("extra.csv",))
    at.session_state["wanted"] = others  # and back to the defaults of the other fields
    at.run()
    assert widgets(at) == others
    chapter = CHAPTERS[0]
    at.selectbox(key=ui_state.CHAPTER).set_value(chapter.id).run()
    assert at.selectbox(key=ui_state.CHAPTER).value == chapter.id
    shown = chapter_state(chapter, data_span(bundled))
    assert widgets(at) == replace(shown, datasets=("extra.csv",))  # the datasets stay


@pytest.mark.app
def test_a_link_reaches_every_widget_and_is_written_back_unchanged(monkeypatch):
    wanted = replace(WANTED, datasets=())  # links do not hold datasets
    link = write_link(wanted)
    at = run_app(monkeypatch, params=link)
    assert not at.warning
    assert widgets(at) == wanted
    assert dict(at.query_params) == link
