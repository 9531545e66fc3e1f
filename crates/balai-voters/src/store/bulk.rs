//! The fast path of an import: replace an election's whole look-up index and sealed records
//! in the caller's transaction. SQLite writes through one prepared statement per table on the
//! transaction's own connection; PostgreSQL streams `COPY … FROM STDIN`. Fenced: the only
//! module of the feature that reaches past sqlx (clippy `disallowed-methods`).
#![allow(clippy::disallowed_methods)]

use std::fmt::Write as _;

use balai_core::Tx;

/// One voter's index entry and sealed record.
pub struct Entry {
    pub nik_hash: [u8; 16],
    pub tps_id: i64,
    pub name_hash: [u8; 8],
    pub name_masked: String,
    pub village_code: String,
    pub sealed: Vec<u8>,
}

/// Rows per `COPY` chunk sent to PostgreSQL.
const COPY_CHUNK: usize = 20_000;

/// Drop the election's index and records and write `entries` in their place.
pub async fn replace(tx: &mut Tx, election_id: i64, entries: &[Entry]) -> Result<(), sqlx::Error> {
    if let Some(done) = tx
        .sqlite_direct(|c| sqlite_replace(c, election_id, entries))
        .await?
    {
        return done.map_err(balai_core::db::direct_error);
    }
    let Some(pg) = tx.postgres() else {
        return Ok(());
    };
    for table in ["voter_index", "voter_records"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE election_id = $1"))
            .bind(election_id)
            .execute(&mut *pg)
            .await?;
    }
    let mut copy = pg
        .copy_in_raw(
            "COPY voter_index (nik_hash, election_id, tps_id, name_hash, name_masked) FROM STDIN",
        )
        .await?;
    for chunk in entries.chunks(COPY_CHUNK) {
        let mut buf = String::with_capacity(chunk.len() * 96);
        for e in chunk {
            let _ = writeln!(
                buf,
                "\\\\x{}\t{election_id}\t{}\t\\\\x{}\t{}",
                hex::encode(e.nik_hash),
                e.tps_id,
                hex::encode(e.name_hash),
                copy_text(&e.name_masked)
            );
        }
        copy.send(buf.into_bytes()).await?;
    }
    copy.finish().await?;
    let mut copy = pg
        .copy_in_raw("COPY voter_records (election_id, nik_hash, village_code, sealed) FROM STDIN")
        .await?;
    for chunk in entries.chunks(COPY_CHUNK) {
        let mut buf = String::with_capacity(chunk.len() * 600);
        for e in chunk {
            let _ = writeln!(
                buf,
                "{election_id}\t\\\\x{}\t{}\t\\\\x{}",
                hex::encode(e.nik_hash),
                copy_text(&e.village_code),
                hex::encode(&e.sealed)
            );
        }
        copy.send(buf.into_bytes()).await?;
    }
    copy.finish().await?;
    // Fresh statistics, so the check's plans use the keys from the first look-up on.
    sqlx::query("ANALYZE voter_index, voter_tps")
        .execute(&mut *pg)
        .await?;
    Ok(())
}

/// A text field in `COPY`'s text format.
fn copy_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

fn sqlite_replace(
    c: &rusqlite::Connection,
    election_id: i64,
    entries: &[Entry],
) -> rusqlite::Result<()> {
    c.execute(
        "DELETE FROM voter_index WHERE election_id = ?1",
        [election_id],
    )?;
    c.execute(
        "DELETE FROM voter_records WHERE election_id = ?1",
        [election_id],
    )?;
    let mut index = c.prepare(
        "INSERT INTO voter_index (nik_hash, election_id, tps_id, name_hash, name_masked)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut records = c.prepare(
        "INSERT INTO voter_records (election_id, nik_hash, village_code, sealed)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for e in entries {
        index.execute(rusqlite::params![
            &e.nik_hash[..],
            election_id,
            e.tps_id,
            &e.name_hash[..],
            e.name_masked
        ])?;
        records.execute(rusqlite::params![
            election_id,
            &e.nik_hash[..],
            e.village_code,
            e.sealed
        ])?;
    }
    Ok(())
}
