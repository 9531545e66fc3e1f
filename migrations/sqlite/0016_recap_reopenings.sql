-- A recorded plenary recapitulation taken back by an admin, with the reason: the recap row
-- leaves election_recaps (so results inside the region may change again and the region may be
-- recapitulated anew) and is kept here with who reopened it and why.
CREATE TABLE election_recap_reopenings (
    id             INTEGER PRIMARY KEY,
    election_id    INTEGER NOT NULL REFERENCES elections(id),
    region_code    TEXT NOT NULL REFERENCES regions(code),
    document_ref   TEXT NOT NULL,
    recorded_by    INTEGER REFERENCES users(id),
    recorded_label TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    reopened_by    INTEGER REFERENCES users(id),
    reopened_label TEXT NOT NULL,
    reopened_at    TEXT NOT NULL,
    reason         TEXT NOT NULL
);
CREATE INDEX election_recap_reopenings_region ON election_recap_reopenings(election_id, region_code);
