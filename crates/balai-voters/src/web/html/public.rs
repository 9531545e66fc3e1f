//! `/pemilih/tanggapan`: the public's responses to an election's list and the PPS's answers,
//! per village and TPS, as published — the kind, the dates (the due day too), the decision and
//! the answer, with the form to respond while the list takes responses; never
//! the details, the evidence or the reporter's contact (they name people).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::response::Response;
use balai_core::format::{self, Zone};
use balai_core::i18n::Lang;
use balai_core::regions::{Level, RegionCode};
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{here, render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::lists::region_name;
use crate::domain::report::{filed_day, overdue, Kind, Status};
use crate::domain::stage::Stage;
use crate::errors::VoterError;
use crate::store::elections::{self, ElectionHead};
use crate::store::{lists, reports};

#[derive(Deserialize, Default)]
pub struct PublicQuery {
    #[serde(default)]
    pemilihan: Option<i64>,
    #[serde(default)]
    desa: Option<String>,
    #[serde(default)]
    tps: Option<i64>,
}

/// A response as published.
pub struct PublicLine {
    pub code: String,
    pub village_code: String,
    pub village: String,
    pub tps_number: i64,
    pub kind: &'static str,
    pub filed: String,
    pub status: &'static str,
    /// The last day of the PPS's answer, and whether an open case is past it.
    pub due: String,
    pub late: bool,
    pub answer: String,
    pub answered: String,
}

#[derive(Template)]
#[template(path = "pemilih_tanggapan.html")]
struct PublicPage {
    page: Page,
    elections: Vec<ElectionHead>,
    election: Option<ElectionHead>,
    place: String,
    desa: String,
    tps: Option<i64>,
    /// The list takes responses now: the form is linked.
    open: bool,
    lines: Vec<PublicLine>,
}

impl PublicPage {
    fn tps_label(&self, n: &i64) -> String {
        format!("TPS {n:03}")
    }

    /// The form, for this election and the village and TPS shown, if any.
    fn form_href(&self, election: &i64) -> String {
        let mut href = format!("/pemilih/tanggapan/baru?pemilihan={election}");
        if !self.desa.is_empty() {
            href.push_str(&format!("&village_code={}", self.desa));
            if let Some(n) = self.tps {
                href.push_str(&format!("&tps={n}"));
            }
        }
        href
    }
}

pub async fn page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<PublicQuery>,
) -> AppResult<Response> {
    let p = Page::new(
        lang,
        lang.tr(
            "Tanggapan atas daftar pemilih",
            "Responses to the voter list",
        ),
        actor.as_ref(),
        &csrf.0,
        &here(&uri),
    );
    let Some(id) = q.pemilihan else {
        return render(&PublicPage {
            page: p,
            elections: elections::all(&ctx.db).await?,
            election: None,
            place: String::new(),
            desa: String::new(),
            tps: None,
            open: false,
            lines: Vec::new(),
        });
    };
    let e = elections::get(&ctx.db, id)
        .await?
        .ok_or(VoterError::ElectionNotFound)?;
    let desa = q.desa.as_deref().map(str::trim).unwrap_or_default();
    if !desa.is_empty() && RegionCode::parse(desa).map_or(true, |c| c.level() != Level::Village) {
        return Err(balai_core::AppError::not_found());
    }
    let rows = reports::public_for(&ctx.db, id, (!desa.is_empty()).then_some(desa)).await?;
    let mut names: HashMap<String, String> = HashMap::new();
    let mut lines = Vec::new();
    for r in rows
        .into_iter()
        .filter(|r| q.tps.is_none_or(|n| n == r.tps_number))
    {
        if !names.contains_key(&r.village_code) {
            let n = region_name(&ctx, &r.village_code).await?;
            names.insert(r.village_code.clone(), n);
        }
        let zone = Zone::for_region(&r.village_code);
        let status = Status::parse(&r.status).unwrap_or(Status::Open);
        let due = r.due();
        let today = filed_day(balai_core::db::now(), &r.village_code);
        lines.push(PublicLine {
            code: r.code.clone(),
            due: format::date_with_weekday(due, lang),
            late: overdue(status, due, today),
            village: names.get(&r.village_code).cloned().unwrap_or_default(),
            tps_number: r.tps_number,
            kind: Kind::parse(&r.kind).map_or("?", |k| lang.tr(k.labels().0, k.labels().1)),
            filed: format::datetime(r.filed_at, zone, lang),
            status: Status::parse(&r.status).map_or("?", |s| lang.tr(s.labels().0, s.labels().1)),
            answer: r.answer.unwrap_or_default(),
            answered: r
                .answered_at
                .map(|t| format::datetime(t, zone, lang))
                .unwrap_or_default(),
            village_code: r.village_code,
        });
    }
    let place = match (desa.is_empty(), q.tps) {
        (true, _) => String::new(),
        (false, None) => region_name(&ctx, desa).await?,
        (false, Some(n)) => format!("TPS {n:03} {}", region_name(&ctx, desa).await?),
    };
    let open = lists::versions(&ctx.db, id)
        .await?
        .first()
        .and_then(|l| Stage::parse(&l.stage))
        .is_some_and(Stage::open_to_responses);
    render(&PublicPage {
        page: p,
        elections: Vec::new(),
        election: Some(e),
        place,
        desa: desa.to_string(),
        tps: q.tps,
        open,
        lines,
    })
}
