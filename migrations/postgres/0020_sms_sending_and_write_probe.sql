-- A notification is marked 'sending' (durably) before the gateway is called, so that a crash
-- during the call is noticed instead of sending the message again blindly; one found in
-- 'sending' whose gateway takes no idempotency key becomes 'unknown' (for review).
ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'unknown', 'failed'));

-- One row that /readyz updates after a failed commit, to learn when writing works again.
CREATE TABLE write_probe (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at TIMESTAMPTZ
);
INSERT INTO write_probe (id, checked_at) VALUES (1, NULL);
