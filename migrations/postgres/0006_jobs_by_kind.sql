-- Features check "is a job of this kind already waiting?" on hot paths (every Aduan
-- submission); without this index that check reads every queued job.
CREATE INDEX jobs_kind_status ON jobs (kind, status);
