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

use crate::commands::require;
use crate::domain::checks::Finding;
use crate::domain::election::candidate_status_label;
use crate::domain::permissions::Action;
use crate::queries::{self, load_election, Results, TpsView};
use crate::store::{self, Candidate, ElectionRow};
use crate::web::labels::{entry_kind, field_label, humanize, tps_status};
use crate::web::present::{
    bars, child_rows, history_rows, Bar, ChildRow, HistoryVersion, PairVotes, CHART_WIDTH, L,
};

fn page(
    lang: Lang,
    title: &str,
    actor: Option<&Actor>,
    csrf: &CsrfToken,
    uri: &OriginalUri,
) -> Page {
    Page::new(lang, title, actor, &csrf.0, uri.path())
}

/// An election as the list shows it: office, region and status as words.
struct ListItem {
    e: ElectionRow,
    office: &'static str,
    region_name: String,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "elections_list.html")]
struct ListPage {
    page: Page,
    elections: Vec<ListItem>,
    /// A KPU supervisor or admin (or a super-admin) may create one.
    can_create: bool,
}

/// A region's name (its code when unknown).
pub async fn region_name(ctx: &AppCtx, code: &str) -> AppResult<String> {
    let Ok(c) = RegionCode::parse(code) else {
        return Ok(code.to_string());
    };
    Ok(regions::get(&ctx.db, &c)
        .await?
        .map_or_else(|| code.to_string(), |r| r.name))
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
        can_create: actor.as_ref().is_some_and(|a| {
            require(
                a,
                a.scope.region_prefix().unwrap_or(""),
                Action::CreateElection,
            )
            .is_ok()
        }),
        elections: {
            let mut out = Vec::new();
            for e in store::list_elections(&ctx.db).await? {
                out.push(ListItem {
                    office: e.kind.office(lang),
                    region_name: region_name(&ctx, &e.region_code).await?,
                    status: e.status.label(lang),
                    e,
                });
            }
            out
        },
    })
}

