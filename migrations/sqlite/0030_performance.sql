-- Kinerja: satisfaction-survey codes and answers (PermenPANRB 14/2017), each unit's survey
-- settings, entered service-user counts, KPI targets and follow-up plans.

-- One code per service visit, bound to a unit, a service and a day (not to a person). `used`
-- is set in the same transaction that stores the answer; answers do not point back at codes.
CREATE TABLE perf_survey_codes (
    code        TEXT PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    service     TEXT NOT NULL DEFAULT '',
    service_day TEXT NOT NULL,
    batch       TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    issued_by   INTEGER REFERENCES users(id),
    issued_at   TEXT NOT NULL,
    used        BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX perf_survey_codes_agency ON perf_survey_codes(agency_id, service_day);
CREATE INDEX perf_survey_codes_batch ON perf_survey_codes(batch);

CREATE TABLE perf_survey_responses (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    service     TEXT NOT NULL DEFAULT '',
    service_day TEXT NOT NULL,
    u1 INTEGER NOT NULL CHECK (u1 BETWEEN 1 AND 4),
    u2 INTEGER NOT NULL CHECK (u2 BETWEEN 1 AND 4),
    u3 INTEGER NOT NULL CHECK (u3 BETWEEN 1 AND 4),
    u4 INTEGER NOT NULL CHECK (u4 BETWEEN 1 AND 4),
    u5 INTEGER NOT NULL CHECK (u5 BETWEEN 1 AND 4),
    u6 INTEGER NOT NULL CHECK (u6 BETWEEN 1 AND 4),
    u7 INTEGER NOT NULL CHECK (u7 BETWEEN 1 AND 4),
    u8 INTEGER NOT NULL CHECK (u8 BETWEEN 1 AND 4),
    u9 INTEGER NOT NULL CHECK (u9 BETWEEN 1 AND 4),
    age_band    TEXT,
    sex         TEXT,
    education   TEXT,
    occupation  TEXT,
    comment     TEXT
);
CREATE INDEX perf_survey_responses_agency ON perf_survey_responses(agency_id, service_day);

-- A unit's own element weights (`1/9,1/9,…`, summing to exactly 1); no row: 1/9 each.
CREATE TABLE perf_unit_settings (
    agency_id  INTEGER PRIMARY KEY REFERENCES agencies(id),
    weights    TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Service users of a month where Balai has no record of each visit (entered by the unit).
CREATE TABLE perf_service_users (
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    month      TEXT NOT NULL,
    users      INTEGER NOT NULL CHECK (users >= 0),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (agency_id, month)
);

-- Targets per KPI, set by the unit's admin (a share as a fraction text, e.g. `9/10`).
CREATE TABLE perf_kpi_targets (
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    kpi        TEXT NOT NULL,
    target     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (agency_id, kpi)
);

-- What a unit will do about its lowest elements, and how far it got.
CREATE TABLE perf_follow_ups (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    element     INTEGER NOT NULL CHECK (element BETWEEN 1 AND 9),
    plan        TEXT NOT NULL,
    due_on      TEXT,
    status      TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX perf_follow_ups_agency ON perf_follow_ups(agency_id, period_to);
