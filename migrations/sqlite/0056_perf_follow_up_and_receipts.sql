-- Kinerja: the follow-up plan's owner and progress note (what, who, by when, how far), and the
-- survey code shown on a receipt Balai issues (one per receipt: reloading shows the same).

ALTER TABLE perf_follow_ups ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE perf_follow_ups ADD COLUMN progress TEXT NOT NULL DEFAULT '';

-- `receipt` names the receipt (`complaint:…`, `civil_registry:…`, `information:…`); the code
-- binds the unit, service and day as every code does; an answer never points back at its
-- code, so this link does not tie a receipt to an answer.
CREATE TABLE perf_receipt_codes (
    receipt    TEXT PRIMARY KEY,
    code       TEXT NOT NULL REFERENCES perf_survey_codes(code),
    created_at TEXT NOT NULL
);
