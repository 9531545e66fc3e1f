-- The votes per paslon of an entry are kept in its result_entries row (a JSON array, element
-- b-1 for ballot number b, null where the form named no ballot b) instead of one
-- result_votes row per ballot: every accepted form inserted one entry and one vote row per
-- paslon, each vote row with its own key and its own check of the key to the entry. Entries
-- are never changed, so the array is written once. SQLite. Keep in step with
-- migrations/postgres/0014_votes_in_entries.sql.
ALTER TABLE result_entries ADD COLUMN votes TEXT NOT NULL DEFAULT '[]';
WITH RECURSIVE g(b) AS (
    SELECT 1 UNION ALL
    SELECT b + 1 FROM g WHERE b < (SELECT COALESCE(MAX(ballot_number), 0) FROM result_votes))
UPDATE result_entries SET votes = (
    SELECT json_group_array(rv.votes ORDER BY g.b)
    FROM g LEFT JOIN result_votes rv ON rv.entry_id = result_entries.id
        AND rv.ballot_number = g.b
    WHERE g.b <= (SELECT MAX(x.ballot_number) FROM result_votes x
                  WHERE x.entry_id = result_entries.id))
WHERE EXISTS (SELECT 1 FROM result_votes x WHERE x.entry_id = result_entries.id);
DROP TABLE result_votes;
