//! Filing a request (online without an account, at the counter or from an e-mail by an
//! official): check everything first, then write the request, its registration number, its
//! answer clock, its history row and the audit event in one transaction — bad input stores
//! nothing.

use balai_core::accounts::{self, AgencyKind};
use balai_core::audit::{self, AuditEvent};
use balai_core::calendar;
use balai_core::ids::AgencyId;
use balai_core::secret;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;
use time::{Date, Duration};

use super::today_at;
use crate::domain::access::may_act;
use crate::domain::audit as actions;
use crate::domain::clocks::{Clock, SUBJECT_KIND};
use crate::domain::intake::{self, RawRequest};
use crate::domain::permissions::StaffAction;
use crate::domain::registration::registration_number;
use crate::domain::settings::clocks;
use crate::domain::status::Status;
use crate::errors::{InfoResult, InformationError};
use crate::store::{self, NewEvent, NewRequest};
use crate::RequestId;

/// Length of a tracking code and of its secret (5 bits a character: 50 and 80 bits).
pub const CODE_LEN: usize = 10;
pub const SECRET_LEN: usize = 16;
/// The domain of the secret's stored hash.
pub const SECRET_DOMAIN: &str = "info_request";
/// How far back an official may date a request received on paper or by e-mail.
pub const MAX_BACKDATE_DAYS: i64 = 60;

/// A request as it arrives.
#[derive(Clone, Debug, Default)]
pub struct FileInput {
    pub agency_id: i64,
    pub request: RawRequest,
    /// Officials only: `counter` (default) or `email`.
    pub channel: Option<String>,
    /// Officials only: the day the letter or e-mail arrived (default today).
    pub received_on: Option<String>,
}

/// What the requester keeps: the receipt. The secret is shown once.
#[derive(Clone, Debug)]
pub struct Filed {
    pub id: RequestId,
    pub registration_number: String,
    pub tracking_code: String,
    pub secret: String,
    pub received_on: Date,
    pub due_day: Date,
}

fn received_on(input: Option<&str>, today: Date) -> InfoResult<Date> {
    let Some(raw) = input.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(today);
    };
    let day = calendar::parse_iso_day(raw).ok_or(InformationError::BadReceivedOn)?;
    if day > today || day < today - Duration::days(MAX_BACKDATE_DAYS) {
        return Err(InformationError::BadReceivedOn);
    }
    Ok(day)
}

/// File a request. Without an actor it is an online request received today; an official
/// (of the addressed PPID) may file one received at the counter or by e-mail, dated back.
pub async fn file(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: Option<&Actor>,
    input: &FileInput,
) -> InfoResult<Filed> {
    let agency = accounts::get_agency(&ctx.db, input.agency_id)
        .await?
        .filter(|a| a.is(AgencyKind::Ppid))
        .ok_or(InformationError::UnknownAgency)?;
    let agency_id = AgencyId(agency.id);
    let checked = intake::check(&input.request)?;
    let today = today_at(&agency.region_code);
    let (channel, received) = match actor {
        None => ("online", today),
        Some(a) => {
            if !may_act(a, agency_id, StaffAction::FileAtCounter) {
                return Err(InformationError::Forbidden);
            }
            let channel = match input.channel.as_deref().map(str::trim) {
                None | Some("" | "counter") => "counter",
                Some("email") => "email",
                Some(_) => return Err(InformationError::BadChannel),
            };
            (channel, received_on(input.received_on.as_deref(), today)?)
        }
    };
    let code = secret::random_code(CODE_LEN);
    let secret = secret::random_code(SECRET_LEN);
    let hash = secret::secret_hash(SECRET_DOMAIN, &code, &secret);
    let mut tx = ctx.begin().await?;
    let id = store::requests::insert(
        &mut tx,
        &NewRequest {
            agency_id,
            tracking_code: &code,
            secret_hash: &hash,
            channel,
            name: &checked.name,
            email: checked.email.as_deref(),
            phone: checked.phone.as_deref(),
            address: checked.address.as_deref(),
            information: &checked.information,
            purpose: &checked.purpose,
            delivery: checked.delivery.as_str(),
            received_on: received,
            filed_by_user_id: actor.map(|a| a.user.id),
        },
    )
    .await?;
    let number = registration_number(agency.id, received.year(), id.get());
    store::requests::set_registration_number(&mut tx, id, &number).await?;
    let due_day = calendar::start_clock(
        &mut tx,
        SUBJECT_KIND,
        &id.to_string(),
        Clock::Answer.as_str(),
        received,
        clocks(ctx).answer_working_days(false),
    )
    .await?;
    store::insert_event(
        &mut tx,
        &NewEvent {
            request: id,
            action: "file",
            from: None,
            to: Status::Received.as_str(),
            note: None,
            by_official: actor.is_some(),
            day: received,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        &meta.audit(actor),
        AuditEvent {
            action: actions::FILE,
            target_kind: actions::TARGET_REQUEST,
            target_id: id.to_string(),
            region_code: Some(agency.region_code.clone()),
            summary: json!({
                "agency_id": agency.id, "channel": channel, "registration_number": number,
                "received_on": received.to_string(), "due_day": due_day.to_string(),
            }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Filed {
        id,
        registration_number: number,
        tracking_code: code,
        secret,
        received_on: received,
        due_day,
    })
}
