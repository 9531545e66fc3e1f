-- Foundation schema (SQLite). Keep in step with migrations/postgres/0001_foundation.sql.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       INTEGER NOT NULL,
    parent_code TEXT REFERENCES regions(code),
    tz          TEXT NOT NULL,
    name_search TEXT NOT NULL
);
CREATE INDEX regions_parent ON regions(parent_code);
CREATE INDEX regions_name_search ON regions(name_search);

CREATE TABLE holidays (
    day        TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('libur_nasional', 'cuti_bersama', 'libur_daerah')),
    name_id    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    confirmed  BOOLEAN NOT NULL,
    source     TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE clocks (
    id           INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    start_day    TEXT NOT NULL,
    working_days INTEGER NOT NULL,
    due_day      TEXT NOT NULL,
    open         BOOLEAN NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    UNIQUE (subject_kind, subject_id, purpose)
);
CREATE INDEX clocks_open_due ON clocks(open, due_day);

CREATE TABLE agencies (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    created_at  TEXT NOT NULL,
    UNIQUE (kind, region_code, name)
);
CREATE INDEX agencies_region ON agencies(region_code);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    email               TEXT,
    agency_id           INTEGER REFERENCES agencies(id),
    role                TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'officer', 'counter_operator', 'viewer')),
    is_superadmin       BOOLEAN NOT NULL DEFAULT 0,
    password_hash       TEXT NOT NULL,
    disabled            BOOLEAN NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ip           TEXT NOT NULL,
    user_agent   TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_failures (
    id       INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    ip       TEXT NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures(username, at);
CREATE INDEX login_failures_ip ON login_failures(ip, at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    seq       INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_events (
    seq           INTEGER PRIMARY KEY,
    occurred_at   TEXT NOT NULL,
    actor_user_id INTEGER,
    actor_label   TEXT NOT NULL,
    action        TEXT NOT NULL,
    target_kind   TEXT NOT NULL,
    target_id     TEXT NOT NULL,
    region_code   TEXT,
    summary       TEXT NOT NULL,
    request_id    TEXT NOT NULL,
    ip            TEXT NOT NULL,
    user_agent    TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);
CREATE INDEX audit_events_region ON audit_events(region_code, seq);
CREATE INDEX audit_events_target ON audit_events(target_kind, target_id);

CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at       TEXT NOT NULL,
    lease_owner  TEXT,
    lease_until  TEXT,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    finished_at  TEXT
);
CREATE INDEX jobs_ready ON jobs(status, run_at);

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    channel    TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at    TEXT
);

CREATE TABLE idempotency_keys (
    scope            TEXT NOT NULL,
    idem_key         TEXT NOT NULL,
    request_hash     TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('running', 'done')),
    response_status  INTEGER,
    response_type    TEXT,
    response_body    BLOB,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
