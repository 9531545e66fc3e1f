//! The officials' dashboard line of the feature: the open responses to the list in the
//! official's area — new (filed in the last day), due within a working day, overdue.

use balai_core::web::actor::Actor;
use balai_core::web::page::WorkCounts;
use balai_core::web::AppCtx;
use balai_core::AppResult;

use crate::commands::authorize::require;
use crate::domain::permissions::Action;
use crate::domain::report::{filed_day, overdue, Status};
use crate::queries::staff;

/// `None` for an official who does not answer responses (and for the super-admin, whose
/// dashboard is the whole country's).
pub async fn work_counts(ctx: &AppCtx, actor: &Actor) -> AppResult<Option<WorkCounts>> {
    if actor.is_superadmin() {
        return Ok(None);
    }
    let Some(area) = actor.scope.region_prefix() else {
        return Ok(None);
    };
    if require(actor, area, Action::AnswerReport).is_err() {
        return Ok(None);
    }
    let cases = staff::open_cases(&ctx.db, &actor.scope).await?;
    let cal = balai_core::calendar::load(&ctx.db).await?;
    let now = balai_core::db::now();
    let mut c = WorkCounts::default();
    for case in cases {
        let today = filed_day(now, &case.village_code);
        let due = case.due();
        if overdue(Status::Open, due, today) {
            c.overdue += 1;
        } else if cal.working_days_between(today, due) <= 1 {
            c.due_soon += 1;
        } else if now - case.filed_at < time::Duration::days(1) {
            c.new += 1;
        }
    }
    Ok(Some(c))
}
