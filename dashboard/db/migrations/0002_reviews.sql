-- Reviews of reports (the "Add a report" page) kept in the database, so that a review resumes
-- on any server, and the change log's record of which document each change came from.
-- Written by the reviewers' login; none of these tables is shown, so writing them does not
-- bump the data version (accepting an event does, through the events tables).

-- One row per document reviewed, by the SHA-256 of its bytes (or of its pasted text).
CREATE TABLE reviews (
    sha256 text COLLATE "C" PRIMARY KEY,
    name text NOT NULL,
    saved_at timestamptz NOT NULL DEFAULT now()
);

-- Each candidate event of a document: its fields as last edited and its decision. A decision
-- is taken once (pending to accepted or rejected, never back), by the first reviewer to save.
CREATE TABLE review_candidates (
    sha256 text COLLATE "C" NOT NULL REFERENCES reviews ON DELETE CASCADE,
    number integer NOT NULL,
    fields jsonb NOT NULL,
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'accepted', 'rejected')),
    decided_at timestamptz,
    PRIMARY KEY (sha256, number)
);

-- Places placed by hand while reviewing, as GeoJSON features: they join the places table,
-- with their regions, in the transaction that accepts the first event naming them.
CREATE TABLE review_places (
    place_id text COLLATE "C" PRIMARY KEY,
    feature jsonb NOT NULL,
    document text NOT NULL,
    document_sha256 text NOT NULL,
    added_at timestamptz NOT NULL DEFAULT now()
);

-- Which document (name and SHA-256) and which event or place a change of a review was about.
ALTER TABLE change_log
    ADD COLUMN document text,
    ADD COLUMN document_sha256 text,
    ADD COLUMN item text;
CREATE INDEX change_log_document ON change_log (document_sha256);
