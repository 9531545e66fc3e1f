//! The fast path of an import: clear an election's (or one province's) part of the look-up
//! index and sealed records, stream the records in as they are sealed, then write the packed
//! index buckets, all in the caller's transaction. SQLite writes through cached prepared
//! statements on the transaction's own connection; PostgreSQL streams binary `COPY … FROM
//! STDIN` into the province-partitioned tables, so a province's import writes and deletes only
//! its own partitions. Fenced: the only module of the feature that reaches past sqlx (clippy
//! `disallowed-methods`).
#![allow(clippy::disallowed_methods)]

use balai_core::Tx;
use sqlx::postgres::PgCopyIn;
use sqlx::PgConnection;

/// What an import replaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The election's whole list.
    Election,
    /// One province's part (`PP`); the others stay as they are.
    Province(u8),
}

impl Scope {
    fn province(self) -> i64 {
        match self {
            Scope::Election => -1,
            Scope::Province(p) => i64::from(p),
        }
    }
}

/// A sealed record at its position.
pub struct Record {
    pub province: u8,
    pub n: u32,
    pub sealed: Vec<u8>,
}

/// A packed bucket of index entries ([`crate::domain::pack`]).
pub struct Bucket {
    pub bucket: u32,
    pub province: u8,
    pub entries: Vec<u8>,
}

/// SQLite's key of a bucket row: bucket (up to 24 bits), election and province in one integer.
pub fn sqlite_key(bucket: u32, election_id: i64, province: u8) -> i64 {
    (i64::from(bucket) << 32) | ((election_id & 0xFF_FFFF) << 8) | i64::from(province)
}

/// Drop the index, records and parts in `scope`.
pub async fn clear(tx: &mut Tx, election_id: i64, scope: Scope) -> Result<(), sqlx::Error> {
    let p = scope.province();
    if let Some(done) = tx
        .sqlite_direct(|c| sqlite_clear(c, election_id, p))
        .await?
    {
        return done.map_err(balai_core::db::direct_error);
    }
    let Some(pg) = tx.postgres() else {
        return Ok(());
    };
    // Province by province, so each statement reaches only its own partitions.
    let provinces: Vec<i16> = match scope {
        Scope::Province(p) => vec![i16::from(p)],
        Scope::Election => {
            sqlx::query_scalar("SELECT province FROM voter_index_parts WHERE election_id = $1")
                .bind(election_id)
                .fetch_all(&mut *pg)
                .await?
        }
    };
    for province in provinces {
        for table in ["voter_index", "voter_records", "voter_index_parts"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE election_id = $1 AND province = $2"
            ))
            .bind(i32::try_from(election_id).unwrap_or(i32::MAX))
            .bind(province)
            .execute(&mut *pg)
            .await?;
        }
    }
    Ok(())
}

fn sqlite_clear(c: &rusqlite::Connection, election_id: i64, p: i64) -> rusqlite::Result<()> {
    // Every bucket number of each part cleared, by its bits: one key probe each.
    c.execute(
        "WITH RECURSIVE
           parts AS (SELECT province, bits FROM voter_index_parts
                     WHERE election_id = ?1 AND (?2 < 0 OR province = ?2)),
           b(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM b
                    WHERE x + 1 < (SELECT MAX(1 << bits) FROM parts))
         DELETE FROM voter_index WHERE key IN (
           SELECT (b.x << 32) | ((?1 & 16777215) << 8) | parts.province
           FROM parts, b WHERE b.x < (1 << parts.bits))",
        rusqlite::params![election_id, p],
    )?;
    for table in ["voter_records", "voter_index_parts"] {
        c.execute(
            &format!("DELETE FROM {table} WHERE election_id = ?1 AND (?2 < 0 OR province = ?2)"),
            rusqlite::params![election_id, p],
        )?;
    }
    Ok(())
}

