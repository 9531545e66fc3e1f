//! Agencies, users, roles and the scope every query is filtered by.

use std::sync::LazyLock;

use serde::Serialize;
use sqlx::PgConnection;

use crate::coalesce::{Coalescer, FetchFuture};
use crate::db::{Db, Tx};
use crate::{with_db, with_tx};

mod kinds;

pub use kinds::{agency_kind_valid, AgencyKind, Role, AGENCY_KINDS};

#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Agency {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub region_code: String,
}

impl Agency {
    /// Whether this agency is of `kind`.
    pub fn is(&self, kind: AgencyKind) -> bool {
        self.kind == kind.as_str()
    }
}

impl Agency {
    /// An agency from the columns of an outer join (none unless all are there).
    pub fn joined(
        id: Option<i64>,
        kind: Option<String>,
        name: Option<String>,
        region_code: Option<String>,
    ) -> Option<Agency> {
        Some(Agency {
            id: id?,
            kind: kind?,
            name: name?,
            region_code: region_code?,
        })
    }
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub agency_id: Option<i64>,
    pub role: String,
    pub is_superadmin: bool,
    pub disabled: bool,
    #[serde(skip)]
    pub password_hash: String,
}

/// What an actor may see: everything (super-admin) or the region subtree its agency serves,
/// for records of its own agency kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    Region {
        prefix: String,
        agency_id: i64,
        agency_kind: String,
    },
    /// A user without an agency who is not super-admin sees nothing.
    Nothing,
}

impl Scope {
    pub fn covers_region(&self, code: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Region { prefix, .. } => {
                code == prefix
                    || (code.starts_with(prefix.as_str())
                        && code.as_bytes().get(prefix.len()) == Some(&b'.'))
            }
            Scope::Nothing => false,
        }
    }

    /// May this scope see a record of an agency of `kind` in `region`?
    pub fn covers(&self, region: &str, kind: &str) -> bool {
        match self {
            Scope::Region { agency_kind, .. } => agency_kind == kind && self.covers_region(region),
            other => other.covers_region(region),
        }
    }

    pub fn region_prefix(&self) -> Option<&str> {
        match self {
            Scope::All => None,
            Scope::Region { prefix, .. } => Some(prefix),
            // A prefix no region has: matches nothing.
            Scope::Nothing => Some("-"),
        }
    }
}

pub async fn create_agency(
    tx: &mut Tx,
    kind: &str,
    name: &str,
    region_code: &str,
) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO agencies (kind, name, region_code, created_at) VALUES ($1, $2, $3, $4) RETURNING id"
    )
    .bind(kind)
    .bind(name)
    .bind(region_code)
    .bind(crate::db::now())
    .fetch_one(&mut *c)
    .await
    })
}

pub async fn find_agency(
    db: &Db,
    kind: &str,
    region_code: &str,
    name: &str,
) -> Result<Option<Agency>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as::<_, Agency>(
        "SELECT id, kind, name, region_code FROM agencies WHERE kind = $1 AND region_code = $2 AND name = $3"
    )
    .bind(kind)
    .bind(region_code)
    .bind(name)
    .fetch_optional(c)
    .await
    })
}

pub async fn get_agency(db: &Db, id: i64) -> Result<Option<Agency>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, Agency>(
        "SELECT id, kind, name, region_code FROM agencies WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(c)
    .await)
}

/// Agencies a scope may see.
pub async fn list_agencies(db: &Db, scope: &Scope) -> Result<Vec<Agency>, sqlx::Error> {
    let all: Vec<Agency> = with_db!(db, |c| {
        sqlx::query_as::<_, Agency>(
        "SELECT id, kind, name, region_code FROM agencies WHERE region_code = $1 OR region_code LIKE $2 OR $1 = '*'
         ORDER BY region_code, kind, name"
    )
    .bind(scope.region_prefix().unwrap_or("*"))
    .bind(format!("{}.%", scope.region_prefix().unwrap_or("*")))
    .fetch_all(c)
    .await
    })?;
    Ok(all
        .into_iter()
        .filter(|a| scope.covers(&a.region_code, &a.kind))
        .collect())
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub email: Option<&'a str>,
    pub agency_id: Option<i64>,
    pub role: Role,
    pub is_superadmin: bool,
    pub password_hash: &'a str,
}

