-- A supervisor's decision on a disputed TPS (two operators entered different numbers): either
-- one of the entries is chosen (stored as a new verified version of the TPS, which the totals
-- then count) or the operators are asked to enter the paper form again. Kept with who decided,
-- when and why; the same decision is in the audit chain.
CREATE TABLE election_dispute_decisions (
    id             INTEGER PRIMARY KEY,
    election_id    INTEGER NOT NULL REFERENCES elections(id),
    tps_id         INTEGER NOT NULL REFERENCES tps(id),
    decision       TEXT NOT NULL CHECK (decision IN ('chose_version', 'reentry')),
    chosen_version INTEGER,
    reason         TEXT NOT NULL,
    decided_by     INTEGER REFERENCES users(id),
    decided_label  TEXT NOT NULL,
    decided_at     TEXT NOT NULL
);
CREATE INDEX election_dispute_decisions_tps ON election_dispute_decisions(tps_id, id);
