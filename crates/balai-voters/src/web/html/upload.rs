//! The upload of a list version from the election's page (`multipart/form-data`: `csrf`,
//! `stage` and one `csv` file), imported exactly as `PUT /api/v1/elections/{id}/dpt`: all rows
//! or none. Stored: 303 back to the page with the version; refused: the page again with every
//! refused row's line and reason.

use axum::extract::{FromRequest, Multipart, Path, Request};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::web::actor::ReqMeta;
use balai_core::web::AppCtx;
use balai_core::AppResult;

use super::common::{message, status_of, Req};
use super::lists::{list_page, UploadOutcome};
use crate::commands::authorize::require;
use crate::commands::import::{self, By};
use crate::domain::permissions::Action;
use crate::errors::VoterError;
use crate::store::elections;

/// The form's fields: the CSRF token checked, the stage, the file's text.
struct UploadForm {
    stage: String,
    csv: Option<String>,
}

async fn read_form(ctx: &AppCtx, req: Request) -> AppResult<UploadForm> {
    let (parts, body) = req.into_parts();
    let mut inner = Request::new(body);
    if let Some(ct) = parts.headers.get(header::CONTENT_TYPE) {
        inner.headers_mut().insert(header::CONTENT_TYPE, ct.clone());
    }
    let unreadable = |_| VoterError::BadForm;
    let mut mp = Multipart::from_request(inner, ctx)
        .await
        .map_err(|e| unreadable(e.to_string()))?;
    let (mut token, mut stage, mut csv) = (String::new(), String::new(), None);
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| unreadable(e.to_string()))?
    {
        match field.name() {
            Some("csrf") => token = field.text().await.map_err(|e| unreadable(e.to_string()))?,
            Some("stage") => stage = field.text().await.map_err(|e| unreadable(e.to_string()))?,
            Some("csv") => {
                let data = field.bytes().await.map_err(|e| unreadable(e.to_string()))?;
                csv = Some(String::from_utf8_lossy(&data).into_owned());
            }
            _ => {}
        }
    }
    balai_core::web::csrf::check(ctx, &parts, &token)?;
    Ok(UploadForm { stage, csv })
}

/// `POST /pemilih/petugas/{id}/impor`.
pub async fn submit(
    page: Req,
    meta: ReqMeta,
    Path(id): Path<i64>,
    req: Request,
) -> AppResult<Response> {
    let Req {
        ref ctx,
        lang,
        ref actor,
        ..
    } = page;
    let form = read_form(ctx, req).await?;
    let election = elections::get(&ctx.db, id)
        .await?
        .ok_or(VoterError::ElectionNotFound)?;
    require(actor, &election.region_code, Action::ImportList)?;
    let text = form.csv.unwrap_or_default();
    let done = if text.trim().is_empty() {
        Err(VoterError::Refused(Vec::new()))
    } else {
        import::import(ctx, &meta, By::Official(actor), id, &form.stage, &text).await
    };
    let e = match done {
        Ok(d) => {
            return Ok(
                Redirect::to(&format!("/pemilih/petugas/{id}?impor={}#versi", d.version))
                    .into_response(),
            )
        }
        Err(e) => e,
    };
    let status = status_of(&e);
    let refused = match &e {
        VoterError::Refused(rows) => rows
            .iter()
            .map(|r| {
                let (id_text, en) = r.problem.messages();
                (r.line, lang.tr(&id_text, &en).to_string())
            })
            .collect(),
        _ => Vec::new(),
    };
    let error = if text.trim().is_empty() {
        lang.tr(
            "Pilih berkas CSV daftar pemilih.",
            "Choose a voter-list CSV file.",
        )
        .to_string()
    } else {
        message(e, lang)?
    };
    let outcome = UploadOutcome {
        error,
        refused,
        stage: form.stage,
    };
    let res = list_page(&page, id, None, outcome).await?;
    Ok((status, res).into_response())
}