pub fn username_valid(u: &str) -> bool {
    (3..=64).contains(&u.len())
        && u.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

pub async fn create_user(tx: &mut Tx, u: &NewUser<'_>) -> Result<i64, sqlx::Error> {
    let now = crate::db::now();
    with_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO users (username, display_name, email, agency_id, role, is_superadmin, password_hash,
           disabled, created_at, password_changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, FALSE, $8, $8) RETURNING id"
    )
    .bind(u.username)
    .bind(u.display_name)
    .bind(u.email)
    .bind(u.agency_id)
    .bind(u.role.as_str())
    .bind(u.is_superadmin)
    .bind(u.password_hash)
    .bind(now)
    .fetch_one(&mut *c)
    .await
    })
}

const USER_COLS: &str =
    "id, username, display_name, email, agency_id, role, is_superadmin, disabled, password_hash";

pub async fn user_by_name(db: &Db, username: &str) -> Result<Option<User>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE username = $1");
    with_db!(db, |c| sqlx::query_as::<_, User>(&sql)
        .bind(username)
        .fetch_optional(c)
        .await)
}

pub async fn user_by_id(db: &Db, id: i64) -> Result<Option<User>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLS} FROM users WHERE id = $1");
    with_db!(db, |c| sqlx::query_as::<_, User>(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)
}

/// A user row with its agency's columns from a `LEFT JOIN` (absent without an agency).
#[derive(sqlx::FromRow)]
struct UserAgencyRow {
    #[sqlx(flatten)]
    user: User,
    agency_kind: Option<String>,
    agency_name: Option<String>,
    agency_region: Option<String>,
}

impl UserAgencyRow {
    fn split(self) -> (User, Option<Agency>) {
        let agency = Agency::joined(
            self.user.agency_id,
            self.agency_kind,
            self.agency_name,
            self.agency_region,
        );
        (self.user, agency)
    }
}

/// `SELECT` of a user (`u`) and its agency (`a`) for [`UserAgencyRow`], after the columns
/// `lead` (empty, or ending in `, `); the caller adds the join that finds `u` and the `WHERE`.
fn user_agency_select(lead: &str, from: &str) -> String {
    let cols = USER_COLS
        .split(',')
        .map(|c| format!("u.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "SELECT {lead}{cols}, a.kind AS agency_kind, a.name AS agency_name,
                a.region_code AS agency_region
         FROM {from} LEFT JOIN agencies a ON a.id = u.agency_id"
    )
}

/// The user behind a live API token, with its agency: one statement for all three, since
/// every API request needs them before anything else.
pub async fn user_by_token_hash(
    db: &Db,
    token_hash: &str,
) -> Result<Option<(User, Option<Agency>)>, sqlx::Error> {
    let sql = format!(
        "{} WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
        user_agency_select("", "api_tokens t JOIN users u ON u.id = t.user_id")
    );
    let row = with_db!(db, |c| sqlx::query_as::<_, UserAgencyRow>(&sql)
        .bind(token_hash)
        .fetch_optional(c)
        .await)?;
    Ok(row.map(UserAgencyRow::split))
}

/// API token look-ups: on PostgreSQL the look-ups of requests that arrive together share one
/// statement ([`crate::coalesce`]); on SQLite each runs directly ([`user_by_token_hash`]).
#[derive(Clone, Debug)]
pub struct TokenLookups {
    db: Db,
    pg: Option<Coalescer<String, (User, Option<Agency>)>>,
}

impl TokenLookups {
    /// Start the look-up task (PostgreSQL) on the current Tokio runtime.
    pub fn start(db: &Db) -> Self {
        let pg = match db {
            Db::Postgres(pool) => Some(Coalescer::start(pool.clone(), users_by_token_hashes)),
            Db::Sqlite { .. } => None,
        };
        TokenLookups { db: db.clone(), pg }
    }

    /// The user behind a live API token, with its agency.
    pub async fn user_by_token_hash(
        &self,
        token_hash: String,
    ) -> Result<Option<(User, Option<Agency>)>, sqlx::Error> {
        match &self.pg {
            Some(c) => c.get(token_hash).await,
            None => user_by_token_hash(&self.db, &token_hash).await,
        }
    }

    /// Statements the PostgreSQL look-ups have run so far (`None` on SQLite).
    pub fn statements(&self) -> Option<u64> {
        self.pg.as_ref().map(Coalescer::statements)
    }
}

/// A user-and-agency row with the token hash that found it.
#[derive(sqlx::FromRow)]
struct TokenUserRow {
    token_hash: String,
    #[sqlx(flatten)]
    row: UserAgencyRow,
}

/// The users behind these live tokens, with their agencies, in one statement (PostgreSQL).
fn users_by_token_hashes(
    c: &mut PgConnection,
    hashes: Vec<String>,
) -> FetchFuture<'_, String, (User, Option<Agency>)> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "{} WHERE t.token_hash = ANY($1) AND t.revoked_at IS NULL",
            user_agency_select(
                "t.token_hash, ",
                "api_tokens t JOIN users u ON u.id = t.user_id"
            )
        )
    });
    Box::pin(async move {
        let rows = sqlx::query_as::<_, TokenUserRow>(&SQL)
            .bind(hashes)
            .fetch_all(c)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.token_hash, r.row.split()))
            .collect())
    })
}

