-- Partisipasi & kolaborasi: the public history of edits to recorded agreements and
-- activities (the agency that edited, when, and the changed fields before and after, as JSON
-- objects). The audit event of each edit carries the same before/after.
-- Keep in step with migrations/sqlite/0054_participation_changes.sql.

CREATE TABLE collab_changes (
    id            BIGSERIAL PRIMARY KEY,
    target_kind   TEXT NOT NULL CHECK (target_kind IN ('agreement', 'activity')),
    target_id     BIGINT NOT NULL,
    agency_id     BIGINT REFERENCES agencies(id),
    agency_name   TEXT NOT NULL,
    changed_by    BIGINT NOT NULL REFERENCES users(id),
    changed_at    TIMESTAMPTZ NOT NULL,
    before_json   TEXT NOT NULL,
    after_json    TEXT NOT NULL
);
CREATE INDEX collab_changes_target ON collab_changes(target_kind, target_id);
