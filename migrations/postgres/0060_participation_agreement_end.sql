-- Partisipasi & kolaborasi: an agreement ended before its validity runs out (pengakhiran):
-- the day from which it is no longer in force, the reason, and who recorded it (the user and
-- the agency's name as shown publicly). NULL while it has not been ended.
-- Keep in step with migrations/sqlite/0060_participation_agreement_end.sql.

ALTER TABLE collab_agreements ADD COLUMN ended_on DATE;
ALTER TABLE collab_agreements ADD COLUMN end_reason TEXT;
ALTER TABLE collab_agreements ADD COLUMN ended_agency_name TEXT;
ALTER TABLE collab_agreements ADD COLUMN ended_by BIGINT REFERENCES users(id);
ALTER TABLE collab_agreements ADD COLUMN ended_at TIMESTAMPTZ;
