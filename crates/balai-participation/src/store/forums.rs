//! Forums and their members.

use balai_core::db::now;
use balai_core::{with_db, with_tx, Db, Tx};
use time::Date;

use super::{subtree, By};
use crate::domain::forum::{NewForum, NewMember};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ForumRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub region_code: String,
    pub agency_id: Option<i64>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MemberRow {
    pub forum_id: i64,
    pub person: String,
    pub organisation: String,
    pub position: String,
    pub from_day: Date,
    pub to_day: Option<Date>,
}

pub async fn insert(tx: &mut Tx, f: &NewForum, by: By) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "INSERT INTO collab_forums (name, kind, region_code, agency_id, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
    )
    .bind(&f.name)
    .bind(f.kind.as_str())
    .bind(f.region.as_str())
    .bind(by.agency_id)
    .bind(by.user_id)
    .bind(now())
    .fetch_one(&mut *c)
    .await)
}

pub async fn add_member(tx: &mut Tx, forum_id: i64, m: &NewMember) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "INSERT INTO collab_forum_members (forum_id, person, organisation, position, from_day,
           to_day) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
    )
    .bind(forum_id)
    .bind(&m.person)
    .bind(&m.organisation)
    .bind(&m.position)
    .bind(m.from)
    .bind(m.to)
    .fetch_one(&mut *c)
    .await)
}

pub async fn lock(tx: &mut Tx, id: i64) -> Result<Option<ForumRow>, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_as::<_, ForumRow>(
        "SELECT id, name, kind, region_code, agency_id FROM collab_forums WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(&mut *c)
    .await)
}

pub async fn under(db: &Db, region: &str) -> Result<Vec<ForumRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, ForumRow>(
        "SELECT id, name, kind, region_code, agency_id FROM collab_forums
         WHERE region_code = $1 OR region_code LIKE $2 ORDER BY name, id LIMIT 500"
    )
    .bind(region)
    .bind(subtree(region))
    .fetch_all(c)
    .await)
}

pub async fn members_under(db: &Db, region: &str) -> Result<Vec<MemberRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, MemberRow>(
        "SELECT m.forum_id, m.person, m.organisation, m.position, m.from_day, m.to_day
         FROM collab_forum_members m JOIN collab_forums f ON f.id = m.forum_id
         WHERE f.region_code = $1 OR f.region_code LIKE $2 ORDER BY m.forum_id, m.id"
    )
    .bind(region)
    .bind(subtree(region))
    .fetch_all(c)
    .await)
}
