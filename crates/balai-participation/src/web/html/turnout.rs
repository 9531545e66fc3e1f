//! The participation page of an election in a region: target against turnout, this election
//! against the past ones, the outreach per target group, and per district the outreach beside
//! the turnout — an SVG chart and a table of the same numbers.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::Response;
use balai_core::i18n::Lang;
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{here, render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::{chart, day, percent, points};
use crate::domain::targets::{gap_hundredths, turnout_hundredths};
use crate::queries::participation::{self, Place};

#[derive(Deserialize, Default)]
pub struct RegionParam {
    #[serde(default)]
    region: Option<String>,
}

/// One row of a table: a place's numbers as shown.
pub struct Row {
    pub code: String,
    pub name: String,
    pub target: String,
    pub turnout: String,
    pub gap: String,
    pub activities: String,
    pub participants: String,
}

fn row(p: &Place, lang: Lang) -> Row {
    let t = p
        .turnout
        .and_then(|t| turnout_hundredths(t.pengguna, t.dpt));
    let gap = p
        .turnout
        .zip(p.target)
        .and_then(|(t, h)| gap_hundredths(t.pengguna, t.dpt, h));
    Row {
        code: p.code.clone(),
        name: p.name.clone(),
        target: percent(p.target, lang),
        turnout: percent(t, lang),
        gap: points(gap, lang),
        activities: balai_core::format::integer(p.outreach.activities, lang),
        participants: balai_core::format::integer(p.outreach.participants, lang),
    }
}

#[derive(Template)]
#[template(path = "partisipasi.html")]
struct ParticipationPage {
    page: Page,
    id: i64,
    election: String,
    voting_day: String,
    window: String,
    place: Row,
    up: String,
    groups: Vec<(String, String, String)>,
    districts: Vec<Row>,
    past: Vec<(String, String, String)>,
    chart: String,
    legend: Vec<(String, &'static str)>,
}

pub async fn page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<i64>,
    Query(q): Query<RegionParam>,
) -> AppResult<Response> {
    let p = participation::load(&ctx, id, q.region.as_deref()).await?;
    let title = format!(
        "{} · {}",
        lang.tr("Partisipasi pemilih", "Voter turnout"),
        p.place.name
    );
    let page = Page::new(lang, title, actor.as_ref(), &csrf.0, &here(&uri));
    let up = if p.place.code == p.election.region_code {
        String::new()
    } else {
        p.place
            .code
            .rsplit_once('.')
            .map(|(parent, _)| parent.to_string())
            .unwrap_or_default()
    };
    let groups = p
        .place
        .outreach
        .by_group
        .iter()
        .map(|(g, (n, people))| {
            (
                lang.tr(g.label().0, g.label().1).to_string(),
                balai_core::format::integer(*n, lang),
                balai_core::format::integer(*people, lang),
            )
        })
        .collect();
    let now = p.place.turnout;
    let past = p
        .past
        .iter()
        .map(|(e, t)| {
            let h = t.and_then(|t| turnout_hundredths(t.pengguna, t.dpt));
            let change = now
                .and_then(|n| turnout_hundredths(n.pengguna, n.dpt))
                .zip(h)
                .map(|(a, b)| a - b);
            (
                format!("{} ({})", e.name, day(e.voting_date, lang)),
                percent(h, lang),
                points(change, lang),
            )
        })
        .collect();
    render(&ParticipationPage {
        id,
        election: p.election.name.clone(),
        voting_day: day(p.election.voting_date, lang),
        window: balai_core::format::date_range(p.window.0, p.window.1, lang),
        place: row(&p.place, lang),
        up,
        groups,
        districts: p.districts.iter().map(|d| row(d, lang)).collect(),
        past,
        chart: chart::svg(&p.districts, lang),
        legend: chart::legend(lang),
        page,
    })
}
