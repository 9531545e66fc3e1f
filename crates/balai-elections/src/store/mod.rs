//! SQL for both backends: elections, schedules, candidate pairs, TPS and past totals.
//! Result entries, aggregation and the publication log are in [`results`].

pub mod heads;
pub mod photos;
pub mod recaps;
pub mod results;
pub mod submit;
pub mod sums;
pub mod totals;

use balai_core::db::{now, Db, Tx};
use balai_core::ids::{ElectionId, TpsId};
use balai_core::{with_db, with_tx};
use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::domain::election::{ElectionStatus, Kind, Stage, StageKind, TotalRow, TpsInput};

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct ElectionRow {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub kind: Kind,
    pub region_code: String,
    pub name: String,
    pub voting_date: Date,
    #[sqlx(try_from = "String")]
    pub status: ElectionStatus,
    pub log_seq: i64,
    pub log_head: String,
    pub created_at: OffsetDateTime,
    /// When its results last changed (`None` before the first change).
    pub results_changed_at: Option<OffsetDateTime>,
}

const ELECTION_COLS: &str = "id, kind, region_code, name, voting_date, status, log_seq, log_head,
    created_at, results_changed_at";

pub async fn insert_election(
    tx: &mut Tx,
    kind: &str,
    region: &str,
    name: &str,
    voting_date: Date,
    user_id: Option<i64>,
) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO elections (kind, region_code, name, voting_date, status, created_at, created_by)
         VALUES ($1, $2, $3, $4, 'open', $5, $6) RETURNING id"
    )
    .bind(kind)
    .bind(region)
    .bind(name)
    .bind(voting_date)
    .bind(now())
    .bind(user_id)
    .fetch_one(&mut *c)
    .await
    })
}

pub async fn get_election(db: &Db, id: i64) -> Result<Option<ElectionRow>, sqlx::Error> {
    let sql = format!("SELECT {ELECTION_COLS} FROM elections WHERE id = $1");
    with_db!(db, |c| sqlx::query_as::<_, ElectionRow>(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// Read the election inside a write transaction and lock its row (PostgreSQL) so writers of
/// one election append to its log in order. SQLite's writer is already exclusive.
pub async fn lock_election(tx: &mut Tx, id: i64) -> Result<Option<ElectionRow>, sqlx::Error> {
    Ok(lock_elections(tx, &[id]).await?.into_iter().next())
}

/// [`lock_election`] for several elections in one statement, in id order (every writer locks
/// election rows in that order, so two writers never wait for each other's). Elections that
/// do not exist are absent.
pub async fn lock_elections(tx: &mut Tx, ids: &[i64]) -> Result<Vec<ElectionRow>, sqlx::Error> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let postgres = tx.backend() == balai_core::db::Backend::Postgres;
    with_tx!(tx, |c| {
        // SQLite: every write transaction begins with `BEGIN IMMEDIATE` (`Db::begin`), so it
        // already holds the database's one write lock and a plain read is the latest state
        // no one else can change (it used to be a no-op UPDATE, which wrote every row again).
        let mut q =
            sqlx::QueryBuilder::new(format!("SELECT {ELECTION_COLS} FROM elections WHERE id"));
        balai_core::db::push_in_list(&mut q, &ids);
        if postgres {
            q.push(" ORDER BY id FOR UPDATE");
        }
        let mut rows: Vec<ElectionRow> = q.build_query_as().fetch_all(&mut *c).await?;
        rows.sort_by_key(|e| e.id);
        Ok(rows)
    })
}

pub async fn list_elections(db: &Db) -> Result<Vec<ElectionRow>, sqlx::Error> {
    let sql = format!("SELECT {ELECTION_COLS} FROM elections ORDER BY voting_date DESC, id DESC");
    with_db!(db, |c| sqlx::query_as::<_, ElectionRow>(&sql)
        .fetch_all(c)
        .await)
}

/// Other elections whose region is the same as `region`, for turnout comparisons.
pub async fn elections_in_region(db: &Db, region: &str) -> Result<Vec<ElectionRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {ELECTION_COLS} FROM elections WHERE region_code = $1 ORDER BY voting_date DESC"
    );
    with_db!(db, |c| sqlx::query_as::<_, ElectionRow>(&sql)
        .bind(region)
        .fetch_all(c)
        .await)
}

