"""The command line and the base map on hostile input: one line and a non-zero status.

Pipes and devices are refused before they are read; a broken base map is one sentence
in the page's map and in image exports; visitors never see a traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from dashboard.basemap import read_basemap
from dashboard.cli import FRAME_MS, main
from dashboard.dataset import Geodata
from dashboard.errors import DashboardError, GeodataError
from dashboard.export import ExportError, SnapshotOptions, snapshot
from dashboard.export.basemap_mpl import load_basemap
from dashboard.filters import FilterState
from dashboard.map_builder import base_map
from dashboard.paths import DEFAULT_EVENTS, GEODATA_DIR, REPO_ROOT
from tests.conftest import row

BIG = "99999999999999999999"


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m dashboard ARGS`` in a real process; a hang fails the test."""
    return subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=timeout)


def one_line(text: str) -> str:
    assert text.count("\n") == 1 and "Traceback" not in text, text
    return text


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "events.csv"
    os.mkfifo(path)
    return path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("command", [
    ["validate"], ["snapshot", "--format", "csv", "-o", "out.csv", "--events"]])
def test_a_pipe_is_refused_not_waited_on(fifo, tmp_path, command):
    if "-o" in command:
        command = [c if c != "out.csv" else str(tmp_path / "out.csv") for c in command]
    done = run(*command, str(fifo))
    assert done.returncode == 1
    assert "is not a regular file" in one_line(done.stderr)
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("command", [
    ["validate"], ["validate", "--format", "acled"],
    ["snapshot", "--format", "csv", "-o", os.devnull, "--events"]])
def test_a_device_is_refused_not_read(command):
    done = run(*command, "/dev/zero")
    assert done.returncode == 1
    assert one_line(done.stderr) == ("error: /dev/zero is not a regular file (a pipe, device "
                                     "or folder); give the path of a saved file\n")


def test_a_folder_is_refused(tmp_path, capsys):
    assert main(["validate", str(tmp_path)]) == 1
    assert "is not a regular file" in one_line(capsys.readouterr().err)


def test_validate_fails_a_huge_figure_and_a_far_date(events_file, capsys):
    path = events_file(row(killed=BIG, figure_qualifier="exact", claimed_by="x"),
                       row(event_id="t-2", date_start="0001-01-01"),
                       row(event_id="t-3", date_start="9999-12-31"), row(event_id="t-4"))
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        f"{path}:2: killed: '{BIG}' is more than 100,000,000, the largest figure accepted",
        f"{path}:3: date_start: '0001-01-01' is outside the dates this dashboard accepts "
        "(1700-01-01 to 2200-12-31)",
        f"{path}:4: date_start: '9999-12-31' is outside the dates this dashboard accepts "
        "(1700-01-01 to 2200-12-31)",
    ]
    assert "4 rows, 1 valid, 3 errors" in out.err


def test_validate_of_an_import_fails_a_huge_figure(tmp_path, capsys):
    fixture = Path(__file__).parent / "fixtures" / "imports" / "ged.csv"
    path = tmp_path / "ged.csv"
    path.write_text(fixture.read_text(encoding="utf-8").replace(",12,15,10\n",
                                                                f",12,{BIG},10\n", 1),
                    encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert f"{path}:2: high: '{BIG}' is more than 100,000,000" in capsys.readouterr().out


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_validate_of_utf16_is_one_line(events_file, capsys, encoding):
    path = events_file(row())
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    assert main(["validate", str(path)]) == 1
    assert "save it as UTF-8" in one_line(capsys.readouterr().err)


def test_validate_of_a_header_only_file_says_it_has_no_rows(events_file, capsys):
    path = events_file()
    assert main(["validate", str(path)]) == 1
    assert one_line(capsys.readouterr().err) == f"error: {path} has a header but no rows\n"


def test_the_upload_limit_does_not_bound_a_file_on_the_command_line(tmp_path, capsys,
                                                                    monkeypatch):
    monkeypatch.setenv("DASHBOARD_MAX_UPLOAD_MB", "0.001")
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * 1000)
    assert main(["validate", str(path)]) == 1
    err = one_line(capsys.readouterr().err)
    assert "more than the limit" not in err and "columns are not those of" in err


@pytest.mark.parametrize("value", ["99999999", "-5", "0", "49", "10001", "fast", "1e3"])
def test_frame_duration_out_of_range_is_one_line(tmp_path, capsys, value):
    code = main(["snapshot", "--format", "gif", "-o", str(tmp_path / "x.gif"),
                 "--frame-ms", value])
    err = one_line(capsys.readouterr().err)
    assert code == 2 and err.startswith("error: argument --frame-ms: ")
    assert "50 to 10,000 ms" in err or "is not a whole number" in err
    assert not (tmp_path / "x.gif").exists()