/// Record how many voters each province's part holds, and the bits of its bucket numbers.
pub async fn set_parts(
    tx: &mut Tx,
    election_id: i64,
    parts: &[(u8, i64, u8)],
) -> Result<(), sqlx::Error> {
    for (province, voters, bits) in parts {
        balai_core::with_tx!(tx, |c| sqlx::query(
            "INSERT INTO voter_index_parts (election_id, province, voters, bits)
             VALUES ($1, $2, $3, $4)"
        )
        .bind(election_id)
        .bind(i16::from(*province))
        .bind(*voters)
        .bind(i16::from(*bits))
        .execute(&mut *c)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// A stream of rows into one table: binary `COPY` on PostgreSQL, prepared inserts on SQLite.
pub enum Sink<'t> {
    Postgres(PgCopyIn<&'t mut PgConnection>, i32),
    Sqlite(&'t mut Tx, i64),
}

const RECORDS_COPY: &str =
    "COPY voter_records (election_id, province, n, sealed) FROM STDIN (FORMAT binary)";
const INDEX_COPY: &str =
    "COPY voter_index (bucket, election_id, province, entries) FROM STDIN (FORMAT binary)";

/// The binary `COPY` header: signature, flags, no extension.
const PG_HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";

impl<'t> Sink<'t> {
    pub async fn records(tx: &'t mut Tx, election_id: i64) -> Result<Sink<'t>, sqlx::Error> {
        Sink::open(tx, election_id, RECORDS_COPY).await
    }

    pub async fn index(tx: &'t mut Tx, election_id: i64) -> Result<Sink<'t>, sqlx::Error> {
        Sink::open(tx, election_id, INDEX_COPY).await
    }

    async fn open(tx: &'t mut Tx, election_id: i64, copy: &str) -> Result<Sink<'t>, sqlx::Error> {
        if tx.backend() == balai_core::db::Backend::Sqlite {
            return Ok(Sink::Sqlite(tx, election_id));
        }
        let id = i32::try_from(election_id).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        let Some(pg) = tx.postgres() else {
            return Err(sqlx::Error::PoolClosed);
        };
        let mut copy = pg.copy_in_raw(copy).await?;
        copy.send(PG_HEADER).await?;
        Ok(Sink::Postgres(copy, id))
    }

    pub async fn records_batch(&mut self, rows: &[Record]) -> Result<(), sqlx::Error> {
        match self {
            Sink::Postgres(copy, id) => {
                let mut buf = Vec::with_capacity(rows.iter().map(|r| r.sealed.len() + 32).sum());
                for r in rows {
                    buf.extend_from_slice(&4i16.to_be_bytes());
                    field(&mut buf, &id.to_be_bytes());
                    field(&mut buf, &i16::from(r.province).to_be_bytes());
                    field(&mut buf, &r.n.to_be_bytes());
                    field(&mut buf, &r.sealed);
                }
                copy.send(buf).await?;
                Ok(())
            }
            Sink::Sqlite(tx, id) => {
                let id = *id;
                let done = tx
                    .sqlite_direct(|c| {
                        let mut st = c.prepare_cached(
                            "INSERT INTO voter_records (election_id, province, n, sealed)
                             VALUES (?1, ?2, ?3, ?4)",
                        )?;
                        for r in rows {
                            st.execute(rusqlite::params![id, r.province, r.n, r.sealed])?;
                        }
                        Ok::<_, rusqlite::Error>(())
                    })
                    .await?;
                done.unwrap_or(Ok(())).map_err(balai_core::db::direct_error)
            }
        }
    }

    pub async fn index_batch(&mut self, rows: &[Bucket]) -> Result<(), sqlx::Error> {
        match self {
            Sink::Postgres(copy, id) => {
                let mut buf = Vec::with_capacity(rows.iter().map(|r| r.entries.len() + 32).sum());
                for r in rows {
                    buf.extend_from_slice(&4i16.to_be_bytes());
                    field(
                        &mut buf,
                        &i32::try_from(r.bucket).unwrap_or(i32::MAX).to_be_bytes(),
                    );
                    field(&mut buf, &id.to_be_bytes());
                    field(&mut buf, &i16::from(r.province).to_be_bytes());
                    field(&mut buf, &r.entries);
                }
                copy.send(buf).await?;
                Ok(())
            }
            Sink::Sqlite(tx, id) => {
                let id = *id;
                let done = tx
                    .sqlite_direct(|c| {
                        let mut st = c.prepare_cached(
                            "INSERT INTO voter_index (key, entries) VALUES (?1, ?2)",
                        )?;
                        for r in rows {
                            st.execute(rusqlite::params![
                                sqlite_key(r.bucket, id, r.province),
                                r.entries
                            ])?;
                        }
                        Ok::<_, rusqlite::Error>(())
                    })
                    .await?;
                done.unwrap_or(Ok(())).map_err(balai_core::db::direct_error)
            }
        }
    }

    /// End the stream (PostgreSQL: the trailer, then the server's count).
    pub async fn finish(self) -> Result<(), sqlx::Error> {
        if let Sink::Postgres(mut copy, _) = self {
            copy.send(&(-1i16).to_be_bytes()[..]).await?;
            copy.finish().await?;
        }
        Ok(())
    }

    /// Give up the stream (the import is refused; the transaction rolls back).
    pub async fn abort(self) -> Result<(), sqlx::Error> {
        if let Sink::Postgres(copy, _) = self {
            copy.abort("import refused").await?;
        }
        Ok(())
    }
}

/// One binary `COPY` field: its length, then its bytes.
fn field(buf: &mut Vec<u8>, bytes: &[u8]) {
    buf.extend_from_slice(&i32::try_from(bytes.len()).unwrap_or(i32::MAX).to_be_bytes());
    buf.extend_from_slice(bytes);
}

/// Fresh statistics (PostgreSQL), so the check's plans use the keys from the first look-up on.
pub async fn analyze(tx: &mut Tx) -> Result<(), sqlx::Error> {
    if let Some(pg) = tx.postgres() {
        sqlx::query("ANALYZE voter_index, voter_index_parts, voter_tps")
            .execute(&mut *pg)
            .await?;
    }
    Ok(())
}
