"""A file's bytes as text: its encoding (UTF-8, else cp1252 with a notice; UTF-16 refused),
and its lines read a block at a time.

A large file is never held as one decoded string: its lines are decoded from blocks of
bytes as they are read, split where ``io.StringIO(text, newline="")`` would split them.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from dataclasses import dataclass

from dashboard.errors import DataFileError, ImportRefused

BLOCK = 8 * 2**20  # bytes decoded at a time
UTF8 = "utf-8-sig"  # UTF-8, a byte-order mark at the start ignored


def _split(text: str, end: int) -> Iterator[str]:
    """The lines of ``text[:end]``, each with its ``\\n``."""
    start, find = 0, text.find
    while start < end:
        stop = find("\n", start, end)
        stop = end if stop < 0 else stop + 1
        yield text[start:stop]
        start = stop


def valid_utf8(raw: bytes) -> bool:
    """Whether ``raw`` is UTF-8 text, checked a block at a time."""
    decoder = codecs.getincrementaldecoder(UTF8)()
    view = memoryview(raw)
    try:
        for start in range(0, len(raw), BLOCK):
            decoder.decode(view[start:start + BLOCK], final=start + BLOCK >= len(raw))
    except UnicodeDecodeError:
        return False
    return True


@dataclass
class Text:
    """Bytes and the encoding they are read in; ``position``: bytes read by :meth:`lines`.

    ``decoded`` holds the whole text only where it was needed whole (a file read as
    cp1252, or a GeoJSON file).
    """

    raw: bytes
    encoding: str = UTF8
    decoded: str | None = None
    position: int = 0
    bare_cr: bool | None = None

    @property
    def size(self) -> int:
        return len(self.raw)

    def whole(self) -> str:
        """All the text at once."""
        if self.decoded is None:
            self.decoded = self.raw.decode(self.encoding, errors="replace")
        return self.decoded

    def lines(self) -> Iterator[str]:
        """The lines as ``io.StringIO(text, newline="")`` gives them: ended by ``\\n``,
        ``\\r\\n`` or ``\\r``, each with its ending."""
        self.position = 0
        if self.bare_cr is None:  # a line ended by \r alone: StringIO splits there too
            self.bare_cr = b"\r" in self.raw and \
                self.raw.count(b"\r") != self.raw.count(b"\r\n")
        if self.decoded is not None or self.bare_cr:
            yield from io.StringIO(self.whole(), newline="")
            self.position = self.size
            return
        decoder = codecs.getincrementaldecoder(self.encoding)(errors="replace")
        view, rest = memoryview(self.raw), ""
        for start in range(0, self.size, BLOCK):
            text = rest + decoder.decode(view[start:start + BLOCK],
                                         final=start + BLOCK >= self.size)
            end = text.rfind("\n") + 1
            self.position = min(start + BLOCK, self.size)
            yield from _split(text, end)
            rest = text[end:]
        if rest:
            yield rest

    def first_character(self) -> str:
        """The first character that is not white space ('' if none)."""
        for line in self.lines():
            if line.strip():
                return line.lstrip()[0]
        return ""


def refused(strict: bool, own: str, imported: str) -> DataFileError:
    """Our own file's terse refusal, or an import's sentence."""
    return DataFileError(own) if strict else ImportRefused(imported)


def is_utf16(raw: bytes) -> bool:
    """Whether ``raw`` looks like UTF-16: a UTF-16 byte-order mark, or NUL every other byte."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = raw[:1024]
    half = len(sample) // 2
    return half >= 2 and max(sample[0::2].count(0), sample[1::2].count(0)) > half * 0.6


def decode(raw: bytes, name: str, *, strict: bool = False) -> tuple[Text, list[str]]:
    """UTF-8 (with or without BOM), else cp1252 with a notice; UTF-16 is refused.

    ``strict`` (our own file) refuses anything but UTF-8.
    """
    if is_utf16(raw):
        raise refused(strict, f"{name} is UTF-16 text, not UTF-8; save it as UTF-8 CSV",
                      f"{name} is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8).")
    if valid_utf8(raw):
        return Text(raw, UTF8), []
    if strict:
        try:
            raw.decode(UTF8)
        except UnicodeDecodeError as exc:
            raise DataFileError(f"{name} is not UTF-8 text (byte {exc.start}); save it as "
                                f"UTF-8 CSV") from None
    text = Text(raw, "cp1252")
    replaced = text.whole().count("\ufffd")
    notice = (f"{name} is not UTF-8; it was read as Windows-1252 (cp1252)"
              + (f", and {replaced} bytes that are not text there were replaced by �"
                 if replaced else "")
              + ". Check accented names; save as UTF-8 to be sure.")
    return text, [notice]
