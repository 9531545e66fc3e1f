-- Keterbukaan informasi: the full-text index of the public archive (request text and answer).
-- An external-content FTS5 table kept in step with `info_requests` by triggers, so every
-- insert or change is indexed in the same transaction. Only the request text and the answer
-- are indexed: never the requester's name, contact, address or purpose. Private requests stay
-- in the index and are filtered out when searching (`private_reason IS NULL`).
-- Keep in step with migrations/postgres/0046_information_search.sql.
CREATE VIRTUAL TABLE info_requests_fts USING fts5(
    information, answer,
    content = 'info_requests', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO info_requests_fts (rowid, information, answer)
    SELECT id, information, answer FROM info_requests;
CREATE TRIGGER info_requests_fts_insert AFTER INSERT ON info_requests BEGIN
    INSERT INTO info_requests_fts (rowid, information, answer)
        VALUES (new.id, new.information, new.answer);
END;
CREATE TRIGGER info_requests_fts_delete AFTER DELETE ON info_requests BEGIN
    INSERT INTO info_requests_fts (info_requests_fts, rowid, information, answer)
        VALUES ('delete', old.id, old.information, old.answer);
END;
CREATE TRIGGER info_requests_fts_update AFTER UPDATE OF information, answer ON info_requests BEGIN
    INSERT INTO info_requests_fts (info_requests_fts, rowid, information, answer)
        VALUES ('delete', old.id, old.information, old.answer);
    INSERT INTO info_requests_fts (rowid, information, answer)
        VALUES (new.id, new.information, new.answer);
END;
