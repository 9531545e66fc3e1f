-- The current state of each TPS is reached through the TPS table's own index by (election,
-- village) (`tps_id IN (SELECT id FROM tps WHERE …)`), so tps_results no longer has one:
-- every accepted form updated it at a random place. PostgreSQL. Keep in step with
-- migrations/sqlite/0011_tps_results_no_village_index.sql.
DROP INDEX tps_results_village;
