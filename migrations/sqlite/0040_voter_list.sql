-- Pemilih: the voter list of each election (DPS → DPSHP → DPT versions with their counts), the
-- full records only encrypted, a compact keyed-hash look-up index, the check's daily counts and
-- the public's responses to the list (DOMAIN §3, §9).
-- Keep in step with migrations/postgres/0040_voter_list.sql.

-- One version of an election's list, with its counts (kept for every version).
CREATE TABLE voter_lists (
    id           INTEGER PRIMARY KEY,
    election_id  INTEGER NOT NULL REFERENCES elections(id),
    version      INTEGER NOT NULL,
    stage        TEXT NOT NULL CHECK (stage IN ('dps', 'dpshp', 'dpt')),
    voters       INTEGER NOT NULL,
    male         INTEGER NOT NULL,
    female       INTEGER NOT NULL,
    tps          INTEGER NOT NULL,
    villages     INTEGER NOT NULL,
    imported_at  TEXT NOT NULL,
    imported_by  INTEGER REFERENCES users(id),
    UNIQUE (election_id, version)
);

-- A version's counts per village.
CREATE TABLE voter_list_villages (
    list_id      INTEGER NOT NULL REFERENCES voter_lists(id),
    village_code TEXT NOT NULL,
    voters       INTEGER NOT NULL,
    male         INTEGER NOT NULL,
    female       INTEGER NOT NULL,
    tps          INTEGER NOT NULL,
    PRIMARY KEY (list_id, village_code)
);

-- The TPS a list names, as the check shows them (the elections feature keeps its own master).
CREATE TABLE voter_tps (
    id           INTEGER PRIMARY KEY,
    election_id  INTEGER NOT NULL REFERENCES elections(id),
    village_code TEXT NOT NULL,
    number       INTEGER NOT NULL,
    address      TEXT NOT NULL,
    UNIQUE (election_id, village_code, number)
);

-- The look-up index: HMAC(NIK) (16 bytes) → TPS, HMAC(normalised name) (8 bytes), masked name.
-- No NIK, no name: a copy of this table without the key answers nothing.
CREATE TABLE voter_index (
    nik_hash     BLOB NOT NULL,
    election_id  INTEGER NOT NULL,
    tps_id       INTEGER NOT NULL,
    name_hash    BLOB NOT NULL,
    name_masked  TEXT NOT NULL,
    PRIMARY KEY (nik_hash, election_id)
) WITHOUT ROWID;

-- The full record (NIK, KK, name, birth, address, …), AES-256-GCM sealed; read one at a time.
CREATE TABLE voter_records (
    election_id  INTEGER NOT NULL,
    nik_hash     BLOB NOT NULL,
    village_code TEXT NOT NULL,
    sealed       BLOB NOT NULL,
    PRIMARY KEY (election_id, nik_hash)
) WITHOUT ROWID;

-- Open data about the check itself: look-ups per day (WIB).
CREATE TABLE voter_lookup_days (
    day          TEXT PRIMARY KEY,
    lookups      INTEGER NOT NULL DEFAULT 0,
    found        INTEGER NOT NULL DEFAULT 0,
    not_found    INTEGER NOT NULL DEFAULT 0,
    refused      INTEGER NOT NULL DEFAULT 0,
    throttled    INTEGER NOT NULL DEFAULT 0
);

-- Tanggapan masyarakat: a public response to a TPS's published list, a case for the PPS with a
-- clock, answered publicly. `details` and `contact` are never published.
CREATE TABLE voter_list_reports (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    election_id  INTEGER NOT NULL REFERENCES elections(id),
    village_code TEXT NOT NULL REFERENCES regions(code),
    tps_number   INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('deceased', 'moved', 'not_registered', 'double', 'other')),
    details      TEXT NOT NULL,
    evidence     TEXT NOT NULL,
    contact      TEXT,
    filed_at     TEXT NOT NULL,
    due_at       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'rejected')),
    answer       TEXT,
    answered_at  TEXT,
    answered_by  INTEGER REFERENCES users(id)
);
CREATE INDEX voter_list_reports_tps ON voter_list_reports(election_id, village_code, tps_number);
