-- Partisipasi & kolaborasi: an activity withdrawn (cancelled) by its organiser, with the
-- reason, when, and who recorded it (the user and the agency's name as shown publicly). It is
-- kept and shown as cancelled, not deleted, and no longer counts as outreach. NULL while it
-- stands. Keep in step with migrations/sqlite/0064_participation_activity_withdrawal.sql.

ALTER TABLE collab_activities ADD COLUMN withdrawn_at TIMESTAMPTZ;
ALTER TABLE collab_activities ADD COLUMN withdrawn_reason TEXT;
ALTER TABLE collab_activities ADD COLUMN withdrawn_agency_name TEXT;
ALTER TABLE collab_activities ADD COLUMN withdrawn_by BIGINT REFERENCES users(id);
