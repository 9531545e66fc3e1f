//! SQL for both backends: `sops` and `sop_versions`, and the few reads of accounts the feature
//! needs; training and the roster are in [`training`]. Every write takes the caller's
//! transaction; a read used inside a command has a `_tx` twin with the same statement.

pub mod training;

use balai_core::{with_db, with_tx, Db, Tx};
use time::OffsetDateTime;

/// An SOP with its owner's and region's names.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SopRow {
    pub id: i64,
    pub agency_id: i64,
    pub agency_name: String,
    pub agency_kind: String,
    pub region_code: String,
    pub region_name: String,
    pub title: String,
    pub purpose: String,
    pub legal_basis: String,
    pub documents: String,
    pub parent_id: Option<i64>,
    pub review_needed: bool,
}

const SOP_SELECT: &str = "SELECT s.id, s.agency_id, a.name AS agency_name, a.kind AS agency_kind,
        s.region_code, r.name AS region_name, s.title, s.purpose, s.legal_basis, s.documents,
        s.parent_id, s.review_needed
    FROM sops s JOIN agencies a ON a.id = s.agency_id JOIN regions r ON r.code = s.region_code";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct VersionRow {
    pub version: i64,
    pub body: String,
    pub parent_version: Option<i64>,
    pub change_note: String,
    pub major: bool,
    pub published_at: Option<OffsetDateTime>,
    pub author_label: String,
    pub created_at: OffsetDateTime,
}

const VERSIONS: &str = "SELECT version, body, parent_version, change_note, major, published_at,
        author_label, created_at
    FROM sop_versions WHERE sop_id = $1 ORDER BY version";

pub struct NewSop<'a> {
    pub agency_id: i64,
    pub region_code: &'a str,
    pub title: &'a str,
    pub purpose: &'a str,
    pub legal_basis: &'a str,
    pub documents: &'a str,
    pub parent_id: Option<i64>,
}

pub async fn insert_sop(tx: &mut Tx, s: &NewSop<'_>) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO sops (agency_id, region_code, title, purpose, legal_basis, documents,
             parent_id, review_needed, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, FALSE, $8) RETURNING id"
    )
    .bind(s.agency_id)
    .bind(s.region_code)
    .bind(s.title)
    .bind(s.purpose)
    .bind(s.legal_basis)
    .bind(s.documents)
    .bind(s.parent_id)
    .bind(balai_core::db::now())
    .fetch_one(&mut *c)
    .await)
}

/// A version to store: built with [`NewVersion::new`] (published, minor, no note, no parent
/// version) and the setters below.
pub struct NewVersion<'a> {
    pub sop_id: i64,
    pub version: i64,
    pub body: &'a str,
    pub parent_version: Option<i64>,
    pub change_note: &'a str,
    pub major: bool,
    pub published: bool,
    pub author_user_id: Option<i64>,
    pub author_label: &'a str,
}

impl<'a> NewVersion<'a> {
    /// Version `version` of SOP `sop_id` with `body`, by `(user id, label)` (no user: the
    /// system, e.g. the demo).
    pub fn new(sop_id: i64, version: u32, body: &'a str, author: (Option<i64>, &'a str)) -> Self {
        NewVersion {
            sop_id,
            version: i64::from(version),
            body,
            parent_version: None,
            change_note: "",
            major: false,
            published: true,
            author_user_id: author.0,
            author_label: author.1,
        }
    }

    pub fn parent(mut self, version: u32) -> Self {
        self.parent_version = Some(i64::from(version));
        self
    }

    pub fn note(mut self, note: &'a str) -> Self {
        self.change_note = note;
        self
    }

    pub fn major(mut self, major: bool) -> Self {
        self.major = major;
        self
    }

    pub fn published(mut self, published: bool) -> Self {
        self.published = published;
        self
    }
}

