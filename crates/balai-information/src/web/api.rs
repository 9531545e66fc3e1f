//! The JSON API: filing (no account needed), the public record, the PPID's actions, and the
//! requester's tracking and objection with their tracking code and secret.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use balai_core::calendar;
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, MaybeActor, ReqMeta};
use balai_core::web::{AppCtx, Keyed, ReadPost};
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::commands::act::{self, ActInput};
use crate::commands::file::{self, FileInput};
use crate::commands::privacy;
use crate::commands::requester;
use crate::commands::today_at;
use crate::domain::intake::RawRequest;
use crate::errors::InformationError;
use crate::queries::request::{public_view, requester_view, RequestView, RequesterView};
use crate::queries::track::requester_row;
use crate::store;
use crate::RequestId;

/// A request for public information (UU 14/2008 art. 22).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestInput {
    /// The PPID (agency of kind `ppid`) the request is addressed to.
    #[serde(deserialize_with = "balai_core::web::json_int::i64")]
    pub agency_id: i64,
    /// The requester's name (kept private).
    pub name: String,
    /// At least one of email, phone and address (kept private).
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    /// The information requested (10–5,000 characters; public).
    pub information: String,
    /// What the information is for (kept private).
    pub purpose: String,
    /// `email` (default with an email address), `pickup` or `post`.
    #[serde(default)]
    pub delivery: Option<String>,
    /// Officials only: `counter` (default) or `email` (a request received by e-mail).
    #[serde(default)]
    pub channel: Option<String>,
    /// Officials only: the day a letter or e-mail arrived, YYYY-MM-DD (at most 60 days ago).
    #[serde(default)]
    pub received_on: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RequestFiled {
    pub id: i64,
    pub registration_number: String,
    pub tracking_code: String,
    /// Shown once: with the tracking code, it lets the requester see everything and object.
    pub secret: String,
    /// The answer is due on this day (YYYY-MM-DD): the 10th working day after receipt.
    pub due_day: String,
}

/// File a request without an account (online), or as an official of the PPID with a bearer
/// token (counter or e-mail, possibly dated back). Send `Idempotency-Key` so a retry returns
/// the same receipt instead of filing twice.
#[utoipa::path(post, path = "/api/v1/information-requests", tag = "information",
    security((), ("bearer" = [])), request_body = RequestInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = RequestFiled), (status = 403), (status = 409), (status = 422)))]
pub async fn post_request(
    MaybeActor(actor): MaybeActor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Json(input): Json<RequestInput>,
) -> AppResult<(StatusCode, Json<RequestFiled>)> {
    let form = FileInput {
        agency_id: input.agency_id,
        request: RawRequest {
            name: input.name,
            email: input.email.unwrap_or_default(),
            phone: input.phone.unwrap_or_default(),
            address: input.address.unwrap_or_default(),
            information: input.information,
            purpose: input.purpose,
            delivery: input.delivery.unwrap_or_default(),
        },
        channel: input.channel,
        received_on: input.received_on,
    };
    let done = file::file(&ctx, &meta, actor.as_ref(), &form).await?;
    Ok((
        StatusCode::CREATED,
        Json(RequestFiled {
            id: done.id.get(),
            registration_number: done.registration_number,
            tracking_code: done.tracking_code,
            secret: done.secret,
            due_day: done.due_day.to_string(),
        }),
    ))
}

/// The public record of a request: status, dates, due day, answers and history; never the
/// requester's name, contact, address or purpose.
#[utoipa::path(get, path = "/api/v1/information-requests/{id}", tag = "information",
    params(("id" = i64, Path, description = "Request id")),
    responses((status = 200, body = RequestView), (status = 404)))]
pub async fn get_request(
    State(ctx): State<AppCtx>,
    Path(id): Path<RequestId>,
) -> AppResult<Json<RequestView>> {
    let row = store::requests::get(&ctx.db, id)
        .await?
        .filter(|r| r.private_reason.is_none())
        .ok_or(InformationError::NotFound)?;
    let events = store::events::events(&ctx.db, id).await?;
    let today = today_at(&row.agency_region);
    Ok(Json(public_view(&row, &events, today)))
}

#[derive(Deserialize, IntoParams)]
pub struct ListQuery {
    /// Only the requests to this PPID.
    agency_id: Option<i64>,
}

/// The newest requests (at most 200), public records only (open data, no personal data).
#[utoipa::path(get, path = "/api/v1/information-requests", tag = "information",
    params(ListQuery), responses((status = 200, body = Vec<RequestView>)))]
pub async fn list_requests(
    State(ctx): State<AppCtx>,
    Query(q): Query<ListQuery>,
) -> AppResult<Json<Vec<RequestView>>> {
    let rows = store::requests::of_agency(&ctx.db, q.agency_id.map(AgencyId), 200, true).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let events = store::events::events(&ctx.db, row.id).await?;
        out.push(public_view(row, &events, today_at(&row.agency_region)));
    }
    Ok(Json(out))
}

