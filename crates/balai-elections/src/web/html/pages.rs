//! Public pages: the election list, an election with its schedule and full change history
//! side by side, drill-down results (SVG bar chart plus a table of the same numbers) down to
//! each TPS and its version history, the iCalendar feed of the stages, and the supervisor's
//! queue. No JavaScript.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use balai_core::i18n::Lang;
use balai_core::ids::{ElectionId, TpsId};
use balai_core::regions::{self, RegionCode, RegionRef};
use balai_core::web::actor::{Actor, MaybeActor};
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use crate::queries::{self, load_election, Dispute, Results, TpsView};
use crate::store::{self, Candidate, ElectionRow, ScheduleVersion};
use crate::web::present::{bars, child_rows, history_rows, Bar, ChildRow, HistoryVersion, L};

fn page(
    lang: Lang,
    title: &str,
    actor: Option<&Actor>,
    csrf: &CsrfToken,
    uri: &OriginalUri,
) -> Page {
    Page::new(lang, title, actor, &csrf.0, uri.path())
}

#[derive(Template)]
#[template(path = "elections_list.html")]
struct ListPage {
    page: Page,
    elections: Vec<ElectionRow>,
}

pub async fn list(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    render(&ListPage {
        page: page(
            lang,
            lang.tr("Pemilihan", "Elections"),
            actor.as_ref(),
            &csrf,
            &uri,
        ),
        elections: store::list_elections(&ctx.db).await?,
    })
}

#[derive(Template)]
#[template(path = "elections_show.html")]
struct ShowPage {
    page: Page,
    e: ElectionRow,
    kind_label: &'static str,
    current: Option<ScheduleVersion>,
    history: Vec<HistoryVersion>,
    candidates: Vec<(Candidate, String)>,
    checkpoint: Option<CheckpointView>,
}

/// The latest signed checkpoint of the election's publication log, as the page shows it.
struct CheckpointView {
    made_at: String,
    /// `made_at` as it reads: `2026-12-05 15:37:29 UTC`.
    made_at_text: String,
    seq: i64,
    short_hash: String,
}

async fn latest_checkpoint(ctx: &AppCtx, id: i64) -> AppResult<Option<CheckpointView>> {
    let chain = balai_core::checkpoints::election_chain(id);
    Ok(balai_core::checkpoints::store::latest(&ctx.db, &chain)
        .await?
        .map(|c| CheckpointView {
            made_at_text: c.made_at.replace('T', " ").replace('Z', " UTC"),
            seq: c.seq,
            short_hash: c.head_hash.chars().take(12).collect(),
            made_at: c.made_at,
        }))
}

pub async fn show(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let e = load_election(&ctx, id).await?;
    let versions = store::schedule_history(&ctx.db, id).await?;
    let candidates = store::candidates(&ctx.db, id)
        .await?
        .into_iter()
        .map(|c| {
            let p = if c.independent {
                lang.tr("Perseorangan", "Independent").to_string()
            } else {
                c.party_list().join(", ")
            };
            (c, p)
        })
        .collect();
    render(&ShowPage {
        page: page(lang, &e.name, actor.as_ref(), &csrf, &uri),
        kind_label: e.kind.label_id(),
        current: versions.first().cloned(),
        history: history_rows(&versions),
        candidates,
        checkpoint: latest_checkpoint(&ctx, id).await?,
        e,
    })
}

fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace(['\r', '\n'], " ")
}

/// The current schedule as an iCalendar feed (all-day events).
pub async fn ics(State(ctx): State<AppCtx>, Path(id): Path<i64>) -> AppResult<Response> {
    let e = load_election(&ctx, id).await?;
    let versions = store::schedule_history(&ctx.db, id).await?;
    let mut out = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Balai//Tahapan Pilkada//ID\r\nCALSCALE:GREGORIAN\r\n");
    out.push_str(&format!("X-WR-CALNAME:{}\r\n", ics_text(&e.name)));
    if let Some(v) = versions.first() {
        let stamp = v.created_at.replace(['-', ':'], "");
        let stamp = stamp.split('.').next().unwrap_or("").trim_end_matches('Z');
        for (i, s) in v.stages.iter().enumerate() {
            let (Some(a), Some(b)) = (
                crate::domain::election::parse_date(&s.start),
                crate::domain::election::parse_date(&s.end),
            ) else {
                continue;
            };
            let end = b.next_day().unwrap_or(b);
            let d =
                |x: time::Date| format!("{:04}{:02}{:02}", x.year(), u8::from(x.month()), x.day());
            out.push_str(&format!(
                "BEGIN:VEVENT\r\nUID:election-{}-stage-{}@balai\r\nDTSTAMP:{}Z\r\nSEQUENCE:{}\r\nDTSTART;VALUE=DATE:{}\r\nDTEND;VALUE=DATE:{}\r\nSUMMARY:{}\r\nDESCRIPTION:{}\r\nEND:VEVENT\r\n",
                e.id,
                i + 1,
                stamp,
                v.version - 1,
                d(a),
                d(end),
                ics_text(&s.name),
                ics_text(&format!("{} — jadwal versi {} ({})", e.name, v.version, v.legal_basis)),
            ));
        }
    }
    out.push_str("END:VCALENDAR\r\n");
    let mut res = out.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    Ok(res)
}

