"""The review page's decisions in the database (real PostgreSQL): an accepted event lands in
the reviewed dataset with its document in the change log, once however often or by however
many reviewers it is accepted, with the places it needs and their regions; the review
resumes from the database."""

from __future__ import annotations

import threading
from collections.abc import Callable

import psycopg
import pytest

from dashboard.db import Database, PostgisStore
from dashboard.db.reviews import DatabaseReviews
from dashboard.errors import DatabaseError
from dashboard.extract import extract_text, place_index
from dashboard.filters import FilterState
from dashboard.gazetteer import Gazetteer
from dashboard.regions import place_regions
from dashboard.review import ACCEPTED, PENDING, REJECTED, Review, digest
from dashboard.review.placing import new_place
from tests.conftest import row

REPORT = ("On 19 September 2023 shelling in Stepanakert killed 27 people, officials said. "
          "The next day, 3 civilians were injured in Shusha.")


@pytest.fixture
def url(postgres, new_database) -> str:
    return postgres.url(new_database())


@pytest.fixture
def reviews(url) -> DatabaseReviews:
    return DatabaseReviews(Database(url)).ensure()


def review_of(rows: list[dict[str, str]], name: str = "report.txt") -> Review:
    return Review(name, digest(name), [dict(r) for r in rows])


def events(url: str) -> list[tuple]:
    return Database(url).fetch("""
        SELECT d.name, e.event_id, e.uid, t.line, e.regions FROM events e
        JOIN datasets d USING (dataset_id) JOIN event_details t USING (id)
        ORDER BY t.line""")


def log(url: str) -> list[tuple]:
    return Database(url).fetch("""SELECT action, document, document_sha256, item,
        at > now() - interval '1 minute' FROM change_log WHERE document IS NOT NULL
        ORDER BY id""")


def test_accepting_writes_the_event_and_the_change_log(reviews, url):
    review = Review.of(extract_text(REPORT, None, "Test report"), "report.txt", digest(REPORT))
    review.edit(0, {**review.rows[0], "title": "Shelling of Stepanakert"})
    assert [p for p in review.accept(0, reviews, place_index()) if p.severity == "error"] == []
    assert review.status[0] == ACCEPTED
    [(dataset, event_id, uid, line, regions)] = events(url)
    assert (dataset, event_id, uid, line) == ("reviewed", review.rows[0]["event_id"],
                                             review.rows[0]["event_id"], 2)
    assert "nagorno_karabakh" in regions  # its place and regions written with it
    # An empty database: the bundled place it names is written with it.
    assert log(url) == [("add place", "report.txt", digest(REPORT), "stepanakert", True),
                        ("accept", "report.txt", digest(REPORT), event_id, True)]
    shown = PostgisStore(Database(url, read_only=True)).select(FilterState()).frame()
    assert list(shown["title"]) == ["Shelling of Stepanakert"]
    review.reject(1, reviews)
    assert [e[0] for e in log(url)] == ["add place", "accept", "reject"]


def test_accepting_twice_writes_one_event(reviews, url):
    review = review_of([row(event_id="t-1"), row(event_id="t-2")])
    review.accept(0, reviews)
    review.status[0] = PENDING  # as a page that did not see the decision would
    review.accept(0, reviews)
    # Another reviewer's page, read before the decision: told the id is taken...
    other = review_of([row(event_id="t-1"), row(event_id="t-2")])
    problems = other.accept(0, reviews)
    assert [p.message for p in problems] == ["duplicate id 't-1' (first on line 2)"]
    assert [e[1] for e in events(url)] == ["t-1"]
    assert [e[0] for e in log(url)] == ["add place", "accept"]  # goris, to the empty database
    # ...and, resumed, its review has the decision taken.
    assert Review.resume(reviews, other.sha256).status == [ACCEPTED, PENDING]


def at_once(work: list[Callable[[], None]]) -> None:
    """Run each callable in its own thread, all released together."""
    start = threading.Barrier(len(work))
    failures: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        start.wait()
        try:
            job()
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures


