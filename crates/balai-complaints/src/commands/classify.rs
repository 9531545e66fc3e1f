//! An operator sorts an unstructured report (an SMS outside the format) into a category and
//! village; it is then routed like any other report and its dispatch clock starts.

use balai_core::audit::AuditEvent;
use balai_core::Tx;
use serde_json::json;
use time::Date;

use super::record::report_event;
use super::transition::{self, Who};
use crate::domain::{self, Clock, ClockConfig};
use crate::errors::{ComplaintError, ComplaintResult};
use crate::store::{self, Complaint, NewEvent};

pub async fn classify(
    tx: &mut Tx,
    c: &Complaint,
    who: &Who<'_>,
    category: &str,
    village: &str,
    cfg: &ClockConfig,
    today: Date,
) -> ComplaintResult<()> {
    if !c.needs_classification {
        return Err(ComplaintError::AlreadyClassified);
    }
    let village = village.trim();
    if !store::village_exists_in_tx(tx, village).await? {
        return Err(ComplaintError::UnknownVillage);
    }
    let cat = store::category_in_tx(tx, village, category.trim())
        .await?
        .ok_or(ComplaintError::UnknownCategory)?;
    let agency = match cat.agency_id {
        Some(id) => Some(id),
        None => store::nearest_agency_in_tx(tx, &cat.agency_kind, village)
            .await?
            .map(|a| a.id),
    };
    store::classify(tx, c.id, &cat, village, agency).await?;
    transition::start(
        tx,
        &c.id.to_string(),
        Clock::Dispatch,
        today,
        cfg.dispatch_working_days,
    )
    .await?;
    store::add_event(
        tx,
        c.id,
        &NewEvent {
            kind: domain::timeline::CLASSIFIED,
            public: true,
            actor_user_id: who.ctx.actor_user_id,
            actor_label: who.label,
            from_status: None,
            to_status: None,
            from_agency: c.agency_id,
            to_agency: agency,
            body: &format!("Diklasifikasikan: {}.", cat.name_id),
        },
    )
    .await?;
    report_event(
        tx,
        who.ctx,
        c.agency_id.or(agency),
        AuditEvent {
            action: domain::audit::CLASSIFIED,
            target_kind: domain::audit::SUBJECT,
            target_id: c.id.to_string(),
            region_code: Some(village.to_string()),
            summary: json!({ "category": cat.code, "agency_id": agency }),
        },
    )
    .await?;
    Ok(())
}
