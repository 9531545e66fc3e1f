-- Elections (Pilkada), SQLite. Keep in step with migrations/postgres/0003_elections.sql.
CREATE TABLE elections (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('gubernur', 'bupati', 'walikota')),
    region_code  TEXT NOT NULL REFERENCES regions(code),
    name         TEXT NOT NULL,
    voting_date  TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    -- head of the election's publication log (see balai_elections::domain::publog)
    log_seq      INTEGER NOT NULL DEFAULT 0,
    log_head     TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000',
    created_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES users(id)
);
CREATE INDEX elections_region ON elections(region_code);

-- Past elections loaded with per-region totals only.
CREATE TABLE election_totals (
    election_id INTEGER NOT NULL REFERENCES elections(id),
    region_code TEXT NOT NULL REFERENCES regions(code),
    dpt         INTEGER NOT NULL CHECK (dpt >= 0),
    pengguna    INTEGER NOT NULL CHECK (pengguna >= 0),
    PRIMARY KEY (election_id, region_code)
);

CREATE TABLE schedule_versions (
    id             INTEGER PRIMARY KEY,
    election_id    INTEGER NOT NULL REFERENCES elections(id),
    version        INTEGER NOT NULL,
    reason         TEXT NOT NULL,
    legal_basis    TEXT NOT NULL,
    author_user_id INTEGER REFERENCES users(id),
    author_label   TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (election_id, version)
);

CREATE TABLE schedule_stages (
    version_id INTEGER NOT NULL REFERENCES schedule_versions(id),
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    start_day  TEXT NOT NULL,
    end_day    TEXT NOT NULL,
    PRIMARY KEY (version_id, position)
);

CREATE TABLE candidates (
    id            INTEGER PRIMARY KEY,
    election_id   INTEGER NOT NULL REFERENCES elections(id),
    ballot_number INTEGER NOT NULL CHECK (ballot_number > 0),
    head_name     TEXT NOT NULL,
    deputy_name   TEXT NOT NULL,
    parties       TEXT NOT NULL,
    independent   BOOLEAN NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('registered', 'designated', 'disqualified')),
    status_reason TEXT,
    UNIQUE (election_id, ballot_number)
);

CREATE TABLE tps (
    id           INTEGER PRIMARY KEY,
    election_id  INTEGER NOT NULL REFERENCES elections(id),
    village_code TEXT NOT NULL REFERENCES regions(code),
    number       INTEGER NOT NULL CHECK (number > 0),
    address      TEXT NOT NULL,
    dpt_l        INTEGER NOT NULL CHECK (dpt_l >= 0),
    dpt_p        INTEGER NOT NULL CHECK (dpt_p >= 0),
    UNIQUE (election_id, village_code, number)
);
CREATE INDEX tps_election_village ON tps(election_id, village_code);

-- Every entry of a TPS result form is kept; nothing is updated or deleted.
CREATE TABLE result_entries (
    id               INTEGER PRIMARY KEY,
    election_id      INTEGER NOT NULL REFERENCES elections(id),
    tps_id           INTEGER NOT NULL REFERENCES tps(id),
    version          INTEGER NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('entry', 'correction', 'psu')),
    psu_ref          TEXT,
    reason           TEXT,
    operator_user_id INTEGER REFERENCES users(id),
    operator_label   TEXT NOT NULL,
    entered_at       TEXT NOT NULL,
    form             TEXT NOT NULL,
    content_hash     TEXT NOT NULL,
    confirmed_paper  BOOLEAN NOT NULL,
    has_errors       BOOLEAN NOT NULL,
    findings         TEXT NOT NULL,
    warning_count    INTEGER NOT NULL,
    dpt              INTEGER NOT NULL,
    pengguna         INTEGER NOT NULL,
    suara_sah        INTEGER NOT NULL,
    suara_tidak_sah  INTEGER NOT NULL,
    UNIQUE (tps_id, version)
);

CREATE TABLE result_votes (
    entry_id      INTEGER NOT NULL REFERENCES result_entries(id),
    ballot_number INTEGER NOT NULL,
    votes         INTEGER NOT NULL CHECK (votes >= 0),
    PRIMARY KEY (entry_id, ballot_number)
);

-- One row per TPS with a result: its current accepted version and its state. Aggregation
-- reads this table; an incremental rollup can later consume its changes.
CREATE TABLE tps_results (
    tps_id           INTEGER PRIMARY KEY REFERENCES tps(id),
    election_id      INTEGER NOT NULL REFERENCES elections(id),
    village_code     TEXT NOT NULL,
    current_entry_id INTEGER NOT NULL REFERENCES result_entries(id),
    epoch_version    INTEGER NOT NULL,
    verified         BOOLEAN NOT NULL,
    disputed         BOOLEAN NOT NULL,
    flagged          BOOLEAN NOT NULL,
    has_errors       BOOLEAN NOT NULL,
    photo_reused     BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at       TEXT NOT NULL
);
CREATE INDEX tps_results_village ON tps_results(election_id, village_code);

CREATE TABLE election_log (
    election_id  INTEGER NOT NULL REFERENCES elections(id),
    seq          INTEGER NOT NULL,
    entry_id     INTEGER NOT NULL REFERENCES result_entries(id),
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (election_id, seq)
);

-- Photos of the paper form; the hash finds a photo reused for another TPS.
CREATE TABLE result_photos (
    id            INTEGER PRIMARY KEY,
    election_id   INTEGER NOT NULL REFERENCES elections(id),
    tps_id        INTEGER NOT NULL REFERENCES tps(id),
    sha256        TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    data          BLOB NOT NULL,
    reused        BOOLEAN NOT NULL,
    uploaded_by   INTEGER REFERENCES users(id),
    uploaded_label TEXT NOT NULL,
    uploaded_at   TEXT NOT NULL,
    UNIQUE (tps_id, sha256)
);
CREATE INDEX result_photos_hash ON result_photos(election_id, sha256);

-- The tiered plenary recapitulation: a region's results are official once it is recorded.
CREATE TABLE election_recaps (
    election_id    INTEGER NOT NULL REFERENCES elections(id),
    region_code    TEXT NOT NULL REFERENCES regions(code),
    document_ref   TEXT NOT NULL,
    recorded_by    INTEGER REFERENCES users(id),
    recorded_label TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    PRIMARY KEY (election_id, region_code)
);
