//! Partisipasi's KPI for a unit (the agency organising outreach), for Kinerja's pages through
//! [`balai_core::kpi`]: outreach activities done against planned — of the activities the unit
//! organises on a day in the period, those held: the day has come and attendance is recorded
//! (participants, or an attending institution's count) and it was not withdrawn (cancelled).

use balai_core::accounts::Agency;
use balai_core::kpi::{count_share, higher_share, KpiFigure, KpiFuture, KpiSource};
use balai_core::Db;
use time::Date;

/// The KPI source of Partisipasi & kolaborasi.
pub struct ParticipationKpis;

async fn figures(
    db: &Db,
    unit: &Agency,
    from: Date,
    to: Date,
) -> Result<Vec<KpiFigure>, sqlx::Error> {
    let sql = "SELECT COUNT(*),
           CAST(COALESCE(SUM(CASE WHEN a.withdrawn_at IS NULL AND a.day <= $4 AND (a.participants > 0 OR EXISTS (
                 SELECT 1 FROM collab_attendance t WHERE t.activity_id = a.id AND t.attendees > 0))
               THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM collab_activities a
         WHERE a.organiser_agency_id = $1 AND a.day >= $2 AND a.day <= $3";
    Ok(higher_share(
        "participation.outreach_done",
        "Kegiatan sosialisasi terlaksana dari yang direncanakan",
        "Outreach activities done of those planned",
        count_share(db, sql, unit, from, to).await?,
    ))
}

impl KpiSource for ParticipationKpis {
    fn figures<'a>(&'a self, db: &'a Db, unit: &'a Agency, from: Date, to: Date) -> KpiFuture<'a> {
        Box::pin(figures(db, unit, from, to))
    }
}
