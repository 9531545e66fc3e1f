//! Officials' pages of training and readiness, without JavaScript: the readiness of a
//! regency before each stage (who is not trained yet, red when a stage is near and the share is
//! below the threshold), the sessions with the form to schedule one, a session's attendance
//! (ticked off from the roster, or imported as CSV), and the roster with its CSV form.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::regions::{self, Level, RegionCode, RegionRef};
use balai_core::schedule::StageKind;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{here, render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::forms::message;
use crate::commands::attendance::{self, AttendanceInput};
use crate::commands::roster::{self, RosterInput};
use crate::commands::training::{self as create, TrainingInput};
use crate::domain::readiness::Timing;
use crate::domain::training::{parse_officers_csv, Body};
use crate::domain::TrainingId;
use crate::errors::SopError;
use crate::queries::readiness::{self, Readiness, StageReadiness};
use crate::queries::trainings::{self, TrainingDetail, TrainingView};
use crate::store;

fn page(lang: Lang, title: String, actor: &Actor, csrf: &str, uri: &OriginalUri) -> Page {
    Page::new(lang, title, Some(actor), csrf, &here(uri))
}

/// What a page shown again after a form needs from its request.
pub(super) struct Req<'a> {
    pub ctx: &'a AppCtx,
    pub lang: Lang,
    pub actor: &'a Actor,
    pub csrf: &'a str,
    pub uri: &'a OriginalUri,
}

/// The region asked for, else the official's own.
fn region_of(actor: &Actor, asked: &str) -> String {
    match asked.trim() {
        "" => actor
            .agency
            .as_ref()
            .map(|a| a.region_code.clone())
            .unwrap_or_default(),
        r => r.to_string(),
    }
}

#[derive(Deserialize, Default)]
pub struct ReadinessQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    on: String,
}

#[derive(Template)]
#[template(path = "readiness.html")]
struct ReadinessPage {
    page: Page,
    region: String,
    on: String,
    /// A province: its regencies to choose from.
    regencies: Vec<RegionRef>,
    r: Option<Readiness>,
}

impl ReadinessPage {
    fn n<T: Copy + Into<i64>>(&self, v: &T) -> String {
        self.page.int((*v).into())
    }

    fn stage_label(&self, k: &StageKind) -> &'static str {
        k.label(self.page.lang)
    }

    fn body_label(&self, b: &Body) -> &'static str {
        b.label(self.page.lang)
    }

    fn share(&self, h: &Option<i64>) -> String {
        h.map_or_else(
            || "–".to_string(),
            |h| format!("{}%", balai_core::format::hundredths(h, self.page.lang)),
        )
    }

    fn below(&self, s: &StageReadiness) -> bool {
        self.r.as_ref().is_some_and(|r| readiness::below(r, s))
    }

    fn when(&self, s: &StageReadiness) -> String {
        let lang = self.page.lang;
        match s.timing {
            Timing::Started => lang.tr("sudah dimulai", "started").to_string(),
            Timing::Near | Timing::Later => match lang {
                Lang::Id => format!("{} hari lagi", s.days_until),
                Lang::En => format!("in {} days", s.days_until),
            },
        }
    }
}

pub async fn readiness_page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<ReadinessQuery>,
) -> AppResult<Response> {
    let region = region_of(&actor, &q.region);
    let on = match q.on.trim() {
        "" => None,
        d => Some(super::super::api::parse_day(d)?),
    };
    let mut regencies = Vec::new();
    let mut r = None;
    match RegionCode::parse(&region) {
        Ok(code) if code.level() == Level::Province => {
            regencies = regions::children(&ctx.db, &code).await?;
        }
        Ok(code) if code.level() == Level::Regency => {
            r = Some(readiness::readiness(&ctx, &actor, code.as_str(), on).await?);
        }
        _ => {}
    }
    let title = match &r {
        Some(r) => format!(
            "{} · {}",
            lang.tr("Kesiapan petugas", "Staff readiness"),
            r.region_name
        ),
        None => lang.tr("Kesiapan petugas", "Staff readiness").to_string(),
    };
    render(&ReadinessPage {
        page: page(lang, title, &actor, &csrf.0, &uri),
        on: r.as_ref().map(|r| r.on.clone()).unwrap_or_default(),
        region,
        regencies,
        r,
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct TrainingForm {
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub stage_kind: String,
    #[serde(default)]
    pub sop_id: String,
    #[serde(default)]
    pub application: String,
    #[serde(default)]
    pub trainers: String,
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub body_staff: Option<String>,
    #[serde(default)]
    pub body_ppk: Option<String>,
    #[serde(default)]
    pub body_pps: Option<String>,
    #[serde(default)]
    pub body_kpps: Option<String>,
}

impl TrainingForm {
    /// The bodies ticked.
    fn bodies(&self) -> Vec<Body> {
        [
            (&self.body_staff, Body::Staff),
            (&self.body_ppk, Body::Ppk),
            (&self.body_pps, Body::Pps),
            (&self.body_kpps, Body::Kpps),
        ]
        .into_iter()
        .filter(|(v, _)| v.as_deref().is_some_and(|s| !s.is_empty()))
        .map(|(_, b)| b)
        .collect()
    }
}

#[derive(Template)]
#[template(path = "training_list.html")]
struct TrainingsPage {
    page: Page,
    region: String,
    sessions: Vec<TrainingView>,
    form: TrainingForm,
    error: String,
    stages: Vec<(&'static str, &'static str)>,
}

impl TrainingsPage {
    fn n<T: Copy + Into<i64>>(&self, v: &T) -> String {
        self.page.int((*v).into())
    }

    fn stage_label(&self, k: &Option<StageKind>) -> &'static str {
        k.map_or("–", |k| k.label(self.page.lang))
    }
}

#[derive(Deserialize, Default)]
pub struct RegionQuery {
    #[serde(default)]
    region: String,
}

async fn sessions_page(
    q: &Req<'_>,
    region: String,
    form: TrainingForm,
    error: String,
) -> AppResult<Response> {
    let Req {
        ctx,
        lang,
        actor,
        csrf,
        uri,
    } = *q;
    let sessions = trainings::list(&ctx.db, actor, &region).await?;
    render(&TrainingsPage {
        page: page(
            lang,
            lang.tr("Bimbingan teknis", "Training sessions").to_string(),
            actor,
            csrf,
            uri,
        ),
        region,
        sessions,
        form,
        error,
        stages: StageKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label(lang)))
            .collect(),
    })
}

