"""Numbers as reports write them: ``68.000``, ``120,000``, ``1,5 thousand``, ``six``."""

from __future__ import annotations

import re

UNITS = {"zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5,
         "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
         "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
         "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
         "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12}
MULTIPLIERS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "k": 1_000}
_WORDS = "|".join(sorted((w for w in UNITS if w not in ("a", "an")), key=len, reverse=True))
_MULT = "|".join(MULTIPLIERS)
# 68.000 / 120,000 / 1 500 (thin or no-break space; groups of three), 1,5 / 1.5 (a decimal),
# 2000 (plain digits)
DIGITS = r"\d{1,3}(?:[.,\u202f\u00a0]\d{3})+(?![\d])|\d+[.,]\d{1,2}(?!\d)|\d+"
MAX_DIGITS = 12  # longer runs of digits are no count of people
NUMBER = re.compile(
    rf"(?<![\w.,/:-])(?:(?P<digits>{DIGITS})|(?P<words>(?:{_WORDS})(?:[- ](?:{_WORDS}))?))"
    rf"(?:\s*(?P<mult>{_MULT})s?\b)?(?![\w/]|[.,]\d)",
    re.IGNORECASE)


def parse_digits(text: str, multiplier: int = 1) -> float | None:
    """The value of digits with separators: ``68.000`` → 68000, ``1,5`` → 1.5.

    Groups of exactly three digits after a dot, comma or space are thousands (European and
    English separators alike); one or two digits after a comma or dot are a decimal part.
    """
    if sum(ch.isdigit() for ch in text) > MAX_DIGITS:
        return None
    if re.fullmatch(r"\d{1,3}(?:[.,\u202f\u00a0]\d{3})+", text):
        return float(re.sub(r"\D", "", text)) * multiplier
    decimal = re.fullmatch(r"(\d+)[.,](\d{1,2})", text)
    if decimal:
        return float(f"{decimal.group(1)}.{decimal.group(2)}") * multiplier
    return float(text) * multiplier if text.isdigit() else None


def parse_words(text: str) -> int | None:
    """``six`` → 6, ``twenty-five`` → 25, ``a`` → 1; None for other words."""
    total = 0
    for word in re.split(r"[- ]", text.lower()):
        if word not in UNITS:
            return None
        total += UNITS[word]
    return total


def value_of(match: re.Match[str]) -> int | None:
    """The whole number a :data:`NUMBER` match stands for; None for a fraction of one."""
    multiplier = MULTIPLIERS.get((match.group("mult") or "").lower().rstrip("s"), 1)
    if match.group("digits"):
        value = parse_digits(match.group("digits"), multiplier)
    else:
        words = parse_words(match.group("words"))
        value = None if words is None else float(words * multiplier)
    if value is None or value != int(value):
        return None
    return int(value)


def count_word(text: str) -> int | None:
    """A small count in words or digits (``two``, ``3``, ``a``), for "two days later"."""
    text = text.lower()
    if text.isdigit():
        return int(text)
    return UNITS.get(text)
