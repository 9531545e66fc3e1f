-- Partisipasi: turnout targets per election and region, set by the region's KPU, compared with
-- the turnout reached. The target is kept in hundredths of a percent (7750 = 77.50%), exact.
-- Keep in step with migrations/postgres/0043_turnout_targets.sql.

CREATE TABLE turnout_targets (
    election_id         INTEGER NOT NULL REFERENCES elections(id),
    region_code         TEXT NOT NULL REFERENCES regions(code),
    target_hundredths   INTEGER NOT NULL CHECK (target_hundredths BETWEEN 0 AND 10000),
    agency_id           INTEGER REFERENCES agencies(id),
    set_by              INTEGER NOT NULL REFERENCES users(id),
    set_at              TEXT NOT NULL,
    PRIMARY KEY (election_id, region_code)
);
