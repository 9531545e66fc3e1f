-- The votes per paslon of an entry are kept in its result_entries row (votes[b] for ballot
-- number b, NULL where the form named no ballot b) instead of one result_votes row per
-- ballot: every accepted form inserted one entry and one vote row per paslon, each vote row
-- with its own key and its own check of the key to the entry. Entries are never changed, so
-- the array is written once. PostgreSQL. Keep in step with
-- migrations/sqlite/0012_votes_in_entries.sql.
ALTER TABLE result_entries ADD COLUMN votes BIGINT[] NOT NULL DEFAULT '{}';
UPDATE result_entries e SET votes = ARRAY(
    SELECT rv.votes
    FROM generate_series(1, (SELECT MAX(x.ballot_number) FROM result_votes x
                             WHERE x.entry_id = e.id)) AS g(b)
    LEFT JOIN result_votes rv ON rv.entry_id = e.id AND rv.ballot_number = g.b
    ORDER BY g.b)
WHERE EXISTS (SELECT 1 FROM result_votes x WHERE x.entry_id = e.id);
ALTER TABLE result_entries ADD CONSTRAINT result_entries_votes_not_negative
    CHECK (0 <= ALL (votes));
DROP TABLE result_votes;
