"""``python -m dashboard snapshot``: every format, and one-line errors for bad arguments."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from dashboard.cli import main
from dashboard.export import EXPORTERS
from dashboard.paths import REPO_ROOT

FILTERS = ["--from", "2023-09-19", "--to", "2023-09-28", "--region", "nagorno_karabakh",
           "--region", "syunik"]
SIGNATURES = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF", "html": b"<!DOCTYPE html>",
              "csv": b"\xef\xbb\xbfevent_id,", "geojson": b"{", "gif": b"GIF8"}


@pytest.mark.parametrize("fmt", list(EXPORTERS))
def test_each_format_writes_its_file(tmp_path, capsys, fmt):
    out = tmp_path / f"snap.{fmt}"
    extra = ["--width", "600", "--height", "400", "--step", "3"] if fmt == "gif" else []
    assert main(["snapshot", *FILTERS, "--format", fmt, "-o", str(out), *extra]) == 0
    assert out.read_bytes().startswith(SIGNATURES[fmt])
    assert f"wrote {out}" in capsys.readouterr().err


def test_filters_reach_the_export(tmp_path, bundled):
    out = tmp_path / "exodus.csv"
    assert main(["snapshot", "--from", "2023-09-24", "--to", "2023-09-28", "--region",
                 "syunik", "--category", "displacement", "--format", "csv", "-o",
                 str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows and {r["category"] for r in rows} == {"displacement"}
    assert all("syunik" in r["regions"].split(";") for r in rows)


def test_search_and_events_options(tmp_path, events_file):
    from tests.conftest import row

    path = events_file(row(event_id="a", title="Alpha"), row(event_id="b", title="Beta"))
    out = tmp_path / "one.geojson"
    assert main(["snapshot", "--events", str(path), "--search", "beta", "--format",
                 "geojson", "-o", str(out)]) == 0
    assert [f["id"] for f in json.loads(out.read_text())["features"]] == ["b"]


def test_precise_only_leaves_out_events_not_dated_to_the_day(tmp_path):
    out = tmp_path / "precise.csv"
    args = ["snapshot", "--from", "2023-09-19", "--to", "2023-09-20", "--format", "csv"]
    assert main([*args, "-o", str(tmp_path / "all.csv")]) == 0
    assert main([*args, "--precise-only", "-o", str(out)]) == 0
    every = list(csv.DictReader(io.StringIO((tmp_path / "all.csv").read_text("utf-8-sig"))))
    precise = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert precise == [r for r in every if r["date_precision"] == "day"]
    assert 0 < len(precise) < len(every)


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--region", "atlantis"], "unknown region 'atlantis'; choose from: nagorno_karabakh"),
     (["--from", "2023-02-30"], "'2023-02-30' is not a real date"),
     (["--from", "2023-09-20", "--to", "2023-09-19"], "ends (2023-09-19) before it starts"),
     (["--category", "weather"], "invalid choice: 'weather' (choose from 'military'"),
     (["--bounds", "40,45,39,46"], "not a real area"),
     (["--width", "10"], "between 200 and 8000"),
     (["--step", "0"], "at least one day")],
)
def test_bad_arguments_exit_2_with_one_line(tmp_path, capsys, args, message):
    code = main(["snapshot", "--format", "png", "-o", str(tmp_path / "x.png"), *args])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err
    assert not (tmp_path / "x.png").exists()


def test_bad_format_names_the_formats(tmp_path, capsys):
    assert main(["snapshot", "--format", "bmp", "-o", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert all(f"'{fmt}'" in err for fmt in EXPORTERS)


def test_bad_arguments_in_a_real_process_have_no_traceback(tmp_path):
    done = subprocess.run([sys.executable, "-m", "dashboard", "snapshot", "--format", "png",
                           "-o", str(tmp_path / "x.png"), "--region", "nowhere"],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stderr.startswith("error: unknown region")


def test_unwritable_output_is_one_line(capsys):
    assert main(["snapshot", "--format", "csv", "-o", "/nonexistent/dir/x.csv"]) == 1
    assert capsys.readouterr().err.startswith("error: No such file or directory")
