-- Netralitas ASN: neutrality cases from report to sanction (Bawaslu examination and
-- recommendation, BKN examination and recommendation, sanction by the official with appointing
-- authority, follow-up checked), each step with its documents, who, when and its clock.
-- Keep in step with migrations/sqlite/0038_neutrality_cases.sql.

CREATE TABLE neutrality_cases (
    id                   BIGSERIAL PRIMARY KEY,
    -- the official's appointing government (a province, regency or city)
    region_code          TEXT NOT NULL REFERENCES regions(code),
    origin               TEXT NOT NULL CHECK (origin IN ('complaint', 'bawaslu_finding', 'bkn_entry')),
    -- the Aduan report it started from (never its tracking code)
    complaint_id         BIGINT REFERENCES complaints(id),
    -- the official's identity: read only by the agencies handling the case, each read audited
    official_name        TEXT NOT NULL,
    nip                  TEXT,
    official_position    TEXT NOT NULL,
    allegation           TEXT NOT NULL,
    stage                TEXT NOT NULL CHECK (stage IN ('bawaslu_examination', 'bkn_examination', 'sanction', 'follow_up', 'closed')),
    outcome              TEXT CHECK (outcome IN ('no_violation', 'sanction_complied', 'sanction_not_complied')),
    forbidden_act        TEXT,
    recommended_sanction TEXT,
    sanction             TEXT,
    stage_started_on     DATE NOT NULL,
    opened_on            DATE NOT NULL,
    opened_by            BIGINT NOT NULL REFERENCES users(id),
    opened_agency_id     BIGINT REFERENCES agencies(id),
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX neutrality_cases_complaint ON neutrality_cases(complaint_id);
CREATE INDEX neutrality_cases_region ON neutrality_cases(region_code, stage);
CREATE INDEX neutrality_cases_nip ON neutrality_cases(nip);

-- One finished step of a case: its decision, documents (references, as a JSON array), who and
-- when, and the working days it took against its clock.
CREATE TABLE neutrality_case_steps (
    id            BIGSERIAL PRIMARY KEY,
    case_id       BIGINT NOT NULL REFERENCES neutrality_cases(id),
    step          TEXT NOT NULL CHECK (step IN ('bawaslu_examination', 'bkn_examination', 'sanction', 'follow_up')),
    decision      TEXT NOT NULL CHECK (decision IN ('violation', 'no_violation', 'sanction', 'complied', 'not_complied')),
    forbidden_act TEXT,
    sanction      TEXT,
    reference     TEXT,
    note          TEXT NOT NULL,
    documents     TEXT NOT NULL,
    started_on    DATE NOT NULL,
    decided_on    DATE NOT NULL,
    due_on        DATE NOT NULL,
    working_days  BIGINT NOT NULL,
    agency_id     BIGINT REFERENCES agencies(id),
    user_id       BIGINT NOT NULL REFERENCES users(id),
    created_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (case_id, step)
);
