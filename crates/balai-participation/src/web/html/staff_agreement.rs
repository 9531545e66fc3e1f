//! The officials' page of one agreement, for an official of one of its parties: its signed
//! document (every version, and the form to upload a new one), the form to edit it (its
//! agency parties among them: the official's own agency stays a party), and the form to end
//! it early. A refused form is shown again with its message and what was typed.

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
use crate::commands::authorize::{acts_for, agency_id};
use crate::domain::agreement::Draft;
use crate::domain::document::DocKind;
use crate::domain::ending::EndDraft;
use crate::domain::settings::settings;
use crate::domain::size::size_words;
use crate::errors::ParticipationError;
use crate::queries::record::{self, Agreement};
use crate::store::agencies;

#[derive(Deserialize, Default)]
pub struct DocQuery {
    /// After an upload: `1` (stored) or the refusal's code.
    #[serde(default)]
    pub dok: String,
    /// After an edit: `1` (stored).
    #[serde(default)]
    pub ubah: String,
    /// After an early end: `1` (stored).
    #[serde(default)]
    pub akhir: String,
}

/// The early end's fields as sent.
#[derive(Deserialize, Default, Clone)]
pub struct EndFields {
    #[serde(default)]
    pub ended_on: String,
    #[serde(default)]
    pub reason: String,
}

/// An agency the form offers as a party.
pub struct PartyChoice {
    pub id: i64,
    pub name: String,
    pub chosen: bool,
    /// The official's own agency: it stays a party.
    pub fixed: bool,
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
    /// The page's (notice, error) after an upload, an edit or an early end.
    pub fn shown(&self, kind: DocKind, max: usize, lang: Lang) -> (String, String) {
        let (mut notice, error) = documents::upload_notice(&self.dok, kind, max, lang);
        if self.ubah == "1" {
            notice = lang.tr("Perubahan tersimpan.", "Changes saved.").into();
        }
        if self.akhir == "1" {
            notice = lang
                .tr(
                    "Pengakhiran perjanjian tercatat.",
                    "The agreement's end is recorded.",
                )
                .into();
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
    parties: Vec<PartyChoice>,
    end: EndFields,
    notice: String,
    error: String,
}

#[derive(Default)]
struct Shown {
    notice: String,
    error: String,
    /// The edit form as typed, with the agencies ticked.
    typed: Option<(Fields, Vec<i64>)>,
    end: EndFields,
}

/// The agencies the form offers: the agreement's agency parties first (in their order), then
/// the other agencies of its province by name; the official's own agency is fixed.
async fn choices(
    ctx: &AppCtx,
    actor: &Actor,
    a: &Agreement,
    chosen: &[i64],
) -> AppResult<Vec<PartyChoice>> {
    let province = a.row.region_code.get(..2).unwrap_or("").to_string();
    let own = agency_id(actor).filter(|_| !actor.is_superadmin());
    let mut out: Vec<PartyChoice> = a
        .parties
        .iter()
        .filter_map(|p| p.agency_id.map(|id| (id, p.name.clone())))
        .map(|(id, name)| PartyChoice {
            id,
            name,
            chosen: chosen.contains(&id),
            fixed: Some(id) == own,
        })
        .collect();
    for g in agencies::all(&ctx.db).await? {
        if g.region_code.starts_with(&province) && !out.iter().any(|c| c.id == g.id) {
            out.push(PartyChoice {
                chosen: chosen.contains(&g.id),
                fixed: Some(g.id) == own,
                id: g.id,
                name: g.name,
            });
        }
    }
    Ok(out)
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
    let (f, chosen) = shown.typed.unwrap_or_else(|| {
        let ids = a.parties.iter().filter_map(|p| p.agency_id).collect();
        (recorded(&a), ids)
    });
    let parties = if may_keep {
        choices(ctx, actor, &a, &chosen).await?
    } else {
        Vec::new()
    };
    let body = render(&StaffAgreementPage {
        page,
        f,
        parties,
        end: shown.end,
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
        ..Shown::default()
    };
    show(&ctx, lang, &actor, &csrf.0, id, shown).await
}

/// The edit form as sent: its text fields, and the ticked agencies in the order shown (the
/// official's own agency is always among them: the form sends it as fixed).
fn edit_form(pairs: &[(String, String)]) -> AppResult<(Fields, Vec<i64>)> {
    let mut texts = serde_json::Map::new();
    let mut ids = Vec::new();
    for (k, v) in pairs {
        if k == "agency_id" {
            let id = v
                .trim()
                .parse::<i64>()
                .map_err(|_| ParticipationError::BadForm)?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        } else {
            texts.insert(k.clone(), v.clone().into());
        }
    }
    let f: Fields =
        serde_json::from_value(texts.into()).map_err(|_| ParticipationError::BadForm)?;
    Ok((f, ids))
}

pub async fn edit_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (f, agency_ids) = edit_form(&pairs)?;
    let draft = Draft {
        title: f.title.clone(),
        number: f.number.clone(),
        agency_ids: agency_ids.clone(),
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
                error: super::typed_refusal(e, lang)?,
                typed: Some((f, agency_ids)),
                ..Shown::default()
            };
            show(&ctx, lang, &actor, &csrf.0, id, shown).await
        }
    }
}

pub async fn end_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<EndFields>,
) -> AppResult<Response> {
    let draft = EndDraft {
        ended_on: f.ended_on.clone(),
        reason: f.reason.clone(),
    };
    match crate::commands::agreement::end(&ctx, &meta, &actor, id, &draft).await {
        Ok(()) => Ok(
            Redirect::to(&format!("/kolaborasi/petugas/perjanjian/{id}?akhir=1")).into_response(),
        ),
        Err(e) => {
            let shown = Shown {
                error: super::typed_refusal(e, lang)?,
                end: f,
                ..Shown::default()
            };
            show(&ctx, lang, &actor, &csrf.0, id, shown).await
        }
    }
}
