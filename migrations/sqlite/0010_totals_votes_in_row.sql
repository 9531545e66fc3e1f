-- The votes per paslon of a region are kept in its region_totals row (a JSON array, element
-- b-1 for ballot number b, null where no form named ballot b) instead of one region_votes row
-- per ballot: every accepted form updated a totals row and one votes row per paslon at each
-- level, so three of every four region rows it wrote were vote rows. SQLite. Keep in step
-- with migrations/postgres/0011_totals_votes_in_row.sql.
ALTER TABLE region_totals ADD COLUMN votes TEXT NOT NULL DEFAULT '[]';
WITH RECURSIVE g(b) AS (
    SELECT 1 UNION ALL
    SELECT b + 1 FROM g WHERE b < (SELECT COALESCE(MAX(ballot_number), 0) FROM region_votes))
UPDATE region_totals SET votes = (
    SELECT json_group_array(rv.votes ORDER BY g.b)
    FROM g LEFT JOIN region_votes rv ON rv.election_id = region_totals.election_id
        AND rv.region_code = region_totals.region_code AND rv.ballot_number = g.b
    WHERE g.b <= (SELECT COALESCE(MAX(x.ballot_number), 0) FROM region_votes x
                  WHERE x.election_id = region_totals.election_id
                    AND x.region_code = region_totals.region_code));
DROP TABLE region_votes;
