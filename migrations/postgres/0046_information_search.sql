-- Keterbukaan informasi: the full-text index of the public archive (request text and answer).
-- A generated `tsvector` column with a GIN index: PostgreSQL recomputes it in the statement
-- that changes the row, so the index is always in the same transaction as the request. Only
-- the request text (weight A) and the answer (weight B) are indexed: never the requester's
-- name, contact, address or purpose. The 'simple' configuration: PostgreSQL has no Indonesian
-- stemmer. Private requests are filtered out when searching (`private_reason IS NULL`).
-- Keep in step with migrations/sqlite/0046_information_search.sql.
ALTER TABLE info_requests ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', information), 'A')
    || setweight(to_tsvector('simple', coalesce(answer, '')), 'B')
) STORED;
CREATE INDEX info_requests_search ON info_requests USING GIN (search);