/// Move the election's voting date (it follows its current schedule's voting-day stage).
pub async fn set_voting_date(tx: &mut Tx, id: i64, day: Date) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE elections SET voting_date = $1 WHERE id = $2"
    )
    .bind(day)
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|_| ()))
}

/// Set the status of an election whose status is still `from` (0 rows when it changed
/// meanwhile: who may set it depends on what it was).
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    from: &str,
    status: &str,
) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE elections SET status = $1 WHERE id = $2 AND status = $3"
    )
    .bind(status)
    .bind(id)
    .bind(from)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

/// Replace a past election's per-region totals.
pub async fn replace_totals(
    tx: &mut Tx,
    election_id: i64,
    rows: &[TotalRow],
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query("DELETE FROM election_totals WHERE election_id = $1")
            .bind(election_id)
            .execute(&mut *c)
            .await?;
        for r in rows {
            sqlx::query(
                "INSERT INTO election_totals (election_id, region_code, dpt, pengguna)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(election_id)
            .bind(&r.region_code)
            .bind(i64::try_from(r.dpt).unwrap_or(i64::MAX))
            .bind(i64::try_from(r.pengguna).unwrap_or(i64::MAX))
            .execute(&mut *c)
            .await?;
        }
    });
    Ok(())
}

pub async fn totals(db: &Db, election_id: i64) -> Result<Vec<TotalRow>, sqlx::Error> {
    let rows: Vec<(String, i64, i64)> = with_db!(db, |c| {
        sqlx::query_as(
        "SELECT region_code, dpt, pengguna FROM election_totals WHERE election_id = $1 ORDER BY region_code"
    )
    .bind(election_id)
    .fetch_all(c)
    .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(region_code, dpt, pengguna)| TotalRow {
            region_code,
            dpt: dpt.max(0) as u64,
            pengguna: pengguna.max(0) as u64,
        })
        .collect())
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ScheduleVersion {
    pub version: i64,
    pub reason: String,
    pub legal_basis: String,
    /// The author's username.
    pub author: String,
    /// The author's display name and agency, as pages show them (`Siti Aminah, KPU Kota
    /// Banjar`); the username when the account is gone.
    pub author_name: String,
    /// RFC 3339
    pub created_at: String,
    pub stages: Vec<Stage>,
}

pub async fn next_schedule_version(tx: &mut Tx, election_id: i64) -> Result<i64, sqlx::Error> {
    let v: Option<i64> = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT MAX(version) FROM schedule_versions WHERE election_id = $1"
    )
    .bind(election_id)
    .fetch_one(&mut *c)
    .await)?;
    Ok(v.unwrap_or(0) + 1)
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_schedule(
    tx: &mut Tx,
    election_id: i64,
    version: i64,
    reason: &str,
    legal_basis: &str,
    author_id: Option<i64>,
    author_label: &str,
    stages: &[(String, Option<StageKind>, Date, Date)],
) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO schedule_versions (election_id, version, reason, legal_basis, author_user_id,
               author_label, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(election_id)
        .bind(version)
        .bind(reason)
        .bind(legal_basis)
        .bind(author_id)
        .bind(author_label)
        .bind(now())
        .fetch_one(&mut *c)
        .await?;
        for (i, (name, kind, start, end)) in stages.iter().enumerate() {
            sqlx::query(
                "INSERT INTO schedule_stages (version_id, position, name, kind, start_day, end_day)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(i as i64 + 1)
            .bind(name)
            .bind(kind.map(StageKind::as_str))
            .bind(*start)
            .bind(*end)
            .execute(&mut *c)
            .await?;
        }
        Ok(id)
    })
}

