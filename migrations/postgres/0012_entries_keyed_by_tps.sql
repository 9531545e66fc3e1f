-- A result entry, a TPS state and a photo name their TPS and its election; one composite key
-- (tps_id, election_id) -> tps(id, election_id) checks both at once and also that the
-- election is the TPS's own, where two separate keys checked each column alone. (It was
-- tried for speed too, one key check fewer per row; measured, the write statement cost the
-- same.) PostgreSQL only: SQLite would have to rebuild the tables to change its keys.
-- Existing rows satisfy the new keys (the application writes the TPS's election);
-- ADD CONSTRAINT checks them.
ALTER TABLE tps ADD CONSTRAINT tps_id_election_key UNIQUE (id, election_id);

ALTER TABLE result_entries
    DROP CONSTRAINT result_entries_election_id_fkey,
    DROP CONSTRAINT result_entries_tps_id_fkey,
    ADD CONSTRAINT result_entries_tps_fkey FOREIGN KEY (tps_id, election_id)
        REFERENCES tps (id, election_id);

ALTER TABLE tps_results
    DROP CONSTRAINT tps_results_election_id_fkey,
    DROP CONSTRAINT tps_results_tps_id_fkey,
    ADD CONSTRAINT tps_results_tps_fkey FOREIGN KEY (tps_id, election_id)
        REFERENCES tps (id, election_id);

ALTER TABLE result_photos
    DROP CONSTRAINT result_photos_election_id_fkey,
    DROP CONSTRAINT result_photos_tps_id_fkey,
    ADD CONSTRAINT result_photos_tps_fkey FOREIGN KEY (tps_id, election_id)
        REFERENCES tps (id, election_id);
