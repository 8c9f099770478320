"""Paragraphs and sentences with their character offsets, headings and reference lists.

A sentence's text is always ``document_text[start:end]``, so a candidate's quote is
verbatim. Footnote markers after the full stop (``... state.[1] Azerbaijan``) stay with
the sentence they close; a sentence does not end inside a quotation that closes later in
the paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FOOTNOTE = re.compile(r"\[(\d{1,3})\]")
_END = re.compile(r"[.!?…]+(?:[\"”’»)\]]|\[\d{1,3}\])*")
_NEXT = re.compile(r"\s+(?=[^\s\W]|[\"“‘«(\[<=+@#*•–—-])")
_TERMINAL = re.compile(r"[.!?…:;]\s*(?:[\"”’»)\]]|\[\d{1,3}\])*\s*$")
_REFERENCE = re.compile(r"^\s*(?:\[\d{1,3}\]|\^\d{1,3}[.:)]?)\s")
_BLANK = re.compile(r"\n[ \t\f\v\r]*\n\s*")
MAX_SENTENCE_CHARS = 2_000  # longer runs without a full stop are cut at a space: no sentence
SHORT_LINE = 70  # a line this short ends its paragraph (a heading, a last line)
HEADING_WORDS = 15  # a paragraph without a full stop and at most this many words: a heading
_ABBREVIATIONS = """mr mrs ms dr prof st no nos vs etc e.g eg i.e ie cf al approx gen col
lt sgt capt gov sen rep jr sr inc ltd co corp dept est fig jan feb mar apr jun jul aug sep sept
oct nov dec mt ft art para p pp vol ed eds u.s u.n u.k e.u"""
ABBREVIATIONS = frozenset(_ABBREVIATIONS.split())


@dataclass(frozen=True)
class Sentence:
    """One sentence (or heading, or reference entry) of the document."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int
    heading: bool = False  # a title or heading: no full stop, a few words
    reference: bool = False  # an entry of a footnote or reference list

    @property
    def footnotes(self) -> tuple[str, ...]:
        """The footnote markers in the sentence, as written: ``("[4]",)``."""
        return tuple(m.group(0) for m in FOOTNOTE.finditer(self.text))

    @property
    def is_prose(self) -> bool:
        """Whether candidates may come from it (not a heading, not a reference entry)."""
        return not (self.heading or self.reference)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph: blank lines, and line ends after a full stop or
    on a short line, end one; other line breaks (a PDF's wrapped lines) do not."""
    blocks: list[tuple[int, int]] = []
    position = 0
    for gap in [*_BLANK.finditer(text), None]:
        end = gap.start() if gap else len(text)
        blocks.extend(_lines_to_paragraphs(text, position, end))
        position = gap.end() if gap else end
    return [(s, e) for s, e in blocks if text[s:e].strip()]


def _lines_to_paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    found, first, position = [], start, start
    while True:
        newline = text.find("\n", position, end)
        if newline < 0:
            found.append((first, end))
            return found
        line = text[position:newline]
        if _TERMINAL.search(line) or len(line.strip()) < SHORT_LINE:
            found.append((first, newline))
            first = newline + 1
        position = newline + 1


def split(text: str) -> list[Sentence]:
    """Every sentence, heading and reference entry of ``text``, in order."""
    sentences: list[Sentence] = []
    for number, (start, end) in enumerate(paragraphs(text)):
        start, end = _trim(text, start, end)
        block = text[start:end]
        if _REFERENCE.match(block):
            sentences.append(Sentence(len(sentences), start, end, block, number,
                                      reference=True))
            continue
        if not _TERMINAL.search(block) and len(block.split()) <= HEADING_WORDS:
            sentences.append(Sentence(len(sentences), start, end, block, number,
                                      heading=True))
            continue
        for s, e in (piece for span in _sentence_spans(block) for piece in _cut(block, *span)):
            s, e = _trim(block, s, e)
            if e > s:
                sentences.append(Sentence(len(sentences), start + s, start + e,
                                          block[s:e], number))
    return sentences


def _sentence_spans(block: str) -> list[tuple[int, int]]:
    """Sentence ends in one block; quote marks are counted as the scan goes (linear)."""
    spans, first, scanned = [], 0, 0
    curly = straight = 0  # open curly quotes, straight quotes since ``first``
    last_close, last_straight = block.rfind("”"), block.rfind('"')
    for match in _END.finditer(block):
        segment = block[scanned:match.end()]
        curly += segment.count("“") - segment.count("”")
        straight += segment.count('"')
        scanned = match.end()
        after = _NEXT.match(block, match.end())
        if match.end() < len(block) and (not after or block[after.end()].islower()):
            continue
        quoted = (curly > 0 and match.end() <= last_close) or (
            straight % 2 == 1 and match.end() <= last_straight)
        if quoted or _abbreviation(block, match.start()):
            continue
        spans.append((first, match.end()))
        first, curly, straight = match.end(), 0, 0
    if first < len(block):
        spans.append((first, len(block)))
    return spans


def _cut(block: str, start: int, end: int) -> list[tuple[int, int]]:
    """``(start, end)`` in pieces of at most :data:`MAX_SENTENCE_CHARS`, cut at spaces."""
    pieces = []
    while end - start > MAX_SENTENCE_CHARS:
        space = block.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        cut = space if space > start else start + MAX_SENTENCE_CHARS
        pieces.append((start, cut))
        start = cut
    return [*pieces, (start, end)]


def _abbreviation(block: str, stop: int) -> bool:
    if block[stop] != ".":
        return False
    word = re.search(r"([A-Za-z][A-Za-z.]*)$", block[max(0, stop - 20):stop])
    if not word:
        return False
    token = word.group(1)
    return token.lower() in ABBREVIATIONS or (len(token) == 1 and token.isupper())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
