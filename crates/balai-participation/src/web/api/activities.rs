//! `POST /api/v1/activities` (an official of the organising agency) and
//! `GET /api/v1/activities?region=CODE` (public: minutes only once published), the minutes'
//! draft and approvals, and follow-up actions.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::agreements::Created;
use super::{texts, RegionQuery};
use crate::commands::{activity, followup, minutes};
use crate::domain::activity::{Attendance, Draft, FollowUpDraft};
use crate::domain::target_group::TargetGroup;
use crate::queries::record::{self, Activity};

/// One institution's attendance.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ParticipationAttendanceInput)]
pub struct AttendanceInput {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub institution: String,
    /// A Balai agency: its approval is needed before the minutes are published.
    #[serde(default, deserialize_with = "balai_core::web::json_int::opt_i64")]
    #[schema(minimum = 1)]
    pub agency_id: Option<i64>,
    #[serde(default, deserialize_with = "balai_core::web::json_int::opt_i64")]
    #[schema(minimum = 0, maximum = 100000)]
    pub attendees: Option<i64>,
    /// The signed attendance list is kept.
    #[serde(default)]
    pub signed_list: bool,
}

/// An outreach activity or meeting.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityInput {
    /// The agreement it carries out: held inside its region and period, by one of its parties.
    #[serde(default, deserialize_with = "balai_core::web::json_int::opt_i64")]
    #[schema(minimum = 1)]
    pub agreement_id: Option<i64>,
    /// The agreement's clause it carries out (1, 2, …).
    #[serde(default, deserialize_with = "balai_core::web::json_int::opt_i64")]
    #[schema(minimum = 1, maximum = 100)]
    pub clause: Option<i64>,
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub title: String,
    /// Where it is held: a region of any level inside the organiser's region.
    #[schema(pattern = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$")]
    pub region_code: String,
    #[schema(format = Date)]
    pub date: String,
    #[schema(schema_with = target_groups)]
    pub target_group: String,
    #[serde(deserialize_with = "balai_core::web::json_int::i64")]
    #[schema(minimum = 0, maximum = 1000000)]
    pub participants: i64,
    /// Attending organisations, by name.
    #[schema(schema_with = organisations)]
    pub organisations: Vec<String>,
    #[serde(default)]
    #[schema(min_length = 1, max_length = 2000)]
    pub agenda: Option<String>,
    /// Attendance per institution with counts.
    #[serde(default)]
    #[schema(max_items = 25)]
    pub attendance: Vec<AttendanceInput>,
}

pub fn target_groups() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(TargetGroup::ALL.map(TargetGroup::as_str))
}

fn organisations() -> utoipa::openapi::schema::Array {
    texts(25, 200)
}

/// Record an activity or meeting. Send `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/activities", tag = "participation",
    security(("bearer" = [])), request_body = ActivityInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = Created), (status = 401), (status = 403), (status = 409),
        (status = 422)))]
pub async fn post_activity(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Json(i): Json<ActivityInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let id = activity::record(&ctx, &meta, &actor, &i.into()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

impl From<ActivityInput> for Draft {
    fn from(i: ActivityInput) -> Draft {
        Draft {
            agreement_id: i.agreement_id,
            clause: i.clause,
            title: i.title,
            region_code: i.region_code,
            date: i.date,
            target_group: i.target_group,
            participants: i.participants,
            organisations: i.organisations,
            agenda: i.agenda.unwrap_or_default(),
            attendance: i
                .attendance
                .into_iter()
                .map(|a| Attendance {
                    institution: a.institution,
                    agency_id: a.agency_id,
                    attendees: a.attendees,
                    signed_list: a.signed_list,
                })
                .collect(),
        }
    }
}

/// Edit an activity: the whole record as it should now be (an official of its organiser),
/// with the checks of recording it (inside its agreement's period and region, by a party).
/// The changed fields, before and after, are audited and shown in the activity's public
/// history; the minutes and follow-ups stay. Send `Idempotency-Key`.
#[utoipa::path(put, path = "/api/v1/activities/{id}", tag = "participation",
    security(("bearer" = [])), request_body = ActivityInput,
    params(("id" = i64, Path, minimum = 1),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 200, body = Created), (status = 401), (status = 403), (status = 404),
        (status = 409), (status = 422)))]
pub async fn put_activity(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(i): Json<ActivityInput>,
) -> AppResult<Json<Created>> {
    crate::commands::edit::activity(&ctx, &meta, &actor, id, &i.into()).await?;
    Ok(Json(Created { id }))
}

#[derive(Serialize, ToSchema)]
pub struct AttendanceOut {
    pub institution: String,
    pub agency_id: Option<i64>,
    pub attendees: Option<i64>,
    pub signed_list: bool,
}

