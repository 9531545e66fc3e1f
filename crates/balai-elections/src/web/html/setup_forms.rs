//! The forms of an election's management page (candidate pairs and their status, schedule
//! versions, the election's status, the TPS CSV upload). Each posts to the same command as the
//! API, then goes back to the page through `setup::after` (POST, redirect, GET) or shows the
//! refusal with nothing changed.

use axum::extract::{OriginalUri, Path, Request, State};
use axum::response::Response;
use balai_core::i18n::Lang;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde::Deserialize;

use crate::commands::setup::{self, CandidateInput, ScheduleInput};
use crate::domain::election::{parse_tps_csv, Stage, StageKind};
use crate::web::html::setup::after;

#[derive(Deserialize)]
pub struct CandidateForm {
    ballot_number: String,
    head_name: String,
    deputy_name: String,
    #[serde(default)]
    parties: String,
    #[serde(default)]
    independent: Option<String>,
}

#[allow(clippy::too_many_arguments)]
pub async fn add_candidate(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<CandidateForm>,
) -> AppResult<Response> {
    let outcome = async {
        let ballot_number = f.ballot_number.trim().parse::<u32>().map_err(|_| {
            AppError::unprocessable(
                "bad_candidate",
                "Nomor urut harus bilangan bulat 1–50.",
                "The ballot number must be a whole number from 1 to 50.",
            )
        })?;
        let input = CandidateInput {
            ballot_number,
            head_name: f.head_name.clone(),
            deputy_name: f.deputy_name.clone(),
            parties: f
                .parties
                .split([',', '\n'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
            independent: f.independent.is_some(),
        };
        setup::add_candidate(&ctx, &actor, &meta, id, &input).await?;
        Ok("ok=paslon".to_string())
    }
    .await;
    after(&ctx, lang, &actor, &csrf, &uri, id, "candidates", outcome).await
}

#[derive(Deserialize)]
pub struct CandidateStatusForm {
    ballot_number: u32,
    status: String,
    #[serde(default)]
    reason: String,
}

#[allow(clippy::too_many_arguments)]
pub async fn candidate_status(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<CandidateStatusForm>,
) -> AppResult<Response> {
    let outcome = setup::set_candidate_status(
        &ctx,
        &actor,
        &meta,
        id,
        f.ballot_number,
        &f.status,
        Some(&f.reason),
    )
    .await
    .map(|()| "ok=status_paslon".to_string());
    after(&ctx, lang, &actor, &csrf, &uri, id, "candidates", outcome).await
}

#[allow(clippy::too_many_arguments)]
pub async fn set_schedule(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let get = |k: &str| {
        pairs
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    let (kinds, names, starts, ends) = (get("kind"), get("name"), get("start"), get("end"));
    let mut stages = Vec::new();
    let mut unknown_kind = false;
    for (i, name) in names.iter().enumerate() {
        let start = starts.get(i).cloned().unwrap_or_default();
        let end = ends.get(i).cloned().unwrap_or_default();
        if name.trim().is_empty() && start.trim().is_empty() && end.trim().is_empty() {
            continue;
        }
        let kind = match kinds.get(i).map(|k| k.trim()).unwrap_or("") {
            "" => None,
            k => {
                let parsed = StageKind::parse(k);
                unknown_kind |= parsed.is_none();
                parsed
            }
        };
        stages.push(Stage {
            kind,
            name: name.clone(),
            start,
            end: if end.trim().is_empty() {
                starts.get(i).cloned().unwrap_or_default()
            } else {
                end
            },
        });
    }
    let outcome = if unknown_kind {
        Err(AppError::unprocessable(
            "bad_schedule",
            "Jenis tahapan tidak dikenal.",
            "Unknown stage kind.",
        ))
    } else {
        let input = ScheduleInput {
            reason: get("reason").concat(),
            legal_basis: get("legal_basis").concat(),
            stages,
        };
        setup::set_schedule(&ctx, &actor, &meta, id, &input)
            .await
            .map(|_| "ok=jadwal".to_string())
    };
    after(&ctx, lang, &actor, &csrf, &uri, id, "schedule", outcome).await
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
}

#[allow(clippy::too_many_arguments)]
pub async fn set_status(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<StatusForm>,
) -> AppResult<Response> {
    let outcome = setup::set_status(&ctx, &actor, &meta, id, &f.status)
        .await
        .map(|()| "ok=status".to_string());
    after(&ctx, lang, &actor, &csrf, &uri, id, "status", outcome).await
}

/// The TPS CSV upload (`multipart/form-data`: `csrf` and one `csv` file), imported exactly as
/// `POST /api/v1/elections/{id}/tps/import`: all rows or none, every bad row reported.
#[allow(clippy::too_many_arguments)]
pub async fn import_tps(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<i64>,
    req: Request,
) -> AppResult<Response> {
    let text = crate::web::shared::csrf_multipart(&ctx, req, "csv")
        .await?
        .map(|(_, data)| String::from_utf8_lossy(&data).into_owned());
    let outcome = async {
        let text = text.filter(|t| !t.trim().is_empty()).ok_or_else(|| {
            AppError::unprocessable("no_csv", "Pilih berkas CSV TPS.", "Choose a TPS CSV file.")
        })?;
        let rows = parse_tps_csv(&text).map_err(|p| crate::commands::bad_lines("bad_csv", p))?;
        let done = setup::add_tps(&ctx, &actor, &meta, id, &rows).await?;
        Ok(format!(
            "ok=tps&impor={}&peringatan={}",
            done.created,
            done.warnings.len()
        ))
    }
    .await;
    after(&ctx, lang, &actor, &csrf, &uri, id, "tps", outcome).await
}
