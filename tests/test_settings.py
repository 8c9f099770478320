"""Settings: one table, read once from the environment, unknown names refused, documented."""

from __future__ import annotations

import os
import re
from dataclasses import fields
from datetime import date
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.paths import DEFAULT_EVENTS, REPO_ROOT
from dashboard.settings import SETTINGS, Limits, Settings, SettingsError

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_has_one_attribute_and_its_documented_default():
    assert [s.attribute for s in SETTINGS] == [f.name for f in fields(Settings)]
    defaults = Settings()
    machine = {"events", "cache_dir", "database_url", "working_dir"}  # paths; no database
    for setting in SETTINGS:
        if setting.attribute not in machine:
            assert setting.parse(setting.default) == getattr(defaults, setting.attribute)
    assert defaults.database_url is None
    assert defaults.events == (DEFAULT_EVENTS,)
    assert defaults.cache_dir == REPO_ROOT / ".cache"
    assert defaults.working_dir == REPO_ROOT / "working"
    assert Settings.from_env({}) == defaults and defaults.limits == Limits()


def test_the_readme_table_is_the_settings_table():
    rows = re.findall(r"^\| `(DASHBOARD_[A-Z_]+)` \| (.+?) \| (.+?) \|$", README, re.MULTILINE)
    assert rows == [(s.name, s.default, s.help) for s in SETTINGS]


def test_values_are_read_and_unusable_ones_leave_the_default():
    settings = Settings.from_env({
        "DASHBOARD_EVENTS": os.pathsep.join(["a.csv", "", "b.csv"]),
        "DASHBOARD_MAX_UPLOAD_MB": " 2 ", "DASHBOARD_MAX_ROWS": "-3",
        "DASHBOARD_DATE_MIN": "2000-01-01", "DASHBOARD_DATE_MAX": "never",
        "PATH": "/bin", "DASHBOARDX": "not ours"})
    assert settings.events == (Path("a.csv"), Path("b.csv"))
    assert settings.limits.max_bytes == 2 * 2**20
    assert settings.file_limits.max_bytes > 2**40 and settings.file_limits.max_rows > 10**12
    assert settings.file_limits.dates == settings.limits.dates
    assert settings.max_rows == Settings().max_rows
    assert (settings.date_min, settings.date_max) == (date(2000, 1, 1), Settings().date_max)


def test_the_cache_folder_is_a_setting_and_make_clean_removes_the_default():
    assert Settings.from_env({"DASHBOARD_CACHE_DIR": "/srv/cache"}).cache_dir == \
        Path("/srv/cache")
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    clean = makefile.split("\nclean:", 1)[1]
    assert ".cache" in clean.split("\n\n", 1)[0]
    assert ".cache/" in (REPO_ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_an_unknown_setting_is_refused_naming_the_known_ones():
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"DASHBOARD_MAX_ROW": "5", "DASHBOARD_EVENTS": "a.csv"})
    message = str(raised.value)
    assert "DASHBOARD_MAX_ROW;" in message
    assert all(s.name in message for s in SETTINGS)


def test_the_command_line_refuses_an_unknown_setting_in_one_line(monkeypatch, capsys):
    monkeypatch.setenv("DASHBOARD_DATE_MINIMUM", "2000-01-01")
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown setting DASHBOARD_DATE_MINIMUM;")
    assert err.count("\n") == 1


@pytest.mark.app
def test_the_app_says_which_setting_is_unknown(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DASHBOARD_EVENT", str(DEFAULT_EVENTS))
    at = AppTest.from_file(str(REPO_ROOT / "dashboard" / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    shown = [e.value.replace("\\", "") for e in at.error]  # Markdown escapes removed
    assert any("unknown setting DASHBOARD_EVENT;" in text for text in shown), shown
