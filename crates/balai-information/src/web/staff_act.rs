//! The PPID's page for one request of its queue: the request with the requester's contact (the
//! PPID answers them), and a form for each step the request's status and the official's role
//! allow (extend, answer, answer in part, refuse, transfer, clarify; the Atasan PPID's answer to
//! the objection and the Komisi Informasi's outcome). The same command as the actions API;
//! POST-redirect-GET, refused input shown again with what was typed (422, nothing stored).

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::accounts::{self, AgencyKind, Scope};
use balai_core::i18n::Lang;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::html::{page, private, status_text};
use super::staff::{own_request, DoneQuery};
use crate::commands::act::{self, ActInput};
use crate::commands::today_at;
use crate::domain::access::may_act;
use crate::domain::exemptions::Exemption;
use crate::domain::intake::Delivery;
use crate::domain::permissions::StaffAction;
use crate::domain::status::{self, Action};
use crate::errors::InformationError;
use crate::queries::request::{public_view, RequestView};
use crate::store::{self, RequestRow};
use crate::RequestId;

/// The path of a request's page for its PPID.
pub fn path(id: RequestId) -> String {
    format!("/informasi/ppid/{}/tindakan", id.get())
}

/// What was posted, kept to show again after a refusal.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ActForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    exemption: String,
    #[serde(default)]
    consequence_test: String,
    #[serde(default)]
    to_agency_id: String,
}

#[derive(Template)]
#[template(path = "kip_act.html")]
struct ActPage {
    page: Page,
    r: RequestRow,
    v: RequestView,
    delivery: String,
    /// The steps open to this official now: (action, label).
    actions: Vec<(&'static str, String)>,
    exemptions: Vec<(&'static str, &'static str)>,
    /// The other PPIDs a request can be transferred to: (id, name).
    ppids: Vec<(i64, String)>,
    form: ActForm,
    error: Option<String>,
    done: Option<String>,
}

impl ActPage {
    fn status_label(&self, code: &str) -> String {
        status_text(self.page.lang, code)
    }
}

fn label(lang: Lang, code: &str) -> Option<String> {
    Action::parse_official(code).map(|a| lang.tr(a.label_id(), a.label_en()).to_string())
}

async fn act_page(
    ctx: &AppCtx,
    p: Page,
    actor: &Actor,
    r: RequestRow,
    form: ActForm,
    error: Option<String>,
    done: Option<String>,
) -> AppResult<Response> {
    let lang = p.lang;
    let from = r.state();
    let actions = Action::OFFICIAL
        .into_iter()
        .filter(|a| status::next(from, *a).is_some())
        .filter(|a| StaffAction::of(*a).is_some_and(|s| may_act(actor, r.agency_id, s)))
        .filter(|a| *a != Action::Extend || !r.extended())
        .map(|a| (a.as_str(), lang.tr(a.label_id(), a.label_en()).to_string()))
        .collect();
    let ppids = accounts::list_agencies(&ctx.db, &Scope::All)
        .await?
        .into_iter()
        .filter(|a| a.is(AgencyKind::Ppid) && a.id != r.agency_id.get())
        .map(|a| (a.id, a.name))
        .collect();
    let events = store::events::events(&ctx.db, r.id).await?;
    let v = public_view(&r, &events, today_at(&r.agency_region));
    let delivery = Delivery::parse(&r.delivery)
        .map_or_else(String::new, |d| lang.tr(d.label_id(), d.label_en()).into());
    let res = render(&ActPage {
        page: p,
        r,
        v,
        delivery,
        actions,
        exemptions: Exemption::ALL
            .into_iter()
            .map(|e| (e.code(), lang.tr(e.label_id(), e.label_en())))
            .collect(),
        ppids,
        form,
        error,
        done,
    })?;
    Ok(private(res))
}

fn title(lang: Lang) -> &'static str {
    lang.tr("Tindak lanjut permohonan", "Act on a request")
}

/// The request for its PPID, with the forms of the steps open now.
pub async fn act_form(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<RequestId>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let row = own_request(&ctx, &actor, id).await?;
    if !may_act(&actor, row.agency_id, StaffAction::ReadQueue) {
        return Err(InformationError::Forbidden.into());
    }
    let done = q.selesai.as_deref().and_then(|c| label(lang, c));
    let p = page(lang, title(lang), Some(&actor), &csrf, &uri);
    act_page(&ctx, p, &actor, row, ActForm::default(), None, done).await
}

fn optional(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Taken: 303 back to the page, which says so; refused: the page with the reason (422).
#[allow(clippy::too_many_arguments)]
pub async fn act_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<RequestId>,
    CsrfForm(f): CsrfForm<ActForm>,
) -> AppResult<Response> {
    let to_agency_id = match f.to_agency_id.trim() {
        "" => Ok(None),
        t => t
            .parse::<i64>()
            .map(Some)
            .map_err(|_| InformationError::BadTransferTarget),
    };
    let done = match to_agency_id.and_then(|to| {
        act::parse(&ActInput {
            action: f.action.clone(),
            reason: optional(&f.reason),
            answer: optional(&f.answer),
            exemption: optional(&f.exemption),
            consequence_test: optional(&f.consequence_test),
            to_agency_id: to,
        })
    }) {
        Ok(decision) => act::act(&ctx, &meta, &actor, id, &decision).await,
        Err(e) => Err(e),
    };
    let message = match done {
        // A transferred request is the other PPID's now: back to the queue.
        Ok(_) if f.action.trim() == Action::Transfer.as_str() => {
            return Ok(Redirect::to("/informasi/ppid").into_response());
        }
        Ok(_) => {
            let to = format!("{}?selesai={}", path(id), f.action.trim());
            return Ok(Redirect::to(&to).into_response());
        }
        Err(e @ (InformationError::Core(_) | InformationError::NotFound)) => return Err(e.into()),
        Err(InformationError::Forbidden) => return Err(InformationError::Forbidden.into()),
        Err(e) => lang.tr(&e.to_string(), &e.message_en()).to_string(),
    };
    let row = own_request(&ctx, &actor, id).await?;
    let p = page(lang, title(lang), Some(&actor), &csrf, &uri);
    let mut res = act_page(&ctx, p, &actor, row, f, Some(message), None).await?;
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(res)
}
