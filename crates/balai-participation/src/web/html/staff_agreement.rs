//! The officials' page of one agreement, for an official of one of its parties: its signed
//! document (every version, and the form to upload a new one) and the form to edit it (the
//! agency parties stay as recorded; the API can change them). A refused edit is shown again
//! with its message and what was typed.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::documents::{self, DocView};
use super::staff::{lines, Fields};
use super::views::{self, AgreementView};
use crate::commands::authorize::acts_for;
use crate::domain::agreement::Draft;
use crate::domain::document::DocKind;
use crate::domain::settings::settings;
use crate::domain::size::size_words;
use crate::errors::ParticipationError;
use crate::queries::record::{self, Agreement};

#[derive(Deserialize, Default)]
pub struct DocQuery {
    /// After an upload: `1` (stored) or the refusal's code.
    #[serde(default)]
    pub dok: String,
    /// After an edit: `1` (stored).
    #[serde(default)]
    pub ubah: String,
}

/// The edit form's fields as recorded.
fn recorded(a: &Agreement) -> Fields {
    let r = &a.row;
    let others: Vec<&str> = a
        .parties
        .iter()
        .filter(|p| p.agency_id.is_none())
        .map(|p| p.name.as_str())
        .collect();
    let clauses: Vec<&str> = a.clauses.iter().map(|c| c.text.as_str()).collect();
    Fields {
        title: r.title.clone(),
        number: r.number.clone(),
        other_parties_lines: others.join("\n"),
        signed_on: r.signed_on.to_string(),
        valid_from: r.valid_from.to_string(),
        valid_until: r.valid_until.to_string(),
        clauses_lines: clauses.join("\n"),
        legal_basis: r.legal_basis.clone().unwrap_or_default(),
        ..Fields::default()
    }
}

impl DocQuery {
    /// The page's (notice, error) after an upload or an edit.
    pub fn shown(&self, kind: DocKind, max: usize, lang: Lang) -> (String, String) {
        let (mut notice, error) = documents::upload_notice(&self.dok, kind, max, lang);
        if self.ubah == "1" {
            notice = lang.tr("Perubahan tersimpan.", "Changes saved.").into();
        }
        (notice, error)
    }
}

#[derive(Template)]
#[template(path = "kolaborasi_staff_agreement.html")]
struct StaffAgreementPage {
    page: Page,
    a: AgreementView,
    docs: Vec<DocView>,
    may_keep: bool,
    upload_path: String,
    /// The largest file accepted, as people read it (`2 MB`).
    upload_max: String,
    f: Fields,
    notice: String,
    error: String,
}

struct Shown {
    notice: String,
    error: String,
    typed: Option<Fields>,
}

async fn show(
    ctx: &AppCtx,
    lang: Lang,
    actor: &Actor,
    csrf: &str,
    id: i64,
    shown: Shown,
) -> AppResult<Response> {
    let (a, _) = record::agreement(&ctx.db, id)
        .await?
        .ok_or(ParticipationError::NotFound)?;
    let may_keep = a.parties.iter().any(|p| acts_for(actor, p.agency_id));
    let docs = documents::versions(&ctx.db, DocKind::Agreement, id, lang).await?;
    let page = Page::new(
        lang,
        a.row.title.clone(),
        Some(actor),
        csrf,
        "/kolaborasi/petugas",
    );
    let status = if shown.error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = render(&StaffAgreementPage {
        page,
        f: shown.typed.unwrap_or_else(|| recorded(&a)),
        a: views::agreement(&a, lang),
        docs,
        may_keep,
        upload_path: format!("/kolaborasi/petugas/perjanjian/{id}/dokumen"),
        upload_max: size_words(settings(ctx).max_document_bytes, lang == Lang::En),
        notice: shown.notice,
        error: shown.error,
    })?;
    Ok((status, body).into_response())
}

pub async fn page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    Query(q): Query<DocQuery>,
) -> AppResult<Response> {
    let (notice, error) = q.shown(DocKind::Agreement, settings(&ctx).max_document_bytes, lang);
    let shown = Shown {
        notice,
        error,
        typed: None,
    };
    show(&ctx, lang, &actor, &csrf.0, id, shown).await
}

pub async fn edit_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let (a, _) = record::agreement(&ctx.db, id)
        .await?
        .ok_or(ParticipationError::NotFound)?;
    let draft = Draft {
        title: f.title.clone(),
        number: f.number.clone(),
        agency_ids: a.parties.iter().filter_map(|p| p.agency_id).collect(),
        other_parties: lines(&f.other_parties_lines),
        signed_on: f.signed_on.clone(),
        valid_from: f.valid_from.clone(),
        valid_until: f.valid_until.clone(),
        clauses: lines(&f.clauses_lines),
        legal_basis: f.legal_basis.clone(),
    };
    match crate::commands::edit::agreement(&ctx, &meta, &actor, id, &draft).await {
        Ok(()) => Ok(
            Redirect::to(&format!("/kolaborasi/petugas/perjanjian/{id}?ubah=1")).into_response(),
        ),
        Err(e) => {
            let shown = Shown {
                notice: String::new(),
                error: super::typed_refusal(e, lang)?,
                typed: Some(f),
            };
            show(&ctx, lang, &actor, &csrf.0, id, shown).await
        }
    }
}
