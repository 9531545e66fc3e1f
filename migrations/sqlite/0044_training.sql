-- Training (bimbingan teknis) and readiness before each election stage (balai-sop): the roster
-- of officers a regency's KPU keeps (its own staff and the ad hoc PPK, PPS and KPPS, who are not
-- Balai users), the training sessions, each preparing one stage kind, and who attended.
-- SQLite. Keep in step with migrations/postgres/0044_training.sql.
CREATE TABLE officers (
    id          INTEGER PRIMARY KEY,
    -- the regency or city KPU whose roster it is
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    -- where the officer serves: the regency (staff), a district (PPK) or a village (PPS, KPPS)
    region_code TEXT NOT NULL REFERENCES regions(code),
    body        TEXT NOT NULL CHECK (body IN ('staff', 'ppk', 'pps', 'kpps')),
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (agency_id, region_code, body, name)
);

CREATE TABLE trainings (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    -- the region whose officers it trains (the agency's own)
    region_code TEXT NOT NULL REFERENCES regions(code),
    topic       TEXT NOT NULL,
    -- the election stage it prepares (balai_core::schedule::StageKind)
    stage_kind  TEXT NOT NULL,
    -- the bodies it trains, comma-separated (staff, ppk, pps, kpps)
    bodies      TEXT NOT NULL,
    sop_id      INTEGER REFERENCES sops(id),
    application TEXT NOT NULL DEFAULT '',
    trainers    TEXT NOT NULL,
    held_on     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX trainings_region ON trainings(region_code, stage_kind);

CREATE TABLE training_attendance (
    training_id INTEGER NOT NULL REFERENCES trainings(id),
    officer_id  INTEGER NOT NULL REFERENCES officers(id),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (training_id, officer_id)
);
CREATE INDEX training_attendance_officer ON training_attendance(officer_id);
