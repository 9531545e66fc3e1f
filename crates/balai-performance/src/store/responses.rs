//! Survey answers (table `perf_survey_responses`): the nine scores, the respondent's optional
//! facts and comment, the unit, service and day. No code, person or time of day.

use balai_core::ids::AgencyId;
use balai_core::{with_db, with_tx, Db, Tx};
use time::Date;

use crate::domain::elements::COUNT;
use crate::domain::ikm::Tally;

pub struct NewResponse<'a> {
    pub agency_id: AgencyId,
    pub service: &'a str,
    pub service_day: Date,
    pub scores: [u8; COUNT],
    pub age_band: Option<&'a str>,
    pub sex: Option<&'a str>,
    pub education: Option<&'a str>,
    pub occupation: Option<&'a str>,
    pub comment: Option<&'a str>,
}

/// Store an answer; its id (for the answers to the unit's extra questions).
pub async fn insert(tx: &mut Tx, r: &NewResponse<'_>) -> Result<i64, sqlx::Error> {
    let s = r.scores.map(i32::from);
    with_tx!(tx, |c| sqlx::query_scalar::<_, i64>(
        "INSERT INTO perf_survey_responses
           (agency_id, service, service_day, u1, u2, u3, u4, u5, u6, u7, u8, u9,
            age_band, sex, education, occupation, comment)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
         RETURNING id"
    )
    .bind(r.agency_id)
    .bind(r.service)
    .bind(r.service_day)
    .bind(s[0])
    .bind(s[1])
    .bind(s[2])
    .bind(s[3])
    .bind(s[4])
    .bind(s[5])
    .bind(s[6])
    .bind(s[7])
    .bind(s[8])
    .bind(r.age_band)
    .bind(r.sex)
    .bind(r.education)
    .bind(r.occupation)
    .bind(r.comment)
    .fetch_one(&mut *c)
    .await)
}

/// How answers are grouped in a report table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    Service,
    AgeBand,
    Sex,
    Education,
    Occupation,
}

impl GroupBy {
    fn column(self) -> &'static str {
        match self {
            GroupBy::Service => "service",
            GroupBy::AgeBand => "COALESCE(age_band, '')",
            GroupBy::Sex => "COALESCE(sex, '')",
            GroupBy::Education => "COALESCE(education, '')",
            GroupBy::Occupation => "COALESCE(occupation, '')",
        }
    }
}

type TallyRow = (String, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);

fn to_tally(r: &TallyRow) -> (String, Tally) {
    (
        r.0.clone(),
        Tally {
            responses: r.1,
            sums: [r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10],
        },
    )
}

const SUMS: &str =
    "COUNT(*), CAST(COALESCE(SUM(u1), 0) AS BIGINT), CAST(COALESCE(SUM(u2), 0) AS BIGINT),
    CAST(COALESCE(SUM(u3), 0) AS BIGINT), CAST(COALESCE(SUM(u4), 0) AS BIGINT),
    CAST(COALESCE(SUM(u5), 0) AS BIGINT), CAST(COALESCE(SUM(u6), 0) AS BIGINT),
    CAST(COALESCE(SUM(u7), 0) AS BIGINT), CAST(COALESCE(SUM(u8), 0) AS BIGINT),
    CAST(COALESCE(SUM(u9), 0) AS BIGINT)";

/// The answers of a unit in a period (of one service, or all), grouped (`None`: one group
/// named "").
pub async fn tallies(
    db: &Db,
    agency_id: AgencyId,
    from: Date,
    to: Date,
    service: Option<&str>,
    group: Option<GroupBy>,
) -> Result<Vec<(String, Tally)>, sqlx::Error> {
    let key = group.map_or("''", GroupBy::column);
    let sql = format!(
        "SELECT CAST({key} AS TEXT) AS k, {SUMS} FROM perf_survey_responses
         WHERE agency_id = $1 AND service_day >= $2 AND service_day <= $3
           AND ($4 = '' OR service = $4)
         GROUP BY k ORDER BY k"
    );
    let rows: Vec<TallyRow> = with_db!(db, |c| sqlx::query_as(&sql)
        .bind(agency_id)
        .bind(from)
        .bind(to)
        .bind(service.unwrap_or(""))
        .fetch_all(c)
        .await)?;
    Ok(rows.iter().map(to_tally).collect())
}

/// One tally of a unit's answers in a period.
pub async fn tally(
    db: &Db,
    agency_id: AgencyId,
    from: Date,
    to: Date,
    service: Option<&str>,
) -> Result<Tally, sqlx::Error> {
    Ok(tallies(db, agency_id, from, to, service, None)
        .await?
        .into_iter()
        .next()
        .map(|(_, t)| t)
        .unwrap_or_default())
}

/// Per unit, the tally of a period: for the public list and the league table.
pub async fn tallies_by_unit(
    db: &Db,
    from: Date,
    to: Date,
) -> Result<Vec<(AgencyId, Tally)>, sqlx::Error> {
    let sql = format!(
        "SELECT CAST(agency_id AS TEXT) AS k, {SUMS} FROM perf_survey_responses
         WHERE service_day >= $1 AND service_day <= $2
         GROUP BY agency_id ORDER BY agency_id"
    );
    let rows: Vec<TallyRow> = with_db!(db, |c| sqlx::query_as(&sql)
        .bind(from)
        .bind(to)
        .fetch_all(c)
        .await)?;
    Ok(rows
        .iter()
        .map(to_tally)
        .filter_map(|(k, t)| k.parse::<i64>().ok().map(|id| (AgencyId(id), t)))
        .collect())
}

/// The services a unit has answers or codes for, for the report's choice of service.
pub async fn services(db: &Db, agency_id: AgencyId) -> Result<Vec<String>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_scalar::<_, String>(
        "SELECT DISTINCT service FROM perf_survey_codes WHERE agency_id = $1 AND service <> ''
         ORDER BY service"
    )
    .bind(agency_id)
    .fetch_all(c)
    .await)
}
