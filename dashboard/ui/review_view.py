"""The "Add a report" section: a report's candidate events reviewed into the working set.

Upload or paste a report with its date and citation; its text is shown with the dates,
places and figures found marked; its candidates are in an editable table where each is
accepted, rejected or left pending. Accepted rows go to the working events file
(``DASHBOARD_WORKING_DIR``), which the app loads as one more dataset, so the map shows them
at once; with a database (``DASHBOARD_DATABASE_URL``) they go to its dataset of reviewed
events instead, written with the reviewers' login (``DASHBOARD_REVIEW_DATABASE_URL``). The
review is saved after every change and resumed when the same report is opened again.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard.errors import DashboardError, DocumentRefused
from dashboard.extract import MAX_DOCUMENT_BYTES, Document, Extraction, read_bytes
from dashboard.review import (
    ACCEPTED,
    PENDING,
    REJECTED,
    Review,
    ReviewTarget,
    WorkingSet,
    digest,
    extraction,
    known_ids,
    working_index,
)
from dashboard.review.marked import marked_html
from dashboard.review.placing import PRECISIONS, new_place, parse_point
from dashboard.schema import COLUMNS
from dashboard.ui import cache, placing_map
from dashboard.ui import state as ui_state
from dashboard.ui.urlsync import md_escape

VERSION = "_review_version"  # session_state: bumped to clear the table's edits
NOTICE = "_review_notice"  # session_state: what the last "Save" did, shown once
SEEN = "_review_seen"  # session_state: the document and decisions the table last showed
DECISION, PROBLEMS = "decision", "problems"
DECISIONS = {PENDING: "pending", ACCEPTED: "accept", REJECTED: "reject"}
PASTED = "pasted report"
WRITER_NEEDED = ("Accepting events into the events database needs a login that may write it: "
                 "set DASHBOARD_REVIEW_DATABASE_URL (see the README).")


def working_set() -> ReviewTarget | None:
    """Where decisions go: the events database when one is set (None without the
    reviewers' login), else the working set the settings name."""
    settings = cache.settings()
    if settings.database_url is not None:
        return cache.reviews()
    return WorkingSet(settings.working_dir)


def working_part() -> list[cache.Keyed]:
    """The working events as a dataset, when the working set has accepted any (not asked
    with a database: the events accepted are in it)."""
    working = WorkingSet(cache.settings().working_dir)
    try:
        if not working.events.exists() or not working.rows():
            return []
        return [cache.dataset(working.events, geodata_dir=working.folder)]
    except (DashboardError, OSError) as exc:
        st.error(md_escape(f"The working events could not be loaded: {exc}"))
        return []


def _document() -> tuple[Document, str] | None:
    """The uploaded or pasted report and its hash; a refusal shown, None."""
    # The browser refuses a larger report before sending it (and a proxy in front need not
    # take more: deploy/nginx.conf).
    upload = st.file_uploader("A report: text, Markdown, HTML or PDF", key=ui_state.REPORT_FILE,
                              type=["txt", "md", "markdown", "html", "htm", "pdf"],
                              max_upload_size=MAX_DOCUMENT_BYTES // 2**20)
    pasted = st.text_area("…or paste its text", key=ui_state.REPORT_TEXT, height=120)
    if upload is not None:
        raw = upload.getvalue()
        try:
            return read_bytes(raw, upload.name), digest(raw)
        except DocumentRefused as exc:
            st.error(md_escape(str(exc)))
            return None
    if pasted and pasted.strip():
        return Document(pasted, "text", PASTED), digest(pasted)
    return None


def _table(review: Review, working: ReviewTarget) -> pd.DataFrame:
    """The candidates with their decision and their problems as ``validate`` says them."""
    known = known_ids(working, working_index(working))
    pending = [n for n, status in enumerate(review.status) if status == PENDING]
    problems = [""] * len(review.rows)
    found = working.problems_of([review.rows[n] for n in pending], known,
                                cache.settings().limits.dates)  # one read for the table
    for number, listed in zip(pending, found, strict=True):
        problems[number] = "; ".join(
            f"{p.column}: {'warning: ' if p.severity != 'error' else ''}{p.message}"
            for p in listed)
    frame = pd.DataFrame(review.rows, columns=list(COLUMNS))
    frame.insert(0, PROBLEMS, problems)
    frame.insert(0, DECISION, [DECISIONS[s] for s in review.status])
    return frame


def _apply(review: Review, working: ReviewTarget, edited: pd.DataFrame,
           seen: list[str]) -> str:
    """Save the table's edits and decisions on the rows ``seen`` pending when it was drawn;
    what was done, in a sentence."""
    index = working_index(working)
    dates = cache.settings().limits.dates
    accepted = rejected = taken = 0
    refused: list[str] = []
    try:
        for number, record in enumerate(edited.to_dict("records")):
            if seen[number] != PENDING:
                continue  # accepted rows are in the working file; rejected ones stay out
            if review.status[number] != PENDING:
                taken += 1  # decided by another reviewer since the table was drawn
                continue
            review.edit(number, {c: "" if pd.isna(record[c]) else str(record[c])
                                 for c in COLUMNS})
            if record[DECISION] == DECISIONS[REJECTED]:
                review.reject(number, working)
                if review.status[number] == REJECTED:
                    rejected += 1
                else:
                    taken += 1
            elif record[DECISION] == DECISIONS[ACCEPTED]:
                problems = review.accept(number, working, index, dates)
                if review.status[number] == ACCEPTED:
                    accepted += 1
                elif review.status[number] == REJECTED:
                    taken += 1
                else:
                    refused.append(f"{review.rows[number]['event_id']}: " + "; ".join(
                        f"{p.column}: {p.message}" for p in problems if p.severity == "error"))
    finally:
        review.save(working)  # once, with the decisions taken until then
    said = f"{accepted} accepted, {rejected} rejected."
    if taken:
        said += f" {taken} had been decided by another reviewer meanwhile."
    if (store := cache.database()) is not None:
        store.expire()  # the count and the map show the accepted events on the next run
    if refused:
        said += " Not saved, fix first: " + " · ".join(refused)
    return said


def _review(document: Document, sha256: str, day: date | None, source: str,
            working: ReviewTarget) -> tuple[Review, Extraction]:
    """The review of this document: the one in progress, the saved one or a new one."""
    with st.spinner("Reading the report…"):
        found = extraction(document, sha256, day, source, working_index(working))
    # Until something is saved, the candidates follow the date and citation typed.
    return (Review.resume(working, sha256) or Review.of(found, document.name, sha256),
            found)


def render_review() -> None:
    """The "Add a report" section, under the events table."""
    try:
        working = working_set()
    except DashboardError as exc:  # an unusable reviewers' URL: said without it
        st.error(md_escape(f"Reports cannot be reviewed: {exc}"))
        return
    # Kept open while a report is reviewed, through the rerun that saves the decisions.
    with st.expander("Add a report: review its events onto the map",
                     expanded=bool(st.session_state.get(ui_state.REVIEWING))):
        if working is None:  # a database, read with a login that may not write it
            st.info(WRITER_NEEDED)
            return
        st.caption(f"Accepted events are added to {md_escape(working.destination)}, never "
                   "to the bundled events.csv; every change is logged, and the review is "
                   "saved and resumed.")
        found = _document()
        left, right = st.columns(2)
        day = left.date_input("Written on (empty: read from the report)", value=None,
                              key=ui_state.REPORT_DATE)
        source = right.text_input("Citation", key=ui_state.REPORT_SOURCE,
                                  placeholder="Author, title, date")
        st.session_state[ui_state.REVIEWING] = found is not None
        if found is None:
            return
        document, sha256 = found
        try:
            working.ensure()
            review, extracted = _review(document, sha256, day, source.strip(), working)
        except (DashboardError, OSError) as exc:
            st.error(md_escape(f"The report could not be reviewed: {exc}"))
            return
        st.caption(md_escape(f"Dated {extracted.date_reason}"))
        st.html(marked_html(extracted.text, extracted.highlights))
        try:
            _render_candidates(review, working)
            _render_new_place(review, working)
        except DashboardError as exc:  # the database away or refusing: never its URL
            st.error(md_escape(f"The review could not be saved: {exc}"))


def _seen(review: Review) -> list[str]:
    """The decisions the table showed when last drawn (a row seen pending and decided since
    was decided by another reviewer); those of ``review`` are kept for the next run."""
    sha256, seen = st.session_state.get(SEEN, (None, []))
    st.session_state[SEEN] = (review.sha256, list(review.status))
    return (seen if sha256 == review.sha256 and len(seen) == len(review.status)
            else list(review.status))


def _render_candidates(review: Review, working: ReviewTarget) -> None:
    """The editable table of candidates and the button that saves the decisions."""
    if notice := st.session_state.pop(NOTICE, None):
        (st.warning if "Not saved" in notice else st.success)(md_escape(notice))
    if not review.rows:
        st.info("No candidate events were found in this report.")
        return
    version = st.session_state.get(VERSION, 0)
    seen = _seen(review)
    frame = _table(review, working)
    options = list(DECISIONS.values())
    edited = st.data_editor(
        frame, key=ui_state.review_editor_key(review.sha256, version), hide_index=True,
        num_rows="fixed", disabled=[PROBLEMS],
        column_config={DECISION: st.column_config.SelectboxColumn(
            "decision", options=options, required=True,
            help="accept adds the row to the working events; accepted and rejected rows "
                 "are final"),
            PROBLEMS: st.column_config.TextColumn("problems", width="medium")})
    if st.button("Save these decisions", key=ui_state.REPORT_APPLY, type="primary"):
        st.session_state[NOTICE] = _apply(review, working, edited, seen)
        st.session_state[VERSION] = version + 1
        st.rerun()


def _where(typed: str, point: tuple[float, float] | None) -> str:
    """Where the place will be saved, in a sentence: the typed point, else the clicked one."""
    if typed.strip():
        if point is None:
            return "The typed point is not a latitude and longitude (e.g. 39.81, 46.75)."
        return f"It will be saved at {point[1]:.5f}, {point[0]:.5f}, as typed."
    if point is None:
        return "Click the map where the place is, or type its latitude and longitude."
    return f"It will be saved at {point[1]:.5f}, {point[0]:.5f}, where the map was clicked."


def _render_new_place(review: Review, working: ReviewTarget) -> None:
    """Place a town the gazetteer lacks: a name, variants, a precision and a click on the
    placing map (or its latitude and longitude, typed)."""
    st.markdown("**A place that is not in the gazetteer?** Click it on the map below, then "
                "name it and add it; use its id as a candidate's `place_id`.")
    left, middle, right = st.columns(3)
    name = left.text_input("Name", key=ui_state.PLACE_NAME)
    variants = middle.text_input("Other spellings, separated by commas",
                                 key=ui_state.PLACE_VARIANTS)
    precision = right.selectbox("Precision", list(PRECISIONS), key=ui_state.PLACE_PRECISION)
    typed = st.text_input("Latitude, longitude, e.g. 39.81, 46.75 (the way without a mouse; "
                          "when filled in, used instead of the map's click)",
                          key=ui_state.PLACE_POINT)
    # The point to be saved is the one drawn: the typed one wins over a click.
    point = parse_point(typed) if typed.strip() else placing_map.clicked_point()
    placing_map.render_placing_map(working.gazetteer, working.places_key(), point,
                                   PRECISIONS[precision])
    st.caption(_where(typed, point))
    if not st.button("Add this place", key=ui_state.PLACE_ADD):
        return
    if point is None:
        st.error("Click the place on the map, or type its latitude and longitude.")
        return
    feature, problem = new_place(name, variants, precision, *point)
    if feature is None:
        st.error(md_escape(f"The place was not added: {problem}."))
        return
    if not working.add_place(feature, review.name, review.sha256):
        st.warning(md_escape(f"{feature['properties']['id']} is in the gazetteer already."))
        return
    placing_map.forget_click()  # the next place needs a click of its own
    lon, lat = feature["geometry"]["coordinates"]
    st.success(md_escape(f"Added {feature['properties']['name']} as "
                         f"{feature['properties']['id']} at {lat:.5f}, {lon:.5f}."))
