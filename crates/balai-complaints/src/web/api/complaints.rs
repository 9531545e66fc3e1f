//! The JSON API: public filing and tracking, and officials' work queues and actions.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use balai_core::idempotency::Rendered;
use balai_core::ids::ComplaintId;
use balai_core::web::actor::{Actor, MaybeActor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::web::{Keyed, ReadPost};
use balai_core::AppResult;
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::commands::act::{act, Command};
use crate::commands::file_report::{self, channel_for, Submission, Submitted};
use crate::domain::replies::response_template;
use crate::domain::settings::today;
use crate::domain::Channel;
use crate::errors::{ComplaintError, ComplaintResult};
use crate::queries::complaint::{self as view, find_as_reporter, find_by_code, official_view};
use crate::queries::complaint::{AgencyComplaint, PublicComplaint};
use crate::queries::lists::{load_queue, queue_agency, Queue};
use crate::store::{self, Category};
use crate::web::lookups::count_lookup;
use crate::web::page::clocks;

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ComplaintInput {
    /// A category code from `/api/v1/complaint-categories`.
    pub category: String,
    pub title: Option<String>,
    /// At least 10 characters.
    #[schema(min_length = 10)]
    pub description: String,
    /// Village code `PP.KK.CC.NNNN`.
    #[schema(pattern = r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$")]
    pub village_code: Option<String>,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    /// Hide the reporter's identity from the agency.
    #[serde(default)]
    pub anonymous: bool,
    /// Hide the report from the public (only the reporter, with code and secret, sees it).
    #[serde(default)]
    pub confidential: bool,
    pub reported_party: Option<String>,
    pub incident_time: Option<String>,
    pub incident_place: Option<String>,
    pub evidence: Option<String>,
    /// YYYY-MM-DD: when the election violation became known.
    pub known_on: Option<String>,
    /// JPEG or PNG photos, base64; at most 3.
    #[serde(default)]
    #[schema(max_items = 3)]
    pub photos: Vec<String>,
    /// `counter` when a signed-in counter operator files for a citizen, `web` when the web
    /// form's offline outbox sends it; default `api`.
    pub channel: Option<String>,
}

impl ComplaintInput {
    pub fn into_submission(self) -> ComplaintResult<Submission> {
        let mut photos = Vec::new();
        for p in &self.photos {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(p.trim())
                .map_err(|_| ComplaintError::PhotosNotBase64)?;
            photos.push(bytes);
        }
        Ok(Submission {
            category: self.category,
            title: self.title,
            description: self.description,
            village_code: self.village_code,
            address: self.address,
            lat: self.lat,
            lon: self.lon,
            contact_name: self.contact_name,
            contact_phone: self.contact_phone,
            contact_email: self.contact_email,
            anonymous: self.anonymous,
            confidential: self.confidential,
            reported_party: self.reported_party,
            incident_time: self.incident_time,
            incident_place: self.incident_place,
            evidence: self.evidence,
            known_on: self.known_on,
            photos,
            unstructured: false,
            sms_from: None,
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct SubmittedOut {
    pub id: i64,
    /// Names the report; alone it opens only what the public may see.
    pub tracking_code: String,
    /// The reporter's secret, shown once (only its hash is kept): with the tracking code it
    /// opens a confidential or hidden report and the reporter's actions. Keep it; never share.
    pub secret: String,
    pub status: String,
    pub formal: Option<bool>,
    pub message: String,
    pub tracking_url: String,
    pub dispatch_due: Option<String>,
}

/// File a report (no account needed). Retry with the same `Idempotency-Key` to get the same
/// tracking code instead of a second report.
#[utoipa::path(post, path = "/api/v1/complaints", tag = "complaints",
    security((), ("bearer" = [])), request_body = ComplaintInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = SubmittedOut), (status = 422, body = Object), (status = 429, body = Object)))]
pub async fn create_complaint(
    MaybeActor(actor): MaybeActor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Json(input): Json<ComplaintInput>,
) -> AppResult<Response> {
    let channel = channel_for(actor.as_ref(), input.channel.as_deref(), Channel::Api)?;
    let ip = if actor.is_some() {
        None
    } else {
        Some(meta.ip.as_str())
    };
    let s = input.into_submission()?;
    // With an Idempotency-Key this answer is stored in the report's own transaction.
    ctx.respond_with(render_submitted);
    let done = file_report::submit(
        &ctx,
        &meta.audit(actor.as_ref()),
        channel,
        ip,
        s,
        &clocks(&ctx),
    )
    .await?;
    Ok(render_submitted(&done).into_response())
}

/// The 201 answer to a filed report.
fn render_submitted(done: &Submitted) -> Rendered {
    let out = SubmittedOut {
        id: done.id.get(),
        tracking_code: done.tracking_code.as_str().to_string(),
        secret: done.secret.clone(),
        status: done.status.as_str().to_string(),
        formal: done.formal,
        message: done.message_id.clone(),
        // The tracking form (code and secret are typed there, never put in a URL).
        tracking_url: "/aduan/lacak".to_string(),
        dispatch_due: done.dispatch_due.map(|d| d.to_string()),
    };
    Rendered::json(StatusCode::CREATED, &out)
}

/// A report's public view by tracking code alone: only a report the public may see (neither
/// confidential nor hidden); any other, like an unknown code, is 404. The reporter's view
/// needs the secret too: `POST /api/v1/complaints/track`. Look-ups are limited per client.
#[utoipa::path(get, path = "/api/v1/complaints/{tracking_code}", tag = "complaints",
    params(("tracking_code" = String, Path, description = "The tracking code given when the report was filed.")),
    responses((status = 200, body = PublicComplaint), (status = 404, body = Object),
        (status = 429, body = Object, headers(("Retry-After" = u64)))))]