#[derive(Template)]
#[template(path = "elections_show.html")]
struct ShowPage {
    page: Page,
    e: ElectionRow,
    kind_label: &'static str,
    region_name: String,
    can_manage: bool,
    can_disputes: bool,
    status: &'static str,
    current: Option<HistoryVersion>,
    history: Vec<HistoryVersion>,
    candidates: Vec<(Candidate, String, &'static str)>,
    checkpoint: Option<CheckpointView>,
}

/// The latest signed checkpoint of the election's publication log, as the page shows it.
struct CheckpointView {
    made_at: String,
    seq: i64,
    short_hash: String,
}

async fn latest_checkpoint(ctx: &AppCtx, id: i64) -> AppResult<Option<CheckpointView>> {
    let chain = balai_core::checkpoints::election_chain(id);
    Ok(balai_core::checkpoints::store::latest(&ctx.db, &chain)
        .await?
        .map(|c| CheckpointView {
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
            let st = candidate_status_label(&c.status, lang);
            (c, p, st)
        })
        .collect();
    let history = history_rows(&versions, lang);
    render(&ShowPage {
        page: page(lang, &e.name, actor.as_ref(), &csrf, &uri),
        kind_label: e.kind.label(lang),
        region_name: region_name(&ctx, &e.region_code).await?,
        can_manage: actor.as_ref().is_some_and(|a| {
            [
                Action::SetSchedule,
                Action::AddCandidate,
                Action::AddTps,
                Action::Close,
            ]
            .into_iter()
            .any(|x| require(a, &e.region_code, x).is_ok())
        }),
        can_disputes: actor
            .as_ref()
            .is_some_and(|a| require(a, &e.region_code, Action::ViewDisputes).is_ok()),
        status: e.status.label(lang),
        current: history.first().cloned(),
        history,
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
    chart_width: usize,
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
    let pairs = store::candidates(&ctx.db, id).await?;
    let ballots: Vec<(i64, String)> = pairs
        .iter()
        .map(|c| {
            (
                c.ballot_number,
                format!("{} – {}", c.head_name, c.deputy_name),
            )
        })
        .collect();
    let kids = queries::children(&ctx, &e, &code).await?;
    let tps_level = kids.iter().any(|k| k.href.contains("/tps/"));
    let votes: Vec<PairVotes> = pairs
        .iter()
        .map(|c| PairVotes {
            ballot: c.ballot_number,
            head: c.head_name.clone(),
            deputy: c.deputy_name.clone(),
            votes: r
                .votes
                .get(&c.ballot_number.to_string())
                .copied()
                .unwrap_or(0),
        })
        .collect();
    let (bars, chart_height) = bars(&votes, lang);
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
        chart_width: CHART_WIDTH,
        chart_height,
        bars,
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
    status: String,
    /// The version the published totals count, when it is not the latest (a dispute).
    counted: Option<TpsVersionShown>,
    bars: Vec<Bar>,
    chart_width: usize,
    chart_height: usize,
    turnout: String,
}

impl TpsPage {
    /// A version's kind in the page's language.
    fn kind_of<'a>(&self, kind: &'a str) -> &'a str {
        entry_kind(kind, self.page.lang)
    }

    /// The fields a finding is about, as people read them.
    fn fields_of(&self, f: &Finding) -> String {
        f.fields
            .iter()
            .map(|k| field_label(k, self.page.lang))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// A finding's message in the page's language, with field keys written as words.
    fn message_of(&self, f: &Finding) -> String {
        humanize(self.page.tr(&f.message_id, &f.message_en), self.page.lang)
    }

    fn is_counted(&self, version: &i64) -> bool {
        self.t.counted_version == Some(*version)
    }
}

/// The officials who entered each version by their names (`Siti Aminah`), not their
/// usernames; an account since removed keeps its username.
async fn operators_by_name(ctx: &AppCtx, entries: &mut [queries::EntryView]) -> AppResult<()> {
    let mut names: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for e in entries.iter_mut() {
        if !names.contains_key(&e.operator) {
            let shown = balai_core::accounts::user_by_name(&ctx.db, &e.operator)
                .await?
                .map(|u| u.display_name)
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| e.operator.clone());
            names.insert(e.operator.clone(), shown);
        }
        if let Some(n) = names.get(&e.operator) {
            e.operator = n.clone();
        }
    }
    Ok(())
}

/// A version of a TPS result as the page shows it.
struct TpsVersionShown {
    version: i64,
    operator: String,
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
    let mut t = queries::tps_view(&ctx, id, tps_id).await?;
    operators_by_name(&ctx, &mut t.history).await?;
    if let Some(c) = t.current.as_mut() {
        operators_by_name(&ctx, std::slice::from_mut(c)).await?;
    }
    let code = RegionCode::parse(&t.tps.village_code)?;
    let top = RegionCode::parse(&e.region_code)?;
    let crumbs: Vec<RegionRef> = regions::ancestry(&ctx.db, &code)
        .await?
        .into_iter()
        .filter(|a| top.contains(&a.code))
        .collect();
    let names = store::candidates(&ctx.db, id.get()).await?;
    // A disputed TPS shows the version the totals count (the last verified one), not the
    // latest entry; with none verified it shows no numbers.
    let shown = if t.status == "disputed" {
        t.counted_version
            .and_then(|v| t.history.iter().find(|h| h.version == v))
            .cloned()
    } else {
        t.current.clone()
    };
    let counted = match (&shown, &t.current) {
        (Some(s), Some(c)) if s.version != c.version => Some(TpsVersionShown {
            version: s.version,
            operator: s.operator.clone(),
        }),
        _ => None,
    };
    let votes: Vec<PairVotes> = match &shown {
        Some(c) => c
            .form
            .votes
            .iter()
            .map(|(b, v)| {
                let pair = names.iter().find(|c| c.ballot_number == i64::from(*b));
                PairVotes {
                    ballot: i64::from(*b),
                    head: pair.map(|c| c.head_name.clone()).unwrap_or_default(),
                    deputy: pair.map(|c| c.deputy_name.clone()).unwrap_or_default(),
                    votes: i64::from(*v),
                }
            })
            .collect(),
        None => Vec::new(),
    };
    let (bars, chart_height) = bars(&votes, lang);
    let turnout = match &shown {
        Some(c) => crate::domain::turnout::Turnout::new(
            u64::from(c.form.pengguna_total.total),
            u64::from(c.form.pemilih_dpt.total),
        )
        .display(lang),
        None => "–".into(),
    };
    let title = format!("TPS {:03} · {}", t.tps.number, e.name);
    t.current = shown;
    render(&TpsPage {
        page: page(lang, &title, actor.as_ref(), &csrf, &uri),
        status: tps_status(&t.status, lang).to_string(),
        counted,
        chart_width: CHART_WIDTH,
        chart_height,
        bars,
        l,
        e,
        crumbs,
        t,
        turnout,
    })
}