pub async fn insert_version(tx: &mut Tx, v: &NewVersion<'_>) -> Result<(), sqlx::Error> {
    let now = balai_core::db::now();
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO sop_versions (sop_id, version, body, parent_version, change_note, major,
             published_at, author_user_id, author_label, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    )
    .bind(v.sop_id)
    .bind(v.version)
    .bind(v.body)
    .bind(v.parent_version)
    .bind(v.change_note)
    .bind(v.major)
    .bind(v.published.then_some(now))
    .bind(v.author_user_id)
    .bind(v.author_label)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Publish a draft version; returns whether there was one.
pub async fn publish(tx: &mut Tx, sop_id: i64, version: i64) -> Result<bool, sqlx::Error> {
    let n = with_tx!(tx, |c| sqlx::query(
        "UPDATE sop_versions SET published_at = $3
         WHERE sop_id = $1 AND version = $2 AND published_at IS NULL"
    )
    .bind(sop_id)
    .bind(version)
    .bind(balai_core::db::now())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

pub async fn set_review_needed(tx: &mut Tx, sop_id: i64, needed: bool) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE sops SET review_needed = $2 WHERE id = $1"
    )
    .bind(sop_id)
    .bind(needed)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn sop(db: &Db, id: i64) -> Result<Option<SopRow>, sqlx::Error> {
    let sql = format!("{SOP_SELECT} WHERE s.id = $1");
    with_db!(db, |c| sqlx::query_as::<_, SopRow>(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

pub async fn sop_tx(tx: &mut Tx, id: i64) -> Result<Option<SopRow>, sqlx::Error> {
    let sql = format!("{SOP_SELECT} WHERE s.id = $1");
    with_tx!(tx, |c| sqlx::query_as::<_, SopRow>(&sql)
        .bind(id)
        .fetch_optional(&mut *c)
        .await)
}

/// The adoptions of an SOP, by region code.
pub async fn children(db: &Db, parent_id: i64) -> Result<Vec<SopRow>, sqlx::Error> {
    let sql = format!("{SOP_SELECT} WHERE s.parent_id = $1 ORDER BY s.region_code");
    with_db!(db, |c| sqlx::query_as::<_, SopRow>(&sql)
        .bind(parent_id)
        .fetch_all(c)
        .await)
}

pub async fn children_tx(tx: &mut Tx, parent_id: i64) -> Result<Vec<SopRow>, sqlx::Error> {
    let sql = format!("{SOP_SELECT} WHERE s.parent_id = $1 ORDER BY s.region_code");
    with_tx!(tx, |c| sqlx::query_as::<_, SopRow>(&sql)
        .bind(parent_id)
        .fetch_all(&mut *c)
        .await)
}

/// Every SOP, provinces' first, then by region and title (the list page filters by what the
/// reader may see).
pub async fn all(db: &Db) -> Result<Vec<SopRow>, sqlx::Error> {
    let sql = format!("{SOP_SELECT} ORDER BY s.region_code, s.title, s.id");
    with_db!(db, |c| sqlx::query_as::<_, SopRow>(&sql).fetch_all(c).await)
}

pub async fn versions(db: &Db, sop_id: i64) -> Result<Vec<VersionRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, VersionRow>(VERSIONS)
        .bind(sop_id)
        .fetch_all(c)
        .await)
}

pub async fn versions_tx(tx: &mut Tx, sop_id: i64) -> Result<Vec<VersionRow>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_as::<_, VersionRow>(VERSIONS)
        .bind(sop_id)
        .fetch_all(&mut *c)
        .await)
}

/// The agency of `kind` serving exactly `region` (the first one, for a super-admin acting
/// there).
pub async fn agency_at(
    tx: &mut Tx,
    kind: &str,
    region: &str,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_as::<_, (i64, String)>(
        "SELECT id, name FROM agencies WHERE kind = $1 AND region_code = $2 ORDER BY id LIMIT 1"
    )
    .bind(kind)
    .bind(region)
    .fetch_optional(&mut *c)
    .await)
}

/// The email addresses of an agency's active admins (who are told an adoption needs review).
pub async fn admin_emails(tx: &mut Tx, agency_id: i64) -> Result<Vec<String>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar(
        "SELECT email FROM users WHERE agency_id = $1 AND role = 'admin' AND disabled = FALSE
           AND email IS NOT NULL ORDER BY id"
    )
    .bind(agency_id)
    .fetch_all(&mut *c)
    .await)
}

pub async fn region_exists(tx: &mut Tx, code: &str) -> Result<bool, sqlx::Error> {
    balai_core::regions::exists_in_tx(tx, code).await
}

/// Each SOP's highest published version (`None`: only a draft so far).
pub async fn published_heads(db: &Db) -> Result<Vec<(i64, Option<i64>)>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, (i64, Option<i64>)>(
        "SELECT sop_id, MAX(CASE WHEN published_at IS NOT NULL THEN version END)
         FROM sop_versions GROUP BY sop_id"
    )
    .fetch_all(c)
    .await)
}