pub async fn get_complaint(
    State(ctx): State<AppCtx>,
    meta: ReqMeta,
    Path(code): Path<String>,
) -> AppResult<Json<PublicComplaint>> {
    count_lookup(&ctx, &meta.ip)?;
    let c = find_by_code(&ctx.db, &code).await?;
    Ok(Json(view::public(&ctx.db, &c).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackInput {
    pub tracking_code: String,
    /// The secret given when the report was filed.
    pub secret: String,
}

/// The reporter's view of their report (confidential and hidden ones too), by tracking code
/// and secret in the body (never in a URL). A wrong secret is 404, like an unknown code.
/// Look-ups are limited per client.
#[utoipa::path(post, path = "/api/v1/complaints/track", tag = "complaints",
    request_body = TrackInput,
    responses((status = 200, body = PublicComplaint), (status = 404, body = Object),
        (status = 429, body = Object, headers(("Retry-After" = u64)))))]
pub async fn track_complaint(
    ReadPost(ctx): ReadPost,
    meta: ReqMeta,
    Json(input): Json<TrackInput>,
) -> AppResult<Json<PublicComplaint>> {
    count_lookup(&ctx, &meta.ip)?;
    let (code, c) = find_as_reporter(&ctx.db, &input.tracking_code, &input.secret).await?;
    Ok(Json(view::for_reporter(&ctx.db, &code, &c).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct CategoryQuery {
    /// The village the report is about (`PP.KK.CC.NNNN`); region-specific categories apply.
    /// Empty: the categories that apply everywhere.
    #[param(pattern = r"^([0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4})?$")]
    village_code: Option<String>,
}

/// Categories that apply in a village, and the agency kind each goes to.
#[utoipa::path(get, path = "/api/v1/complaint-categories", tag = "complaints", params(CategoryQuery),
    responses((status = 200, body = Vec<Category>)))]
pub async fn list_categories(
    State(ctx): State<AppCtx>,
    Query(q): Query<CategoryQuery>,
) -> AppResult<Json<Vec<Category>>> {
    let village = q.village_code.as_deref().filter(|v| !v.is_empty());
    if let Some(v) = village {
        let code = balai_core::regions::RegionCode::parse(v)?;
        if code.level() != balai_core::regions::Level::Village {
            return Err(balai_core::regions::BadRegionCode(v.to_string()).into());
        }
    }
    Ok(Json(store::categories_for(&ctx.db, village).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct QueueQuery {
    /// Default `new`.
    #[param(schema_with = queues)]
    queue: Option<String>,
    /// Super-admins: which agency (none: reports not yet routed).
    agency_id: Option<i64>,
}

fn queues() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(["new", "due_soon", "overdue", "mine", "all"])
}

#[derive(Serialize, ToSchema)]
pub struct QueueItem {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub category: String,
    pub village_code: Option<String>,
    pub assigned_user_id: Option<i64>,
    pub due_day: Option<String>,
}

/// An agency's work queue.
#[utoipa::path(get, path = "/api/v1/work/complaints", tag = "complaints", security(("bearer" = [])),
    params(QueueQuery), responses((status = 200, body = Vec<QueueItem>), (status = 403, body = Object)))]
pub async fn work_queue(
    State(ctx): State<AppCtx>,
    actor: Actor,
    Query(q): Query<QueueQuery>,
) -> AppResult<Json<Vec<QueueItem>>> {
    let queue =
        Queue::parse(q.queue.as_deref().unwrap_or("all")).ok_or(ComplaintError::UnknownQueue)?;
    let agency = queue_agency(&actor, q.agency_id)?;
    let rows = load_queue(&ctx.db, &clocks(&ctx), &actor, queue, agency).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| QueueItem {
                id: r.id,
                title: r.title,
                status: r.status,
                category: r.category_code,
                village_code: r.village_code,
                assigned_user_id: r.assigned_user_id,
                due_day: r.due_day.map(|d| d.to_string()),
            })
            .collect(),
    ))
}