def test_reviewers_accepting_at_once_lose_nothing_and_duplicate_nothing(url):
    rows = [row(event_id=f"c-{n}", place_id="goris") for n in range(6)]
    copies = [review_of(rows) for _ in range(4)]
    targets = [DatabaseReviews(Database(url)) for _ in copies]
    # Two reviewers on every candidate (in opposite orders), two on different ones, at once.
    plans = [(0, 2, 4), (1, 3, 5), (4, 2, 0), (5, 3, 1)]
    work = [lambda r=r, t=t, p=p: [r.accept(k, t) for k in p]
            for r, t, p in zip(copies, targets, plans, strict=True)]
    at_once(work)
    found = events(url)
    assert sorted(e[1] for e in found) == [f"c-{n}" for n in range(6)]
    assert [e[3] for e in found] == list(range(2, 8))  # one line each, in turn
    assert sorted(e[3] for e in log(url) if e[0] == "accept") == [f"c-{n}" for n in range(6)]
    assert [e[3] for e in log(url) if e[0] == "add place"] == ["goris"]
    saved = Review.resume(targets[0], copies[0].sha256)
    assert saved is not None and saved.status == [ACCEPTED] * 6


def test_an_id_taken_meanwhile_leaves_the_candidate_pending(url):
    first, second = review_of([row(event_id="same")], "a.txt"), review_of(
        [row(event_id="same")], "b.txt")
    at_once([lambda: first.accept(0, DatabaseReviews(Database(url))),
             lambda: second.accept(0, DatabaseReviews(Database(url)))])
    assert sorted([first.status[0], second.status[0]]) == [ACCEPTED, PENDING]
    assert [e[1] for e in events(url)] == ["same"]
    late = first if first.status[0] == PENDING else second
    late.save(DatabaseReviews(Database(url)))  # as the page does after its decisions
    assert Review.resume(DatabaseReviews(Database(url)), late.sha256).status == [PENDING]


def test_new_places_are_written_with_their_regions(reviews, url, geodata):
    index = place_index()
    town = next(t for t in index.towns.towns if t.country == "AM")
    feature, _ = new_place("Nor Getashen", "Getashen", "about ±2 km", 45.30, 40.37)
    review = review_of([row(event_id="g-1", place_id=town.id),
                        row(event_id="h-1", place_id="local:nor-getashen")])
    assert review.accept(1, reviews, index)[0].message.startswith("unknown place id")
    assert reviews.add_place(feature, review.name, review.sha256)
    assert not reviews.add_place(feature, review.name, review.sha256)  # waiting already
    assert "local:nor-getashen" in reviews.place_ids()
    assert "local:nor-getashen" in {p.id for p in reviews.gazetteer()}
    assert review.accept(0, reviews, index) == [] and review.accept(1, reviews, index) == []
    database = Database(url)
    written = dict(database.fetch("SELECT place_id, array_agg(region_id ORDER BY region_id) "
                                  "FROM place_regions WHERE place_id = ANY(%s) GROUP BY 1",
                                  ([town.id, "local:nor-getashen"],)))
    added = Gazetteer.of_features([feature])
    expected = place_regions(added, geodata.regions)["local:nor-getashen"]
    assert tuple(written["local:nor-getashen"]) == tuple(sorted(expected))
    assert "armenia" in written[town.id]
    assert database.fetch("SELECT count(*) FROM review_places") == [(0,)]
    assert [(e[0], e[3]) for e in log(url)] == [
        ("place by hand", "local:nor-getashen"), ("add place", town.id), ("accept", "g-1"),
        ("add place", "local:nor-getashen"), ("accept", "h-1")]
    assert not reviews.add_place(feature, review.name, review.sha256)  # a place now
    assert town.id in {p.id for p in reviews.gazetteer()}  # later reports find it by name


