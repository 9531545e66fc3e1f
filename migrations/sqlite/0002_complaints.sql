-- Aduan (complaints): categories routed per region, reports, their public/internal timeline,
-- photos (metadata stripped), and the SMS block list.

-- Categories: region_code '' is the national default; a row for a region code overrides it for
-- that region and everything below. agency_id, when set, pins one agency; otherwise the report
-- goes to the agency of agency_kind nearest above the village.
CREATE TABLE complaint_categories (
    region_code TEXT NOT NULL,
    code        TEXT NOT NULL,
    name_id     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    report_type TEXT NOT NULL,
    agency_kind TEXT NOT NULL,
    agency_id   INTEGER REFERENCES agencies(id),
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    sort        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (region_code, code)
);

INSERT INTO complaint_categories (region_code, code, name_id, name_en, report_type, agency_kind, sort) VALUES
 ('', 'infrastruktur', 'Infrastruktur (jalan, drainase, lampu jalan)', 'Infrastructure (roads, drains, street lights)', 'pengaduan', 'pemda', 10),
 ('', 'pelayanan', 'Pelayanan publik', 'Public services', 'pengaduan', 'pemda', 20),
 ('', 'aspirasi', 'Aspirasi dan usulan', 'Suggestions', 'aspirasi', 'pemda', 30),
 ('', 'kependudukan', 'Kependudukan (KTP-el, KK, akta)', 'Population documents (ID card, family card, certificates)', 'pengaduan', 'disdukcapil', 40),
 ('', 'informasi', 'Permintaan informasi publik', 'Public information request', 'permintaan_informasi', 'ppid', 50),
 ('', 'pelanggaran_pemilihan', 'Pelanggaran pemilihan', 'Election violation', 'pelanggaran_pemilihan', 'bawaslu', 60),
 ('', 'netralitas_asn', 'Netralitas ASN', 'Civil-servant neutrality', 'netralitas_asn', 'bawaslu', 70),
 ('', 'hoaks_politik_uang', 'Hoaks dan politik uang', 'Hoaxes and vote buying', 'hoaks_politik_uang', 'bawaslu', 80),
 ('', 'lainnya', 'Lainnya', 'Other', 'pengaduan', 'pemda', 90);

CREATE TABLE complaints (
    id                   INTEGER PRIMARY KEY,
    tracking_code        TEXT NOT NULL UNIQUE,
    report_type          TEXT NOT NULL,
    category_code        TEXT NOT NULL,
    title                TEXT NOT NULL,
    description          TEXT NOT NULL,
    -- NULL only for an unstructured SMS that an operator still has to classify.
    village_code         TEXT REFERENCES regions(code),
    address              TEXT,
    lat                  REAL,
    lon                  REAL,
    contact_name         TEXT,
    contact_phone        TEXT,
    contact_email        TEXT,
    anonymous            BOOLEAN NOT NULL,
    confidential         BOOLEAN NOT NULL,
    channel              TEXT NOT NULL,
    status               TEXT NOT NULL,
    agency_id            INTEGER REFERENCES agencies(id),
    assigned_user_id     INTEGER REFERENCES users(id),
    needs_classification BOOLEAN NOT NULL DEFAULT FALSE,
    -- Election reports: formal report (TRUE) or information only (FALSE); NULL otherwise.
    formal               BOOLEAN,
    formal_note          TEXT,
    reported_party       TEXT,
    incident_time        TEXT,
    incident_place       TEXT,
    evidence             TEXT,
    known_on             TEXT,
    duplicate_of         INTEGER REFERENCES complaints(id),
    reject_reason        TEXT,
    hidden               BOOLEAN NOT NULL DEFAULT FALSE,
    -- Moderation: the text shown publicly when personal data had to be redacted.
    public_description   TEXT,
    sms_from             TEXT,
    submitted_ip         TEXT,
    escalated_on         TEXT,
    submitted_at         TEXT NOT NULL,
    answered_at          TEXT,
    closed_at            TEXT,
    updated_at           TEXT NOT NULL
);
CREATE INDEX complaints_village ON complaints(village_code, category_code, status);
CREATE INDEX complaints_agency ON complaints(agency_id, status);
CREATE INDEX complaints_sms ON complaints(sms_from, submitted_at);
CREATE INDEX complaints_ip ON complaints(submitted_ip, submitted_at);

-- The timeline: public entries are shown on the tracking page, the rest only to officials.
CREATE TABLE complaint_events (
    id            INTEGER PRIMARY KEY,
    complaint_id  INTEGER NOT NULL REFERENCES complaints(id),
    occurred_at   TEXT NOT NULL,
    kind          TEXT NOT NULL,
    public        BOOLEAN NOT NULL,
    actor_user_id INTEGER REFERENCES users(id),
    actor_label   TEXT NOT NULL,
    from_status   TEXT,
    to_status     TEXT,
    from_agency   INTEGER REFERENCES agencies(id),
    to_agency     INTEGER REFERENCES agencies(id),
    body          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaint_events_complaint ON complaint_events(complaint_id, id);

CREATE TABLE complaint_photos (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints(id),
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    bytes        BLOB NOT NULL,
    hidden       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TEXT NOT NULL
);
CREATE INDEX complaint_photos_complaint ON complaint_photos(complaint_id);

CREATE TABLE sms_blocklist (
    phone      TEXT PRIMARY KEY,
    reason     TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