/// Every schedule version, newest first.
pub async fn schedule_history(
    db: &Db,
    election_id: i64,
) -> Result<Vec<ScheduleVersion>, sqlx::Error> {
    type V = (
        i64,
        i64,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        OffsetDateTime,
    );
    let versions: Vec<V> = with_db!(db, |c| {
        sqlx::query_as(
        "SELECT v.id, v.version, v.reason, v.legal_basis, v.author_label, u.display_name, a.name,
                v.created_at
         FROM schedule_versions v
         LEFT JOIN users u ON u.id = v.author_user_id
         LEFT JOIN agencies a ON a.id = u.agency_id
         WHERE v.election_id = $1 ORDER BY v.version DESC"
    )
    .bind(election_id)
    .fetch_all(c)
    .await
    })?;
    type S = (i64, String, Option<String>, Date, Date);
    let stages: Vec<S> = with_db!(db, |c| sqlx::query_as(
        "SELECT s.version_id, s.name, s.kind, s.start_day, s.end_day FROM schedule_stages s
         JOIN schedule_versions v ON v.id = s.version_id
         WHERE v.election_id = $1 ORDER BY s.version_id, s.position"
    )
    .bind(election_id)
    .fetch_all(c)
    .await)?;
    Ok(versions
        .into_iter()
        .map(
            |(id, version, reason, legal_basis, author, display, agency, created_at)| {
                ScheduleVersion {
                    version,
                    reason,
                    legal_basis,
                    author_name: match (display, agency) {
                        (Some(d), Some(a)) if !d.trim().is_empty() => format!("{d}, {a}"),
                        (Some(d), None) if !d.trim().is_empty() => d,
                        _ => author.clone(),
                    },
                    author,
                    created_at: crate::rfc3339(created_at),
                    stages: stages
                        .iter()
                        .filter(|s| s.0 == id)
                        .map(|(_, name, kind, a, b)| Stage {
                            kind: kind.as_deref().and_then(StageKind::parse),
                            name: name.clone(),
                            start: a.to_string(),
                            end: b.to_string(),
                        })
                        .collect(),
                }
            },
        )
        .collect())
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Candidate {
    pub id: i64,
    pub ballot_number: i64,
    pub head_name: String,
    pub deputy_name: String,
    /// JSON array of supporting parties; empty for an independent pair.
    #[serde(skip)]
    pub parties: String,
    pub independent: bool,
    pub status: String,
    pub status_reason: Option<String>,
}

impl Candidate {
    pub fn party_list(&self) -> Vec<String> {
        serde_json::from_str(&self.parties).unwrap_or_default()
    }
}

pub async fn insert_candidate(
    tx: &mut Tx,
    election_id: i64,
    ballot: i64,
    head: &str,
    deputy: &str,
    parties: &[String],
    independent: bool,
) -> Result<i64, sqlx::Error> {
    let parties = serde_json::to_string(parties).unwrap_or_else(|_| "[]".into());
    with_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO candidates (election_id, ballot_number, head_name, deputy_name, parties,
           independent, status) VALUES ($1, $2, $3, $4, $5, $6, 'registered') RETURNING id"
    )
    .bind(election_id)
    .bind(ballot)
    .bind(head)
    .bind(deputy)
    .bind(parties)
    .bind(independent)
    .fetch_one(&mut *c)
    .await)
}

pub async fn set_candidate_status(
    tx: &mut Tx,
    election_id: i64,
    ballot: i64,
    status: &str,
    reason: Option<&str>,
) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query(
        "UPDATE candidates SET status = $1, status_reason = $2 WHERE election_id = $3 AND ballot_number = $4"
    )
    .bind(status)
    .bind(reason)
    .bind(election_id)
    .bind(ballot)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected())
    })
}

