"""The source documents: citations a report can use, and their texts for readers.

``sources/sources.json`` says what is known of each bundled document (title, author where
stated, date, language). An event's ``source`` field names the document's file; :func:`cite`
finds its :class:`Source`. Fields that name no bundled document (imports: ``ACLED: ...``,
web addresses) are shown as they are.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dashboard.files import PUBLIC, write_changed
from dashboard.paths import REPO_ROOT
from dashboard.safe_html import linked
from dashboard.safe_html import text as escape

SOURCES_DIR = REPO_ROOT / "sources"
SOURCES_FILE = SOURCES_DIR / "sources.json"
TEXT_ROUTE = "/app/static/sources"  # where Streamlit's static serving offers the texts
BOM = "\ufeff"  # makes browsers read a text/plain copy as UTF-8


@dataclass(frozen=True)
class Source:
    """One source document and what is known of it."""

    id: str
    file: str
    short_name: str
    title: str
    author: str
    date: str  # ISO date the document was written, as near as it tells
    date_text: str
    language: str
    notes: str = ""

    @property
    def path(self) -> Path:
        """The document's text in the repository."""
        return SOURCES_DIR / self.file

    @property
    def quoted_title(self) -> str:
        """The title in quotes; a description of an untitled document as it is."""
        return self.title if self.title.startswith("untitled") else f"“{self.title}”"

    @property
    def citation(self) -> str:
        """``Document A: ... — “Title”, author not stated, written about ... (file)``."""
        return (f"{self.short_name} — {self.quoted_title}, {self.author}, {self.date_text}, "
                f"in {self.language} (sources/{self.file})")

    @property
    def url(self) -> str:
        """Where the running app serves the text."""
        return f"{TEXT_ROUTE}/{self.file}"


@lru_cache(maxsize=4)
def load_sources(path: Path = SOURCES_FILE) -> tuple[Source, ...]:
    """Every documented source; none when the metadata file is missing."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    return tuple(Source(**entry) for entry in data.get("sources", []))


def cite(source_field: object) -> Source | None:
    """The bundled document an event's ``source`` field names by its file, if any."""
    field = "" if source_field is None else str(source_field)
    for source in load_sources():
        if re.search(rf"(?<![\w.]){re.escape(source.file)}(?![\w.])", field) or (
                field.strip() == source.short_name):
            return source
    return None


def short_label(source_field: object) -> str:
    """The readable short name of the cited document, else the field as it is."""
    source = cite(source_field)
    return source.short_name if source else ("" if source_field is None else str(source_field))


def full_citation(source_field: object) -> str:
    """The full citation of the cited document, else the field as it is."""
    source = cite(source_field)
    return source.citation if source else ("" if source_field is None else str(source_field))


@lru_cache(maxsize=4096)
def source_paragraph(source_field: object, ref: object = "") -> str:
    """The popup's source line: citation, footnote and a link to the document's text.

    A field naming no bundled document is shown as text, or as a link if it is a web
    address. Remembered: many events cite one document, and maps make it per event.
    """
    ref_text = "" if ref is None else str(ref)
    footnote = f", footnote {linked(ref_text)}" if ref_text else ""
    source = cite(source_field)
    if source is None:
        return f"<p class='ev-source'><b>Source:</b> {linked(source_field)}{footnote}</p>"
    title = source.quoted_title[:1].upper() + source.quoted_title[1:]  # starts a line
    return (f"<p class='ev-source'><b>Source:</b> <cite>{escape(source.short_name)}</cite>"
            f"{footnote}<br><span class='ev-source-detail'>{escape(title)}, "
            f"{escape(source.author)}, {escape(source.date_text)}</span><br>"
            f"<a class='ev-source-text' href='{escape(source.url)}' "
            f"data-source-file='{escape(source.file)}' target='_blank' rel='noopener'>"
            f"Read the source text</a></p>")


def sync_texts(static_dir: Path) -> Path:
    """Copy the documents' texts into ``static_dir/sources`` for Streamlit's static route.

    Each copy starts with a byte-order mark, so a browser reads it as UTF-8 even though
    the route serves it as plain text without a charset.

    A copy is written only when missing or changed, and whole (see
    :func:`~dashboard.files.write_changed`): servers started together never serve half
    a text.
    """
    target = Path(static_dir) / "sources"
    target.mkdir(parents=True, exist_ok=True)
    for source in load_sources():
        wanted = BOM + source.path.read_text(encoding="utf-8")
        write_changed(target / source.file, wanted.encode("utf-8"), PUBLIC)
    return target


def texts(files: list[str] | None = None) -> dict[str, str]:
    """File name -> text of the documents (all, or those named), for standalone pages."""
    return {s.file: s.path.read_text(encoding="utf-8") for s in load_sources()
            if files is None or s.file in files}

