//! A village's TPS with their DPT L/P, and one TPS: its counts (no name, not even masked, and
//! never a NIK: the packed index cannot be read by TPS) and the public's responses to its list.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use balai_core::format::{self, Zone};
use balai_core::i18n::Lang;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;

use super::common::{election_for, within, Req};
use super::lists::region_name;
use crate::domain::permissions::Action;
use crate::domain::report::{Kind, Status};
use crate::errors::VoterError;
use crate::queries::staff::{self, TpsCount};
use crate::store::reports;

#[derive(Template)]
#[template(path = "pemilih_desa.html")]
struct VillagePage {
    page: Page,
    id: i64,
    election: String,
    village: String,
    tps: Vec<TpsCount>,
}

/// The figures a page of counts writes: numbers with the language's separators, a TPS's
/// label, the total of L and P.
trait Figures {
    fn page(&self) -> &Page;

    fn n(&self, v: &i64) -> String {
        self.page().int(*v)
    }

    fn tps_label(&self, n: &i64) -> String {
        format!("TPS {n:03}")
    }

    fn sum(&self, a: &i64, b: &i64) -> String {
        self.page().int(a + b)
    }
}

impl Figures for VillagePage {
    fn page(&self) -> &Page {
        &self.page
    }
}

/// `/pemilih/petugas/{id}/desa/{village}`.
pub async fn village(req: Req, Path((id, village)): Path<(i64, String)>) -> AppResult<Response> {
    let ctx = &req.ctx;
    let (e, area) = election_for(ctx, &req.actor, id, Action::ReadRecord).await?;
    if !within(&e.region_code, &village) {
        return Err(balai_core::AppError::not_found());
    }
    if !within(&area, &village) {
        return Err(VoterError::Forbidden.into());
    }
    let name = region_name(ctx, &village).await?;
    render(&VillagePage {
        page: req.page(format!("{name} · {}", e.name)),
        tps: staff::tps_of_village(&ctx.db, id, &village).await?,
        id,
        election: e.name,
        village: name,
    })
}

/// A public response as the TPS page lists it.
pub struct ResponseLine {
    pub code: String,
    pub kind: &'static str,
    pub filed: String,
    pub status: &'static str,
    pub answer: String,
}

/// The responses to one TPS's list, as published (no details, no contact).
pub async fn responses_of(
    ctx: &AppCtx,
    lang: Lang,
    election_id: i64,
    village: &str,
    tps_number: Option<i64>,
) -> AppResult<Vec<ResponseLine>> {
    let rows = reports::public_for(&ctx.db, election_id, Some(village)).await?;
    Ok(rows
        .into_iter()
        .filter(|r| tps_number.is_none_or(|n| n == r.tps_number))
        .map(|r| ResponseLine {
            kind: Kind::parse(&r.kind).map_or("?", |k| {
                let (id, en) = k.labels();
                lang.tr(id, en)
            }),
            status: Status::parse(&r.status).map_or("?", |s| {
                let (id, en) = s.labels();
                lang.tr(id, en)
            }),
            filed: format::datetime(r.filed_at, Zone::for_region(village), lang),
            answer: r.answer.unwrap_or_default(),
            code: r.code,
        })
        .collect())
}

#[derive(Template)]
#[template(path = "pemilih_tps.html")]
struct TpsPage {
    page: Page,
    id: i64,
    election: String,
    village_code: String,
    village: String,
    number: i64,
    address: String,
    male: i64,
    female: i64,
    responses: Vec<ResponseLine>,
}

impl Figures for TpsPage {
    fn page(&self) -> &Page {
        &self.page
    }
}

/// `/pemilih/petugas/{id}/tps/{tps}` (`tps`: the list's id of the TPS).
pub async fn tps(req: Req, Path((id, tps)): Path<(i64, i64)>) -> AppResult<Response> {
    let ctx = &req.ctx;
    let (e, area) = election_for(ctx, &req.actor, id, Action::ReadRecord).await?;
    let t = staff::list_tps(&ctx.db, tps)
        .await?
        .filter(|t| t.election_id == id)
        .ok_or_else(balai_core::AppError::not_found)?;
    if !within(&area, &t.village_code) {
        return Err(VoterError::Forbidden.into());
    }
    let mut res = render(&TpsPage {
        page: req.page(format!("TPS {:03} {}", t.number, t.village_name)),
        responses: responses_of(ctx, req.lang, id, &t.village_code, Some(t.number)).await?,
        id,
        election: e.name,
        village_code: t.village_code,
        village: t.village_name,
        number: t.number,
        address: t.address,
        male: t.male,
        female: t.female,
    })?;
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}