def test_a_review_resumes_from_the_database_on_another_server(reviews, url):
    review = Review.of(extract_text(REPORT, None, "Test report"), "report.txt", digest(REPORT))
    assert DatabaseReviews(Database(url)).saved_review(review.sha256) is None
    review.edit(1, {**review.rows[1], "title": "Edited, still pending"})
    review.accept(0, reviews, place_index())
    review.reject(2 if len(review.rows) > 2 else 1, reviews)
    review.save(reviews)
    again = Review.resume(DatabaseReviews(Database(url)), review.sha256)
    assert again is not None
    assert (again.name, again.rows, again.status) == (review.name, review.rows, review.status)
    assert again.status[0] == ACCEPTED and REJECTED in again.status
    assert Review.resume(reviews, digest("another text")) is None


def test_a_schema_before_the_reviews_is_told_to_run_db_init(postgres, new_database):
    name = new_database()
    postgres.execute("DELETE FROM schema_version WHERE version > 1", name)
    with pytest.raises(DatabaseError, match="db init"):
        DatabaseReviews(Database(postgres.url(name))).ensure()


def test_a_reader_may_not_accept_and_is_told_so_without_the_url(postgres, new_database):
    from dashboard.db.migrate import grant_reader

    name = new_database()
    with Database(postgres.url(name)).connection() as connection:
        grant_reader(connection, "review_reader", "S3cret-reader")
    reader = DatabaseReviews(Database(postgres.url(name, "review_reader", "S3cret-reader")))
    with pytest.raises(DatabaseError) as refused:
        review_of([row(event_id="r-1")]).accept(0, reader)
    assert "refused" in str(refused.value) and "S3cret" not in str(refused.value)
    assert name not in str(refused.value)


def test_the_places_are_read_again_when_places_change_not_events(reviews, url):
    review = review_of([row(event_id="k-1", place_id="goris"),
                        row(event_id="k-2", place_id="goris")])
    review.accept(0, reviews)  # goris joins the (empty) database's places
    key, gazetteer = reviews.places_key(), reviews.gazetteer()
    review.accept(1, reviews)  # an event only: the places stay as read
    with Database(url).connection() as connection:
        connection.execute("UPDATE datasets SET total_rows = total_rows")  # as a load would
    assert reviews.places_key() == key and reviews.gazetteer() is gazetteer
    feature, _ = new_place("Nor Getashen", "", "about ±2 km", 45.30, 40.37)
    assert reviews.add_place(feature, review.name, review.sha256)
    assert reviews.places_key() != key
    assert "local:nor-getashen" in {p.id for p in reviews.gazetteer()}


def test_a_tables_problems_are_each_rows_as_if_added_alone(reviews):
    rows = [row(event_id="p-1"), row(event_id="p-2"), row(event_id="p-2"),
            row(event_id="p-3", place_id="nowhere")]
    assert reviews.problems_of(rows) == [[]] * 3 + [reviews.problems(rows[3])]
    review_of(rows).accept(0, reviews)
    found = reviews.problems_of(rows)
    assert [[p.message for p in f] for f in found[:3]] == [
        ["duplicate id 'p-1' (first on line 2)"], [], []]  # the same id twice: each alone
    assert found == [reviews.problems(r) for r in rows] and found[3][0].line == 3


def test_saving_decisions_takes_a_few_statements_each(reviews, monkeypatch):
    statements = []
    execute, executemany = psycopg.Cursor.execute, psycopg.Cursor.executemany

    def counted(cursor, query, params=None, **kwargs):
        statements.append(query)
        return execute(cursor, query, params, **kwargs)

    def counted_many(cursor, query, params_seq, **kwargs):
        params_seq = list(params_seq)
        statements.extend([query] * len(params_seq))
        return executemany(cursor, query, params_seq, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", counted)
    monkeypatch.setattr(psycopg.Cursor, "executemany", counted_many)
    size = 12
    review = review_of([row(event_id=f"s-{n}") for n in range(size)])
    review.edit(size - 1, {**review.rows[size - 1], "title": "Edited, still pending"})
    for number in range(size - 1):
        review.reject(number, reviews)
    review.save(reviews)  # once, as the page does
    assert len(statements) <= 2 * size + 8, len(statements)
    again = Review.resume(reviews, review.sha256)
    assert again.status == [REJECTED] * (size - 1) + [PENDING]
    assert again.rows[-1]["title"] == "Edited, still pending"