/// An official's step. `extend` (reason), `answer` (answer), `answer_partly` (answer,
/// exemption, consequence_test), `refuse` (exemption, consequence_test, answer optional),
/// `transfer` (to_agency_id), `clarify` (reason: the question), `make_private` (reason,
/// private_part) by the PPID's officers; `answer_objection` (answer) and
/// `record_dispute_outcome` (reason) by the Atasan PPID.
#[derive(Deserialize, ToSchema)]
#[schema(as = InformationActionInput)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    #[schema(schema_with = official_actions)]
    pub action: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub answer: Option<String>,
    /// Art. 17 letter, `a`–`j`.
    #[serde(default)]
    pub exemption: Option<String>,
    /// The consequence test (uji konsekuensi, art. 19).
    #[serde(default)]
    pub consequence_test: Option<String>,
    #[serde(default, deserialize_with = "balai_core::web::json_int::opt_i64")]
    pub to_agency_id: Option<i64>,
    /// For `make_private`: `request` (the whole request, the default) or `answers` (its
    /// answers only).
    #[serde(default)]
    #[schema(schema_with = private_parts)]
    pub private_part: Option<String>,
}

fn private_parts() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of_or_null(
        crate::domain::privacy::PrivatePart::ALL.map(|p| p.as_str()),
    )
}

fn official_actions() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of([
        "extend",
        "answer",
        "answer_partly",
        "refuse",
        "transfer",
        "clarify",
        "answer_objection",
        "record_dispute_outcome",
        "make_private",
    ])
}

#[derive(Serialize, ToSchema)]
#[schema(as = InformationActionDone)]
pub struct ActionDone {
    /// The request's status after the step.
    pub status: String,
}

/// A step by an official of the PPID the request is addressed to. `make_private` keeps the
/// request (or its answers) out of every public view, the archive and its search at once; the
/// status stays as it was.
#[utoipa::path(post, path = "/api/v1/information-requests/{id}/actions", tag = "information",
    security(("bearer" = [])), request_body = ActionInput,
    params(("id" = i64, Path, description = "Request id")),
    responses((status = 200, body = ActionDone), (status = 403), (status = 404), (status = 409),
        (status = 422)))]
pub async fn post_action(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<RequestId>,
    Json(input): Json<ActionInput>,
) -> AppResult<Json<ActionDone>> {
    if input.action == "make_private" {
        let m = privacy::parse(input.private_part.as_deref(), input.reason.as_deref())?;
        let status = privacy::make_private(&ctx, &meta, &actor, id, &m).await?;
        return Ok(Json(ActionDone { status }));
    }
    let decision = act::parse(&ActInput {
        action: input.action,
        reason: input.reason,
        answer: input.answer,
        exemption: input.exemption,
        consequence_test: input.consequence_test,
        to_agency_id: input.to_agency_id,
    })?;
    let status = act::act(&ctx, &meta, &actor, id, &decision).await?;
    Ok(Json(ActionDone {
        status: status.as_str().into(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[schema(as = InformationTrackInput)]
#[serde(deny_unknown_fields)]
pub struct TrackInput {
    pub tracking_code: String,
    pub secret: String,
}

/// The requester's view (tracking code and secret): everything public, their own details, and
/// the objection and dispute windows.
#[utoipa::path(post, path = "/api/v1/information-requests/track", tag = "information",
    request_body = TrackInput,
    responses((status = 200, body = RequesterView), (status = 404), (status = 429)))]
pub async fn post_track(
    ReadPost(ctx): ReadPost,
    meta: ReqMeta,
    Json(input): Json<TrackInput>,
) -> AppResult<Json<RequesterView>> {
    let row = requester_row(&ctx, &meta, &input.tracking_code, &input.secret).await?;
    let events = store::events::events(&ctx.db, row.id).await?;
    let cal = calendar::load(&ctx.db).await?;
    let today = today_at(&row.agency_region);
    Ok(Json(requester_view(
        &crate::domain::settings::clocks(&ctx),
        &row,
        &events,
        &cal,
        today,
    )))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequesterActionInput {
    pub tracking_code: String,
    pub secret: String,
    #[schema(schema_with = requester_actions)]
    pub action: String,
    /// The objection's grounds (required for `object`), a note on the dispute.
    #[serde(default)]
    pub reason: Option<String>,
    /// For `rate`: was the answer satisfying?
    #[serde(default)]
    pub satisfied: Option<bool>,
}

fn requester_actions() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(["object", "dispute", "rate"])
}

/// The requester's step: `object` to the Atasan PPID (within 30 working days of the answer or
/// of the missed due day), `dispute` (recorded: taken to the Komisi Informasi within 14
/// working days of the objection's answer or its missed due day), `rate` the answer.
#[utoipa::path(post, path = "/api/v1/information-requests/requester-actions", tag = "information",
    request_body = RequesterActionInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 200, body = ActionDone), (status = 404), (status = 409), (status = 422),
        (status = 429)))]
pub async fn post_requester_action(
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Json(input): Json<RequesterActionInput>,
) -> AppResult<Json<ActionDone>> {
    let step = requester::parse(&input.action, input.reason.as_deref(), input.satisfied)?;
    let status = requester::act(&ctx, &meta, &input.tracking_code, &input.secret, &step).await?;
    Ok(Json(ActionDone {
        status: status.as_str().into(),
    }))
}
