//! An official of a service unit issues single-use survey codes: for the receipts Balai
//! prints and for cards handed out at a counter. Each is bound to the unit, a service (free
//! text, optional) and today's date in the unit's time zone, and expires after the days set
//! in `[performance] survey_code_days` (Balai's default: 30, [`crate::domain::config`]).

use balai_core::audit::{self, AuditEvent};
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;
use time::{Date, Duration, OffsetDateTime, Time};

use crate::domain::audit as actions;
use crate::domain::codes::SurveyCode;
use crate::domain::config::config;
use crate::domain::permissions::{acts_for, PerfAction};
use crate::errors::{PerfResult, PerformanceError};
use crate::store::codes::{self, NewCode};

/// Codes in one request (a print run of counter cards).
pub const MAX_CODES: u32 = 500;

pub struct IssueInput {
    pub agency_id: AgencyId,
    pub service: String,
    pub count: u32,
}

pub struct Issued {
    pub batch: String,
    pub codes: Vec<SurveyCode>,
    pub service: String,
    pub service_day: Date,
    pub expires_at: OffsetDateTime,
}

/// A service name as given: trimmed, one line, at most 100 characters (empty: any service).
pub fn check_service(s: &str) -> PerfResult<String> {
    let s = s.trim();
    if s.chars().count() > 100 || s.contains(['\n', '\r']) {
        return Err(PerformanceError::BadService);
    }
    Ok(s.to_string())
}

/// The UTC offset of the time zone of a unit's region (WIB, WITA, WIT).
pub fn unit_offset(region: &str) -> time::UtcOffset {
    balai_core::format::Zone::for_region(region).offset()
}

/// Today in the unit's region, and the offset of its time zone.
pub fn unit_today(region: &str) -> (Date, time::UtcOffset) {
    let offset = unit_offset(region);
    (balai_core::db::now().to_offset(offset).date(), offset)
}

/// When a code of a visit on `service_day` stops being accepted: valid through its last local
/// day, until midnight after it in the unit's time zone.
pub fn expiry(service_day: Date, offset: time::UtcOffset, valid_days: i64) -> OffsetDateTime {
    OffsetDateTime::new_in_offset(
        service_day + Duration::days(valid_days + 1),
        Time::MIDNIGHT,
        offset,
    )
    .to_offset(time::UtcOffset::UTC)
}

pub async fn issue(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    input: &IssueInput,
) -> PerfResult<Issued> {
    let unit = super::unit(&ctx.db, input.agency_id).await?;
    if !acts_for(actor, &unit, PerfAction::IssueCodes) {
        return Err(PerformanceError::Forbidden);
    }
    if !(1..=MAX_CODES).contains(&input.count) {
        return Err(PerformanceError::BadCount { max: MAX_CODES });
    }
    let service = check_service(&input.service)?;
    let (service_day, offset) = unit_today(&unit.region_code);
    let expires_at = expiry(service_day, offset, config(ctx).survey_code_days);
    let batch = balai_core::auth::random_token(12);
    let mut tx = ctx.begin().await?;
    let mut out = Vec::new();
    while out.len() < input.count as usize {
        let code = SurveyCode::generate(&mut rand::thread_rng());
        let stored = codes::insert(
            &mut tx,
            &NewCode {
                code: code.as_str(),
                agency_id: input.agency_id,
                service: &service,
                service_day,
                batch: &batch,
                expires_at,
                issued_by: Some(actor.user.id),
            },
        )
        .await?;
        if stored {
            out.push(code);
        }
    }
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::CODES_ISSUED,
            target_kind: actions::TARGET_AGENCY,
            target_id: unit.id.to_string(),
            region_code: Some(unit.region_code.clone()),
            summary: json!({ "count": out.len(), "service": service,
                "service_day": service_day.to_string(), "batch": batch }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Issued {
        batch,
        codes: out,
        service,
        service_day,
        expires_at,
    })
}
