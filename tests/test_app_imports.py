"""Uploading events through AppTest: formats, skipped rows, refusals, datasets, nothing saved."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.paths import DEFAULT_EVENTS
from tests.test_app import run_app, shown
from tests.test_app_playback import map_ids

pytestmark = pytest.mark.app
FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader(key="uploads").set_value([(n, b, "text/csv") for n, b in files]).run()
    assert not at.exception, at.exception
    return at


def fixture(name: str) -> tuple[str, bytes]:
    return name, (FIXTURES / name).read_bytes()


@pytest.fixture
def app(monkeypatch) -> AppTest:
    """The page on every bundled event (it opens on fewer years), before any upload."""
    at = run_app(monkeypatch)
    return at.button(key="period_everything").click().run()


def test_an_acled_upload_joins_the_bundled_events(app, bundled):
    before = hashlib.sha256(DEFAULT_EVENTS.read_bytes()).hexdigest()
    upload(app, fixture("acled.csv"))
    assert shown(app) == len(bundled.events) + 4
    assert {"ARM1", "AZE2", "ARM3", "ARM8"} <= map_ids(app)
    warning = [w.value for w in app.warning if "acled.csv" in w.value]
    assert len(warning) == 1 and "5 of 9 rows" in warning[0] and "lines 5, 6, 7, 8, 10" \
        in warning[0]
    [details] = [e for e in app.expander if "acled.csv" in e.label]
    listed = details.dataframe[0].value
    assert listed["line"].tolist() == [5, 6, 7, 8, 10, 10]
    assert listed["column"].tolist()[:4] == ["event_date", "latitude", "fatalities",
                                              "event_type"]
    assert "'-2' is negative" in listed["problem"].tolist()
    assert hashlib.sha256(DEFAULT_EVENTS.read_bytes()).hexdigest() == before, (
        "uploading changed events.csv")


def test_datasets_can_be_shown_apart(app, bundled):
    upload(app, fixture("ged.csv"))
    app.multiselect(key="datasets").set_value(["ged.csv"]).run()
    assert shown(app) == 2
    assert map_ids(app) == {"ged-1001", "ged-1002"}
    app.multiselect(key="datasets").set_value([]).run()
    assert shown(app) == len(bundled.events) + 2
    app.toggle(key="with_bundled").set_value(False).run()
    assert shown(app) == 2


def test_two_files_at_once_with_semicolons_and_geojson(app, bundled):
    upload(app, fixture("acled_semicolon.csv"), fixture("acled.geojson"))
    assert shown(app) == len(bundled.events) + 6  # the same three events in each file
    assert any("separated by semicolons" in i.value for i in app.info)
    assert any("1 of 4 rows of acled.geojson" in w.value and "features 2" in w.value
               for w in app.warning)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.csv", b"", "empty.csv is empty."),
    ("blank.csv", b"\n\n  \n", "blank.csv is empty."),
    ("other.csv", b"a,b,c\n1,2,3\n", "are not those of an ACLED export"),
    ("short.csv", b"event_id_cnty,event_date,event_type\nX,2023-01-01,Battles\n",
     "lacks columns needed to read it as an ACLED export: latitude, longitude"),
    ("broken.geojson", b'{"type": "FeatureCollection", "features": [', "is not valid JSON"),
])
def test_a_refused_file_is_one_sentence_and_the_rest_loads(app, bundled, name, content,
                                                           message):
    upload(app, (name, content))
    errors = [e.value for e in app.error]
    assert len(errors) == 1 and message in errors[0] and name in errors[0]
    assert shown(app) == len(bundled.events)


def test_a_windows_1252_file_loads_with_a_notice(app, bundled):
    _, raw = fixture("acled.csv")
    text = raw.decode("utf-8").replace("Fixture: a test row", "Fixture: Yerevan’s café row")
    upload(app, ("cp1252.csv", text.encode("cp1252")))
    assert any("read as Windows-1252" in i.value for i in app.info)
    assert shown(app) == len(bundled.events) + 4


def test_the_format_can_be_forced(app):
    app.selectbox(key="upload_format").set_value("ged").run()
    upload(app, fixture("acled.csv"))
    assert "lacks columns needed to read it as UCDP GED" in app.error[0].value
