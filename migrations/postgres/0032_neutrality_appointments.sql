-- Netralitas ASN: the public register of appointments checked against the election windows
-- (UU 10/2016 art. 71(2), 162(3)).
-- Keep in step with migrations/sqlite/0032_neutrality_appointments.sql.

-- The stage kinds the windows are read from are migration 0024's.

CREATE TABLE appointments (
    id                    BIGSERIAL PRIMARY KEY,
    -- the appointing government (a province, regency or city)
    region_code           TEXT NOT NULL REFERENCES regions(code),
    kind                  TEXT NOT NULL CHECK (kind IN ('mutasi', 'promosi', 'rotasi')),
    official_name         TEXT NOT NULL,
    -- never public: read only by the recording agencies
    nip                   TEXT,
    from_position         TEXT NOT NULL,
    to_position           TEXT NOT NULL,
    decree_number         TEXT NOT NULL,
    decree_date           DATE NOT NULL,
    effective_date        DATE,
    signed_by             TEXT CHECK (signed_by IN ('head', 'deputy', 'acting_head')),
    minister_approval_ref TEXT,
    source                TEXT NOT NULL CHECK (source IN ('api', 'form', 'csv')),
    agency_id             BIGINT REFERENCES agencies(id),
    recorded_by           BIGINT REFERENCES users(id),
    created_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX appointments_region ON appointments(region_code, decree_date);
CREATE INDEX appointments_nip ON appointments(nip);

-- An appointment inside a window of an election's current schedule. Rewritten for the election
-- in the transaction that stores a new schedule version, so it never lags the schedule.
CREATE TABLE appointment_flags (
    appointment_id   BIGINT NOT NULL REFERENCES appointments(id),
    election_id      BIGINT NOT NULL REFERENCES elections(id),
    rule             TEXT NOT NULL CHECK (rule IN ('uu10_2016_pasal71_ayat2', 'uu10_2016_pasal162_ayat3')),
    window_from      DATE NOT NULL,
    -- NULL: open, no inauguration scheduled yet
    window_to        DATE,
    approved         BOOLEAN NOT NULL,
    schedule_version BIGINT NOT NULL,
    PRIMARY KEY (appointment_id, election_id, rule)
);
CREATE INDEX appointment_flags_election ON appointment_flags(election_id);
