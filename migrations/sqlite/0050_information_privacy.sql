-- Keterbukaan informasi: the PPID keeps a request, or only its answers, out of public view
-- with a reason (`private_reason` already exists for the whole request; `answer_private_reason`
-- is for the answers alone). The full-text index follows at once: a private request is no
-- longer indexed at all, and private answers are no longer indexed, in the same transaction
-- as the marking (the triggers below index what the public may find, nothing else).
-- Keep in step with migrations/postgres/0050_information_privacy.sql.
ALTER TABLE info_requests ADD COLUMN answer_private_reason TEXT;

DROP TRIGGER info_requests_fts_insert;
DROP TRIGGER info_requests_fts_delete;
DROP TRIGGER info_requests_fts_update;

-- What the index holds for a row: its public request text and its public answer.
CREATE TRIGGER info_requests_fts_insert AFTER INSERT ON info_requests BEGIN
    INSERT INTO info_requests_fts (rowid, information, answer)
        VALUES (new.id,
                CASE WHEN new.private_reason IS NULL THEN new.information END,
                CASE WHEN new.private_reason IS NULL AND new.answer_private_reason IS NULL
                     THEN new.answer END);
END;
CREATE TRIGGER info_requests_fts_delete AFTER DELETE ON info_requests BEGIN
    INSERT INTO info_requests_fts (info_requests_fts, rowid, information, answer)
        VALUES ('delete', old.id,
                CASE WHEN old.private_reason IS NULL THEN old.information END,
                CASE WHEN old.private_reason IS NULL AND old.answer_private_reason IS NULL
                     THEN old.answer END);
END;
CREATE TRIGGER info_requests_fts_update
AFTER UPDATE OF information, answer, private_reason, answer_private_reason ON info_requests BEGIN
    INSERT INTO info_requests_fts (info_requests_fts, rowid, information, answer)
        VALUES ('delete', old.id,
                CASE WHEN old.private_reason IS NULL THEN old.information END,
                CASE WHEN old.private_reason IS NULL AND old.answer_private_reason IS NULL
                     THEN old.answer END);
    INSERT INTO info_requests_fts (rowid, information, answer)
        VALUES (new.id,
                CASE WHEN new.private_reason IS NULL THEN new.information END,
                CASE WHEN new.private_reason IS NULL AND new.answer_private_reason IS NULL
                     THEN new.answer END);
END;

-- Requests marked private before this migration leave the index now.
INSERT INTO info_requests_fts (info_requests_fts, rowid, information, answer)
    SELECT 'delete', id, information, answer FROM info_requests WHERE private_reason IS NOT NULL;
INSERT INTO info_requests_fts (rowid, information, answer)
    SELECT id, NULL, NULL FROM info_requests WHERE private_reason IS NOT NULL;
