//! One module per write use case; each authorizes, decides with the domain rules, stores and
//! records its audit event in one transaction.

pub mod answer;
pub mod follow_up;
pub mod issue_codes;
pub mod questions;
pub mod receipt_codes;
pub mod settings;
pub mod targets;

use balai_core::accounts::Agency;
use balai_core::ids::AgencyId;
use balai_core::Db;

use crate::errors::{PerfResult, PerformanceError};

/// The unit (agency) a request names; 404 if there is none.
pub async fn unit(db: &Db, id: AgencyId) -> PerfResult<Agency> {
    balai_core::accounts::get_agency(db, id.get())
        .await?
        .ok_or(PerformanceError::NotFound)
}
