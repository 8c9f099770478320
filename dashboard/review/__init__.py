"""Reviewing a report's candidate events into a working set (no Streamlit here).

::

    working = WorkingSet(settings.working_dir).ensure()
    review = Review.resume(working, sha) or Review.of(extract_text(text), name, sha)
    review.accept(0, working, place_index())   # appended, logged, saved

A team's database takes the decisions instead of the files:
:class:`dashboard.db.reviews.DatabaseReviews` answers the same calls
(:class:`~dashboard.review.target.ReviewTarget`).
"""

from dashboard.review.session import (
    ACCEPTED,
    PENDING,
    REJECTED,
    Review,
    digest,
    extraction,
    known_ids,
    working_index,
)
from dashboard.review.target import ReviewTarget
from dashboard.review.workset import WorkingSet, write_atomic

__all__ = ["ACCEPTED", "PENDING", "REJECTED", "Review", "ReviewTarget", "WorkingSet", "digest",
           "extraction", "known_ids", "working_index", "write_atomic"]