def test_frame_duration_bounds_are_accepted():
    from dashboard.cli import _parser

    for value in FRAME_MS:
        args = _parser().parse_args(["snapshot", "--format", "gif", "-o", "x.gif",
                                     "--frame-ms", str(value)])
        assert args.frame_ms == value


BROKEN_BASEMAPS = {
    "missing": None,
    "truncated": b'{"type": "FeatureCollection", "features": [{"type": "Fea',
    "binary": b"\xff\xfe\x00\x01garbage",
    "not a collection": b'{"type": "Feature"}',
    "no shapes": b'{"type": "FeatureCollection", "features": []}',
    "bad geometry": b'{"type": "FeatureCollection", "features": [{"type": "Feature", '
                    b'"properties": {}, "geometry": {"type": "Polygon", "coordinates": 5}}]}',
    "deep": b"[" * 100_000,
}


@pytest.fixture(params=list(BROKEN_BASEMAPS))
def broken_basemap(request, tmp_path) -> Path:
    path = tmp_path / "basemap.geojson"
    if BROKEN_BASEMAPS[request.param] is not None:
        path.write_bytes(BROKEN_BASEMAPS[request.param])
    return path


def test_a_broken_base_map_is_one_sentence_on_the_page(broken_basemap, geodata):
    with pytest.raises(GeodataError, match="cannot read the base map") as caught:
        base_map(geodata.gazetteer, broken_basemap)
    assert "\n" not in str(caught.value) and str(broken_basemap) in str(caught.value)


def test_a_broken_base_map_is_one_sentence_in_image_exports(broken_basemap, bundled,
                                                            monkeypatch):
    with pytest.raises(ExportError, match="cannot read the base map"):
        load_basemap(broken_basemap)
    monkeypatch.setattr(load_basemap, "__defaults__", (broken_basemap,))
    for fmt in ("png", "svg"):
        with pytest.raises(ExportError, match="cannot read the base map") as caught:
            snapshot(bundled, FilterState(), fmt, SnapshotOptions(width=400, height=300))
        assert isinstance(caught.value, DashboardError) and "\n" not in str(caught.value)


def test_a_broken_base_map_is_one_line_from_the_snapshot_command(tmp_path, capsys,
                                                                  monkeypatch):
    broken = tmp_path / "basemap.geojson"
    broken.write_bytes(BROKEN_BASEMAPS["truncated"])
    monkeypatch.setattr(load_basemap, "__defaults__", (broken,))
    assert main(["snapshot", "--format", "png", "-o", str(tmp_path / "x.png")]) == 1
    assert "cannot read the base map" in one_line(capsys.readouterr().err)


def test_visitors_never_see_a_traceback():
    from streamlit.config import ShowErrorDetailsConfigOptions

    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    value = config["client"]["showErrorDetails"]
    assert value == ShowErrorDetailsConfigOptions.NONE  # a value Streamlit accepts


def test_a_server_forgets_readers_who_left_within_a_minute():
    """Streamlit keeps a disconnected reader's whole session for resuming it; its default
    two minutes made a busy server's memory grow with every reader who left meanwhile."""
    from streamlit import config as st_config

    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    ttl = config["server"]["disconnectedSessionTTL"]
    assert "server.disconnectedSessionTTL" in st_config._config_options_template
    assert isinstance(ttl, int) and 10 <= ttl <= 60


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("name", ["places.geojson", "regions.geojson", "basemap.geojson"])
def test_a_pipe_in_the_geodata_folder_is_refused_not_waited_on(tmp_path, name):
    """A gazetteer, region or base-map file that is a pipe: one sentence, no hang."""
    folder = tmp_path / "geodata"
    shutil.copytree(GEODATA_DIR, folder)
    (folder / name).unlink()
    os.mkfifo(folder / name)
    if name == "places.geojson":  # what validate reads
        done = run("validate", str(DEFAULT_EVENTS), "--geodata", str(folder))
        assert done.returncode == 1
        assert "not a regular file" in one_line(done.stderr)
        return
    reader = {"regions.geojson": lambda: Geodata.load(folder),
              "basemap.geojson": lambda: read_basemap(folder / name)}[name]
    with pytest.raises(GeodataError, match="not a regular file"):
        reader()
