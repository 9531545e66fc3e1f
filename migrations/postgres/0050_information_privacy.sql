-- Keterbukaan informasi: the PPID keeps a request, or only its answers, out of public view
-- with a reason (`private_reason` already exists for the whole request; `answer_private_reason`
-- is for the answers alone). The full-text index follows at once: the generated `search`
-- column is empty for a private request and leaves out private answers, recomputed by the
-- statement that marks them.
-- Keep in step with migrations/sqlite/0050_information_privacy.sql.
ALTER TABLE info_requests ADD COLUMN answer_private_reason TEXT;

DROP INDEX info_requests_search;
ALTER TABLE info_requests DROP COLUMN search;
ALTER TABLE info_requests ADD COLUMN search tsvector GENERATED ALWAYS AS (
    CASE WHEN private_reason IS NULL THEN
        setweight(to_tsvector('simple', information), 'A')
        || setweight(to_tsvector('simple',
               CASE WHEN answer_private_reason IS NULL THEN coalesce(answer, '') ELSE '' END),
             'B')
    ELSE ''::tsvector END
) STORED;
CREATE INDEX info_requests_search ON info_requests USING GIN (search);
