//! Forums through the API: `POST /api/v1/forums` (an admin, supervisor or officer of an agency
//! whose region covers the forum's), `POST /api/v1/forums/{id}/members` (that agency) and
//! `GET /api/v1/forums?region=CODE` (public: the region's forums and those under it, with
//! their members).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::agreements::Created;
use super::RegionQuery;
use crate::commands::forum;
use crate::domain::forum::{ForumDraft, MemberDraft};
use crate::domain::target_group::ForumKind;

/// A forum (FKUB, a youth forum, a council of tokoh adat, …).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ParticipationForumInput)]
pub struct ForumInput {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[schema(schema_with = forum_kinds)]
    pub kind: String,
    /// The forum's region, inside the caller's agency's region.
    #[schema(pattern = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$")]
    pub region_code: String,
}

fn forum_kinds() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(ForumKind::ALL.map(ForumKind::as_str))
}

/// A member of a forum, with the term of the position.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ParticipationMemberInput)]
pub struct MemberInput {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub person: String,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub organisation: String,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub position: String,
    #[schema(format = Date)]
    pub from: String,
    /// On or after `from`; none while the term runs.
    #[serde(default)]
    #[schema(format = Date)]
    pub to: Option<String>,
}

/// Create a forum. Send `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/forums", tag = "participation",
    security(("bearer" = [])), request_body = ForumInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = Created), (status = 401), (status = 403), (status = 409),
        (status = 422)))]
pub async fn post_forum(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Json(i): Json<ForumInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let draft = ForumDraft {
        name: i.name,
        kind: i.kind,
        region_code: i.region_code,
    };
    let id = forum::create(&ctx, &meta, &actor, &draft).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Add a member to a forum (an official of the agency that created it). Send
/// `Idempotency-Key`.
#[utoipa::path(post, path = "/api/v1/forums/{id}/members", tag = "participation",
    security(("bearer" = [])), request_body = MemberInput,
    params(("id" = i64, Path, minimum = 1),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry-safe key")),
    responses((status = 201, body = Created), (status = 401), (status = 403), (status = 404),
        (status = 409), (status = 422)))]
pub async fn post_member(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(id): Path<i64>,
    Json(i): Json<MemberInput>,
) -> AppResult<(StatusCode, Json<Created>)> {
    let draft = MemberDraft {
        person: i.person,
        organisation: i.organisation,
        position: i.position,
        from: i.from,
        // An empty `to` is not a date (the document says `format: date`): it is refused as
        // one, unlike a `to` left out, which means the term still runs.
        to: match i.to {
            Some(t) if t.is_empty() => "-".to_string(),
            t => t.unwrap_or_default(),
        },
    };
    let member = forum::add_member(&ctx, &meta, &actor, id, &draft).await?;
    Ok((StatusCode::CREATED, Json(Created { id: member })))
}

#[derive(Serialize, ToSchema)]
#[schema(as = ParticipationMember)]
pub struct MemberOut {
    pub person: String,
    pub organisation: String,
    pub position: String,
    pub from: String,
    pub to: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ParticipationForum)]
pub struct ForumOut {
    pub id: i64,
    pub name: String,
    #[schema(schema_with = forum_kinds)]
    pub kind: String,
    pub region_code: String,
    pub members: Vec<MemberOut>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ParticipationForums)]
pub struct ForumsOut {
    pub region_code: String,
    pub region_name: String,
    pub forums: Vec<ForumOut>,
}

/// The forums of a region and of every region under it, with their members (public).
#[utoipa::path(get, path = "/api/v1/forums", tag = "participation", params(RegionQuery),
    responses((status = 200, body = ForumsOut), (status = 400), (status = 404), (status = 422)))]
pub async fn list_forums(
    State(ctx): State<AppCtx>,
    Query(q): Query<RegionQuery>,
) -> AppResult<Json<ForumsOut>> {
    let (region, region_name) = crate::queries::region(&ctx.db, &q.region).await?;
    let forums = crate::queries::record::forums_under(&ctx.db, region.as_str()).await?;
    Ok(Json(ForumsOut {
        forums: forums
            .into_iter()
            .map(|f| ForumOut {
                id: f.row.id,
                name: f.row.name,
                kind: f.row.kind,
                region_code: f.row.region_code,
                members: f
                    .members
                    .into_iter()
                    .map(|m| MemberOut {
                        person: m.person,
                        organisation: m.organisation,
                        position: m.position,
                        from: m.from_day.to_string(),
                        to: m.to_day.map(|d| d.to_string()),
                    })
                    .collect(),
            })
            .collect(),
        region_code: region.to_string(),
        region_name,
    }))
}
