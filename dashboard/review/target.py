"""Where a review's decisions go: the files of a working set
(:class:`~dashboard.review.workset.WorkingSet`) or, for a team, the events database
(:class:`dashboard.db.reviews.DatabaseReviews`). Both answer these calls."""

from __future__ import annotations

from collections.abc import Container, Hashable
from typing import TYPE_CHECKING, Any, Protocol

from dashboard.gazetteer import Gazetteer
from dashboard.schema import COLUMNS
from dashboard.validation import DateRange, Problem, check_row, repeated_id

if TYPE_CHECKING:
    from dashboard.review.session import Review

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"


class ReviewTarget(Protocol):
    """What a review reads its places and problems from, and writes its decisions to."""

    @property
    def destination(self) -> str:
        """Where accepted events go, in words for the page."""
        ...

    def ensure(self) -> ReviewTarget:
        """Ready to take decisions (a working set's files made; a database's schema checked)."""
        ...

    def gazetteer(self) -> Gazetteer:
        """The places a report's names are looked up in: the bundled ones and those added."""
        ...

    def places_key(self) -> Hashable:
        """Changes whenever :meth:`gazetteer` would."""
        ...

    def place_ids(self) -> Container[str]:
        """Every place id an accepted row may name (GeoNames towns aside)."""
        ...

    def problems(self, row: dict[str, str], places: Container[str] | None = None,
                 dates: DateRange | None = None) -> list[Problem]:
        """``validate``'s problems of ``row`` were it added to the accepted events."""
        ...

    def problems_of(self, rows: list[dict[str, str]], places: Container[str] | None = None,
                    dates: DateRange | None = None) -> list[list[Problem]]:
        """:meth:`problems` of each of ``rows`` (each were it the only one added), the
        accepted events read once."""
        ...

    def add_place(self, feature: dict, document: str, digest: str) -> bool:
        """A place placed by hand (a GeoJSON feature); False when its id is taken."""
        ...

    def accept(self, review: Review, number: int, places: list[dict]) -> str:
        """Add candidate ``number`` (and the ``places`` features it needs that are not yet
        places); its status afterwards: :data:`ACCEPTED`, or what another reviewer decided
        first, or :data:`PENDING` when its event id was taken meanwhile."""
        ...

    def reject(self, review: Review, number: int) -> str:
        """Mark candidate ``number`` rejected; its status afterwards."""
        ...

    def save_review(self, review: Review) -> None:
        """Keep the review's candidates (as edited) and decisions."""
        ...

    def saved_review(self, sha256: str) -> dict[str, Any] | None:
        """The kept review of the document with this hash (``name``, ``sha256``, ``rows``,
        ``status``), or None."""
        ...


def appended_problems(row: dict[str, str], line: int, places: Container[str],
                      dates: DateRange | None, first: int | None) -> list[Problem]:
    """``validate``'s problems of ``row`` appended on ``line`` to events where its id is
    first on line ``first`` (None: not there)."""
    full = {c: str(row.get(c) or "") for c in COLUMNS}
    found = check_row(full, line, places, dates)
    seen = {} if first is None else {full["event_id"]: first}
    if (repeated := repeated_id(full, line, seen)) is not None:
        found.append(repeated)
    return found
