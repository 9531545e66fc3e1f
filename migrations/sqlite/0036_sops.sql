-- SOPs (standar operasional prosedur) with versions, and adoptions of a province's SOP by its
-- regencies and cities (balai-sop). An adoption is an SOP of its own with `parent_id`; each of
-- its versions names the parent version it accepted and holds its overrides instead of steps.
-- SQLite. Keep in step with migrations/postgres/0036_sops.sql.
CREATE TABLE sops (
    id            INTEGER PRIMARY KEY,
    agency_id     INTEGER NOT NULL REFERENCES agencies(id),
    region_code   TEXT NOT NULL REFERENCES regions(code),
    title         TEXT NOT NULL,
    purpose       TEXT NOT NULL DEFAULT '',
    legal_basis   TEXT NOT NULL DEFAULT '',
    documents     TEXT NOT NULL DEFAULT '',
    parent_id     INTEGER REFERENCES sops(id),
    review_needed BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TEXT NOT NULL,
    UNIQUE (parent_id, region_code)
);
CREATE INDEX sops_region ON sops(region_code);

CREATE TABLE sop_versions (
    id             INTEGER PRIMARY KEY,
    sop_id         INTEGER NOT NULL REFERENCES sops(id),
    version        INTEGER NOT NULL CHECK (version > 0),
    -- JSON: the steps (an SOP of its own) or the overrides (an adoption)
    body           TEXT NOT NULL,
    parent_version INTEGER,
    change_note    TEXT NOT NULL,
    major          BOOLEAN NOT NULL,
    -- NULL: a draft
    published_at   TEXT,
    author_user_id INTEGER REFERENCES users(id),
    author_label   TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (sop_id, version)
);
