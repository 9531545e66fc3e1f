//! The schedule hook: when an election gets a new schedule version, its flags are computed
//! anew for every appointment under its region, in the transaction that stores the schedule
//! (registered in the binary as a [`balai_core::schedule::ScheduleHooks`] entry). Choosing a
//! hook over recomputing on read keeps the stored flags — what the API answers, the counts per
//! month and the audit trail refer to — never older than the schedule, with no dependency on
//! the elections crate: that crate only calls `balai_core::schedule::changed`.

use balai_core::schedule::HookFuture;
use balai_core::Tx;

use crate::domain::window::{self, Dated, Flag};
use crate::queries::windows;
use crate::store::{appointments, flags, schedules};

/// The hook, as `balai_core::schedule::ScheduleChanged`.
pub fn on_schedule_changed(tx: &mut Tx, election_id: i64) -> HookFuture<'_> {
    Box::pin(for_election(tx, election_id))
}

/// Recompute every flag of one election from its current schedule.
pub async fn for_election(tx: &mut Tx, election_id: i64) -> Result<(), sqlx::Error> {
    schedules::lock_for_recompute(tx, election_id).await?;
    let Some(region) = schedules::region_of(tx, election_id).await? else {
        return Ok(());
    };
    flags::delete_for_election(tx, election_id).await?;
    let elections = windows::group(schedules::current_of(tx, election_id).await?);
    let Some(election) = elections.first() else {
        return Ok(());
    };
    let pairs = windows::as_pairs(&elections);
    for a in appointments::dated_under(tx, &region).await? {
        let found: Vec<(Flag, i64)> = window::flags(
            &Dated {
                decree_date: a.decree_date,
                effective_date: a.effective_date,
                approved: a.minister_approval_ref.is_some(),
            },
            &pairs,
        )
        .into_iter()
        .map(|f| (f, election.version))
        .collect();
        flags::insert(tx, a.id, &found).await?;
    }
    Ok(())
}
