//! Inbound SMS from a gateway, and the block list for abusive senders.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use balai_core::audit::{self, AuditEvent};
use balai_core::idempotency::Rendered;
use balai_core::regions::{Level, RegionCode};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::web::Keyed;
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use crate::commands::file_report::{self, Submission, Submitted};
use crate::domain::sms::{self, SmsMessage};
use crate::domain::{self as rules, normalise_phone, Channel, Status, TrackingCode};
use crate::errors::ComplaintError;
use crate::store;
use crate::web::page::clocks;

#[derive(Deserialize, ToSchema)]
pub struct InboundSms {
    /// Sender's number: 8–15 digits, `+` first for an international number; spaces, dots,
    /// dashes and brackets are ignored.
    #[schema(pattern = r"^[ ().-]*\+?[ ().-]*([0-9][ ().-]*){8,15}$")]
    pub from: String,
    /// Message text.
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct SmsAnswer {
    /// The report's tracking code, when one was filed.
    pub tracking_code: Option<String>,
    /// Text to send back to the sender (Bahasa Indonesia).
    pub reply: String,
    pub accepted: bool,
}

/// Short names people type for categories.
fn category_alias(c: &str) -> &str {
    match c {
        "jalan" | "infra" | "lampu" | "drainase" => "infrastruktur",
        "layanan" => "pelayanan",
        "ktp" | "kk" | "akta" | "dukcapil" => "kependudukan",
        "info" => "informasi",
        "pemilu" | "pemilihan" | "pilkada" | "pelanggaran" => "pelanggaran_pemilihan",
        "asn" | "netralitas" => "netralitas_asn",
        "hoaks" | "hoax" | "politikuang" | "money" => "hoaks_politik_uang",
        other => other,
    }
}

async fn resolve_place(ctx: &AppCtx, place: &str) -> AppResult<Option<String>> {
    if let Ok(code) = RegionCode::parse(place) {
        return Ok((code.level() == Level::Village).then(|| code.as_str().to_string()));
    }
    let found = store::villages_named(&ctx.db, place, 2).await?;
    Ok(if found.len() == 1 {
        found.into_iter().next()
    } else {
        None
    })
}

fn answer(
    status: StatusCode,
    code: Option<&TrackingCode>,
    reply: String,
    accepted: bool,
) -> Response {
    rendered(status, code, reply, accepted).into_response()
}

/// The 429 to a number over its flood limit: the reply to send back, and when the window
/// lets its next report through.
fn flooded(retry_after: u64) -> Response {
    let mut res = answer(
        StatusCode::TOO_MANY_REQUESTS,
        None,
        sms::reply_rate_limited(),
        false,
    );
    res.headers_mut()
        .insert(axum::http::header::RETRY_AFTER, retry_after.into());
    res
}

fn rendered(
    status: StatusCode,
    code: Option<&TrackingCode>,
    reply: String,
    accepted: bool,
) -> Rendered {
    Rendered::json(
        status,
        &SmsAnswer {
            tracking_code: code.map(|c| c.as_str().to_string()),
            reply,
            accepted,
        },
    )
}

/// The 201 answer to an SMS filed as a report (`structured`: filed as the format asked).
fn received(done: &Submitted, structured: bool) -> Rendered {
    let display = done.tracking_code.display();
    let reply = match (structured, done.formal) {
        (false, _) => sms::reply_unstructured(&display),
        (true, Some(false)) => sms::reply_information(&display),
        (true, _) => sms::reply_received(&display),
    };
    // The reporter's own SMS is the one place the secret goes (it is shown once).
    let reply = format!(
        "{reply} Kode rahasia (untuk web, jangan dibagikan): {}.",
        done.secret
    );
    rendered(StatusCode::CREATED, Some(&done.tracking_code), reply, true)
}

/// Receive one SMS (`from`, `text` as a form, like SMS gateways send). Format:
/// `LAPOR <kategori> <kode desa>#<isi>`, or `CEK <kode lacak>`; anything else is filed as an
/// unstructured report for an operator. Needs the gateway's API token.
#[utoipa::path(post, path = "/api/v1/sms/inbound", tag = "complaints", security(("bearer" = [])),
    request_body(content = InboundSms, content_type = "application/x-www-form-urlencoded"),
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 200, body = SmsAnswer), (status = 201, body = SmsAnswer),
        (status = 403, description = "The sender is blocked (the reply says so), or the caller may not file.", body = SmsAnswer),
        (status = 429, description = "Too many reports from this number; the reply says so.", body = SmsAnswer)))]
