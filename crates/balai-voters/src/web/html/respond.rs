//! `/pemilih/tanggapan/baru`: the public's form to respond to a TPS's published list (no
//! account, no JavaScript), and `/pemilih/tanggapan/kasus/{code}`: one response as published,
//! which is also the receipt the form redirects to. Step 1 picks the election and the village
//! (the shared village finder, a GET form); step 2 is the response itself, posted with the CSRF
//! token and a one-time key, so a second press of the button gives back the first case.
//! The details, the evidence and the contact never come back on a page: they name people.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::calendar::Calendar;
use balai_core::format::{self, Zone};
use balai_core::i18n::Lang;
use balai_core::regions::picker::{Picker, PickerInput};
use balai_core::web::actor::{MaybeActor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{here, render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::common::{message, status_of};
use super::lists::region_name;
use crate::commands::report::{self, Filed};
use crate::domain::report::{filed_day, overdue, Draft, Kind, Status};
use crate::domain::settings::VoterSettings;
use crate::domain::stage::Stage;
use crate::errors::VoterError;
use crate::queries::staff;
use crate::store::elections::{self, ElectionHead};
use crate::store::{lists, reports};

/// The form's address.
pub const FORM_PATH: &str = "/pemilih/tanggapan/baru";

/// What the form carries, on either step.
#[derive(Deserialize, Default, Clone)]
pub struct RespondForm {
    #[serde(default)]
    pub pemilihan: String,
    #[serde(default)]
    pub village_code: String,
    #[serde(default)]
    pub tps: String,
    /// The kind preselected (`jenis=not_registered` from the check's "not found").
    #[serde(default)]
    pub jenis: String,
    #[serde(default)]
    pub details: String,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub contact: String,
    /// The one-time key of this form.
    #[serde(default)]
    pub kunci: String,
}

#[derive(Deserialize, Default)]
pub struct StepQuery {
    #[serde(flatten)]
    form: RespondForm,
    #[serde(flatten)]
    finder: PickerInput,
}

/// A kind as a radio button.
pub struct KindChoice {
    pub value: &'static str,
    pub label: &'static str,
}

/// A TPS of the chosen village, as a choice.
pub struct TpsChoice {
    pub number: i64,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "pemilih_lapor.html")]
struct FormPage {
    page: Page,
    /// Elections whose list takes responses now.
    open: Vec<ElectionHead>,
    /// Step 2: the election and the village chosen.
    chosen: Option<ElectionHead>,
    picker: Picker,
    village_name: String,
    kinds: Vec<KindChoice>,
    tps: Vec<TpsChoice>,
    form: RespondForm,
    error: String,
    /// Working days the PPS has to answer.
    days: u32,
}

/// The elections whose newest list is DPS or DPSHP.
async fn open_elections(ctx: &AppCtx) -> AppResult<Vec<ElectionHead>> {
    let mut open = Vec::new();
    for e in elections::all(&ctx.db).await? {
        let takes = lists::versions(&ctx.db, e.id)
            .await?
            .first()
            .and_then(|l| Stage::parse(&l.stage))
            .is_some_and(Stage::open_to_responses);
        if takes {
            open.push(e);
        }
    }
    Ok(open)
}

fn answer_days(ctx: &AppCtx) -> u32 {
    ctx.ext
        .get::<VoterSettings>()
        .map_or(crate::domain::report::DEFAULT_ANSWER_DAYS, |s| {
            s.answer_working_days
        })
}

/// Is `village` a village of `e`'s region?
fn in_region(e: &ElectionHead, village: &str) -> bool {
    village.starts_with(&format!("{}.", e.region_code)) && village.split('.').count() == 4
}

fn title(lang: Lang) -> &'static str {
    lang.tr(
        "Sampaikan tanggapan atas daftar pemilih",
        "Respond to the voter list",
    )
}

async fn form_page(
    ctx: &AppCtx,
    page: Page,
    mut form: RespondForm,
    finder: &PickerInput,
    error: String,
) -> AppResult<FormPage> {
    let lang = page.lang;
    let open = open_elections(ctx).await?;
    let picker = Picker::new("village_code", &form.village_code, finder);
    let village = picker.chosen_code().unwrap_or("").to_string();
    let chosen = open
        .iter()
        .find(|e| e.id.to_string() == form.pemilihan.trim())
        .filter(|e| !finder.is_search_step() && in_region(e, &village))
        .cloned();
    let mut tps = Vec::new();
    if let Some(e) = &chosen {
        for t in staff::tps_of_village(&ctx.db, e.id, &village).await? {
            let label = if t.address.is_empty() {
                format!("TPS {:03}", t.number)
            } else {
                format!("TPS {:03} — {}", t.number, t.address)
            };
            tps.push(TpsChoice {
                selected: form.tps.trim().parse::<i64>().ok() == Some(t.number),
                number: t.number,
                label,
            });
        }
        if form.kunci.is_empty() {
            form.kunci = balai_core::auth::random_token(24);
        }
    }
    let kinds = Kind::ALL
        .into_iter()
        .map(|k| KindChoice {
            value: k.as_str(),
            label: lang.tr(k.labels().0, k.labels().1),
        })
        .collect();
    Ok(FormPage {
        village_name: picker.chosen.clone().map(|c| c.1).unwrap_or_default(),
        page,
        open,
        chosen,
        picker,
        kinds,
        tps,
        form,
        error,
        days: answer_days(ctx),
    })
}

