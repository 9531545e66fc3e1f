-- Pemilih: the voter list of each election (DPS → DPSHP → DPT versions with their counts), the
-- full records only encrypted, a compact keyed-hash look-up index, the check's daily counts and
-- the public's responses to the list (DOMAIN §3, §9).
-- Keep in step with migrations/sqlite/0040_voter_list.sql.

-- One version of an election's list, with its counts (kept for every version).
CREATE TABLE voter_lists (
    id           BIGSERIAL PRIMARY KEY,
    election_id  BIGINT NOT NULL REFERENCES elections(id),
    version      BIGINT NOT NULL,
    stage        TEXT NOT NULL CHECK (stage IN ('dps', 'dpshp', 'dpt')),
    voters       BIGINT NOT NULL,
    male         BIGINT NOT NULL,
    female       BIGINT NOT NULL,
    tps          BIGINT NOT NULL,
    villages     BIGINT NOT NULL,
    imported_at  TIMESTAMPTZ NOT NULL,
    imported_by  BIGINT REFERENCES users(id),
    UNIQUE (election_id, version)
);

-- A version's counts per village.
CREATE TABLE voter_list_villages (
    list_id      BIGINT NOT NULL REFERENCES voter_lists(id),
    village_code TEXT NOT NULL,
    voters       BIGINT NOT NULL,
    male         BIGINT NOT NULL,
    female       BIGINT NOT NULL,
    tps          BIGINT NOT NULL,
    PRIMARY KEY (list_id, village_code)
);

-- The TPS a list names, as the check shows them (the elections feature keeps its own master).
CREATE TABLE voter_tps (
    id           BIGSERIAL PRIMARY KEY,
    election_id  BIGINT NOT NULL REFERENCES elections(id),
    village_code TEXT NOT NULL,
    number       BIGINT NOT NULL,
    address      TEXT NOT NULL,
    UNIQUE (election_id, village_code, number)
);

-- The look-up index: HMAC(NIK) (16 bytes) → TPS, HMAC(normalised name) (8 bytes), masked name.
-- No NIK, no name: a copy of this table without the key answers nothing.
CREATE TABLE voter_index (
    nik_hash     BYTEA NOT NULL,
    -- 4-byte integers: the index is kept small (a few hundred elections, under a million TPS)
    election_id  INTEGER NOT NULL,
    tps_id       INTEGER NOT NULL,
    name_hash    BYTEA NOT NULL,
    name_masked  TEXT NOT NULL,
    PRIMARY KEY (nik_hash, election_id)
);

-- The full record (NIK, KK, name, birth, address, …), AES-256-GCM sealed; read one at a time.
CREATE TABLE voter_records (
    election_id  BIGINT NOT NULL,
    nik_hash     BYTEA NOT NULL,
    village_code TEXT NOT NULL,
    sealed       BYTEA NOT NULL,
    PRIMARY KEY (election_id, nik_hash)
);

-- Open data about the check itself: look-ups per day (WIB).
CREATE TABLE voter_lookup_days (
    day          DATE PRIMARY KEY,
    lookups      BIGINT NOT NULL DEFAULT 0,
    found        BIGINT NOT NULL DEFAULT 0,
    not_found    BIGINT NOT NULL DEFAULT 0,
    refused      BIGINT NOT NULL DEFAULT 0,
    throttled    BIGINT NOT NULL DEFAULT 0
);

-- Tanggapan masyarakat: a public response to a TPS's published list, a case for the PPS with a
-- clock, answered publicly. `details` and `contact` are never published.
CREATE TABLE voter_list_reports (
    id           BIGSERIAL PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    election_id  BIGINT NOT NULL REFERENCES elections(id),
    village_code TEXT NOT NULL REFERENCES regions(code),
    tps_number   BIGINT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('deceased', 'moved', 'not_registered', 'double', 'other')),
    details      TEXT NOT NULL,
    evidence     TEXT NOT NULL,
    contact      TEXT,
    filed_at     TIMESTAMPTZ NOT NULL,
    due_at       TIMESTAMPTZ NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'rejected')),
    answer       TEXT,
    answered_at  TIMESTAMPTZ,
    answered_by  BIGINT REFERENCES users(id)
);
CREATE INDEX voter_list_reports_tps ON voter_list_reports(election_id, village_code, tps_number);
