-- Every accepted form adds to a few rows of region_totals and region_votes (its village,
-- district, regency/city and province) and, for a TPS entered again, rewrites its tps_results
-- row. With full pages each such update puts the new row version on another page and adds an
-- index entry for it; with room left on the page it stays there (a heap-only tuple) and the
-- index is untouched. PostgreSQL only: SQLite updates rows in place.
ALTER TABLE region_totals SET (fillfactor = 50);
ALTER TABLE region_votes SET (fillfactor = 50);
ALTER TABLE tps_results SET (fillfactor = 70);