fn new_page(
    lang: Lang,
    actor: Option<&balai_core::web::actor::Actor>,
    csrf: &str,
    path: &str,
) -> Page {
    Page::new(lang, title(lang), actor, csrf, path)
}

/// `GET /pemilih/tanggapan/baru`: step 1 (election and village) or step 2 (the response).
pub async fn form(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<StepQuery>,
) -> AppResult<Response> {
    let page = new_page(lang, actor.as_ref(), &csrf.0, &here(&uri));
    let t = form_page(&ctx, page, q.form, &q.finder, String::new()).await?;
    render(&t)
}

/// `to` with the language the form's address named, if it named one.
fn keep_lang(to: String, uri: &OriginalUri) -> String {
    match Lang::from_query(uri.query()) {
        Some(l) if to.contains('?') => format!("{to}&lang={}", l.code()),
        Some(l) => format!("{to}?lang={}", l.code()),
        None => to,
    }
}

/// `POST /pemilih/tanggapan/baru`: file, then 303 to the receipt; refused input gives the form
/// back filled in, with the reason (nothing stored).
pub async fn submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    CsrfForm(f): CsrfForm<RespondForm>,
) -> AppResult<Response> {
    let election = f.pemilihan.trim().parse::<i64>().unwrap_or(0);
    let draft = Draft {
        kind: f.jenis.clone(),
        // Not a number: 0, which the rules refuse with the TPS's own message.
        tps_number: f.tps.trim().parse().unwrap_or(0),
        details: f.details.clone(),
        evidence: f.evidence.clone(),
        contact: f.contact.clone(),
    };
    let filed = report::file(
        &ctx,
        &meta,
        election,
        &f.village_code,
        &draft,
        Some(f.kunci.trim()),
    )
    .await;
    match filed {
        Ok(Filed { code, .. }) => {
            let to = keep_lang(format!("/pemilih/tanggapan/kasus/{code}?baru=1"), &uri);
            Ok(Redirect::to(&to).into_response())
        }
        Err(VoterError::ElectionNotFound) => Err(balai_core::AppError::not_found()),
        Err(e) => {
            let status = status_of(&e);
            let error = message(e, lang)?;
            let page = new_page(lang, actor.as_ref(), &csrf.0, FORM_PATH);
            let t = form_page(&ctx, page, f, &PickerInput::default(), error).await?;
            let mut res = render(&t)?;
            *res.status_mut() = status;
            Ok(res)
        }
    }
}

#[derive(Template)]
#[template(path = "pemilih_tanda_terima.html")]
struct CasePage {
    page: Page,
    /// Just filed: the receipt's words.
    fresh: bool,
    code: String,
    election_id: i64,
    election: String,
    village_code: String,
    village: String,
    tps_number: i64,
    kind: &'static str,
    filed: String,
    status: &'static str,
    due: String,
    late: bool,
    answer: String,
    answered: String,
}

impl CasePage {
    fn tps(&self) -> String {
        format!("{:03}", self.tps_number)
    }
}

#[derive(Deserialize, Default)]
pub struct CaseQuery {
    #[serde(default)]
    baru: Option<String>,
}

/// `GET /pemilih/tanggapan/kasus/{code}`: one response as published (the receipt with
/// `?baru=1`).
pub async fn case(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(code): Path<String>,
    Query(q): Query<CaseQuery>,
) -> AppResult<Response> {
    let code = balai_core::secret::normalise_code(&code);
    if !balai_core::secret::code_valid(&code, 10) {
        return Err(balai_core::AppError::not_found());
    }
    let r = reports::public_by_code(&ctx.db, &code)
        .await?
        .ok_or(VoterError::ReportNotFound)?;
    let e = elections::get(&ctx.db, r.election_id)
        .await?
        .ok_or(VoterError::ElectionNotFound)?;
    let zone = Zone::for_region(&r.village_code);
    let status = Status::parse(&r.status).unwrap_or(Status::Open);
    let due = r.due();
    let today = filed_day(balai_core::db::now(), &r.village_code);
    let page = Page::new(
        lang,
        format!(
            "{} · TPS {:03}",
            lang.tr("Tanggapan", "Response"),
            r.tps_number
        ),
        actor.as_ref(),
        &csrf.0,
        &here(&uri),
    );
    let cal: Calendar = balai_core::calendar::load(&ctx.db).await?;
    let left = cal.working_days_between(today, due);
    let due_text = format::date_with_weekday(due, lang);
    let due = if status == Status::Open && left > 0 {
        format!(
            "{due_text} ({} {left} {})",
            lang.tr("sisa", ""),
            lang.tr("hari kerja", "working days left")
        )
        .replace("( ", "(")
    } else {
        due_text
    };
    render(&CasePage {
        fresh: q.baru.is_some(),
        election_id: e.id,
        election: e.name,
        village: region_name(&ctx, &r.village_code).await?,
        tps_number: r.tps_number,
        kind: Kind::parse(&r.kind).map_or("?", |k| lang.tr(k.labels().0, k.labels().1)),
        filed: format::datetime(r.filed_at, zone, lang),
        status: lang.tr(status.labels().0, status.labels().1),
        late: overdue(status, r.due(), today),
        due,
        answer: r.answer.clone().unwrap_or_default(),
        answered: r
            .answered_at
            .map(|t| format::datetime(t, zone, lang))
            .unwrap_or_default(),
        village_code: r.village_code,
        code,
        page,
    })
    .map(|res| (StatusCode::OK, res).into_response())
}
