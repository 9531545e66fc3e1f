//! The Daftar Informasi Publik as pages: the PPIDs' index, each PPID's list (and its CSV) for
//! the public, and the officers' editing (add, change) with POST-redirect-GET.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::accounts::{self, Agency, AgencyKind, Scope};
use balai_core::i18n::Lang;
use balai_core::ids::AgencyId;
use balai_core::web::actor::{Actor, MaybeActor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::html::page;
use super::lists_api::{load, ppid};
use crate::commands::lists;
use crate::domain::dip::{Category, Document, RawEntry};
use crate::domain::exemptions::Exemption;
use crate::errors::InformationError;
use crate::queries::lists::{EntryView, ListView};

/// The classes with their labels in the page's language.
fn classes(lang: Lang) -> Vec<(&'static str, &'static str, &'static str)> {
    Category::ALL
        .into_iter()
        .map(|c| {
            (
                c.as_str(),
                lang.tr(c.label_id(), c.label_en()),
                lang.tr(c.article(), c.article_en()),
            )
        })
        .collect()
}

#[derive(Template)]
#[template(path = "kip_dip_index.html")]
struct IndexPage {
    page: Page,
    agencies: Vec<Agency>,
}

/// Every PPID, each linking to its list.
pub async fn index(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    let all = accounts::list_agencies(&ctx.db, &Scope::All).await?;
    let title = lang.tr("Daftar Informasi Publik", "List of public information");
    render(&IndexPage {
        page: page(lang, title, actor.as_ref(), &csrf, &uri),
        agencies: all.into_iter().filter(|a| a.is(AgencyKind::Ppid)).collect(),
    })
}

#[derive(Template)]
#[template(path = "kip_dip.html")]
struct ListPage {
    page: Page,
    list: ListView,
    classes: Vec<(&'static str, &'static str, &'static str)>,
}

impl ListPage {
    fn of(&self, class: &str) -> Vec<&EntryView> {
        self.list
            .entries
            .iter()
            .filter(|e| e.category == class)
            .collect()
    }
}

/// One PPID's list, by class, the late berkala entries flagged.
pub async fn public_list(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let agency = ppid(&ctx, id).await?;
    let list = load(&ctx, &agency).await?;
    let title = format!(
        "{} · {}",
        lang.tr("Daftar Informasi Publik", "List of public information"),
        agency.name
    );
    render(&ListPage {
        page: page(lang, &title, actor.as_ref(), &csrf, &uri),
        list,
        classes: classes(lang),
    })
}

/// One PPID's list as CSV.
pub async fn list_csv(State(ctx): State<AppCtx>, Path(id): Path<i64>) -> AppResult<Response> {
    let agency = ppid(&ctx, id).await?;
    let list = load(&ctx, &agency).await?;
    let rows: Vec<Vec<String>> = list
        .entries
        .iter()
        .map(|e| {
            let docs = e
                .documents
                .iter()
                .map(|d| format!("{} <{}>", d.title, d.reference))
                .collect::<Vec<_>>()
                .join("; ");
            vec![
                e.category.clone(),
                e.title.clone(),
                e.summary.clone().unwrap_or_default(),
                e.legal_basis.clone(),
                e.exemption
                    .as_ref()
                    .map(|x| x.code.clone())
                    .unwrap_or_default(),
                docs,
                e.updated_on.clone(),
                if e.late { "ya" } else { "tidak" }.into(),
            ]
        })
        .collect();
    let header = [
        "golongan",
        "judul",
        "ringkasan",
        "dasar_hukum",
        "pasal_17",
        "dokumen",
        "diperbarui",
        "terlambat",
    ];
    super::csv::attachment(&format!("dip-{}.csv", agency.id), &header, &rows)
}

/// The officer's own PPID (a super-admin names one with `?agency=`).
fn own_agency(actor: &Actor, asked: Option<i64>) -> AppResult<i64> {
    match (&actor.scope, asked) {
        (Scope::All, Some(a)) => Ok(a),
        (Scope::Region { agency_id, .. }, _) => Ok(*agency_id),
        _ => Err(InformationError::NotFound.into()),
    }
}

/// The entry form's fields.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    golongan: String,
    #[serde(default)]
    judul: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    dasar_hukum: String,
    #[serde(default)]
    pengecualian: String,
    /// One document a line: `title | link or archive reference` (a multi-line field).
    #[serde(default)]
    documents: String,
    #[serde(default)]
    diperbarui: String,
}

impl EntryForm {
    fn raw(&self) -> RawEntry {
        let documents = self
            .documents
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let (title, reference) = l.split_once('|').unwrap_or((l, ""));
                Document {
                    title: title.trim().to_string(),
                    reference: reference.trim().to_string(),
                }
            })
            .collect();
        RawEntry {
            category: self.golongan.clone(),
            title: self.judul.clone(),
            summary: self.description.clone(),
            legal_basis: self.dasar_hukum.clone(),
            exemption: self.pengecualian.clone(),
            documents,
            updated_on: Some(self.diperbarui.clone()),
        }
    }

    fn of(e: &EntryView) -> EntryForm {
        EntryForm {
            golongan: e.category.clone(),
            judul: e.title.clone(),
            description: e.summary.clone().unwrap_or_default(),
            dasar_hukum: e.legal_basis.clone(),
            pengecualian: e
                .exemption
                .as_ref()
                .map(|x| x.code.clone())
                .unwrap_or_default(),
            documents: e
                .documents
                .iter()
                .map(|d| format!("{} | {}", d.title, d.reference))
                .collect::<Vec<_>>()
                .join("\n"),
            diperbarui: e.updated_on.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "kip_dip_staff.html")]
