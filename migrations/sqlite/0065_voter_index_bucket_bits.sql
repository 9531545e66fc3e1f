-- Pemilih (issue 23): each part of the look-up index (an election's province) numbers its
-- buckets by as many leading bits of HMAC(NIK) as keep a bucket to a few dozen entries
-- (`balai_voters::domain::pack::bits_for`): a row that fits one page at any list size. Parts
-- imported before keep their 16 bits.
-- Keep in step with migrations/postgres/0065_voter_index_bucket_bits.sql.
ALTER TABLE voter_index_parts ADD COLUMN bits INTEGER NOT NULL DEFAULT 16;