const CANDIDATE_COLS: &str =
    "id, ballot_number, head_name, deputy_name, parties, independent, status, status_reason";

pub async fn candidates(db: &Db, election_id: i64) -> Result<Vec<Candidate>, sqlx::Error> {
    let sql = format!(
        "SELECT {CANDIDATE_COLS} FROM candidates WHERE election_id = $1 ORDER BY ballot_number"
    );
    with_db!(db, |c| sqlx::query_as::<_, Candidate>(&sql)
        .bind(election_id)
        .fetch_all(c)
        .await)
}

pub async fn ballot_numbers_tx(tx: &mut Tx, election_id: i64) -> Result<Vec<u32>, sqlx::Error> {
    let v: Vec<i64> = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT ballot_number FROM candidates WHERE election_id = $1 ORDER BY ballot_number"
    )
    .bind(election_id)
    .fetch_all(&mut *c)
    .await)?;
    Ok(v.into_iter()
        .filter_map(|b| u32::try_from(b).ok())
        .collect())
}

#[derive(Clone, Debug, Serialize, serde::Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Tps {
    pub id: i64,
    pub election_id: i64,
    pub village_code: String,
    pub number: i64,
    pub address: String,
    pub dpt_l: i64,
    pub dpt_p: i64,
}

impl Tps {
    /// How every page and export names a TPS: `TPS 001`.
    pub fn label(&self) -> String {
        format!("TPS {:03}", self.number)
    }
}

const TPS_COLS: &str = "id, election_id, village_code, number, address, dpt_l, dpt_p";

pub async fn insert_tps(tx: &mut Tx, election_id: i64, t: &TpsInput) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO tps (election_id, village_code, number, address, dpt_l, dpt_p)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
    )
    .bind(election_id)
    .bind(&t.village_code)
    .bind(i64::from(t.number))
    .bind(&t.address)
    .bind(i64::from(t.dpt_l))
    .bind(i64::from(t.dpt_p))
    .fetch_one(&mut *c)
    .await)
}

pub async fn tps_exists(
    tx: &mut Tx,
    election_id: i64,
    village: &str,
    number: i64,
) -> Result<bool, sqlx::Error> {
    let n: i64 = with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM tps WHERE election_id = $1 AND village_code = $2 AND number = $3"
    )
    .bind(election_id)
    .bind(village)
    .bind(number)
    .fetch_one(&mut *c)
    .await)?;
    Ok(n > 0)
}

pub async fn get_tps(
    db: &Db,
    election_id: ElectionId,
    id: TpsId,
) -> Result<Option<Tps>, sqlx::Error> {
    let sql = format!("SELECT {TPS_COLS} FROM tps WHERE id = $1 AND election_id = $2");
    with_db!(db, |c| sqlx::query_as::<_, Tps>(&sql)
        .bind(id)
        .bind(election_id)
        .fetch_optional(c)
        .await)
}

/// TPS in a village (exact code), ordered by number.
pub async fn tps_in_village(
    db: &Db,
    election_id: i64,
    village: &str,
) -> Result<Vec<Tps>, sqlx::Error> {
    let sql = format!(
        "SELECT {TPS_COLS} FROM tps WHERE election_id = $1 AND village_code = $2 ORDER BY number"
    );
    with_db!(db, |c| sqlx::query_as::<_, Tps>(&sql)
        .bind(election_id)
        .bind(village)
        .fetch_all(c)
        .await)
}

/// Read a setting as a number (regulation values are configuration, with these defaults).
pub async fn setting_u32(db: &Db, key: &str, default: u32) -> Result<u32, sqlx::Error> {
    let v: Option<String> = with_db!(db, |c| sqlx::query_scalar(
        "SELECT value FROM settings WHERE key = $1"
    )
    .bind(key)
    .fetch_optional(c)
    .await)?;
    Ok(v.and_then(|s| s.trim().parse().ok()).unwrap_or(default))
}
