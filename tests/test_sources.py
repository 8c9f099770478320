"""Citations a report can use: every bundled document named, titled, dated, readable."""

from __future__ import annotations

import csv
import json

import pytest

from dashboard.export.describe import footer
from dashboard.export.page import source_texts_html
from dashboard.paths import DEFAULT_EVENTS, REPO_ROOT
from dashboard.sources import (
    BOM,
    SOURCES_FILE,
    cite,
    full_citation,
    load_sources,
    short_label,
    sync_texts,
)
from dashboard.ui.table import table_frame
from tests.conftest import popup_as_shown, row

ROWS = list(csv.DictReader(DEFAULT_EVENTS.open(encoding="utf-8")))


def test_every_document_file_has_metadata_and_every_entry_a_file():
    files = {p.name for p in (REPO_ROOT / "sources").glob("*.txt")}
    listed = {s.file for s in load_sources()}
    assert listed == files
    for source in load_sources():
        assert source.short_name.startswith(f"Document {source.id}: ")
        assert source.title and source.date_text and source.language
        assert source.author  # "author not stated" rather than a guess


def test_no_author_is_invented():
    """The documents name no author; the metadata must say so, not guess one."""
    raw = json.loads(SOURCES_FILE.read_text(encoding="utf-8"))
    assert {s["author"] for s in raw["sources"]} == {"author not stated"}


@pytest.mark.parametrize("event", ROWS, ids=[r["event_id"] for r in ROWS])
def test_every_bundled_event_cites_a_known_document(event):
    source = cite(event["source"])
    assert source is not None and event["source"].startswith(f"Document {source.id}")


def test_fields_naming_no_document_stay_as_they_are():
    for field in ("ACLED: Reuters", "https://example.org/a", "", "Document C", None):
        assert cite(field) is None
        assert short_label(field) == ("" if field is None else field)
    assert cite("sources/000_a14db85909f91183.txt.bak") is None


def test_popup_cites_by_short_name_and_links_the_text(make_dataset):
    data = make_dataset(row(source=ROWS[0]["source"], source_ref="[4]"))
    html = popup_as_shown(data.events.iloc[0].to_dict(), data.geodata.gazetteer)
    source = cite(ROWS[0]["source"])
    assert f"<cite>{source.short_name}</cite>, footnote [4]" in html
    assert "author not stated" in html and "written about" in html
    assert (f"<a class='ev-source-text' href='/app/static/sources/{source.file}'"
            in html) and "target='_blank' rel='noopener'>Read the source text</a>" in html


def test_popup_keeps_web_links_of_imported_sources(make_dataset):
    data = make_dataset(row(source="https://example.org/report"))
    html = popup_as_shown(data.events.iloc[0].to_dict(), data.geodata.gazetteer)
    assert 'href="https://example.org/report"' in html and "ev-source-text" not in html


def test_table_and_footer_cite_readably(bundled):
    table = table_frame(bundled.events)
    assert not table["Source"].str.contains(r"\.txt").any()
    assert table["Source"].str.startswith("Document A: analysis of 28 Sept 2023").any()
    foot = footer(bundled.events)
    for source in load_sources():
        assert source.short_name in foot and source.title in foot
    assert full_citation(ROWS[0]["source"]) in foot


def test_page_carries_the_texts_of_the_documents_it_cites(bundled):
    only_b = bundled.events[bundled.events["source"].str.startswith("Document B")]
    html = source_texts_html(only_b)
    payload = html[html.index(">") + 1:html.index("</script>")]
    texts = json.loads(payload)
    [b] = [s for s in load_sources() if s.id == "B"]
    assert texts == {b.file: b.path.read_text(encoding="utf-8")}
    assert "<" not in payload  # no text can close the script element


def test_static_copies_read_as_utf8(tmp_path):
    target = sync_texts(tmp_path)
    for source in load_sources():
        copy = (target / source.file).read_bytes()
        assert copy.startswith(BOM.encode("utf-8"))
        assert copy.decode("utf-8-sig") == source.path.read_text(encoding="utf-8")


def test_csv_export_carries_the_citation(bundled):
    from dashboard.export.tables import columns

    cells = columns(bundled.events.head(5))
    for source, citation in zip(cells["source"], cells["citation"], strict=True):
        assert citation == full_citation(source)
        assert "author not stated" in citation
