-- Per-region totals of each election, kept up to date in the write transaction of every
-- change (result entries, TPS, photo flags), so a results read is one row look-up.
-- SQLite. Keep in step with migrations/postgres/0007_elections_totals.sql.
ALTER TABLE elections ADD COLUMN results_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE elections ADD COLUMN results_changed_at TEXT;

-- One row per election and region (village, district, regency/city, province) with a TPS.
CREATE TABLE region_totals (
    election_id     INTEGER NOT NULL REFERENCES elections(id),
    region_code     TEXT NOT NULL,
    tps_total       INTEGER NOT NULL DEFAULT 0,
    dpt_master      INTEGER NOT NULL DEFAULT 0,
    tps_entered     INTEGER NOT NULL DEFAULT 0,
    tps_verified    INTEGER NOT NULL DEFAULT 0,
    tps_flagged     INTEGER NOT NULL DEFAULT 0,
    tps_errors      INTEGER NOT NULL DEFAULT 0,
    tps_disputed    INTEGER NOT NULL DEFAULT 0,
    dpt             INTEGER NOT NULL DEFAULT 0,
    pengguna        INTEGER NOT NULL DEFAULT 0,
    suara_sah       INTEGER NOT NULL DEFAULT 0,
    suara_tidak_sah INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (election_id, region_code)
);

CREATE TABLE region_votes (
    election_id   INTEGER NOT NULL REFERENCES elections(id),
    region_code   TEXT NOT NULL,
    ballot_number INTEGER NOT NULL,
    votes         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (election_id, region_code, ballot_number)
);

-- Totals of the data already there (the same statements as `balai elections rebuild-totals`).
INSERT INTO region_totals (election_id, region_code, tps_total, dpt_master, tps_entered,
    tps_verified, tps_flagged, tps_errors, tps_disputed, dpt, pengguna, suara_sah, suara_tidak_sah)
WITH lv(n) AS (VALUES (2), (5), (8), (13))
SELECT t.election_id, SUBSTR(t.village_code, 1, lv.n), COUNT(*),
    CAST(SUM(t.dpt_l + t.dpt_p) AS BIGINT), COUNT(r.tps_id),
    CAST(SUM(CASE WHEN r.verified THEN 1 ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN r.flagged THEN 1 ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN r.has_errors THEN 1 ELSE 0 END) AS BIGINT),
    CAST(SUM(CASE WHEN r.disputed THEN 1 ELSE 0 END) AS BIGINT),
    CAST(COALESCE(SUM(e.dpt), 0) AS BIGINT), CAST(COALESCE(SUM(e.pengguna), 0) AS BIGINT),
    CAST(COALESCE(SUM(e.suara_sah), 0) AS BIGINT), CAST(COALESCE(SUM(e.suara_tidak_sah), 0) AS BIGINT)
FROM tps t CROSS JOIN lv
LEFT JOIN tps_results r ON r.tps_id = t.id
LEFT JOIN result_entries e ON e.id = r.current_entry_id
GROUP BY t.election_id, SUBSTR(t.village_code, 1, lv.n);

INSERT INTO region_votes (election_id, region_code, ballot_number, votes)
WITH lv(n) AS (VALUES (2), (5), (8), (13))
SELECT r.election_id, SUBSTR(r.village_code, 1, lv.n), v.ballot_number, CAST(SUM(v.votes) AS BIGINT)
FROM tps_results r CROSS JOIN lv
JOIN result_votes v ON v.entry_id = r.current_entry_id
GROUP BY r.election_id, SUBSTR(r.village_code, 1, lv.n), v.ballot_number;
