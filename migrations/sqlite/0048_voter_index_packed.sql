-- Pemilih at national scale (issue 23): the look-up index as packed buckets and the sealed
-- records in import order, both kept per election *and province*, so one province's list can
-- be imported again without touching the others. Keep in step with
-- migrations/postgres/0048_voter_index_packed.sql.
--
-- A list imported before this migration must be imported again (its versions, counts and TPS
-- stay; the old index rows cannot be repacked in SQL).

DROP TABLE voter_index;
DROP TABLE voter_records;

-- One bucket: the entries of every voter of one election and province whose HMAC(NIK) starts
-- with the bucket's 16 bits, sorted, packed by `balai_voters::domain::pack` (per entry the next
-- 10 bytes of the hash, the TPS, the record's position, an 8-byte name hash and the masked
-- name as initials and word lengths). The key is bucket << 32 | election_id << 8 | province,
-- so one look-up reads one short range of the table.
CREATE TABLE voter_index (
    key          INTEGER PRIMARY KEY,
    entries      BLOB NOT NULL
);

-- Which provinces of an election have a part of the index, with their voters.
CREATE TABLE voter_index_parts (
    election_id  INTEGER NOT NULL,
    province     INTEGER NOT NULL,
    voters       INTEGER NOT NULL,
    PRIMARY KEY (election_id, province)
) WITHOUT ROWID;

-- The full record (NIK, KK, name, birth, address, …), AES-256-GCM sealed, at its position `n`
-- in the import; found through the index entry, read one at a time.
CREATE TABLE voter_records (
    election_id  INTEGER NOT NULL,
    province     INTEGER NOT NULL,
    n            INTEGER NOT NULL,
    sealed       BLOB NOT NULL,
    PRIMARY KEY (election_id, province, n)
) WITHOUT ROWID;
