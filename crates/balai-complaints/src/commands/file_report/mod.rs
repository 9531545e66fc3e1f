//! Filing a report: one command for every channel (web form, JSON API, SMS, counter, Open311),
//! validated fully before anything is written (`validate.rs`), then stored with its photos,
//! timeline entry, audit event, dispatch clock and notification in ONE transaction
//! (`write.rs`).

use balai_core::audit::AuditContext;
use balai_core::ids::ComplaintId;
use balai_core::web::actor::Actor;
use balai_core::web::AppCtx;
use time::Date;

mod flood;
mod validate;
mod write;

use crate::domain::{Channel, ClockConfig, Status, TrackingCode};
use crate::errors::{ComplaintError, ComplaintResult};

pub const MAX_DESCRIPTION: usize = 5_000;
pub const MIN_DESCRIPTION: usize = 10;

#[derive(Clone, Debug, Default)]
pub struct Submission {
    pub category: String,
    pub title: Option<String>,
    pub description: String,
    pub village_code: Option<String>,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub anonymous: bool,
    pub confidential: bool,
    pub reported_party: Option<String>,
    pub incident_time: Option<String>,
    pub incident_place: Option<String>,
    pub evidence: Option<String>,
    /// YYYY-MM-DD: when the reporter learned of an election violation.
    pub known_on: Option<String>,
    pub photos: Vec<Vec<u8>>,
    /// An SMS outside the format: stored for an operator, without village or routing.
    pub unstructured: bool,
    pub sms_from: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Submitted {
    pub id: ComplaintId,
    pub tracking_code: TrackingCode,
    /// The reporter's secret, shown once (`ABCD-EFGH-JKMN-PQRS`); only its hash is kept.
    pub secret: String,
    pub status: Status,
    pub formal: Option<bool>,
    pub message_id: String,
    pub dispatch_due: Option<Date>,
}

/// Validate, then write everything in one transaction, shared with other submissions through
/// the group-commit writer: the answer comes only after the commit.
pub async fn submit(
    ctx: &AppCtx,
    audit_ctx: &AuditContext,
    channel: Channel,
    ip: Option<&str>,
    s: Submission,
    cfg: &ClockConfig,
) -> ComplaintResult<Submitted> {
    // A citizen filing without an account leaves no IP address or user agent in the audit
    // log (the row keeps the IP for the flood-control window only).
    let audit_ctx = if audit_ctx.actor_user_id.is_none() {
        audit_ctx.without_client()
    } else {
        audit_ctx.clone()
    };
    let checked = validate::validate(&ctx.db, s, &audit_ctx, channel, ip, cfg).await?;
    ctx.run_batched(checked, write::write_batch).await
}

/// The channel of a filing: a counter operator may file for a citizen.
pub fn channel_for(
    actor: Option<&Actor>,
    asked: Option<&str>,
    default: Channel,
) -> ComplaintResult<Channel> {
    match asked {
        None | Some("") => Ok(default),
        Some("counter") => match actor {
            Some(a) if super::authorize::may_file_at_counter(a) => Ok(Channel::Counter),
            Some(_) => Err(ComplaintError::Forbidden),
            None => Err(ComplaintError::ChannelNotAllowed),
        },
        // The web form's offline outbox files through the API; the report came from the web.
        Some("web") if default == Channel::Api => Ok(Channel::Web),
        Some(c) if Channel::parse(c) == Some(default) => Ok(default),
        Some(_) => Err(ComplaintError::ChannelNotAllowed),
    }
}
