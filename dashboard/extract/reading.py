"""Reading a report: plain text, Markdown, HTML (its main text) or a PDF's text layer.

Every refusal is a :class:`~dashboard.errors.DocumentRefused` whose message is one
sentence: a file over :data:`MAX_DOCUMENT_BYTES`, binary data that is no document, a PDF
without text (no OCR is done), an encrypted or broken PDF.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from dashboard.errors import DocumentRefused
from dashboard.files import read_regular_bytes

MAX_DOCUMENT_BYTES = 50 * 2**20
MAX_CONTROL_SHARE = 0.01  # more control characters than this and it is not text
MIN_PDF_CHARS = 20  # fewer visible characters than this: the PDF has no text layer
HTML_NAMES = (".html", ".htm", ".xhtml")
MARKDOWN_NAMES = (".md", ".markdown", ".mdown")
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
                         re.IGNORECASE | re.DOTALL)
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_MARKDOWN_RULES = (
    (re.compile(r"<!--.*?-->", re.DOTALL), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)"), r"\1"),
    (re.compile(r"\[\^(\d{1,3})\]"), r"[\1]"),
    (re.compile(r"^#{1,6}[ \t]+", re.MULTILINE), ""),
    (re.compile(r"^>[ \t]?", re.MULTILINE), ""),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
)


@dataclass(frozen=True)
class Document:
    """A report's text as read, and what its metadata says.

    Character offsets of sentences, dates, places and figures all refer to ``text``.
    """

    text: str
    kind: str  # "text", "markdown", "html" or "pdf"
    name: str
    title: str = ""
    date: date | None = None  # the date its metadata gives, if any
    date_origin: str = ""  # where that date was read


def read_document(path: str | Path, limit: int = MAX_DOCUMENT_BYTES) -> Document:
    """Read the report at ``path`` (a regular file of at most ``limit`` bytes).

    Raises
    ------
    DocumentRefused
        The file is missing, not a regular file, too large, or not a readable document.
    """
    path = Path(path)
    return read_bytes(read_regular_bytes(path, "the report", DocumentRefused, limit + 1),
                      path.name, limit)


def read_bytes(data: bytes, name: str, limit: int = MAX_DOCUMENT_BYTES) -> Document:
    """Read a report given as bytes (an upload) named ``name``; see :func:`read_document`."""
    _check_size(len(data), name, limit)
    if data.lstrip()[:5] == b"%PDF-" or name.lower().endswith(".pdf"):
        return _pdf(data, name)
    text = _decode(data, name)
    lowered = name.lower()
    if lowered.endswith(HTML_NAMES) or _HTML_START.match(text[:4096]):
        return _html(text, name)
    if lowered.endswith(MARKDOWN_NAMES):
        return _markdown(text, name)
    return Document(_nonempty(text, name), "text", name)


def _check_size(size: int, name: str, limit: int) -> None:
    if size > limit:
        raise DocumentRefused(f"{name} is {size / 2**20:.0f} MB, more than the "
                              f"{limit / 2**20:.0f} MB a report may have; split it or "
                              "keep only the part to read.")


def _decode(data: bytes, name: str) -> str:
    """UTF-8 (or UTF-16 with its byte-order mark, or Windows-1252) text, else refused."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return _text(data[len(bom):], codec, name)
    if b"\x00" in data:
        raise _not_a_document(name)
    try:
        return _text(data, "utf-8", name)
    except UnicodeDecodeError:
        return _text(data, "cp1252", name)


def _text(data: bytes, codec: str, name: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        if codec == "utf-8":
            raise
        raise _not_a_document(name) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t\f\v")
    if control > MAX_CONTROL_SHARE * max(len(text), 1):
        raise _not_a_document(name)
    return text


def _not_a_document(name: str) -> DocumentRefused:
    return DocumentRefused(f"{name} is not a document: it reads as binary data, not as text, "
                           "HTML, Markdown or a PDF.")


def _nonempty(text: str, name: str) -> str:
    if not text.strip():
        raise DocumentRefused(f"{name} has no text to read.")
    return text


def _html(html: str, name: str) -> Document:
    """The page's main text (trafilatura), its title and date from its metadata."""
    import trafilatura
    from trafilatura.settings import use_config

    config = use_config()  # a short page is still a page: no minimum size of main text
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    text = trafilatura.extract(html, output_format="txt", include_comments=False,
                               include_tables=True, favor_recall=True, config=config)
    if not text:
        text = trafilatura.html2txt(html) or ""
    meta = trafilatura.extract_metadata(html)
    title = (meta.title or "") if meta else ""
    when = _iso_date(meta.date) if meta and meta.date else None
    return Document(_nonempty(text, name), "html", name, title, when,
                    "the page's metadata" if when else "")


def _markdown(text: str, name: str) -> Document:
    """Markdown as plain text: front matter read, links and emphasis reduced to words."""
    title, when = "", None
    front = _FRONT_MATTER.match(text)
    if front:
        fields = dict(re.findall(r"^(\w+):[ \t]*[\"']?(.*?)[\"']?[ \t]*$", front.group(1),
                                 re.MULTILINE))
        title = fields.get("title", "")
        when = _iso_date(fields.get("date", ""))
        text = text[front.end():]
    for pattern, replacement in _MARKDOWN_RULES:
        text = pattern.sub(replacement, text)
    return Document(_nonempty(text, name), "markdown", name, title, when,
                    "the Markdown front matter" if when else "")


def _iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _pdf(data: bytes, name: str) -> Document:
    """A PDF's text layer, page by page; a PDF with none is refused (no OCR here)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentRefused(f"{name} is an encrypted PDF; save it without a password "
                                  "and try again.")
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
    except DocumentRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise DocumentRefused(f"{name} is not a readable PDF ({type(exc).__name__}).") from None
    text = "\n\n".join(p for p in pages if p)
    if len(re.sub(r"\s+", "", text)) < MIN_PDF_CHARS:
        raise DocumentRefused(f"{name} is a PDF without a text layer (scanned pages or "
                              "images only); no OCR is done here: run OCR on it first or "
                              "paste its text.")
    title, when = _pdf_metadata(reader)
    return Document(text, "pdf", name, title, when, "the PDF's creation date" if when else "")


def _pdf_metadata(reader) -> tuple[str, date | None]:
    try:
        meta = reader.metadata
        title = str(meta.title or "") if meta else ""
        created = meta.creation_date if meta else None
    except Exception:  # malformed metadata is not worth refusing the text for
        return "", None
    return title, created.date() if isinstance(created, datetime) else None