#[derive(Deserialize)]
pub struct RegionParam {
    region: Option<String>,
}

#[derive(Template)]
#[template(path = "elections_results.html")]
struct ResultsPage {
    page: Page,
    l: L,
    e: ElectionRow,
    crumbs: Vec<RegionRef>,
    r: Results,
    turnout: String,
    bars: Vec<Bar>,
    chart_height: usize,
    ballots: Vec<(i64, String)>,
    children: Vec<ChildRow>,
    tps_level: bool,
}

pub async fn results(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<i64>,
    Query(q): Query<RegionParam>,
) -> AppResult<Response> {
    let l = L(lang);
    let e = load_election(&ctx, id).await?;
    let r = queries::results(&ctx, id, q.region.as_deref()).await?;
    let code = RegionCode::parse(&r.region_code)?;
    let top = RegionCode::parse(&e.region_code)?;
    let crumbs: Vec<RegionRef> = regions::ancestry(&ctx.db, &code)
        .await?
        .into_iter()
        .filter(|a| top.contains(&a.code))
        .collect();
    let ballots: Vec<(i64, String)> = store::candidates(&ctx.db, id)
        .await?
        .into_iter()
        .map(|c| {
            (
                c.ballot_number,
                format!("{} – {}", c.head_name, c.deputy_name),
            )
        })
        .collect();
    let kids = queries::children(&ctx, &e, &code).await?;
    let tps_level = kids.iter().any(|k| k.href.contains("/tps/"));
    let votes: Vec<(String, i64)> = ballots
        .iter()
        .map(|(b, n)| {
            (
                format!("{b}. {n}"),
                r.votes.get(&b.to_string()).copied().unwrap_or(0),
            )
        })
        .collect();
    let turnout =
        crate::domain::turnout::Turnout::new(r.pengguna.max(0) as u64, r.dpt.max(0) as u64)
            .display(lang);
    render(&ResultsPage {
        page: page(
            lang,
            &format!("{} · {}", e.name, r.region_name),
            actor.as_ref(),
            &csrf,
            &uri,
        ),
        chart_height: votes.len() * 32 + 8,
        bars: bars(&votes),
        children: child_rows(&kids, &ballots, l),
        ballots,
        tps_level,
        crumbs,
        turnout,
        l,
        e,
        r,
    })
}

#[derive(Template)]
#[template(path = "elections_tps.html")]
struct TpsPage {
    page: Page,
    l: L,
    e: ElectionRow,
    crumbs: Vec<RegionRef>,
    t: TpsView,
    bars: Vec<Bar>,
    chart_height: usize,
    turnout: String,
}

pub async fn tps(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path((id, tps_id)): Path<(ElectionId, TpsId)>,
) -> AppResult<Response> {
    let l = L(lang);
    let e = load_election(&ctx, id.get()).await?;
    let t = queries::tps_view(&ctx, id, tps_id).await?;
    let code = RegionCode::parse(&t.tps.village_code)?;
    let top = RegionCode::parse(&e.region_code)?;
    let crumbs: Vec<RegionRef> = regions::ancestry(&ctx.db, &code)
        .await?
        .into_iter()
        .filter(|a| top.contains(&a.code))
        .collect();
    let names = store::candidates(&ctx.db, id.get()).await?;
    let votes: Vec<(String, i64)> = match &t.current {
        Some(c) => c
            .form
            .votes
            .iter()
            .map(|(b, v)| {
                let n = names
                    .iter()
                    .find(|c| c.ballot_number == i64::from(*b))
                    .map(|c| c.head_name.clone())
                    .unwrap_or_default();
                (format!("{b}. {n}"), i64::from(*v))
            })
            .collect(),
        None => Vec::new(),
    };
    let turnout = match &t.current {
        Some(c) => crate::domain::turnout::Turnout::new(
            u64::from(c.form.pengguna_total.total),
            u64::from(c.form.pemilih_dpt.total),
        )
        .display(lang),
        None => "–".into(),
    };
    let title = format!("TPS {:03} · {}", t.tps.number, e.name);
    render(&TpsPage {
        page: page(lang, &title, actor.as_ref(), &csrf, &uri),
        chart_height: votes.len() * 32 + 8,
        bars: bars(&votes),
        l,
        e,
        crumbs,
        t,
        turnout,
    })
}

#[derive(Template)]
#[template(path = "elections_disputes.html")]
struct DisputesPage {
    page: Page,
    e: ElectionRow,
    region: String,
    disputes: Vec<Dispute>,
}

/// The supervisor's queue, both entries side by side (supervisors and admins of the KPU).
pub async fn disputes(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<i64>,
    Query(q): Query<RegionParam>,
) -> AppResult<Response> {
    let e = load_election(&ctx, id).await?;
    let region = crate::web::shared::supervisor_region(&actor, &e, q.region.as_deref())?;
    let disputes = queries::disputes(&ctx, &e, &region).await?;
    render(&DisputesPage {
        page: page(
            lang,
            lang.tr("Antrean selisih entri", "Entry disagreements"),
            Some(&actor),
            &csrf,
            &uri,
        ),
        e,
        region,
        disputes,
    })
}
