-- Partisipasi & kolaborasi: the signed documents (an agreement's signed PDF, an activity's
-- signed attendance list as PDF or a JPEG/PNG scan), stored in the database like the form
-- photos and the civil-registry documents: every version kept, the current one the highest.
-- Keep in step with migrations/sqlite/0053_participation_documents.sql.

CREATE TABLE collab_documents (
    id            BIGSERIAL PRIMARY KEY,
    -- 'agreement' (owner_id: collab_agreements.id) or 'attendance' (collab_activities.id)
    owner_kind    TEXT NOT NULL CHECK (owner_kind IN ('agreement', 'attendance')),
    owner_id      BIGINT NOT NULL,
    version       BIGINT NOT NULL CHECK (version >= 1),
    sha256        TEXT NOT NULL,
    content_type  TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size          BIGINT NOT NULL CHECK (size > 0),
    data          BYTEA NOT NULL,
    agency_id     BIGINT REFERENCES agencies(id),
    uploaded_by   BIGINT NOT NULL REFERENCES users(id),
    uploaded_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (owner_kind, owner_id, version)
);
