//! The Daftar Informasi Publik as JSON: read by anyone, edited by the PPID's officers.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use balai_core::accounts::{self, Agency, AgencyKind};
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::{AppCtx, Keyed};
use balai_core::AppResult;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::commands::{lists, today_at};
use crate::domain::dip::{Category, Document, RawEntry};
use crate::errors::InformationError;
use crate::queries::lists::{list_view, ListView};
use crate::store;

/// The PPID `id` (any other agency, or none: not found).
pub(crate) async fn ppid(ctx: &AppCtx, id: i64) -> AppResult<Agency> {
    accounts::get_agency(&ctx.db, id)
        .await?
        .filter(|a| a.is(AgencyKind::Ppid))
        .ok_or_else(|| InformationError::NotFound.into())
}

/// The list of the PPID `agency`, as shown today where it is.
pub(crate) async fn load(ctx: &AppCtx, agency: &Agency) -> AppResult<ListView> {
    let rows = store::lists::of_agency(&ctx.db, AgencyId(agency.id)).await?;
    Ok(list_view(agency, &rows, today_at(&agency.region_code)))
}

/// A PPID's Daftar Informasi Publik: every entry by class, with its legal basis, documents and
/// last update; berkala entries not updated for six months are flagged `late`.
#[utoipa::path(get, path = "/api/v1/information-lists/{agency_id}", tag = "information",
    params(("agency_id" = i64, Path, description = "The PPID (agency) id")),
    responses((status = 200, body = ListView), (status = 404)))]
pub async fn get_list(
    State(ctx): State<AppCtx>,
    Path(agency_id): Path<i64>,
) -> AppResult<Json<ListView>> {
    let agency = ppid(&ctx, agency_id).await?;
    Ok(Json(load(&ctx, &agency).await?))
}

fn categories() -> utoipa::openapi::schema::Object {
    balai_core::web::schema::one_of(Category::ALL.map(Category::as_str))
}

/// An entry of the list.
#[derive(Deserialize, ToSchema)]
#[schema(as = InformationListEntryInput)]
#[serde(deny_unknown_fields)]
pub struct EntryInput {
    #[schema(schema_with = categories)]
    pub category: String,
    /// 1–300 characters.
    #[schema(min_length = 1, max_length = 300, pattern = r"\S")]
    pub title: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub summary: Option<String>,
    /// The law or regulation that makes it public (or exempt): 1–500 characters.
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub legal_basis: String,
    /// For `dikecualikan` only, and required there: the art. 17 letter `a`–`j`.
    #[serde(default)]
    #[schema(pattern = r"^\s*(17)?[a-jA-J]?\s*$")]
    pub exemption: Option<String>,
    /// At most 20: each a title and a link or the reference of a filed copy.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub documents: Vec<Document>,
    /// When the information was last updated, YYYY-MM-DD, not in the future (default today).
    #[serde(default)]
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub updated_on: Option<String>,
}

impl From<EntryInput> for RawEntry {
    fn from(i: EntryInput) -> RawEntry {
        RawEntry {
            category: i.category,
            title: i.title,
            summary: i.summary.unwrap_or_default(),
            legal_basis: i.legal_basis,
            exemption: i.exemption.unwrap_or_default(),
            documents: i.documents,
            updated_on: i.updated_on,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[schema(as = InformationListEntrySaved)]
pub struct EntrySaved {
    pub id: i64,
}

/// Add an entry to the PPID's list (its officers, supervisors and admins).
#[utoipa::path(post, path = "/api/v1/information-lists/{agency_id}/entries", tag = "information",
    security(("bearer" = [])), request_body = EntryInput,
    params(("agency_id" = i64, Path, description = "The PPID (agency) id")),
    responses((status = 201, body = EntrySaved), (status = 403), (status = 404), (status = 422)))]
pub async fn post_entry(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path(agency_id): Path<i64>,
    Json(input): Json<EntryInput>,
) -> AppResult<(StatusCode, Json<EntrySaved>)> {
    let raw = RawEntry::from(input);
    let id = lists::save(&ctx, &meta, &actor, AgencyId(agency_id), None, &raw).await?;
    Ok((StatusCode::CREATED, Json(EntrySaved { id })))
}

/// Replace an entry of the PPID's list.
#[utoipa::path(put, path = "/api/v1/information-lists/{agency_id}/entries/{entry_id}",
    tag = "information", security(("bearer" = [])), request_body = EntryInput,
    params(("agency_id" = i64, Path, description = "The PPID (agency) id"),
        ("entry_id" = i64, Path, description = "The entry id")),
    responses((status = 200, body = EntrySaved), (status = 403), (status = 404), (status = 422)))]
pub async fn put_entry(
    actor: Actor,
    Keyed(ctx): Keyed,
    meta: ReqMeta,
    Path((agency_id, entry_id)): Path<(i64, i64)>,
    Json(input): Json<EntryInput>,
) -> AppResult<Json<EntrySaved>> {
    let raw = RawEntry::from(input);
    let agency = AgencyId(agency_id);
    let id = lists::save(&ctx, &meta, &actor, agency, Some(entry_id), &raw).await?;
    Ok(Json(EntrySaved { id }))
}
