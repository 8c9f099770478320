"""The extractor end to end: offsets and verbatim quotes, readers, hostile documents, the
command line, and the evaluation on the bundled documents meeting its targets."""

from __future__ import annotations

import csv
import io
import os
import time
from datetime import date

import numpy as np
import pytest
from matplotlib.figure import Figure

from dashboard.cli import main
from dashboard.errors import DocumentRefused
from dashboard.extract import CANDIDATE_COLUMNS, extract_document, extract_text
from dashboard.extract.evaluate import TARGETS, evaluate, format_report
from dashboard.extract.output import to_csv
from dashboard.extract.reading import MAX_DOCUMENT_BYTES, read_bytes, read_document
from dashboard.schema import COLUMNS

REPORT = """Situation update

On 6 March 2024 an offensive began on the southern districts. Shelling hit Goris on
7 March, killing at least 3 civilians and wounding 12.[2] Yesterday more than 1.200 people
crossed the Kornidzor bridge into Syunik, according to the regional governor.
Students protested in Yerevan on Wednesday.[3]
"""


@pytest.fixture(scope="module")
def result():
    return extract_text(REPORT, date(2024, 3, 15), "Test report")


def test_quotes_and_marks_are_the_text_at_their_offsets(result):
    assert result.candidates
    for found in result.candidates:
        assert REPORT[found.start:found.end] == found.quote
        for evidence in found.evidence:
            if evidence.start is not None:
                assert evidence.end is not None and evidence.end > evidence.start
    for mark in result.highlights:
        assert REPORT[mark.start:mark.end] == mark.text


def test_candidates_are_rows_with_evidence(result):
    rows = {r["quote"][:20]: r for r in result.rows()}
    shelling = rows["Shelling hit Goris o"]
    assert (shelling["date_start"], shelling["place_id"], shelling["killed"],
            shelling["injured"], shelling["figure_qualifier"], shelling["source_ref"]) == (
        "2024-03-07", "goris", "3", "12", "at_least", "[2]")
    crossing = rows["Yesterday more than "]
    assert (crossing["date_start"], crossing["place_id"], crossing["displaced"],
            crossing["figure_qualifier"], crossing["destination_place_id"],
            crossing["claimed_by"]) == ("2024-03-14", "hakari_bridge", "1200", "more_than",
                                        "syunik", "regional governor")
    protest = rows["Students protested i"]
    assert (protest["category"], protest["date_start"], protest["place_id"]) == (
        "protest", "2024-03-13", "yerevan")
    for row in result.rows():
        assert list(row) == list(CANDIDATE_COLUMNS) and row["title"] and row["evidence"]
        assert 0 < float(row["confidence"]) <= 1
        assert set(COLUMNS) <= set(row)
    assert "'Yesterday' → 2024-03-14" in crossing["evidence"]
    assert result.date_reason == "2024-03-15, as given"


def test_without_a_date_the_latest_date_is_used_and_stated():
    found = extract_text("On 2 May 2024 shelling hit Goris. Yesterday a bus was shelled.")
    assert found.document_date == date(2024, 5, 2)
    assert "latest date in the text" in found.date_reason
    assert [c.row["date_start"] for c in found.candidates] == ["2024-05-02", "2024-05-01"]


def test_hostile_text_stays_text_in_the_csv(tmp_path):
    text = ('=HYPERLINK("http://evil.example","x") shelling hit Goris on 4 May 2024. '
            '<script>alert(1)</script> Protesters gathered in Yerevan on 5 May 2024.')
    found = extract_text(text, source="@SUM(A1:A9)")
    rows = list(csv.DictReader(io.StringIO(to_csv(found.candidates).decode("utf-8-sig"))))
    assert [r["quote"] for r in rows] == [
        "'" + text.split(" <script>")[0], "<script>alert(1)</script> Protesters gathered "
                                          "in Yerevan on 5 May 2024."]
    assert all(r["source"] == "'@SUM(A1:A9)" for r in rows)
    assert found.candidates[0].quote.startswith("=HYPERLINK")  # the quote itself unaltered


def test_a_report_over_the_limit_is_refused_with_a_sentence(tmp_path):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as handle:
        handle.truncate(MAX_DOCUMENT_BYTES + 1)
    with pytest.raises(DocumentRefused, match=r"huge\.txt is 50 MB, more than the 50 MB"):
        read_document(big)
    with pytest.raises(DocumentRefused, match="more than the 50 MB"):
        read_bytes(b"a" * (MAX_DOCUMENT_BYTES + 1), "pasted.txt")


