//! Officials' pages of training, without JavaScript: the sessions with the form to schedule
//! one, and a session's attendance (ticked off from the roster, or imported as CSV). The
//! readiness page is in `readiness`, the roster in `roster`; the helpers they share are here.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::schedule::StageKind;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{here, render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::common::{message, Req};
use crate::commands::attendance::{self, AttendanceInput};
use crate::commands::training::{self as create, TrainingInput};
use crate::domain::training::Body;
use crate::domain::TrainingId;
use crate::errors::SopError;
use crate::queries::trainings::{self, TrainingDetail, TrainingView};

pub(super) fn page(
    lang: Lang,
    title: String,
    actor: &Actor,
    csrf: &str,
    uri: &OriginalUri,
) -> Page {
    Page::new(lang, title, Some(actor), csrf, &here(uri))
}

/// The region asked for, else the official's own.
pub(super) fn region_of(actor: &Actor, asked: &str) -> String {
    match asked.trim() {
        "" => actor
            .agency
            .as_ref()
            .map(|a| a.region_code.clone())
            .unwrap_or_default(),
        r => r.to_string(),
    }
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
                region_code: f.region_code.trim().to_string(),
                stage_kind,
                bodies: f.bodies(),
                sop_id,
                application: f.application.clone(),
                trainers: f.trainers.clone(),
                held_on: f.held_on.trim().to_string(),
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
    pub csv: String,
    #[serde(default)]
    pub region: String,
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