/// A user by id, with its agency, in one statement.
pub async fn user_with_agency(
    db: &Db,
    id: i64,
) -> Result<Option<(User, Option<Agency>)>, sqlx::Error> {
    let sql = format!("{} WHERE u.id = $1", user_agency_select("", "users u"));
    let row = with_db!(db, |c| sqlx::query_as::<_, UserAgencyRow>(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(row.map(UserAgencyRow::split))
}

/// Users with their agency, filtered by scope.
pub async fn list_users(
    db: &Db,
    scope: &Scope,
) -> Result<Vec<(User, Option<Agency>)>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLS} FROM users ORDER BY username");
    let users: Vec<User> = with_db!(db, |c| sqlx::query_as::<_, User>(&sql).fetch_all(c).await)?;
    let agencies = list_agencies(db, &Scope::All).await?;
    let mut out = Vec::new();
    for u in users {
        let agency = u
            .agency_id
            .and_then(|id| agencies.iter().find(|a| a.id == id).cloned());
        let visible = match (&agency, scope) {
            (_, Scope::All) => true,
            (Some(a), s) => s.covers(&a.region_code, &a.kind),
            (None, _) => false,
        };
        if visible {
            out.push((u, agency));
        }
    }
    Ok(out)
}

pub async fn set_disabled(tx: &mut Tx, user_id: i64, disabled: bool) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(disabled)
            .bind(user_id)
            .execute(&mut *c)
            .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *c)
                .await?;
        }
    });
    if disabled {
        revoke_api_tokens(tx, user_id).await?;
    }
    Ok(())
}

/// Revoke every API token of a user.
async fn revoke_api_tokens(tx: &mut Tx, user_id: i64) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL"
    )
    .bind(crate::db::now())
    .bind(user_id)
    .execute(&mut *c)
    .await
    .map(|_| ()))
}

/// Set a new password hash, end the user's other sessions and revoke the user's API tokens
/// (whoever learnt the old password may have made one).
pub async fn set_password_hash(
    tx: &mut Tx,
    user_id: i64,
    hash: &str,
    keep_session: Option<&str>,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
            .bind(hash)
            .bind(crate::db::now())
            .bind(user_id)
            .execute(&mut *c)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
            .bind(user_id)
            .bind(keep_session.unwrap_or(""))
            .execute(&mut *c)
            .await?;
    });
    revoke_api_tokens(tx, user_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_rules() {
        let banjar = Scope::Region {
            prefix: "32.79".into(),
            agency_id: 1,
            agency_kind: "kpu".into(),
        };
        assert!(banjar.covers("32.79.01.1001", "kpu"));
        assert!(!banjar.covers("32.79.01.1001", "bawaslu"));
        assert!(!banjar.covers("16.71", "kpu"));
        assert!(!banjar.covers_region("32.7"));
        assert!(!banjar.covers_region("32.791"));
        assert!(Scope::All.covers("16.71", "kpu"));
        assert!(!Scope::Nothing.covers_region("16.71"));
        assert!(username_valid("kpu.banjar-1"));
        assert!(!username_valid("Admin"));
        assert!(!username_valid("a b"));
    }
}
