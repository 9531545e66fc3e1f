//! Aduan's KPIs for a unit (the agency the reports are routed to), for Kinerja's pages through
//! [`balai_core::kpi`]: reports dispatched and answered within their working-day clocks
//! (LAPOR! SP4N, DOMAIN.md §4), the median working days from filing to answer, and reports the
//! reporter reopened. Days are the unit's local days.

use balai_core::accounts::Agency;
use balai_core::calendar;
use balai_core::format::Zone;
use balai_core::kpi::{
    count_in_local_days, local_days, median_hundredths, Better, KpiFigure, KpiFuture, KpiSource,
    KpiValue, ServedFuture,
};
use balai_core::{with_db, Db};
use time::{Date, OffsetDateTime};

use crate::domain::audit::SUBJECT;

/// The KPI source of Aduan.
pub struct ComplaintKpis;

type EventRow = (OffsetDateTime, OffsetDateTime, Option<Date>);

/// Events of `kind` on the unit's reports in `[from, until)`, with the report's filing time
/// and the due day of the clock the event stops.
async fn events(
    db: &Db,
    unit: i64,
    kind: &str,
    clock: &str,
    from: OffsetDateTime,
    until: OffsetDateTime,
) -> Result<Vec<EventRow>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, EventRow>(
        "SELECT e.occurred_at, c.submitted_at, k.due_day
         FROM complaint_events e
         JOIN complaints c ON c.id = e.complaint_id
         LEFT JOIN clocks k ON k.subject_kind = $1 AND k.subject_id = CAST(c.id AS TEXT)
              AND k.purpose = $2
         WHERE e.kind = $3 AND c.agency_id = $4 AND e.occurred_at >= $5 AND e.occurred_at < $6"
    )
    .bind(SUBJECT)
    .bind(clock)
    .bind(kind)
    .bind(unit)
    .bind(from)
    .bind(until)
    .fetch_all(c)
    .await)
}

/// How many of the events fell on or before their clock's due day.
fn on_time(rows: &[EventRow], zone: Zone) -> KpiValue {
    let part = rows
        .iter()
        .filter(|(at, _, due)| due.is_some_and(|d| at.to_offset(zone.offset()).date() <= d))
        .count();
    KpiValue::Share {
        part: i64::try_from(part).unwrap_or(i64::MAX),
        whole: i64::try_from(rows.len()).unwrap_or(i64::MAX),
    }
}

fn figure(key: &str, id: &str, en: &str, value: KpiValue, better: Better) -> KpiFigure {
    KpiFigure {
        key: format!("complaints.{key}"),
        label_id: id.into(),
        label_en: en.into(),
        value,
        better,
    }
}

async fn figures(
    db: &Db,
    unit: &Agency,
    from: Date,
    to: Date,
) -> Result<Vec<KpiFigure>, sqlx::Error> {
    let zone = Zone::for_region(&unit.region_code);
    let (since, until) = local_days(&unit.region_code, from, to);
    let dispatched = events(db, unit.id, "dispatched", "dispatch", since, until).await?;
    let answered = events(db, unit.id, "answered", "follow_up", since, until).await?;
    let reopened = events(db, unit.id, "reopened", "follow_up", since, until).await?;
    if dispatched.is_empty() && answered.is_empty() && reopened.is_empty() {
        return Ok(Vec::new());
    }
    let cal = calendar::load(db).await?;
    let local = |t: &OffsetDateTime| t.to_offset(zone.offset()).date();
    let mut days: Vec<i64> = answered
        .iter()
        .map(|(at, filed, _)| cal.working_days_between(local(filed), local(at)))
        .collect();
    Ok(vec![
        figure(
            "dispatched_on_time",
            "Aduan diverifikasi dan diteruskan tepat waktu",
            "Complaints dispatched on time",
            on_time(&dispatched, zone),
            Better::Higher,
        ),
        figure(
            "answered_on_time",
            "Aduan dijawab tepat waktu",
            "Complaints answered on time",
            on_time(&answered, zone),
            Better::Higher,
        ),
        figure(
            "median_days_to_answer",
            "Median hari kerja sampai dijawab",
            "Median working days to an answer",
            KpiValue::WorkingDays(median_hundredths(&mut days)),
            Better::Lower,
        ),
        figure(
            "reopened",
            "Aduan dibuka kembali oleh pelapor",
            "Complaints reopened by the reporter",
            KpiValue::Count(i64::try_from(reopened.len()).unwrap_or(i64::MAX)),
            Better::Lower,
        ),
    ])
}

/// The reports filed in the period that were routed to the unit.
async fn served(db: &Db, unit: &Agency, from: Date, to: Date) -> Result<Option<i64>, sqlx::Error> {
    count_in_local_days(
        db,
        "SELECT COUNT(*) FROM complaints
         WHERE agency_id = $1 AND submitted_at >= $2 AND submitted_at < $3",
        unit,
        from,
        to,
    )
    .await
}

impl KpiSource for ComplaintKpis {
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
