//! Tanggapan masyarakat: file a response to a TPS's published list (anyone, no account), and
//! the PPS's public answer (a KPU official whose area covers the TPS's village).

use balai_core::audit::{self, AuditEvent};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use serde_json::json;

use super::authorize::require;
use crate::domain::audit as actions;
use crate::domain::permissions::Action;
use crate::domain::report::{self, Draft};
use crate::domain::settings::VoterSettings;
use crate::domain::stage::Stage;
use crate::errors::{VResult, VoterError};
use crate::store::{elections, lists, reports};

/// A filed response: its public code and when the answer is due.
#[derive(Clone, Debug)]
pub struct Filed {
    pub code: String,
    /// The last working day of the PPS's answer.
    pub due_day: time::Date,
    /// The end of that day in the village's time zone.
    pub due: time::OffsetDateTime,
    /// The form was sent before and this is its earlier case (nothing new stored).
    pub again: bool,
}

/// A form's one-time key: what the public form carries so a second press of its button files
/// nothing new. 20–64 characters of letters, digits, `-` and `_`.
pub fn form_key_valid(k: &str) -> bool {
    (20..=64).contains(&k.len())
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// File a response. `form_key` (the public form's, see [`form_key_valid`]) makes a second
/// submission of the same form give back the first case instead of a new one.
pub async fn file(
    ctx: &AppCtx,
    meta: &ReqMeta,
    election_id: i64,
    village_code: &str,
    draft: &Draft,
    form_key: Option<&str>,
) -> VResult<Filed> {
    let r = report::validate(draft)?;
    let election = elections::get(&ctx.db, election_id)
        .await?
        .ok_or(VoterError::ElectionNotFound)?;
    let village = village_code.trim();
    if !village.starts_with(&format!("{}.", election.region_code))
        || village.split('.').count() != 4
    {
        return Err(VoterError::Report(report::Invalid::Village));
    }
    let form_key = form_key.filter(|k| form_key_valid(k));
    let cal = balai_core::calendar::load(&ctx.db).await?;
    let mut tx = ctx.begin().await?;
    if let Some(k) = form_key {
        if let Some(f) = reports::by_form_key(&mut tx, k).await? {
            return Ok(earlier(f));
        }
    }
    let open = lists::latest_tx(&mut tx, election_id)
        .await?
        .and_then(|l| Stage::parse(&l.stage))
        .is_some_and(Stage::open_to_responses);
    if !open {
        return Err(VoterError::ListClosed);
    }
    if !balai_core::regions::exists_in_tx(&mut tx, village).await? {
        return Err(VoterError::Report(report::Invalid::Village));
    }
    let days = ctx
        .ext
        .get::<VoterSettings>()
        .map_or(report::DEFAULT_ANSWER_DAYS, |s| s.answer_working_days);
    let filed = balai_core::db::now();
    let code = balai_core::secret::random_code(10);
    // The due time stored beside the case is the one at filing; the clock is what moves when
    // the holidays change, and what every page and the API read.
    let due_day = report::due_day(&cal, report::filed_day(filed, village), days);
    let due = report::due_moment(due_day, village);
    let row = reports::NewRow {
        code: &code,
        election_id,
        village_code: village,
        filed,
        due,
        form_key,
    };
    let Some(id) = reports::insert(&mut tx, &row, &r).await? else {
        // The same form, sent at the same moment by a second press: its twin stored first.
        let k = form_key.unwrap_or_default();
        let f = reports::by_form_key(&mut tx, k)
            .await?
            .ok_or(VoterError::ReportNotFound)?;
        return Ok(earlier(f));
    };
    let subject = id.to_string();
    let due_day = balai_core::calendar::start_clock(
        &mut tx,
        report::CLOCK_SUBJECT,
        &subject,
        report::CLOCK_PURPOSE,
        report::filed_day(filed, village),
        days,
    )
    .await?;
    audit::record(
        &mut tx,
        &meta.audit(None),
        AuditEvent {
            action: actions::REPORT_FILED,
            target_kind: actions::TARGET_REPORT,
            target_id: subject,
            region_code: Some(village.to_string()),
            summary: json!({"code": code, "kind": r.kind.as_str(), "tps_number": r.tps_number}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Filed {
        code,
        due_day,
        due: report::due_moment(due_day, village),
        again: false,
    })
}

fn earlier(f: reports::Keyed) -> Filed {
    let due_day = f.due();
    Filed {
        due: report::due_moment(due_day, &f.village_code),
        code: f.code,
        due_day,
        again: true,
    }
}

pub async fn answer(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    code: &str,
    status: &str,
    text: &str,
) -> VResult<()> {
    let (status, text) = report::decide(status, text)?;
    let mut tx = ctx.begin().await?;
    let row = reports::get(&mut tx, code.trim())
        .await?
        .ok_or(VoterError::ReportNotFound)?;
    require(actor, &row.village_code, Action::AnswerReport)?;
    if row.status != report::Status::Open.as_str() {
        return Err(VoterError::ReportAnswered);
    }
    reports::answer(&mut tx, row.id, status, &text, actor.user.id).await?;
    balai_core::calendar::stop_clock(
        &mut tx,
        report::CLOCK_SUBJECT,
        &row.id.to_string(),
        report::CLOCK_PURPOSE,
    )
    .await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(actor)),
        AuditEvent {
            action: actions::REPORT_ANSWERED,
            target_kind: actions::TARGET_REPORT,
            target_id: row.id.to_string(),
            region_code: Some(row.village_code.clone()),
            summary: json!({"code": row.code, "status": status.as_str()}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
