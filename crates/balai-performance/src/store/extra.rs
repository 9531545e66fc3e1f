//! A unit's extra survey questions and their answers (tables `perf_extra_questions`,
//! `perf_extra_answers`).

use balai_core::ids::AgencyId;
use balai_core::{with_db, with_tx, Db, Tx};
use time::Date;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct QuestionRow {
    pub id: i64,
    pub agency_id: AgencyId,
    pub text_id: String,
    pub text_en: String,
    pub active: bool,
}

const COLUMNS: &str = "id, agency_id, text_id, text_en, active";

pub async fn insert(
    tx: &mut Tx,
    agency_id: AgencyId,
    text_id: &str,
    text_en: &str,
) -> Result<i64, sqlx::Error> {
    with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "INSERT INTO perf_extra_questions (agency_id, text_id, text_en, active, created_at)
         VALUES ($1, $2, $3, TRUE, $4) RETURNING id"
    )
    .bind(agency_id)
    .bind(text_id)
    .bind(text_en)
    .bind(balai_core::db::now())
    .fetch_one(&mut *c)
    .await)
}

/// Stop asking a question (its answers stay, and stay reported); `false` if the unit has no
/// such active question.
pub async fn retire(tx: &mut Tx, agency_id: AgencyId, id: i64) -> Result<bool, sqlx::Error> {
    let n = with_tx!(tx, |c| sqlx::query(
        "UPDATE perf_extra_questions SET active = FALSE
         WHERE id = $1 AND agency_id = $2 AND active = TRUE"
    )
    .bind(id)
    .bind(agency_id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// The questions the unit asks now, oldest first.
pub async fn active(db: &Db, agency_id: AgencyId) -> Result<Vec<QuestionRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM perf_extra_questions WHERE agency_id = $1 AND active = TRUE
         ORDER BY id"
    );
    with_db!(db, |c| sqlx::query_as::<_, QuestionRow>(&sql)
        .bind(agency_id)
        .fetch_all(c)
        .await)
}

/// The same, inside the transaction that stores an answer.
pub async fn active_tx(tx: &mut Tx, agency_id: AgencyId) -> Result<Vec<QuestionRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM perf_extra_questions WHERE agency_id = $1 AND active = TRUE
         ORDER BY id"
    );
    with_tx!(tx, |c| sqlx::query_as::<_, QuestionRow>(&sql)
        .bind(agency_id)
        .fetch_all(&mut *c)
        .await)
}

pub async fn insert_answer(
    tx: &mut Tx,
    response_id: i64,
    question_id: i64,
    score: u8,
) -> Result<(), sqlx::Error> {
    with_tx!(tx, |c| sqlx::query(
        "INSERT INTO perf_extra_answers (response_id, question_id, score) VALUES ($1, $2, $3)"
    )
    .bind(response_id)
    .bind(question_id)
    .bind(i32::from(score))
    .execute(&mut *c)
    .await
    .map(|_| ()))
}

/// One question with its answers in a period: how many, and the sum of their scores.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ResultRow {
    pub id: i64,
    pub text_id: String,
    pub text_en: String,
    pub active: bool,
    pub answers: i64,
    pub sum: i64,
}

/// Every question of the unit that is asked now or was answered in the period (of one
/// service, or all), oldest first.
pub async fn results(
    db: &Db,
    agency_id: AgencyId,
    from: Date,
    to: Date,
    service: Option<&str>,
) -> Result<Vec<ResultRow>, sqlx::Error> {
    with_db!(db, |c| {
        sqlx::query_as::<_, ResultRow>(
        "SELECT q.id, q.text_id, q.text_en, q.active,
                COUNT(r.id) AS answers, CAST(COALESCE(SUM(CASE WHEN r.id IS NULL THEN 0 ELSE a.score END), 0) AS BIGINT)
                  AS sum
         FROM perf_extra_questions q
         LEFT JOIN perf_extra_answers a ON a.question_id = q.id
         LEFT JOIN perf_survey_responses r ON r.id = a.response_id
              AND r.service_day >= $2 AND r.service_day <= $3 AND ($4 = '' OR r.service = $4)
         WHERE q.agency_id = $1
         GROUP BY q.id, q.text_id, q.text_en, q.active
         HAVING q.active OR COUNT(r.id) > 0
         ORDER BY q.id"
    )
    .bind(agency_id)
    .bind(from)
    .bind(to)
    .bind(service.unwrap_or(""))
    .fetch_all(c)
    .await
    })
}
