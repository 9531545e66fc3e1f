-- A notification is marked 'sending' (durably) before the gateway is called, so that a crash
-- during the call is noticed instead of sending the message again blindly; one found in
-- 'sending' whose gateway takes no idempotency key becomes 'unknown' (for review).
-- SQLite cannot change a CHECK constraint: the table is rebuilt (nothing references it).
CREATE TABLE notifications_new (
    id         INTEGER PRIMARY KEY,
    channel    TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    recipient  TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'unknown', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at    TEXT
);
INSERT INTO notifications_new
    SELECT id, channel, recipient, subject, body, status, attempts, last_error, created_at, sent_at
    FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;

-- One row that /readyz updates after a failed commit, to learn when writing works again.
CREATE TABLE write_probe (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at TEXT
);
INSERT INTO write_probe (id, checked_at) VALUES (1, NULL);
