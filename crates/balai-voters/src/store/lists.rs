//! The `voter_lists` and `voter_list_villages` tables: every version of an election's list
//! with its counts.

use balai_core::{with_db, with_tx, Db, Tx};
use time::OffsetDateTime;

/// A version's counts, the list's and one village's alike.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub voters: i64,
    pub male: i64,
    pub female: i64,
    pub tps: i64,
}

/// A stored version.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListRow {
    pub id: i64,
    pub election_id: i64,
    pub version: i64,
    pub stage: String,
    pub voters: i64,
    pub male: i64,
    pub female: i64,
    pub tps: i64,
    pub villages: i64,
    pub imported_at: OffsetDateTime,
}

const COLS: &str =
    "id, election_id, version, stage, voters, male, female, tps, villages, imported_at";

/// The newest version of an election's list.
pub async fn latest_tx(tx: &mut Tx, election_id: i64) -> Result<Option<ListRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLS} FROM voter_lists WHERE election_id = $1 ORDER BY version DESC LIMIT 1"
    );
    with_tx!(tx, |c| sqlx::query_as::<_, ListRow>(&sql)
        .bind(election_id)
        .fetch_optional(&mut *c)
        .await)
}

/// Every version of an election's list, newest first.
pub async fn versions(db: &Db, election_id: i64) -> Result<Vec<ListRow>, sqlx::Error> {
    let sql =
        format!("SELECT {COLS} FROM voter_lists WHERE election_id = $1 ORDER BY version DESC");
    with_db!(db, |c| sqlx::query_as::<_, ListRow>(&sql)
        .bind(election_id)
        .fetch_all(c)
        .await)
}

/// Store a version and its per-village counts; returns its id.
pub async fn insert(
    tx: &mut Tx,
    election_id: i64,
    version: i64,
    stage: &str,
    total: &Counts,
    villages: &[(String, Counts)],
    by: Option<i64>,
) -> Result<i64, sqlx::Error> {
    let id: i64 = with_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO voter_lists (election_id, version, stage, voters, male, female, tps,
           villages, imported_at, imported_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         RETURNING id"
    )
    .bind(election_id)
    .bind(version)
    .bind(stage)
    .bind(total.voters)
    .bind(total.male)
    .bind(total.female)
    .bind(total.tps)
    .bind(i64::try_from(villages.len()).unwrap_or(i64::MAX))
    .bind(balai_core::db::now())
    .bind(by)
    .fetch_one(&mut *c)
    .await)?;
    for chunk in villages.chunks(1000) {
        with_tx!(tx, |c| {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO voter_list_villages (list_id, village_code, voters, male, female, tps) ",
            );
            qb.push_values(chunk, |mut b, (code, n)| {
                b.push_bind(id)
                    .push_bind(code.clone())
                    .push_bind(n.voters)
                    .push_bind(n.male)
                    .push_bind(n.female)
                    .push_bind(n.tps);
            });
            qb.build().execute(&mut *c).await?;
        });
    }
    Ok(id)
}

/// A version's counts per village, with the village's name.
pub async fn villages(db: &Db, list_id: i64) -> Result<Vec<(String, String, Counts)>, sqlx::Error> {
    let rows: Vec<(String, String, i64, i64, i64, i64)> = with_db!(db, |c| {
        sqlx::query_as(
        "SELECT v.village_code, COALESCE(r.name, v.village_code), v.voters, v.male, v.female, v.tps
         FROM voter_list_villages v LEFT JOIN regions r ON r.code = v.village_code
         WHERE v.list_id = $1 ORDER BY v.village_code"
    )
    .bind(list_id)
    .fetch_all(c)
    .await
    })?;
    Ok(rows
        .into_iter()
        .map(|(code, name, voters, male, female, tps)| {
            (
                code,
                name,
                Counts {
                    voters,
                    male,
                    female,
                    tps,
                },
            )
        })
        .collect())
}

/// A version's counts per village, in the caller's transaction.
pub async fn village_counts_tx(
    tx: &mut Tx,
    list_id: i64,
) -> Result<Vec<(String, Counts)>, sqlx::Error> {
    let rows: Vec<(String, i64, i64, i64, i64)> = with_tx!(tx, |c| sqlx::query_as(
        "SELECT village_code, voters, male, female, tps FROM voter_list_villages
         WHERE list_id = $1 ORDER BY village_code"
    )
    .bind(list_id)
    .fetch_all(&mut *c)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(code, voters, male, female, tps)| {
            (
                code,
                Counts {
                    voters,
                    male,
                    female,
                    tps,
                },
            )
        })
        .collect())
}
