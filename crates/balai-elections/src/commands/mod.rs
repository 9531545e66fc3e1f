//! The write use cases, one module each, shared by the HTML and JSON handlers: authorisation,
//! validation, the write and its audit event in one transaction.

pub mod photos;
pub mod recap;
pub mod resolve_dispute;
pub mod setup;
pub mod submit_batch;
pub mod submit_result;
pub mod tps_master;

use balai_core::accounts::AgencyKind;
use balai_core::web::actor::Actor;
use balai_core::{AppError, AppResult};

use crate::domain::permissions::{may, Action};
use crate::errors::Refusal;

/// Writes are for KPU officials whose scope covers the region (super-admins everywhere).
fn require_kpu(actor: &Actor, region: &str) -> AppResult<()> {
    actor.require_writer()?;
    if actor.scope.covers(region, AgencyKind::Kpu.as_str()) {
        Ok(())
    } else {
        Err(AppError::new(
            axum::http::StatusCode::FORBIDDEN,
            "forbidden",
            format!("Hanya petugas KPU yang wilayah kerjanya mencakup {region} yang boleh mengubah data ini."),
            format!("Only KPU officials whose area covers {region} may change this."),
        ))
    }
}

/// May the actor take `action` in `region`? An official of a KPU covering the region whose
/// role the table of [`crate::domain::permissions`] allows, or a super-admin.
pub fn require(actor: &Actor, region: &str, action: Action) -> AppResult<()> {
    require_kpu(actor, region)?;
    if actor.is_superadmin() || may(actor.role, action) {
        Ok(())
    } else {
        Err(AppError::new(
            axum::http::StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "Peran {} tidak boleh melakukan ini ({}); lihat docs/ROLES.md.",
                actor.role.label_id(),
                action.as_str()
            ),
            format!(
                "The role {} may not do this ({}); see docs/ROLES.md.",
                actor.role.as_str(),
                action.as_str()
            ),
        ))
    }
}

/// A 422 listing several problems, each in both languages.
pub fn bad_lines(code: &'static str, problems: Vec<(String, String)>) -> AppError {
    Refusal::Lines { code, problems }.into()
}