struct StaffPage {
    page: Page,
    list: ListView,
    classes: Vec<(&'static str, &'static str, &'static str)>,
    exemptions: Vec<(&'static str, &'static str)>,
    /// The entry being changed (`None`: a new one).
    editing: Option<i64>,
    form: EntryForm,
    error: Option<String>,
    done: bool,
}

#[derive(Deserialize)]
pub struct StaffQuery {
    agency: Option<i64>,
    selesai: Option<String>,
}

struct Shown {
    editing: Option<i64>,
    form: EntryForm,
    error: Option<String>,
    done: bool,
}

async fn staff_page(ctx: &AppCtx, p: Page, agency_id: i64, shown: Shown) -> AppResult<Response> {
    let agency = ppid(ctx, agency_id).await?;
    let lang = p.lang;
    let res = render(&StaffPage {
        list: load(ctx, &agency).await?,
        classes: classes(lang),
        exemptions: Exemption::ALL
            .into_iter()
            .map(|e| (e.code(), lang.tr(e.label_id(), e.label_en())))
            .collect(),
        page: p,
        editing: shown.editing,
        form: shown.form,
        error: shown.error,
        done: shown.done,
    })?;
    Ok(super::html::private(res))
}

fn staff_title(lang: Lang) -> &'static str {
    lang.tr(
        "Kelola Daftar Informasi Publik",
        "Manage the list of public information",
    )
}

/// The officer's list with the form for a new entry, or (`entry`) the form to change one.
pub async fn staff_form(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    entry: Option<Path<i64>>,
    Query(q): Query<StaffQuery>,
) -> AppResult<Response> {
    let agency = own_agency(&actor, q.agency)?;
    if !crate::domain::access::sees(&actor, AgencyId(agency)) {
        return Err(InformationError::NotFound.into());
    }
    let agency_list = load(&ctx, &ppid(&ctx, agency).await?).await?;
    let (editing, form) = match entry {
        None => (None, EntryForm::default()),
        Some(Path(id)) => {
            let e = agency_list
                .entries
                .iter()
                .find(|e| e.id == id)
                .ok_or(InformationError::NotFound)?;
            (Some(id), EntryForm::of(e))
        }
    };
    let p = page(lang, staff_title(lang), Some(&actor), &csrf, &uri);
    let shown = Shown {
        editing,
        form,
        error: None,
        done: q.selesai.is_some(),
    };
    staff_page(&ctx, p, agency, shown).await
}

/// Saved: 303 to the list (reloadable); refused: the form again with the reason (422).
#[allow(clippy::too_many_arguments)]
pub async fn staff_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    entry: Option<Path<i64>>,
    Query(q): Query<StaffQuery>,
    CsrfForm(f): CsrfForm<EntryForm>,
) -> AppResult<Response> {
    let agency = own_agency(&actor, q.agency)?;
    let editing = entry.map(|Path(id)| id);
    let saved = lists::save(&ctx, &meta, &actor, AgencyId(agency), editing, &f.raw()).await;
    let error = match saved {
        Ok(_) => {
            let back = match q.agency {
                Some(a) => format!("/informasi/ppid/dip?agency={a}&selesai=1"),
                None => "/informasi/ppid/dip?selesai=1".to_string(),
            };
            return Ok(Redirect::to(&back).into_response());
        }
        Err(e @ (InformationError::Core(_) | InformationError::NotFound)) => return Err(e.into()),
        Err(InformationError::Forbidden) => return Err(InformationError::Forbidden.into()),
        Err(e) => lang.tr(&e.to_string(), &e.message_en()).to_string(),
    };
    let p = page(lang, staff_title(lang), Some(&actor), &csrf, &uri);
    let shown = Shown {
        editing,
        form: f,
        error: Some(error),
        done: false,
    };
    let mut res = staff_page(&ctx, p, agency, shown).await?;
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(res)
}
