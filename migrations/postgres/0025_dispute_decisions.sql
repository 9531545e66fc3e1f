-- A supervisor's decision on a disputed TPS (two operators entered different numbers): either
-- one of the entries is chosen (stored as a new verified version of the TPS, which the totals
-- then count) or the operators are asked to enter the paper form again. Kept with who decided,
-- when and why; the same decision is in the audit chain.
CREATE TABLE election_dispute_decisions (
    id             BIGSERIAL PRIMARY KEY,
    election_id    BIGINT NOT NULL REFERENCES elections(id),
    tps_id         BIGINT NOT NULL REFERENCES tps(id),
    decision       TEXT NOT NULL CHECK (decision IN ('chose_version', 'reentry')),
    chosen_version BIGINT,
    reason         TEXT NOT NULL,
    decided_by     BIGINT REFERENCES users(id),
    decided_label  TEXT NOT NULL,
    decided_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX election_dispute_decisions_tps ON election_dispute_decisions(tps_id, id);
