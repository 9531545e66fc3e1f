//! SQL for both backends, one module per table group. Every write takes the caller's
//! transaction. Lists of a region take the region and everything under it ([`subtree`]).

pub mod activities;
pub mod agencies;
pub mod agreements;
pub mod changes;
pub mod documents;
pub mod followups;
pub mod forums;
pub mod targets;

/// Who records a row.
#[derive(Clone, Copy, Debug)]
pub struct By {
    pub agency_id: Option<i64>,
    pub user_id: i64,
}

/// The `LIKE` pattern of the regions strictly inside `region` (bound beside the region itself:
/// `col = $1 OR col LIKE $2`).
pub fn subtree(region: &str) -> String {
    format!("{region}.%")
}

/// The most rows one region's list shows.
pub const LIST_LIMIT: i64 = 1_000;
