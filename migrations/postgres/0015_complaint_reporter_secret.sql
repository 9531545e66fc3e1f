-- Reporter credentials (security review H1/M2). A complaint's tracking code is no longer
-- enough to act as its reporter: the reporter also holds a secret, of which only a hash is
-- kept. Reports filed before this change have none (NULL): their code alone shows only what
-- the public may see, and the reporter asks for a secret, which is sent to the phone or
-- e-mail given in the report (see crates/balai-complaints/README.md). Keep in step with the
-- other backend's 0015_complaint_reporter_secret.sql.
ALTER TABLE complaints ADD COLUMN secret_hash TEXT;

-- Audit reads are scoped by agency kind as well as region: each event carries the kind whose
-- work it is (not covered by the chained hash: an access label, not evidence). Events before
-- this change get the kind of the report's agency (report events; 'none' for a report no
-- agency holds, which only the super-admin reads) or of the acting user's agency.
ALTER TABLE audit_events ADD COLUMN agency_kind TEXT;
UPDATE audit_events SET agency_kind = COALESCE(
    (SELECT a.kind FROM complaints c JOIN agencies a ON a.id = c.agency_id
     WHERE CAST(c.id AS TEXT) = audit_events.target_id), 'none')
WHERE target_kind = 'complaint';
UPDATE audit_events SET agency_kind =
    (SELECT a.kind FROM users u JOIN agencies a ON a.id = u.agency_id
     WHERE u.id = audit_events.actor_user_id)
WHERE agency_kind IS NULL AND actor_user_id IS NOT NULL;

-- Reporters' IP addresses are kept only for the flood-control window (the hourly sweep
-- forgets older ones); those kept so far are forgotten now.
UPDATE complaints SET submitted_ip = NULL;
