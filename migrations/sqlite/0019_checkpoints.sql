-- Signed checkpoints of the audit chain and of each election's publication log (security review
-- M5): the head of a chain (seq, hash) at a time, signed with the server's Ed25519 key and
-- linked to the chain's previous checkpoint, published so that outsiders keep copies. A row
-- is never changed; (chain, number) is unique, so two writers making the same checkpoint at
-- once keep one. SQLite. Keep in step with migrations/postgres/0019_checkpoints.sql.
CREATE TABLE checkpoints (
    id         INTEGER PRIMARY KEY,
    chain      TEXT NOT NULL,
    number     INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    head_hash  TEXT NOT NULL,
    made_at    TEXT NOT NULL,
    key_id     TEXT NOT NULL,
    public_key TEXT NOT NULL,
    prev       TEXT NOT NULL,
    signature  TEXT NOT NULL,
    UNIQUE (chain, number)
);
CREATE INDEX checkpoints_by_chain ON checkpoints(chain, id);