def test_binary_garbage_is_not_a_document():
    garbage = os.urandom(4096)
    with pytest.raises(DocumentRefused, match=r"garbage\.bin is not a document"):
        read_bytes(garbage, "garbage.bin")
    with pytest.raises(DocumentRefused, match="is not a readable PDF"):
        read_bytes(b"%PDF-1.7\n" + garbage, "broken.pdf")


def _pdf(draw) -> bytes:
    figure = Figure(figsize=(8, 3))
    draw(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf")
    return buffer.getvalue()


def test_a_pdf_with_text_is_read():
    data = _pdf(lambda f: f.text(0.02, 0.5, "On 9 May 2024 shelling hit Goris, killing "
                                            "4 civilians."))
    document = read_bytes(data, "report.pdf")
    assert document.kind == "pdf" and "shelling hit Goris" in document.text
    assert document.date is not None and document.date_origin == "the PDF's creation date"
    [found] = extract_document(document).candidates
    assert (found.row["date_start"], found.row["place_id"], found.row["killed"]) == (
        "2024-05-09", "goris", "4")


def test_a_pdf_without_text_says_so():
    def image(figure):
        axes = figure.add_axes((0, 0, 1, 1))
        axes.imshow(np.arange(100).reshape(10, 10))
        axes.axis("off")
    with pytest.raises(DocumentRefused, match=r"PDF without a text layer.*no OCR"):
        read_bytes(_pdf(image), "scan.pdf")


def test_html_gives_its_main_text_and_date():
    html = ("<html><head><title>Update</title><meta name='date' content='2024-05-10'>"
            "<script>var x = 'shelling hit Baku';</script></head><body><nav>Home | About"
            "</nav><article><p>Yesterday shelling hit Goris, killing 2 civilians.</p>"
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; is quoted here as text.</p>"
            "</article></body></html>")
    document = read_bytes(html.encode(), "update.html")
    assert document.kind == "html" and document.date == date(2024, 5, 10)
    assert "Baku" not in document.text and "Home | About" not in document.text
    assert "<script>alert(1)</script>" in document.text
    [found] = extract_document(document).candidates
    assert found.row["date_start"] == "2024-05-09"


def test_markdown_front_matter_and_markup():
    text = ("---\ntitle: Field note\ndate: 2024-05-10\n---\n# Goris\n\n**Yesterday** "
            "[shelling](http://example.org) hit *Goris*.\n")
    document = read_bytes(text.encode(), "note.md")
    assert (document.title, document.date) == ("Field note", date(2024, 5, 10))
    assert "Yesterday shelling hit Goris." in document.text
    [found] = extract_document(document).candidates
    assert found.row["source"] == "Field note" and found.row["date_start"] == "2024-05-09"


def test_the_command_line_writes_candidates(tmp_path, capsys):
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    out = tmp_path / "candidates.csv"
    assert main(["extract", str(report), "--date", "2024-03-15", "--source", "Test",
                 "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "document date: 2024-03-15, as given" in err and "candidates" in err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows and all(r["source"] == "Test" for r in rows)
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(os.urandom(2048))
    assert main(["extract", str(garbage), "-o", str(tmp_path / "x.csv")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a document" in err
    assert main(["extract", str(report), "--date", "19.09.2023", "-o", str(out)]) == 2


def test_the_evaluation_on_the_bundled_documents_meets_its_targets():
    report = evaluate()
    shares = report.shares()
    assert all(shares[k] >= v for k, v in TARGETS.items()), format_report(report)
    assert report.seconds < 5


@pytest.mark.parametrize("text", [
    "“a. B. " * 15_000,  # a quotation that never closes
    " ".join(str(n) for n in range(20_000)),  # numbers without end
    "on 19 September 2023 " * 5_000,
    "As per the statement, shelling hit Goris. " * 2_000,
    "Goris (GR) " * 10_000,
])
def test_hostile_text_takes_linear_time(text):
    """About 100 kB each: seconds, where a quadratic scan would take minutes."""
    started = time.perf_counter()
    extract_text(text, date(2023, 9, 28))
    assert time.perf_counter() - started < 30


def test_pasted_text_with_windows_line_ends():
    text = "Update\r\n\r\nOn 2 May 2024 shelling hit Goris.\r\nYesterday a bus was shelled.\r\n"
    found = extract_text(text)
    assert [(c.row["date_start"], c.quote) for c in found.candidates] == [
        ("2024-05-02", "On 2 May 2024 shelling hit Goris."),
        ("2024-05-01", "Yesterday a bus was shelled.")]
