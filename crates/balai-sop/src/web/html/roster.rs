//! The roster page: a regency's officers counted by region and body, and the CSV form to add
//! officers.

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::regions::RegionCode;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::common::{message, Req};
use super::training::{page, region_of, CsvForm};
use crate::commands::roster::{self, RosterInput};
use crate::domain::training::{parse_officers_csv, Body};
use crate::errors::SopError;
use crate::store;

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
