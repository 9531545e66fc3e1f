//! The dashboard's figures of an agency's reports (or every report, for a super-admin).

use balai_core::calendar;
use balai_core::web::actor::Actor;
use balai_core::Db;

use super::lists::{queue_agency, stat_rows, StatDbRow};
use crate::domain::settings::today;
use crate::domain::stats::{self, StatRow, Summary};
use crate::domain::ClockConfig;
use crate::errors::ComplaintResult;

/// The figures, and the rows they come from (for the CSV export).
pub async fn load(
    db: &Db,
    cfg: &ClockConfig,
    actor: &Actor,
    agency: Option<i64>,
) -> ComplaintResult<(Summary, Vec<StatDbRow>)> {
    let agency = queue_agency(actor, agency)?;
    // A super-admin without a filter sees everything.
    let rows = stat_rows(db, agency).await?;
    let cal = calendar::load(db).await?;
    let plain: Vec<StatRow> = rows
        .iter()
        .map(|r| StatRow {
            status: r.status.clone(),
            category: r.category_code.clone(),
            channel: r.channel.clone(),
            submitted_at: r.submitted_at,
            dispatched_at: r.dispatched_at,
            answered_at: r.answered_at,
        })
        .collect();
    let s = stats::summarise(
        &plain,
        &cal,
        cfg.dispatch_working_days,
        cfg.follow_up_working_days,
        today(),
        12,
    );
    Ok((s, rows))
}
