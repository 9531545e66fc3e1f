-- Partisipasi & kolaborasi: agreements (nota kesepahaman / perjanjian kerja sama) with their
-- parties, clauses and renewals; forums with members; outreach activities and meetings with
-- attendance, minutes (draft, approved by the attending agencies, then published) and
-- follow-up actions (DOMAIN.md section 11).
-- Keep in step with migrations/postgres/0042_participation.sql.

CREATE TABLE collab_agreements (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL,
    title         TEXT NOT NULL,
    -- the smallest region covering every Balai agency among the parties
    region_code   TEXT NOT NULL REFERENCES regions(code),
    signed_on     TEXT NOT NULL,
    valid_from    TEXT NOT NULL,
    -- the current end of validity (moved by each renewal)
    valid_until   TEXT NOT NULL,
    legal_basis   TEXT,
    agency_id     INTEGER REFERENCES agencies(id),
    created_by    INTEGER NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL,
    CHECK (valid_until >= valid_from)
);
CREATE INDEX collab_agreements_region ON collab_agreements(region_code, valid_until);

-- Balai agencies (agency_id set) and outside organisations (by name), in the order given.
CREATE TABLE collab_agreement_parties (
    agreement_id  INTEGER NOT NULL REFERENCES collab_agreements(id),
    position      INTEGER NOT NULL,
    agency_id     INTEGER REFERENCES agencies(id),
    name          TEXT NOT NULL,
    PRIMARY KEY (agreement_id, position)
);
CREATE INDEX collab_agreement_parties_agency ON collab_agreement_parties(agency_id);

CREATE TABLE collab_agreement_clauses (
    agreement_id  INTEGER NOT NULL REFERENCES collab_agreements(id),
    number        INTEGER NOT NULL,
    text          TEXT NOT NULL,
    PRIMARY KEY (agreement_id, number)
);

CREATE TABLE collab_agreement_renewals (
    id             INTEGER PRIMARY KEY,
    agreement_id   INTEGER NOT NULL REFERENCES collab_agreements(id),
    number         TEXT NOT NULL,
    signed_on      TEXT NOT NULL,
    previous_until TEXT NOT NULL,
    valid_until    TEXT NOT NULL,
    created_by     INTEGER NOT NULL REFERENCES users(id),
    created_at     TEXT NOT NULL
);
CREATE INDEX collab_agreement_renewals_agreement ON collab_agreement_renewals(agreement_id);

CREATE TABLE collab_forums (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('fkub', 'pemuda', 'tokoh_adat', 'perempuan', 'disabilitas', 'lainnya')),
    region_code  TEXT NOT NULL REFERENCES regions(code),
    agency_id    INTEGER REFERENCES agencies(id),
    created_by   INTEGER NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL
);
CREATE INDEX collab_forums_region ON collab_forums(region_code);

CREATE TABLE collab_forum_members (
    id            INTEGER PRIMARY KEY,
    forum_id      INTEGER NOT NULL REFERENCES collab_forums(id),
    person        TEXT NOT NULL,
    organisation  TEXT NOT NULL,
    position      TEXT NOT NULL,
    from_day      TEXT NOT NULL,
    to_day        TEXT,
    CHECK (to_day IS NULL OR to_day >= from_day)
);
CREATE INDEX collab_forum_members_forum ON collab_forum_members(forum_id);

CREATE TABLE collab_activities (
    id                  INTEGER PRIMARY KEY,
    agreement_id        INTEGER REFERENCES collab_agreements(id),
    clause_number       INTEGER,
    title               TEXT NOT NULL,
    region_code         TEXT NOT NULL REFERENCES regions(code),
    day                 TEXT NOT NULL,
    target_group        TEXT NOT NULL CHECK (target_group IN ('pemilih_pemula', 'disabilitas', 'perempuan', 'tokoh_agama', 'tokoh_adat', 'pemuda', 'ormas', 'masyarakat_umum')),
    participants        INTEGER NOT NULL CHECK (participants >= 0),
    agenda              TEXT,
    organiser_agency_id INTEGER REFERENCES agencies(id),
    organiser_name      TEXT NOT NULL,
    -- 'none' (no minutes yet), 'draft' (awaiting the attending agencies), 'published'
    minutes_status      TEXT NOT NULL DEFAULT 'none' CHECK (minutes_status IN ('none', 'draft', 'published')),
    minutes_text        TEXT,
    minutes_version     INTEGER NOT NULL DEFAULT 0,
    created_by          INTEGER NOT NULL REFERENCES users(id),
    created_at          TEXT NOT NULL
);
CREATE INDEX collab_activities_region ON collab_activities(region_code, day);
CREATE INDEX collab_activities_agreement ON collab_activities(agreement_id);

-- Attendance per institution: a Balai agency (agency_id set) or an outside organisation; the
-- count when known, and whether the signed attendance list is kept.
CREATE TABLE collab_attendance (
    activity_id   INTEGER NOT NULL REFERENCES collab_activities(id),
    position      INTEGER NOT NULL,
    institution   TEXT NOT NULL,
    agency_id     INTEGER REFERENCES agencies(id),
    attendees     INTEGER CHECK (attendees IS NULL OR attendees >= 0),
    signed_list   BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (activity_id, position)
);

-- An attending agency's approval of one version of the minutes.
CREATE TABLE collab_minutes_approvals (
    activity_id      INTEGER NOT NULL REFERENCES collab_activities(id),
    agency_id        INTEGER NOT NULL REFERENCES agencies(id),
    minutes_version  INTEGER NOT NULL,
    approved_by      INTEGER NOT NULL REFERENCES users(id),
    approved_at      TEXT NOT NULL,
    PRIMARY KEY (activity_id, agency_id, minutes_version)
);

CREATE TABLE collab_followups (
    id              INTEGER PRIMARY KEY,
    activity_id     INTEGER NOT NULL REFERENCES collab_activities(id),
    action          TEXT NOT NULL,
    owner           TEXT NOT NULL,
    owner_agency_id INTEGER REFERENCES agencies(id),
    due_on          TEXT NOT NULL,
    progress        INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    note            TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX collab_followups_activity ON collab_followups(activity_id);