pub async fn trainings_page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<RegionQuery>,
) -> AppResult<Response> {
    let region = region_of(&actor, &q.region);
    let form = TrainingForm {
        region_code: region.clone(),
        ..TrainingForm::default()
    };
    sessions_page(
        &Req {
            ctx: &ctx,
            lang,
            actor: &actor,
            csrf: &csrf.0,
            uri: &uri,
        },
        region,
        form,
        String::new(),
    )
    .await
}

#[allow(clippy::too_many_arguments)]
pub async fn create_training(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    CsrfForm(f): CsrfForm<TrainingForm>,
) -> AppResult<Response> {
    let stage = StageKind::parse(f.stage_kind.trim());
    let sop_id = match f.sop_id.trim() {
        "" => Ok(None),
        s => s.parse::<i64>().map(Some).map_err(|_| SopError::UnknownSop),
    };
    let done = match (stage, sop_id) {
        (Some(stage_kind), Ok(sop_id)) => {
            let input = TrainingInput {
                topic: f.topic.clone(),
                region_code: f.region_code.clone(),
                stage_kind,
                bodies: f.bodies(),
                sop_id,
                application: f.application.clone(),
                trainers: f.trainers.clone(),
                held_on: f.held_on.clone(),
            };
            create::create(&ctx, &meta, &actor, &input).await
        }
        (None, _) => Err(SopError::BadStage),
        (_, Err(e)) => Err(e),
    };
    match done {
        Ok(id) => Ok(Redirect::to(&format!("/kesiapan/pelatihan/{id}")).into_response()),
        Err(e) => {
            let error = message(e, lang)?;
            let region = region_of(&actor, &f.region_code);
            let res = sessions_page(
                &Req {
                    ctx: &ctx,
                    lang,
                    actor: &actor,
                    csrf: &csrf.0,
                    uri: &uri,
                },
                region,
                f,
                error,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, res).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "training_show.html")]
struct SessionPage {
    page: Page,
    t: TrainingDetail,
    csv_text: String,
    error: String,
}

impl SessionPage {
    fn n<T: Copy + Into<i64>>(&self, v: &T) -> String {
        self.page.int((*v).into())
    }

    fn stage_label(&self, k: &Option<StageKind>) -> &'static str {
        k.map_or("–", |k| k.label(self.page.lang))
    }

    fn body_label(&self, b: &Option<Body>) -> &'static str {
        b.map_or("–", |b| b.label(self.page.lang))
    }
}

async fn session_page(
    q: &Req<'_>,
    id: TrainingId,
    csv_text: String,
    error: String,
) -> AppResult<Response> {
    let Req {
        ctx,
        lang,
        actor,
        csrf,
        uri,
    } = *q;
    let t = trainings::detail(&ctx.db, actor, id).await?;
    render(&SessionPage {
        page: page(lang, t.training.topic.clone(), actor, csrf, uri),
        t,
        csv_text,
        error,
    })
}

pub async fn training_page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<TrainingId>,
) -> AppResult<Response> {
    session_page(
        &Req {
            ctx: &ctx,
            lang,
            actor: &actor,
            csrf: &csrf.0,
            uri: &uri,
        },
        id,
        String::new(),
        String::new(),
    )
    .await
}

