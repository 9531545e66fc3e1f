//! Keterbukaan informasi's KPI for a unit (the agency whose PPID received the requests), for
//! Kinerja's pages through [`balai_core::kpi`]: requests answered on time — of the requests
//! whose answer fell due in the period (10 working days, or 17 when extended: UU 14/2008
//! art. 22(7)–(8)) and that are answered or past their due day, those answered (fully, partly
//! or by a refusal) on or before it. A request not yet due and not yet answered is not counted.

use balai_core::accounts::Agency;
use balai_core::kpi::{count_share, higher_share, KpiFigure, KpiFuture, KpiSource, ServedFuture};
use balai_core::{with_db, Db};
use time::Date;

use crate::domain::clocks::{Clock, SUBJECT_KIND};

/// The KPI source of Keterbukaan informasi.
pub struct InformationKpis;

async fn figures(
    db: &Db,
    unit: &Agency,
    from: Date,
    to: Date,
) -> Result<Vec<KpiFigure>, sqlx::Error> {
    let sql = format!(
        "SELECT COUNT(*),
           CAST(COALESCE(SUM(CASE WHEN r.answered_on <= k.due_day THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM info_requests r
         JOIN clocks k ON k.subject_kind = '{SUBJECT_KIND}'
              AND k.subject_id = CAST(r.id AS TEXT) AND k.purpose = '{}'
         WHERE r.agency_id = $1 AND k.due_day >= $2 AND k.due_day <= $3
           AND (r.answered_on IS NOT NULL OR k.due_day < $4)",
        Clock::Answer.as_str()
    );
    Ok(higher_share(
        "information.answered_on_time",
        "Permohonan informasi dijawab tepat waktu",
        "Information requests answered on time",
        count_share(db, &sql, unit, from, to).await?,
    ))
}

/// The requests the unit's PPID received in the period (every channel).
async fn served(db: &Db, unit: &Agency, from: Date, to: Date) -> Result<Option<i64>, sqlx::Error> {
    let n: i64 = with_db!(db, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM info_requests
         WHERE agency_id = $1 AND received_on >= $2 AND received_on <= $3"
    )
    .bind(unit.id)
    .bind(from)
    .bind(to)
    .fetch_one(c)
    .await)?;
    Ok(Some(n))
}

impl KpiSource for InformationKpis {
    fn figures<'a>(&'a self, db: &'a Db, unit: &'a Agency, from: Date, to: Date) -> KpiFuture<'a> {
        Box::pin(figures(db, unit, from, to))
    }

    fn served<'a>(
        &'a self,
        db: &'a Db,
        unit: &'a Agency,
        from: Date,
        to: Date,
    ) -> ServedFuture<'a> {
        Box::pin(served(db, unit, from, to))
    }
}