/// One report, as its agency sees it.
#[utoipa::path(get, path = "/api/v1/work/complaints/{id}", tag = "complaints", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = AgencyComplaint), (status = 404, body = Object)))]
pub async fn work_get(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path(id): Path<ComplaintId>,
) -> AppResult<Json<AgencyComplaint>> {
    Ok(Json(official_view(&ctx.db, &actor, &meta, id).await?))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
#[schema(as = ComplaintActionInput)]
pub struct ActionInput {
    /// dispatch, start_follow_up, answer, reject, reroute, mark_duplicate, note, assign,
    /// request_more_info, classify, hide, redact (body = new public text), hide_photo
    pub action: String,
    /// Answer, reason, note or message, depending on the action.
    #[serde(default)]
    pub body: String,
    pub to_agency_id: Option<i64>,
    /// For `mark_duplicate`: the id of the original report (same agency).
    pub original_id: Option<i64>,
    pub user_id: Option<i64>,
    /// For `classify`.
    pub category: Option<String>,
    /// For `classify`.
    pub village_code: Option<String>,
    /// A standard reply (see `RESPONSE_TEMPLATES`), used when `body` is empty.
    pub template: Option<String>,
    /// For `hide_photo`.
    pub photo_id: Option<i64>,
}

impl ActionInput {
    pub fn into_command(mut self) -> ComplaintResult<Command> {
        if self.body.trim().is_empty() {
            if let Some(t) = self.template.as_deref().filter(|t| !t.is_empty()) {
                self.body = response_template(t)
                    .ok_or(ComplaintError::UnknownTemplate)?
                    .to_string();
            }
        }
        let missing = ComplaintError::FieldMissing;
        Ok(match self.action.as_str() {
            "dispatch" => Command::Dispatch { note: self.body },
            "start_follow_up" => Command::StartFollowUp,
            "answer" => Command::Answer { body: self.body },
            "reject" => Command::Reject { reason: self.body },
            "reroute" => Command::Reroute {
                to_agency_id: self.to_agency_id.ok_or_else(|| missing("to_agency_id"))?,
                note: self.body,
            },
            "mark_duplicate" => Command::MarkDuplicate {
                original_id: ComplaintId(self.original_id.ok_or_else(|| missing("original_id"))?),
            },
            "note" => Command::Note { body: self.body },
            "assign" => Command::Assign {
                user_id: self.user_id,
            },
            "request_more_info" => Command::RequestMoreInfo { body: self.body },
            "classify" => Command::Classify {
                category: self.category.ok_or_else(|| missing("category"))?,
                village_code: self.village_code.ok_or_else(|| missing("village_code"))?,
            },
            "hide" => Command::Hide { reason: self.body },
            "redact" => Command::Redact {
                public_text: self.body,
            },
            "hide_photo" => Command::HidePhoto {
                photo_id: self.photo_id.ok_or_else(|| missing("photo_id"))?,
            },
            _ => return Err(ComplaintError::UnknownAction),
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct ActionDone {
    pub status: String,
}

/// Act on a report: dispatch, answer, reject, re-route, merge as duplicate, note, assign.
#[utoipa::path(post, path = "/api/v1/work/complaints/{id}/actions", tag = "complaints", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    request_body = ActionInput,
    responses((status = 200, body = ActionDone), (status = 404, body = Object), (status = 409, body = Object)))]
pub async fn work_action(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<ComplaintId>,
    Json(input): Json<ActionInput>,
) -> AppResult<Json<ActionDone>> {
    let cmd = input.into_command()?;
    let st = act(
        &ctx,
        &actor,
        &meta.audit(Some(&actor)),
        id,
        cmd,
        &clocks(&ctx),
        today(),
    )
    .await?;
    Ok(Json(ActionDone {
        status: st.as_str().to_string(),
    }))
}