pub async fn inbound(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Form(msg): Form<InboundSms>,
) -> AppResult<Response> {
    actor.require_writer()?;
    let from = normalise_phone(&msg.from).ok_or(ComplaintError::BadSender)?;
    if store::is_blocked(&ctx.db, &from).await? {
        return Ok(answer(
            StatusCode::FORBIDDEN,
            None,
            sms::reply_blocked(),
            false,
        ));
    }
    let audit_ctx = meta.audit(Some(&actor));
    let cfg = clocks(&ctx);
    let base = Submission {
        sms_from: Some(from.clone()),
        ..Submission::default()
    };
    let unstructured = |text: String| Submission {
        category: "lainnya".into(),
        description: text,
        unstructured: true,
        ..base.clone()
    };
    let submission = match sms::parse(&msg.text) {
        SmsMessage::Empty => return Ok(answer(StatusCode::OK, None, sms::reply_empty(), false)),
        SmsMessage::Track { code } => {
            // Counted per sender (the gateway's address is everyone's). A confidential or
            // hidden report answers only the number it was filed from or gave as contact.
            if crate::web::lookups::count_lookup(&ctx, &format!("sms:{from}")).is_err() {
                return Ok(answer(
                    StatusCode::TOO_MANY_REQUESTS,
                    None,
                    sms::reply_rate_limited(),
                    false,
                ));
            }
            let found = match TrackingCode::parse(&code) {
                Some(t) => store::by_code(&ctx.db, t.as_str()).await?.map(|c| (t, c)),
                None => None,
            };
            let found = found.filter(|(_, c)| {
                let own = [c.sms_from.as_deref(), c.contact_phone.as_deref()]
                    .contains(&Some(from.as_str()));
                own || !(c.confidential || c.hidden)
            });
            return Ok(match found {
                Some((t, c)) => {
                    let label = Status::parse(&c.status)
                        .map(Status::label_id)
                        .unwrap_or("-");
                    answer(
                        StatusCode::OK,
                        Some(&t),
                        sms::reply_status(&t.display(), label),
                        true,
                    )
                }
                None => answer(StatusCode::OK, None, sms::reply_unknown_code(), false),
            });
        }
        SmsMessage::Unstructured { text } => unstructured(text),
        SmsMessage::Report {
            category,
            place,
            body,
        } => match resolve_place(&ctx, &place).await? {
            Some(village) => Submission {
                category: category_alias(&category).to_string(),
                village_code: Some(village),
                description: body,
                ..base.clone()
            },
            None => unstructured(msg.text.trim().to_string()),
        },
    };
    let fallback = unstructured(msg.text.trim().chars().take(sms::MAX_SMS_CHARS).collect());
    let was_structured = !submission.unstructured;
    // With an Idempotency-Key the answer is stored in the report's own transaction.
    ctx.respond_with(move |done: &Submitted| received(done, was_structured));
    let mut result =
        file_report::submit(&ctx, &audit_ctx, Channel::Sms, None, submission, &cfg).await;
    let mut structured = was_structured;
    if was_structured
        && result
            .as_ref()
            .err()
            .is_some_and(|e| e.status() == StatusCode::UNPROCESSABLE_ENTITY)
    {
        // An unknown category or a too-short text: keep the message for an operator.
        structured = false;
        ctx.respond_with(|done: &Submitted| received(done, false));
        result = file_report::submit(&ctx, &audit_ctx, Channel::Sms, None, fallback, &cfg).await;
    }
    match result {
        Ok(done) => Ok(received(&done, structured).into_response()),
        Err(ComplaintError::Flooded { retry_after, .. }) => Ok(flooded(retry_after)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockInput {
    /// 8–15 digits as for `from` of an inbound SMS.
    #[schema(pattern = r"^[ ().-]*\+?[ ().-]*([0-9][ ().-]*){8,15}$")]
    pub phone: String,
    #[schema(min_length = 1, pattern = r"\S")]
    pub reason: String,
}

/// Block a sender for abuse (admins).
#[utoipa::path(post, path = "/api/v1/sms/blocklist", tag = "complaints", security(("bearer" = [])),
    request_body = BlockInput, responses((status = 204), (status = 403, body = Object)))]
pub async fn block(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Json(b): Json<BlockInput>,
) -> AppResult<StatusCode> {
    actor.require_admin()?;
    let phone = normalise_phone(&b.phone).ok_or(ComplaintError::BadPhone)?;
    let reason = b.reason.trim();
    if reason.is_empty() {
        return Err(ComplaintError::ReasonRequired.into());
    }
    let mut tx = ctx.begin().await?;
    store::block(&mut tx, &phone, reason, &actor.user.username).await?;
    audit::record(
        &mut tx,
        &meta.audit(Some(&actor)),
        AuditEvent {
            action: rules::audit::SMS_BLOCKED,
            target_kind: "sms_sender",
            target_id: mask(&phone),
            region_code: actor.agency.as_ref().map(|a| a.region_code.clone()),
            summary: json!({ "reason": reason }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Unblock a sender (admins).
#[utoipa::path(delete, path = "/api/v1/sms/blocklist/{phone}", tag = "complaints", security(("bearer" = [])),
    params(("phone" = String, Path)), responses((status = 204), (status = 404, body = Object)))]
pub async fn unblock(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path(phone): Path<String>,
) -> AppResult<StatusCode> {
    actor.require_admin()?;
    let phone = normalise_phone(&phone).ok_or(ComplaintError::NotFound)?;
    let mut tx = ctx.begin().await?;
    if store::unblock(&mut tx, &phone).await? == 0 {
        return Err(ComplaintError::NotFound.into());
    }
    audit::record(
        &mut tx,
        &meta.audit(Some(&actor)),
        AuditEvent {
            action: rules::audit::SMS_UNBLOCKED,
            target_kind: "sms_sender",
            target_id: mask(&phone),
            region_code: actor.agency.as_ref().map(|a| a.region_code.clone()),
            summary: json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A phone number in the audit log shows only its last four digits.
fn mask(phone: &str) -> String {
    let tail: String = phone
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("***{tail}")
}
