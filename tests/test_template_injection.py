"""Template payloads in data stay text: through every field of every input format, the
search, file names, the map, every export and the command line, nothing is evaluated."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.cli import main
from dashboard.dataset import Dataset, combine
from dashboard.export import EXPORTERS, SnapshotOptions, snapshot
from dashboard.filters import FilterState
from dashboard.importing import import_bytes, load_path
from dashboard.map_builder import base_map, event_layers, full_map, layer_control
from dashboard.paths import REPO_ROOT
from dashboard.safe_template import dumps, template
from dashboard.schema import COLUMNS
from tests.conftest import BASE_ROW
from tests.fixtures_imports import ACLED_COLUMNS

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
EVALUATES_TO = {"Q{{7*7}}Q": "Q49Q", "Q{{ 7 * 7 }}Q": "Q49Q"}


def payloads(marker: Path) -> list[str]:
    """What an attacker types: expressions, blocks, comments, and one that runs a command."""
    return ["Q{{7*7}}Q", "{% raw %}", "{#", "{{ config }}", "Q{{ 7 * 7 }}Q",
            "{{ lipsum.__globals__.os.popen('touch " + str(marker) + "').read() }}",
            "{%- for x in range(3) %}L{% endfor %}", "}}{{"]


def literal(rendered: str) -> str:
    """What a reader sees of a page: JSON escapes and HTML entities decoded."""
    decoded = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), rendered)
    return html.unescape(decoded)


def _ours(values: list[str]) -> bytes:
    text_columns = ["title", "description", "actor1", "actor2", "claimed_by", "source",
                    "source_ref", "quote", "notes"]
    rows = []
    for i, value in enumerate(values):
        rows.append({**BASE_ROW, "event_id": f"t-{i}",
                     **{c: f"{c} {value}" for c in text_columns}})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


ACLED_TEXT = ["actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "admin1", "admin2",
              "location", "source", "notes", "tags"]


def _acled_rows(values: list[str]) -> list[dict[str, str]]:
    with (FIXTURES / "acled.csv").open(encoding="utf-8", newline="") as handle:
        template = next(csv.DictReader(handle))
    return [{**template, "event_id_cnty": f"ACL{i}",
             **{c: f"{c} {value}" for c in ACLED_TEXT}} for i, value in enumerate(values)]


def _acled(values: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_acled_rows(values))
    return out.getvalue().encode("utf-8")


def _acled_geojson(values: list[str]) -> bytes:
    features = [{"type": "Feature", "properties": row, "geometry": {
        "type": "Point", "coordinates": [float(row["longitude"]), float(row["latitude"])]}}
        for row in _acled_rows(values)]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode("utf-8")


GED_TEXT = ["side_a", "side_b", "source_article", "source_office", "source_headline",
            "where_description", "adm_1", "adm_2", "conflict_name", "dyad_name"]


def _ged(values: list[str]) -> bytes:
    with (FIXTURES / "ged.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        template, columns = next(reader), reader.fieldnames
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for i, value in enumerate(values):
        writer.writerow({**template, "id": str(9000 + i),
                         **{c: f"{c} {value}" for c in GED_TEXT if c in columns}})
    return out.getvalue().encode("utf-8")


MAKERS = {"events.csv": _ours, "acled.csv": _acled, "acled.geojson": _acled_geojson,
          "ged.csv": _ged}


@pytest.fixture(scope="module")
def marker(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("injection") / "command-ran"


@pytest.fixture(scope="module", params=list(MAKERS))
def hostile(request, geodata, marker) -> Dataset:
    """One input format with every text field carrying every payload, under a hostile
    file name."""
    name = "{{7*7}}" + request.param
    data = import_bytes(MAKERS[request.param](payloads(marker)), name, geodata)
    assert len(data.events) == len(payloads(marker)), data.problems
    return data


def _assert_inert(rendered: str, marker: Path, expect: list[str]) -> None:
    for payload, evaluated in EVALUATES_TO.items():
        assert evaluated not in rendered, f"{payload!r} was evaluated"
    assert "LLL" not in rendered, "a {% for %} block ran"
    seen = literal(rendered)
    for text in expect:
        assert text in seen, f"{text!r} is missing from the output"
    assert not marker.exists(), "a payload ran a shell command"


def test_payloads_are_kept_verbatim_on_import(hostile, marker):
    text = " ".join(hostile.events[["title", "description", "quote", "source"]]
                    .astype(str).to_numpy().ravel())
    for payload in payloads(marker):
        assert payload in text


def test_the_dashboard_map_keeps_payloads_as_text(hostile, marker):
    """The map as the app draws it (base map, layers, control), and as a whole page."""
    fmap = base_map(hostile.geodata.gazetteer)
    for group in event_layers(hostile.events, hostile.geodata.gazetteer):
        group.add_to(fmap)
    layer_control().add_to(fmap)
    rendered = fmap.get_root().render()
    _assert_inert(rendered, marker, [*payloads(marker), "{{7*7}}"])
    page = full_map(hostile.events, hostile.geodata.gazetteer).get_root().render()
    _assert_inert(page, marker, payloads(marker))


@pytest.mark.parametrize("fmt", list(EXPORTERS))
def test_every_export_keeps_payloads_as_text(hostile, marker, fmt):
    search = "Q{{7*7}}Q"
    content = snapshot(hostile, FilterState(search=search), fmt,
                       SnapshotOptions(width=640, height=480, dpi=60))
    assert content, "an empty export"
    if fmt in ("html", "svg", "csv", "geojson"):
        text = content.decode("utf-8-sig")
        _assert_inert(text, marker, [search] if fmt != "svg" else [])
    assert not marker.exists()


def test_combined_datasets_with_hostile_names(hostile, bundled, marker):
    both = combine([bundled, hostile])
    page = full_map(both.events, both.geodata.gazetteer).get_root().render()
    _assert_inert(page, marker, ["{{7*7}}"])


SCRIPT_IN_TITLE = "</title><script>window.__pwned=99</script>"


@pytest.mark.parametrize("search", ["Q{{7*7}}Q", "{% raw %}", "{{ config }}", SCRIPT_IN_TITLE])
def test_the_command_line_keeps_the_search_as_text(tmp_path, marker, search, capsys):
    events = tmp_path / "in.csv"
    events.write_bytes(_ours(payloads(marker)))
    out = tmp_path / "x.html"
    args = ["snapshot", "--events", str(events), "--search", search, "--format", "html",
            "-o", str(out)]
    if search == SCRIPT_IN_TITLE:  # one in a real process, as typed in a shell
        done = subprocess.run([sys.executable, "-m", "dashboard", *args], cwd=REPO_ROOT,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    else:  # the others through the same entry point, without a new interpreter each
        assert main(args) == 0, capsys.readouterr().err
    page = out.read_text(encoding="utf-8")
    _assert_inert(page, marker, [search])
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<script" not in title and "</title" not in title.lower()
    assert "<script>window.__pwned" not in page


def test_validate_reads_payloads_without_evaluating(tmp_path, marker):
    events = tmp_path / "{{7*7}}.csv"
    events.write_bytes(_ours(payloads(marker)))
    done = subprocess.run([sys.executable, "-m", "dashboard", "validate", str(events)],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    assert "49" not in done.stdout.replace(str(events), "")
    assert not marker.exists()


def test_bundled_file_through_load_path(geodata, marker, tmp_path):
    path = tmp_path / "ours.csv"
    path.write_bytes(_ours(payloads(marker)))
    data = load_path(path, geodata)
    page = full_map(data.events, data.geodata.gazetteer).get_root().render()
    _assert_inert(page, marker, payloads(marker))


@pytest.mark.parametrize("value", [{"a": "{{7*7}}", "b": ["{%", "}"], "c": {}},
                                   ["\\{", "a\"{b", "{\"x\": 1}"], "{#"])
def test_json_for_templates_has_no_data_braces_and_reads_back(value):
    encoded = dumps(value)
    assert json.loads(encoded) == value
    assert not any(mark in encoded for mark in ("{{", "{%", "{#"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="{}%#\n\r ab-x", max_size=12)
       | st.text(max_size=40))
def test_text_left_uncompiled_renders_as_jinja_renders_it(source):
    """Element(text) skips compiling plain text; what it renders does not change."""
    assert rendered(template, source) == rendered(jinja2.Template, source)


def rendered(make, source: str) -> str | type:
    try:
        return make(source).render(this=None, kwargs={})
    except jinja2.TemplateError:
        return jinja2.TemplateError


def test_a_payload_in_a_rendered_script_is_still_compiled_as_before():
    """Text with template marks takes branca's usual path (and data never has marks)."""
    import branca.element

    assert branca.element.Element("Q{{7*7}}Q").render() == "Q49Q"
    assert branca.element.Element("plain {x}\n").render() == "plain {x}"


@pytest.mark.app
def test_the_app_draws_hostile_data_and_search(monkeypatch, tmp_path, marker):
    """Map, table and Snapshot panel render; the search box takes a template too."""
    from tests.test_app import run_app, shown

    path = tmp_path / "{% raw %}.csv"
    path.write_bytes(_ours(payloads(marker)))
    at = run_app(monkeypatch, events=path, params={"from": "2023-09-01"})
    assert shown(at) == len(payloads(marker))
    assert not at.error, [e.value for e in at.error]
    at.text_input(key="search").set_value("{% raw %}").run()
    assert not at.exception and not at.error
    assert shown(at) == 1
    assert not marker.exists()
