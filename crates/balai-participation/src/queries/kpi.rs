//! Partisipasi's KPI for a unit (the agency organising outreach), for Kinerja's pages through
//! [`balai_core::kpi`]: outreach activities done against planned — of the activities the unit
//! organises on a day in the period, those held: the day has come and attendance is recorded
//! (participants, or an attending institution's count).

use balai_core::accounts::Agency;
use balai_core::format::Zone;
use balai_core::kpi::{Better, KpiFigure, KpiFuture, KpiSource, KpiValue};
use balai_core::{with_db, Db};
use time::Date;

/// The KPI source of Partisipasi & kolaborasi.
pub struct ParticipationKpis;

async fn figures(
    db: &Db,
    unit: &Agency,
    from: Date,
    to: Date,
) -> Result<Vec<KpiFigure>, sqlx::Error> {
    let today = balai_core::db::now()
        .to_offset(Zone::for_region(&unit.region_code).offset())
        .date();
    let (whole, part): (i64, i64) = with_db!(db, |c| sqlx::query_as(
        "SELECT COUNT(*),
           CAST(COALESCE(SUM(CASE WHEN a.day <= $4 AND (a.participants > 0 OR EXISTS (
                 SELECT 1 FROM collab_attendance t WHERE t.activity_id = a.id AND t.attendees > 0))
               THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM collab_activities a
         WHERE a.organiser_agency_id = $1 AND a.day >= $2 AND a.day <= $3"
    )
    .bind(unit.id)
    .bind(from)
    .bind(to)
    .bind(today)
    .fetch_one(c)
    .await)?;
    if whole == 0 {
        return Ok(Vec::new());
    }
    Ok(vec![KpiFigure {
        key: "participation.outreach_done".into(),
        label_id: "Kegiatan sosialisasi terlaksana dari yang direncanakan".into(),
        label_en: "Outreach activities done of those planned".into(),
        value: KpiValue::Share { part, whole },
        better: Better::Higher,
    }])
}

impl KpiSource for ParticipationKpis {
    fn figures<'a>(&'a self, db: &'a Db, unit: &'a Agency, from: Date, to: Date) -> KpiFuture<'a> {
        Box::pin(figures(db, unit, from, to))
    }
}