#[derive(Serialize, ToSchema)]
pub struct FollowUpOut {
    pub id: i64,
    pub action: String,
    pub owner: String,
    pub owner_agency_id: Option<i64>,
    pub due_on: String,
    /// Percent done, 0–100.
    pub progress: i64,
    pub note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityOut {
    pub id: i64,
    pub agreement_id: Option<i64>,
    pub clause: Option<i64>,
    pub title: String,
    pub region_code: String,
    pub date: String,
    #[schema(schema_with = target_groups)]
    pub target_group: String,
    pub participants: i64,
    pub agenda: Option<String>,
    pub organiser: String,
    pub attendance: Vec<AttendanceOut>,
    /// `none`, `draft` (awaiting the attending agencies' approval) or `published`.
    #[schema(schema_with = minutes_statuses)]
    pub minutes_status: String,
    /// The minutes, once published (null before).
    pub minutes: Option<String>,
    pub follow_ups: Vec<FollowUpOut>,
    /// The current version of the signed attendance list (null until uploaded).
    pub attendance_list: Option<super::documents::DocumentOut>,
    /// Set once the organiser withdrew (cancelled) it: kept and shown as cancelled, no longer
    /// counted as outreach.
    pub withdrawal: Option<WithdrawalOut>,
}

/// An activity's withdrawal (cancellation).
#[derive(Serialize, ToSchema)]
pub struct WithdrawalOut {
    /// When it was withdrawn (RFC 3339).
    pub withdrawn_at: String,
    pub reason: String,
    /// The organiser's agency that withdrew it.
    pub agency: String,
}

fn minutes_statuses() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(["none", "draft", "published"])
}

impl From<&Activity> for ActivityOut {
    fn from(a: &Activity) -> Self {
        let r = &a.row;
        ActivityOut {
            id: r.id,
            agreement_id: r.agreement_id,
            clause: r.clause_number,
            title: r.title.clone(),
            region_code: r.region_code.clone(),
            date: r.day.to_string(),
            target_group: r.target_group.clone(),
            participants: r.participants,
            agenda: r.agenda.clone(),
            organiser: r.organiser_name.clone(),
            attendance: a
                .attendance
                .iter()
                .map(|t| AttendanceOut {
                    institution: t.institution.clone(),
                    agency_id: t.agency_id,
                    attendees: t.attendees,
                    signed_list: t.signed_list,
                })
                .collect(),
            minutes_status: r.minutes_status.clone(),
            minutes: a.published_minutes().map(str::to_string),
            follow_ups: a
                .followups
                .iter()
                .map(|f| FollowUpOut {
                    id: f.id,
                    action: f.action.clone(),
                    owner: f.owner.clone(),
                    owner_agency_id: f.owner_agency_id,
                    due_on: f.due_on.to_string(),
                    progress: f.progress,
                    note: f.note.clone(),
                })
                .collect(),
            attendance_list: a.attendance_list.as_ref().map(|d| {
                super::documents::DocumentOut::of(crate::domain::document::DocKind::Attendance, d)
            }),
            withdrawal: r.withdrawn_at.map(|at| WithdrawalOut {
                withdrawn_at: at
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
                reason: r.withdrawn_reason.clone().unwrap_or_default(),
                agency: r.withdrawn_agency_name.clone().unwrap_or_default(),
            }),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ActivitiesOut {
    pub region_code: String,
    pub region_name: String,
    /// The activities held in the region and under it, newest first.
    pub activities: Vec<ActivityOut>,
}

/// The activities held in a region and every region under it (public; minutes only once
/// every attending agency approved them).
#[utoipa::path(get, path = "/api/v1/activities", tag = "participation", params(RegionQuery),
    responses((status = 200, body = ActivitiesOut), (status = 400), (status = 404)))]
pub async fn list_activities(
    State(ctx): State<AppCtx>,
    Query(q): Query<RegionQuery>,
) -> AppResult<Json<ActivitiesOut>> {
    let (region, name) = crate::queries::region(&ctx.db, &q.region).await?;
    let list = record::activities_under(&ctx.db, region.as_str()).await?;
    Ok(Json(ActivitiesOut {
        region_code: region.to_string(),
        region_name: name,
        activities: list.iter().map(ActivityOut::from).collect(),
    }))
}

/// Draft minutes.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MinutesInput {
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct MinutesOut {
    pub activity_id: i64,
    #[schema(schema_with = minutes_statuses)]
    pub status: String,
    pub version: Option<i64>,
}

/// Write the draft minutes (the organising agency); each new text needs every approval again.
#[utoipa::path(put, path = "/api/v1/activities/{id}/minutes", tag = "participation",
    security(("bearer" = [])), request_body = MinutesInput,
    params(("id" = i64, Path, description = "The activity."),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 200, body = MinutesOut), (status = 401), (status = 403), (status = 404),
        (status = 409), (status = 422)))]
