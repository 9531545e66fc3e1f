-- The votes per paslon of a region are kept in its region_totals row (votes[b] for ballot
-- number b, NULL where no form named ballot b) instead of one region_votes row per ballot:
-- every accepted form updated a totals row and one votes row per paslon at each level, so
-- three of every four region rows it wrote were vote rows. PostgreSQL. Keep in step with
-- migrations/sqlite/0010_totals_votes_in_row.sql.
ALTER TABLE region_totals ADD COLUMN votes BIGINT[] NOT NULL DEFAULT '{}';
UPDATE region_totals t SET votes = ARRAY(
    SELECT rv.votes
    FROM generate_series(1, (SELECT MAX(x.ballot_number) FROM region_votes x
                             WHERE x.election_id = t.election_id
                               AND x.region_code = t.region_code)) AS g(b)
    LEFT JOIN region_votes rv ON rv.election_id = t.election_id
        AND rv.region_code = t.region_code AND rv.ballot_number = g.b
    ORDER BY g.b);
DROP TABLE region_votes;
