-- The current state of each TPS is reached through the TPS table's own index by (election,
-- village) (`tps_id IN (SELECT id FROM tps WHERE …)`), so tps_results no longer has one:
-- every accepted form wrote an entry in it at a random place (a WAL page of its own, an
-- eighth of the pages a group of single forms wrote). SQLite. Keep in step with
-- migrations/postgres/0013_tps_results_no_village_index.sql.
DROP INDEX tps_results_village;
