//! The agreements, their parties, clauses and renewals.

use balai_core::db::now;
use balai_core::{with_db, with_tx, Db, Tx};
use time::Date;

use super::{subtree, By, LIST_LIMIT};
use crate::domain::agreement::{NewAgreement, NewRenewal};
use crate::domain::ending::NewEnd;

/// A party as stored: a Balai agency (with its name at the time) or an outside organisation.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PartyRow {
    pub agreement_id: i64,
    pub position: i64,
    pub agency_id: Option<i64>,
    pub name: String,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AgreementRow {
    pub id: i64,
    pub number: String,
    pub title: String,
    pub region_code: String,
    pub signed_on: Date,
    pub valid_from: Date,
    pub valid_until: Date,
    pub legal_basis: Option<String>,
    /// After an early end: the first day it is no longer in force, the reason and the agency
    /// that recorded it.
    pub ended_on: Option<Date>,
    pub end_reason: Option<String>,
    pub ended_agency_name: Option<String>,
}

const COLUMNS: &str = "id, number, title, region_code, signed_on, valid_from, valid_until, \
     legal_basis, ended_on, end_reason, ended_agency_name";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ClauseRow {
    pub agreement_id: i64,
    pub number: i64,
    pub text: String,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RenewalRow {
    pub agreement_id: i64,
    pub number: String,
    pub signed_on: Date,
    pub previous_until: Date,
    pub valid_until: Date,
}

/// Store an agreement with its parties (in order: `parties`) and clauses; returns its id.
pub async fn insert(
    tx: &mut Tx,
    a: &NewAgreement,
    region: &str,
    parties: &[(Option<i64>, String)],
    by: By,
) -> Result<i64, sqlx::Error> {
    let id: i64 = with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "INSERT INTO collab_agreements (number, title, region_code, signed_on, valid_from,
           valid_until, legal_basis, agency_id, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"
    )
    .bind(&a.number)
    .bind(&a.title)
    .bind(region)
    .bind(a.signed_on)
    .bind(a.valid_from)
    .bind(a.valid_until)
    .bind(a.legal_basis.as_deref())
    .bind(by.agency_id)
    .bind(by.user_id)
    .bind(now())
    .fetch_one(&mut *c)
    .await)?;
    insert_parts(tx, id, parties, &a.clauses).await?;
    Ok(id)
}

/// An agreement's parties (in order) and clauses (numbered from 1).
async fn insert_parts(
    tx: &mut Tx,
    id: i64,
    parties: &[(Option<i64>, String)],
    clauses: &[String],
) -> Result<(), sqlx::Error> {
    for (i, (agency, name)) in parties.iter().enumerate() {
        with_tx!(tx, |c| sqlx::query(
            "INSERT INTO collab_agreement_parties (agreement_id, position, agency_id, name)
             VALUES ($1, $2, $3, $4)"
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(*agency)
        .bind(name)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    for (i, text) in clauses.iter().enumerate() {
        with_tx!(tx, |c| sqlx::query(
            "INSERT INTO collab_agreement_clauses (agreement_id, number, text) VALUES ($1, $2, $3)"
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(text)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Write an edited agreement: its fields, and its parties and clauses anew.
pub async fn update(
    tx: &mut Tx,
    id: i64,
    a: &NewAgreement,
    region: &str,
    parties: &[(Option<i64>, String)],
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE collab_agreements SET number = $1, title = $2, region_code = $3, signed_on = $4,
           valid_from = $5, valid_until = $6, legal_basis = $7 WHERE id = $8"
    )
    .bind(&a.number)
    .bind(&a.title)
    .bind(region)
    .bind(a.signed_on)
    .bind(a.valid_from)
    .bind(a.valid_until)
    .bind(a.legal_basis.as_deref())
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    for table in ["collab_agreement_parties", "collab_agreement_clauses"] {
        let sql = format!("DELETE FROM {table} WHERE agreement_id = $1");
        with_tx!(tx, |c| sqlx::query(&sql)
            .bind(id)
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    insert_parts(tx, id, parties, &a.clauses).await
}

/// The agreements of a region and everything under it, the latest ending first.
pub async fn under(db: &Db, region: &str) -> Result<Vec<AgreementRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM collab_agreements WHERE region_code = $1 OR region_code LIKE $2
         ORDER BY valid_until DESC, id DESC LIMIT {LIST_LIMIT}"
    );
    with_db!(db, |c| sqlx::query_as::<_, AgreementRow>(&sql)
        .bind(region)
        .bind(subtree(region))
        .fetch_all(c)
        .await)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<AgreementRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM collab_agreements WHERE id = $1");
    with_db!(db, |c| sqlx::query_as::<_, AgreementRow>(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// One agreement, locked for a change (a renewal, an activity checked against its period).
pub async fn lock(tx: &mut Tx, id: i64) -> Result<Option<AgreementRow>, sqlx::Error> {
    let lock = if tx.backend() == balai_core::db::Backend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let sql = format!("SELECT {COLUMNS} FROM collab_agreements WHERE id = $1{lock}");
    with_tx!(tx, |c| sqlx::query_as::<_, AgreementRow>(&sql)
        .bind(id)
        .fetch_optional(&mut *c)
        .await)
}

/// The parties of the agreements of a region and under it.
pub async fn parties_under(db: &Db, region: &str) -> Result<Vec<PartyRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, PartyRow>(
        "SELECT p.agreement_id, p.position, p.agency_id, p.name FROM collab_agreement_parties p
         JOIN collab_agreements a ON a.id = p.agreement_id
         WHERE a.region_code = $1 OR a.region_code LIKE $2 ORDER BY p.agreement_id, p.position"
    )
    .bind(region)
    .bind(subtree(region))
    .fetch_all(c)
    .await)
}

pub async fn parties_of(db: &Db, id: i64) -> Result<Vec<PartyRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, PartyRow>(
        "SELECT agreement_id, position, agency_id, name FROM collab_agreement_parties
         WHERE agreement_id = $1 ORDER BY position"
    )
    .bind(id)
    .fetch_all(c)
    .await)
}

/// The Balai agencies among an agreement's parties.
pub async fn party_agencies(tx: &mut Tx, id: i64) -> Result<Vec<i64>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "SELECT agency_id FROM collab_agreement_parties WHERE agreement_id = $1
           AND agency_id IS NOT NULL ORDER BY position"
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await)
}

pub async fn clauses_under(db: &Db, region: &str) -> Result<Vec<ClauseRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, ClauseRow>(
        "SELECT k.agreement_id, k.number, k.text FROM collab_agreement_clauses k
         JOIN collab_agreements a ON a.id = k.agreement_id
         WHERE a.region_code = $1 OR a.region_code LIKE $2 ORDER BY k.agreement_id, k.number"
    )
    .bind(region)
    .bind(subtree(region))
    .fetch_all(c)
    .await)
}

pub async fn clauses_of(db: &Db, id: i64) -> Result<Vec<ClauseRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, ClauseRow>(
        "SELECT agreement_id, number, text FROM collab_agreement_clauses WHERE agreement_id = $1
         ORDER BY number"
    )
    .bind(id)
    .fetch_all(c)
    .await)
}