pub async fn put_minutes(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(i): Json<MinutesInput>,
) -> AppResult<Json<MinutesOut>> {
    let version = minutes::draft(&ctx, &meta, &actor, id, &i.text).await?;
    Ok(Json(MinutesOut {
        activity_id: id,
        status: "draft".into(),
        version: Some(version),
    }))
}

/// Approve the current draft for the caller's agency (an attending agency or the organiser,
/// its admin or supervisor); the last approval publishes the minutes.
#[utoipa::path(post, path = "/api/v1/activities/{id}/minutes/approvals", tag = "participation",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "The activity."),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 200, body = MinutesOut), (status = 401), (status = 403), (status = 404),
        (status = 409), (status = 422)))]
pub async fn approve_minutes(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
) -> AppResult<Json<MinutesOut>> {
    let status = minutes::approve(&ctx, &meta, &actor, id).await?;
    Ok(Json(MinutesOut {
        activity_id: id,
        status: status.as_str().into(),
        version: None,
    }))
}

/// A follow-up action.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpInput {
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub action: String,
    /// Who carries it out (a person or an institution).
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub owner: String,
    /// The owner's Balai agency, if it is one: it may update the progress.
    #[serde(default, deserialize_with = "balai_core::web::json_int::opt_i64")]
    #[schema(minimum = 1)]
    pub owner_agency_id: Option<i64>,
    #[schema(format = Date)]
    pub due_on: String,
    #[serde(default, deserialize_with = "balai_core::web::json_int::i64")]
    #[schema(minimum = 0, maximum = 100)]
    pub progress: i64,
    #[serde(default)]
    #[schema(min_length = 1, max_length = 1000)]
    pub note: Option<String>,
}

/// Add a follow-up action to an activity (the organising agency).
#[utoipa::path(post, path = "/api/v1/activities/{id}/follow-ups", tag = "participation",
    security(("bearer" = [])), request_body = FollowUpInput,
    params(("id" = i64, Path, description = "The activity."),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = Created), (status = 401), (status = 403), (status = 404),
        (status = 409), (status = 422)))]
pub async fn post_followup(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(i): Json<FollowUpInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let draft = FollowUpDraft {
        action: i.action,
        owner: i.owner,
        owner_agency_id: i.owner_agency_id,
        due_on: i.due_on,
        progress: i.progress,
        note: i.note.unwrap_or_default(),
    };
    let fid = followup::add(&ctx, &meta, &actor, id, &draft).await?;
    Ok((StatusCode::CREATED, Json(Created { id: fid })))
}

/// A follow-up's progress.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressInput {
    #[serde(deserialize_with = "balai_core::web::json_int::i64")]
    #[schema(minimum = 0, maximum = 100)]
    pub progress: i64,
    #[serde(default)]
    #[schema(min_length = 1, max_length = 1000)]
    pub note: Option<String>,
}

/// Update a follow-up's progress (the organising agency or the owning agency).
#[utoipa::path(put, path = "/api/v1/activities/{id}/follow-ups/{followup_id}/progress",
    tag = "participation", security(("bearer" = [])), request_body = ProgressInput,
    params(("id" = i64, Path, description = "The activity."),
        ("followup_id" = i64, Path, description = "The follow-up action."),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 200, body = Created), (status = 401), (status = 403), (status = 404),
        (status = 409), (status = 422)))]
pub async fn put_progress(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path((id, followup_id)): Path<(i64, i64)>,
    Json(i): Json<ProgressInput>,
) -> AppResult<Json<Created>> {
    followup::update(
        &ctx,
        &meta,
        &actor,
        id,
        followup_id,
        i.progress,
        &i.note.unwrap_or_default(),
    )
    .await?;
    Ok(Json(Created { id: followup_id }))
}

/// Why an activity is withdrawn.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ParticipationWithdrawalInput)]
pub struct WithdrawalInput {
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub reason: String,
}

/// Withdraw (cancel) an activity with a reason (an official of its organiser): it is kept and
/// shown publicly as cancelled, not deleted; it no longer counts as outreach and takes no
/// further change (`409 activity_withdrawn`, also for a second withdrawal). Audited and shown
/// in its public change history. Send `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/activities/{id}/withdrawal", tag = "participation",
    security(("bearer" = [])), request_body = WithdrawalInput,
    params(("id" = i64, Path, minimum = 1, description = "The activity."),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = Created), (status = 401), (status = 403), (status = 404),
        (status = 409), (status = 422)))]
pub async fn post_withdrawal(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(i): Json<WithdrawalInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    crate::commands::withdraw::withdraw(&ctx, &meta, &actor, id, &i.reason).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}
