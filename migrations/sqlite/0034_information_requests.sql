-- Keterbukaan informasi (UU 14/2008 KIP): public-information requests to a PPID, their events,
-- and the requester's credentials (only a hash of the secret). The due days live in `clocks`
-- (subject_kind 'info_request'), so a calendar edit moves them. Keep in step with
-- migrations/postgres/0034_information_requests.sql.
CREATE TABLE info_requests (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    agency_id            INTEGER NOT NULL REFERENCES agencies(id),
    registration_number  TEXT NOT NULL UNIQUE,
    tracking_code        TEXT NOT NULL UNIQUE,
    secret_hash          TEXT NOT NULL,
    channel              TEXT NOT NULL CHECK (channel IN ('online', 'counter', 'email')),
    requester_name       TEXT NOT NULL,
    requester_email      TEXT,
    requester_phone      TEXT,
    requester_address    TEXT,
    information          TEXT NOT NULL,
    purpose              TEXT NOT NULL,
    delivery             TEXT NOT NULL,
    status               TEXT NOT NULL,
    received_on          TEXT NOT NULL,
    extension_reason     TEXT,
    answered_on          TEXT,
    answer               TEXT,
    exemption            TEXT,
    consequence_test     TEXT,
    objection_on         TEXT,
    objection_reason     TEXT,
    objection_answered_on TEXT,
    objection_answer     TEXT,
    dispute_on           TEXT,
    dispute_outcome      TEXT,
    satisfied            BOOLEAN,
    private_reason       TEXT,
    filed_by_user_id     INTEGER REFERENCES users(id),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX info_requests_agency ON info_requests(agency_id, status);
CREATE INDEX info_requests_received ON info_requests(received_on);

CREATE TABLE info_request_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id  INTEGER NOT NULL REFERENCES info_requests(id),
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    note        TEXT,
    by_official BOOLEAN NOT NULL,
    day         TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX info_request_events_request ON info_request_events(request_id, id);
