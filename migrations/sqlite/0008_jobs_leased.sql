-- Workers look for jobs whose lease ran out (their worker died) before every claim. Leased
-- jobs are few, but on PostgreSQL every job that was ever running leaves old row versions
-- under status 'running' in jobs_ready until vacuum, and scanning those on each claim cost
-- milliseconds under load. An ordered partial index lets the look-up stop at the first row.
CREATE INDEX jobs_leased ON jobs (lease_until, id) WHERE status = 'running';