/// The ticked-off form: a `o` field per officer who attended.
#[allow(clippy::too_many_arguments)]
pub async fn tick(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<TrainingId>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let officer_ids = f
        .iter()
        .filter(|(k, _)| k == "o")
        .filter_map(|(_, v)| v.parse::<i64>().ok())
        .collect();
    match attendance::set(&ctx, &meta, &actor, id, &AttendanceInput { officer_ids }).await {
        Ok(_) => Ok(Redirect::to(&format!("/kesiapan/pelatihan/{id}")).into_response()),
        Err(e) => {
            let error = message(e, lang)?;
            let res = session_page(
                &Req {
                    ctx: &ctx,
                    lang,
                    actor: &actor,
                    csrf: &csrf.0,
                    uri: &uri,
                },
                id,
                String::new(),
                error,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, res).into_response())
        }
    }
}

#[derive(Deserialize, Default)]
pub struct CsvForm {
    #[serde(default)]
    csv: String,
    #[serde(default)]
    region: String,
}

#[allow(clippy::too_many_arguments)]
pub async fn import(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<TrainingId>,
    CsrfForm(f): CsrfForm<CsvForm>,
) -> AppResult<Response> {
    match attendance::import(&ctx, &meta, &actor, id, &f.csv).await {
        Ok(_) => Ok(Redirect::to(&format!("/kesiapan/pelatihan/{id}")).into_response()),
        Err(e) => {
            let error = message(e, lang)?;
            let res = session_page(
                &Req {
                    ctx: &ctx,
                    lang,
                    actor: &actor,
                    csrf: &csrf.0,
                    uri: &uri,
                },
                id,
                f.csv,
                error,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, res).into_response())
        }
    }
}

impl RosterPage {
    fn n(&self, v: &usize) -> String {
        self.page.int(i64::try_from(*v).unwrap_or(i64::MAX))
    }
}

#[derive(Template)]
#[template(path = "roster.html")]
struct RosterPage {
    page: Page,
    region: String,
    /// (region name, body, how many)
    counts: Vec<(String, &'static str, usize)>,
    total: usize,
    csv_text: String,
    error: String,
    notice: String,
}

#[derive(Deserialize, Default)]
pub struct RosterQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    added: Option<u64>,
}

async fn roster_page(
    q: &Req<'_>,
    region: String,
    csv_text: String,
    error: String,
    notice: String,
) -> AppResult<Response> {
    let Req {
        ctx,
        lang,
        actor,
        csrf,
        uri,
    } = *q;
    let code = RegionCode::parse(&region).map_err(|_| SopError::RosterNotRegency)?;
    // The roster is read by whoever may read readiness there.
    if !crate::domain::access::may_train_in(
        actor,
        crate::domain::permissions::TrainingAction::Read,
        &code,
    ) {
        return Err(SopError::Forbidden.into());
    }
    let rows = store::training::officers_under(&ctx.db, code.as_str()).await?;
    let mut counts: Vec<(String, &'static str, usize)> = Vec::new();
    for o in &rows {
        let body = Body::parse(&o.body).map_or("–", |b| b.label(lang));
        match counts.last_mut() {
            Some((n, b, c)) if *n == o.region_name && *b == body => *c += 1,
            _ => counts.push((o.region_name.clone(), body, 1)),
        }
    }
    render(&RosterPage {
        page: page(
            lang,
            lang.tr("Daftar petugas", "Roster of officers").to_string(),
            actor,
            csrf,
            uri,
        ),
        region,
        counts,
        total: rows.len(),
        csv_text,
        error,
        notice,
    })
}

pub async fn roster(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<RosterQuery>,
) -> AppResult<Response> {
    let region = region_of(&actor, &q.region);
    let notice = match q.added {
        Some(n) => match lang {
            Lang::Id => format!("{n} petugas ditambahkan."),
            Lang::En => format!("{n} officers added."),
        },
        None => String::new(),
    };
    roster_page(
        &Req {
            ctx: &ctx,
            lang,
            actor: &actor,
            csrf: &csrf.0,
            uri: &uri,
        },
        region,
        String::new(),
        String::new(),
        notice,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
pub async fn add_roster(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    CsrfForm(f): CsrfForm<CsvForm>,
) -> AppResult<Response> {
    let region = region_of(&actor, &f.region);
    let done = match parse_officers_csv(&f.csv) {
        Ok(officers) => {
            let input = RosterInput {
                region_code: region.clone(),
                officers,
            };
            roster::add(&ctx, &meta, &actor, &input).await
        }
        Err(e) => Err(e.into()),
    };
    match done {
        Ok(out) => Ok(Redirect::to(&format!(
            "/kesiapan/petugas?region={region}&added={}",
            out.added
        ))
        .into_response()),
        Err(e) => {
            let error = message(e, lang)?;
            let res = roster_page(
                &Req {
                    ctx: &ctx,
                    lang,
                    actor: &actor,
                    csrf: &csrf.0,
                    uri: &uri,
                },
                region,
                f.csv,
                error,
                String::new(),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, res).into_response())
        }
    }
}