pub async fn clause_count(tx: &mut Tx, id: i64) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM collab_agreement_clauses WHERE agreement_id = $1"
    )
    .bind(id)
    .fetch_one(&mut *c)
    .await)
}

pub async fn renewals_of(db: &Db, id: i64) -> Result<Vec<RenewalRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, RenewalRow>(
        "SELECT agreement_id, number, signed_on, previous_until, valid_until
         FROM collab_agreement_renewals WHERE agreement_id = $1 ORDER BY id"
    )
    .bind(id)
    .fetch_all(c)
    .await)
}

/// Record a renewal and move the agreement's end of validity.
pub async fn renew(
    tx: &mut Tx,
    id: i64,
    previous_until: Date,
    r: &NewRenewal,
    by: By,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO collab_agreement_renewals (agreement_id, number, signed_on, previous_until,
           valid_until, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(id)
    .bind(&r.number)
    .bind(r.signed_on)
    .bind(previous_until)
    .bind(r.valid_until)
    .bind(by.user_id)
    .bind(now())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    with_tx!(tx, |c| sqlx::query(
        "UPDATE collab_agreements SET valid_until = $1 WHERE id = $2"
    )
    .bind(r.valid_until)
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Record an agreement's early end (only while none is recorded).
pub async fn end(
    tx: &mut Tx,
    id: i64,
    e: &NewEnd,
    (by, agency_name): (By, &str),
) -> Result<u64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE collab_agreements SET ended_on = $1, end_reason = $2, ended_agency_name = $3,
           ended_by = $4, ended_at = $5 WHERE id = $6 AND ended_on IS NULL"
    )
    .bind(e.ended_on)
    .bind(&e.reason)
    .bind(agency_name)
    .bind(by.user_id)
    .bind(now())
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))
}

/// The regions with agreements, activities or forums, by name, for the feature's home page.
pub async fn regions_with_records(db: &Db) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, (String, String, i64)>(
        "SELECT x.region_code, r.name, COUNT(*) FROM (
             SELECT region_code FROM collab_agreements
             UNION ALL SELECT substr(region_code, 1, 5) FROM collab_activities
               WHERE length(region_code) >= 5
         ) x JOIN regions r ON r.code = x.region_code
         GROUP BY x.region_code, r.name ORDER BY r.name LIMIT 500"
    )
    .fetch_all(c)
    .await)
}
