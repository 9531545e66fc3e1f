-- Pemilih at national scale (issue 23): the look-up index as packed buckets and the sealed
-- records in import order, both partitioned by province (the province of the voter's TPS), so
-- one province's list is imported again into its own partitions without touching the others.
-- Keep in step with migrations/sqlite/0048_voter_index_packed.sql.
--
-- A list imported before this migration must be imported again (its versions, counts and TPS
-- stay; the old index rows cannot be repacked in SQL).

DROP TABLE voter_index;
DROP TABLE voter_records;

-- One bucket: the entries of every voter of one election and province whose HMAC(NIK) starts
-- with the bucket's 16 bits, sorted, packed by `balai_voters::domain::pack`. A few thousand
-- rows per province instead of one per voter: no tuple header or key per voter.
CREATE TABLE voter_index (
    bucket       INTEGER NOT NULL,
    election_id  INTEGER NOT NULL,
    province     SMALLINT NOT NULL,
    entries      BYTEA NOT NULL,
    PRIMARY KEY (bucket, election_id, province)
) PARTITION BY LIST (province);

-- Which provinces of an election have a part of the index, with their voters.
CREATE TABLE voter_index_parts (
    election_id  INTEGER NOT NULL,
    province     SMALLINT NOT NULL,
    voters       BIGINT NOT NULL,
    PRIMARY KEY (election_id, province)
);

-- The full record (NIK, KK, name, birth, address, …), AES-256-GCM sealed, at its position `n`
-- in the import; found through the index entry, read one at a time.
CREATE TABLE voter_records (
    election_id  INTEGER NOT NULL,
    province     SMALLINT NOT NULL,
    n            INTEGER NOT NULL,
    sealed       BYTEA NOT NULL,
    PRIMARY KEY (election_id, province, n)
) PARTITION BY LIST (province);

-- One partition per province (Kepmendagri codes), and one for any other code.
CREATE TABLE voter_index_p11 PARTITION OF voter_index FOR VALUES IN (11);
CREATE TABLE voter_records_p11 PARTITION OF voter_records FOR VALUES IN (11);
CREATE TABLE voter_index_p12 PARTITION OF voter_index FOR VALUES IN (12);
CREATE TABLE voter_records_p12 PARTITION OF voter_records FOR VALUES IN (12);
CREATE TABLE voter_index_p13 PARTITION OF voter_index FOR VALUES IN (13);
CREATE TABLE voter_records_p13 PARTITION OF voter_records FOR VALUES IN (13);
CREATE TABLE voter_index_p14 PARTITION OF voter_index FOR VALUES IN (14);
CREATE TABLE voter_records_p14 PARTITION OF voter_records FOR VALUES IN (14);
CREATE TABLE voter_index_p15 PARTITION OF voter_index FOR VALUES IN (15);
CREATE TABLE voter_records_p15 PARTITION OF voter_records FOR VALUES IN (15);
CREATE TABLE voter_index_p16 PARTITION OF voter_index FOR VALUES IN (16);
CREATE TABLE voter_records_p16 PARTITION OF voter_records FOR VALUES IN (16);
CREATE TABLE voter_index_p17 PARTITION OF voter_index FOR VALUES IN (17);
CREATE TABLE voter_records_p17 PARTITION OF voter_records FOR VALUES IN (17);
CREATE TABLE voter_index_p18 PARTITION OF voter_index FOR VALUES IN (18);
CREATE TABLE voter_records_p18 PARTITION OF voter_records FOR VALUES IN (18);
CREATE TABLE voter_index_p19 PARTITION OF voter_index FOR VALUES IN (19);
CREATE TABLE voter_records_p19 PARTITION OF voter_records FOR VALUES IN (19);
CREATE TABLE voter_index_p21 PARTITION OF voter_index FOR VALUES IN (21);
CREATE TABLE voter_records_p21 PARTITION OF voter_records FOR VALUES IN (21);
CREATE TABLE voter_index_p31 PARTITION OF voter_index FOR VALUES IN (31);
CREATE TABLE voter_records_p31 PARTITION OF voter_records FOR VALUES IN (31);
CREATE TABLE voter_index_p32 PARTITION OF voter_index FOR VALUES IN (32);
CREATE TABLE voter_records_p32 PARTITION OF voter_records FOR VALUES IN (32);
CREATE TABLE voter_index_p33 PARTITION OF voter_index FOR VALUES IN (33);
CREATE TABLE voter_records_p33 PARTITION OF voter_records FOR VALUES IN (33);
CREATE TABLE voter_index_p34 PARTITION OF voter_index FOR VALUES IN (34);
CREATE TABLE voter_records_p34 PARTITION OF voter_records FOR VALUES IN (34);
CREATE TABLE voter_index_p35 PARTITION OF voter_index FOR VALUES IN (35);
CREATE TABLE voter_records_p35 PARTITION OF voter_records FOR VALUES IN (35);
CREATE TABLE voter_index_p36 PARTITION OF voter_index FOR VALUES IN (36);
CREATE TABLE voter_records_p36 PARTITION OF voter_records FOR VALUES IN (36);
CREATE TABLE voter_index_p51 PARTITION OF voter_index FOR VALUES IN (51);
CREATE TABLE voter_records_p51 PARTITION OF voter_records FOR VALUES IN (51);
CREATE TABLE voter_index_p52 PARTITION OF voter_index FOR VALUES IN (52);
CREATE TABLE voter_records_p52 PARTITION OF voter_records FOR VALUES IN (52);
CREATE TABLE voter_index_p53 PARTITION OF voter_index FOR VALUES IN (53);
CREATE TABLE voter_records_p53 PARTITION OF voter_records FOR VALUES IN (53);
CREATE TABLE voter_index_p61 PARTITION OF voter_index FOR VALUES IN (61);
CREATE TABLE voter_records_p61 PARTITION OF voter_records FOR VALUES IN (61);
CREATE TABLE voter_index_p62 PARTITION OF voter_index FOR VALUES IN (62);
CREATE TABLE voter_records_p62 PARTITION OF voter_records FOR VALUES IN (62);
CREATE TABLE voter_index_p63 PARTITION OF voter_index FOR VALUES IN (63);
CREATE TABLE voter_records_p63 PARTITION OF voter_records FOR VALUES IN (63);
CREATE TABLE voter_index_p64 PARTITION OF voter_index FOR VALUES IN (64);
CREATE TABLE voter_records_p64 PARTITION OF voter_records FOR VALUES IN (64);
CREATE TABLE voter_index_p65 PARTITION OF voter_index FOR VALUES IN (65);
CREATE TABLE voter_records_p65 PARTITION OF voter_records FOR VALUES IN (65);
CREATE TABLE voter_index_p71 PARTITION OF voter_index FOR VALUES IN (71);
CREATE TABLE voter_records_p71 PARTITION OF voter_records FOR VALUES IN (71);
CREATE TABLE voter_index_p72 PARTITION OF voter_index FOR VALUES IN (72);
CREATE TABLE voter_records_p72 PARTITION OF voter_records FOR VALUES IN (72);
CREATE TABLE voter_index_p73 PARTITION OF voter_index FOR VALUES IN (73);
CREATE TABLE voter_records_p73 PARTITION OF voter_records FOR VALUES IN (73);
CREATE TABLE voter_index_p74 PARTITION OF voter_index FOR VALUES IN (74);
CREATE TABLE voter_records_p74 PARTITION OF voter_records FOR VALUES IN (74);
CREATE TABLE voter_index_p75 PARTITION OF voter_index FOR VALUES IN (75);
CREATE TABLE voter_records_p75 PARTITION OF voter_records FOR VALUES IN (75);
CREATE TABLE voter_index_p76 PARTITION OF voter_index FOR VALUES IN (76);
CREATE TABLE voter_records_p76 PARTITION OF voter_records FOR VALUES IN (76);
CREATE TABLE voter_index_p81 PARTITION OF voter_index FOR VALUES IN (81);
CREATE TABLE voter_records_p81 PARTITION OF voter_records FOR VALUES IN (81);
CREATE TABLE voter_index_p82 PARTITION OF voter_index FOR VALUES IN (82);
CREATE TABLE voter_records_p82 PARTITION OF voter_records FOR VALUES IN (82);
CREATE TABLE voter_index_p91 PARTITION OF voter_index FOR VALUES IN (91);
CREATE TABLE voter_records_p91 PARTITION OF voter_records FOR VALUES IN (91);
CREATE TABLE voter_index_p92 PARTITION OF voter_index FOR VALUES IN (92);
CREATE TABLE voter_records_p92 PARTITION OF voter_records FOR VALUES IN (92);
CREATE TABLE voter_index_p93 PARTITION OF voter_index FOR VALUES IN (93);
CREATE TABLE voter_records_p93 PARTITION OF voter_records FOR VALUES IN (93);
CREATE TABLE voter_index_p94 PARTITION OF voter_index FOR VALUES IN (94);
CREATE TABLE voter_records_p94 PARTITION OF voter_records FOR VALUES IN (94);
CREATE TABLE voter_index_p95 PARTITION OF voter_index FOR VALUES IN (95);
CREATE TABLE voter_records_p95 PARTITION OF voter_records FOR VALUES IN (95);
CREATE TABLE voter_index_p96 PARTITION OF voter_index FOR VALUES IN (96);
CREATE TABLE voter_records_p96 PARTITION OF voter_records FOR VALUES IN (96);
CREATE TABLE voter_index_px PARTITION OF voter_index DEFAULT;
CREATE TABLE voter_records_px PARTITION OF voter_records DEFAULT;

-- Random bytes do not compress: store large buckets out of line without trying.
ALTER TABLE voter_index ALTER COLUMN entries SET STORAGE EXTERNAL;
ALTER TABLE voter_records ALTER COLUMN sealed SET STORAGE EXTERNAL;
