//! The public pages: the feature's home (choose a region), a region's "Kolaborasi" page
//! (agreements in force, activities as a list and a month calendar, follow-ups and their
//! progress, approved minutes, forums), one agreement and one activity.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;
use time::{Date, Month};

use super::day;
use super::views::{self, ActivityView, AgreementView, FollowUpView};
use crate::domain::calendar;
use crate::domain::target_group::ForumKind;
use crate::errors::ParticipationError;
use crate::queries::{self, record};

#[derive(Template)]
#[template(path = "kolaborasi_home.html")]
struct HomePage {
    page: Page,
    regions: Vec<(String, String, i64)>,
    /// What was typed into the region box, and the regions whose names match it.
    asked: String,
    choices: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
pub struct RegionForm {
    #[serde(default)]
    region: String,
    /// `YYYY-MM`: the month the calendar shows.
    #[serde(default)]
    bulan: String,
}

/// The home page; `?region=CODE` goes to that region's page, `?region=NAME` to the one region
/// of that name or lists the regions whose names match.
pub async fn home(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<RegionForm>,
) -> AppResult<Response> {
    let asked = q.region.trim().to_string();
    let mut choices = Vec::new();
    if balai_core::regions::RegionCode::parse(&asked).is_ok() {
        let (code, _) = queries::region(&ctx.db, &asked).await?;
        return Ok(Redirect::to(&format!("/kolaborasi/wilayah/{code}")).into_response());
    }
    if !asked.is_empty() {
        let hits = balai_core::regions::finder::find(&balai_core::regions::finder::Query {
            text: &asked,
            level: None,
            within: None,
            limit: 10,
        });
        if let [only] = hits.as_slice() {
            return Ok(Redirect::to(&format!("/kolaborasi/wilayah/{}", only.code)).into_response());
        }
        choices = hits
            .into_iter()
            .map(|h| (h.code.to_string(), h.label()))
            .collect();
    }
    let page = Page::new(
        lang,
        lang.tr("Kolaborasi & partisipasi", "Collaboration & participation"),
        actor.as_ref(),
        &csrf.0,
        uri.path(),
    );
    let regions = crate::store::agreements::regions_with_records(&ctx.db).await?;
    render(&HomePage {
        page,
        regions,
        asked,
        choices,
    })
}

/// One week of the calendar; `busy` when some day of it has an activity.
pub struct Week {
    pub busy: bool,
    pub days: Vec<Option<Cell>>,
}

/// One day cell of the calendar.
pub struct Cell {
    pub day: u8,
    pub items: Vec<(i64, String)>,
}

pub struct ForumView {
    pub name: String,
    pub kind: String,
    pub members: Vec<String>,
}

#[derive(Template)]
#[template(path = "kolaborasi_region.html")]
struct RegionPage {
    page: Page,
    code: String,
    name: String,
    in_force: Vec<AgreementView>,
    other_agreements: Vec<AgreementView>,
    upcoming: Vec<ActivityView>,
    past: Vec<ActivityView>,
    /// Upcoming and held activities, the withdrawn (cancelled) ones left out.
    planned: usize,
    held: usize,
    cancelled: Vec<ActivityView>,
    followups: Vec<FollowUpView>,
    forums: Vec<ForumView>,
    month_title: String,
    weekdays: Vec<&'static str>,
    weeks: Vec<Week>,
    /// No activity in the month shown (a phone shows only the days with activities).
    month_empty: bool,
    prev_month: String,
    next_month: String,
}

/// The month the calendar shows: the one asked for, else that of the next activity, else that
/// of the latest one, else this month.
fn month_shown(asked: &str, days: &[Date], today: Date) -> (i32, Month) {
    let parsed = asked.split_once('-').and_then(|(y, m)| {
        let y: i32 = y.parse().ok()?;
        let m: u8 = m.parse().ok()?;
        Some((y, Month::try_from(m).ok()?))
    });
    if let Some(p) = parsed.filter(|(y, _)| (1900..=2200).contains(y)) {
        return p;
    }
    let next = days.iter().filter(|d| **d >= today).min();
    let latest = days.iter().max();
    let d = next.or(latest).copied().unwrap_or(today);
    (d.year(), d.month())
}

fn month_param(year: i32, month: Month, step: i8) -> String {
    let (y, m) = match (step, month) {
        (-1, Month::January) => (year - 1, Month::December),
        (1, Month::December) => (year + 1, Month::January),
        (-1, m) => (year, m.previous()),
        (_, m) => (year, m.next()),
    };
    format!("{y}-{:02}", u8::from(m))
}

/// A title short enough for a calendar cell on a phone.
fn short(title: &str) -> String {
    const MAX: usize = 16;
    if title.chars().count() <= MAX {
        title.to_string()
    } else {
        let mut s: String = title.chars().take(MAX - 1).collect();
        s.push('…');
        s
    }
}

fn calendar_weeks(year: i32, month: Month, acts: &[ActivityView], lang: Lang) -> Vec<Week> {
    calendar::weeks(year, month)
        .into_iter()
        .map(|w| {
            let days: Vec<Option<Cell>> = w
                .iter()
                .map(|d| {
                    d.map(|day| {
                        let iso = format!("{year}-{:02}-{day:02}", u8::from(month));
                        Cell {
                            day,
                            items: acts
                                .iter()
                                .filter(|a| a.iso == iso)
                                .map(|a| {
                                    let title = short(&a.title);
                                    if a.cancelled {
                                        (
                                            a.id,
                                            format!("{} {title}", lang.tr("Batal:", "Cancelled:")),
                                        )
                                    } else {
                                        (a.id, title)
                                    }
                                })
                                .collect(),
                        }
                    })
                })
                .collect();
            Week {
                busy: days.iter().flatten().any(|c| !c.items.is_empty()),
                days,
            }
        })
        .collect()
}

pub async fn region(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(code): Path<String>,
    Query(q): Query<RegionForm>,
) -> AppResult<Response> {
    let rec = record::load(&ctx.db, &code).await?;
    let places = views::names(
        &ctx.db,
        rec.activities
            .iter()
            .map(|a| a.row.region_code.clone())
            .collect(),
    )
    .await;
    let acts: Vec<ActivityView> = rec
        .activities
        .iter()
        .map(|a| views::activity(a, &places, rec.today, lang))
        .collect();
    let days: Vec<Date> = rec.activities.iter().map(|a| a.row.day).collect();
    let (year, month) = month_shown(&q.bulan, &days, rec.today);
    let weeks = calendar_weeks(year, month, &acts, lang);
    let month_empty = !weeks.iter().any(|w| w.busy);
    let mut followups: Vec<FollowUpView> = acts
        .iter()
        .flat_map(|a| a.followups.iter())
        .map(|f| FollowUpView {
            id: f.id,
            activity_id: f.activity_id,
            activity: f.activity.clone(),
            action: f.action.clone(),
            owner: f.owner.clone(),
            due: f.due.clone(),
            progress: f.progress,
            overdue: f.overdue,
            note: f.note.clone(),
        })
        .collect();
    followups.sort_by_key(|f| (f.progress >= 100, !f.overdue));
    let (in_force, other_agreements): (Vec<AgreementView>, Vec<AgreementView>) = rec
        .agreements
        .iter()
        .map(|a| views::agreement(a, lang))
        .partition(|a| a.in_force);
    // Withdrawn ones are listed on their own, as cancelled (the calendar marks them too).
    let (cancelled, acts): (Vec<ActivityView>, Vec<ActivityView>) =
        acts.into_iter().partition(|a| a.cancelled);
    let (mut upcoming, past): (Vec<ActivityView>, Vec<ActivityView>) =
        acts.into_iter().partition(|a| a.upcoming);
    upcoming.reverse();
    let (planned, held) = (upcoming.len(), past.len());
    let forums = rec
        .forums
        .iter()
        .map(|f| ForumView {
            name: f.row.name.clone(),
            kind: ForumKind::parse(&f.row.kind)
                .map(|k| lang.tr(k.label().0, k.label().1).to_string())
                .unwrap_or_default(),
            members: f
                .members
                .iter()
                .map(|m| {
                    let term = m.to_day.map_or_else(
                        || format!("{} {}", lang.tr("sejak", "since"), day(m.from_day, lang)),
                        |t| balai_core::format::date_range(m.from_day, t, lang),
                    );
                    format!("{} — {}, {} ({term})", m.person, m.position, m.organisation)
                })
                .collect(),
        })
        .collect();
    let title = format!(
        "{} · {}",
        lang.tr("Kolaborasi", "Collaboration"),
        rec.region_name
    );
    let page = Page::new(lang, title, actor.as_ref(), &csrf.0, uri.path());
    render(&RegionPage {
        page,
        code: rec.region_code.clone(),
        name: rec.region_name.clone(),
        in_force,
        other_agreements,
        upcoming,
        past,
        planned,
        held,
        cancelled,
        followups,
        forums,
        month_title: format!("{} {year}", balai_core::format::month_name(month, lang)),
        weekdays: if lang == Lang::En {
            vec!["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        } else {
            vec!["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"]
        },
        weeks,
        month_empty,
        prev_month: month_param(year, month, -1),
        next_month: month_param(year, month, 1),
    })
}

#[derive(Template)]
#[template(path = "kolaborasi_agreement.html")]
struct AgreementPage {
    page: Page,
    a: AgreementView,
    region_code: String,
    region_name: String,
    renewals: Vec<String>,
    /// (id, title, date, withdrawn).
    activities: Vec<(i64, String, String, bool)>,
    docs: Vec<super::documents::DocView>,
    history: Vec<super::history::ChangeView>,
}

pub async fn agreement(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (a, acts) = record::agreement(&ctx.db, id)
        .await?
        .ok_or(ParticipationError::NotFound)?;
    let renewals = crate::store::agreements::renewals_of(&ctx.db, id)
        .await?
        .iter()
        .map(|r| {
            format!(
                "{} · {} {} · {} {} → {}",
                r.number,
                lang.tr("ditandatangani", "signed"),
                day(r.signed_on, lang),
                lang.tr("berlaku sampai", "valid until"),
                day(r.previous_until, lang),
                day(r.valid_until, lang)
            )
        })
        .collect();
    let region_code = a.row.region_code.clone();
    let region_name = views::names(&ctx.db, vec![region_code.clone()])
        .await
        .remove(&region_code)
        .unwrap_or_default();
    let page = Page::new(
        lang,
        a.row.title.clone(),
        actor.as_ref(),
        &csrf.0,
        uri.path(),
    );
    let docs = super::documents::versions(
        &ctx.db,
        crate::domain::document::DocKind::Agreement,
        id,
        lang,
    )
    .await?;
    let history = super::history::of(&ctx.db, "agreement", id, lang).await?;
    render(&AgreementPage {
        docs,
        history,
        a: views::agreement(&a, lang),
        region_code,
        region_name,
        renewals,
        activities: acts
            .iter()
            .map(|r| (r.id, r.title.clone(), day(r.day, lang), r.withdrawn()))
            .collect(),
        page,
    })
}

#[derive(Template)]
#[template(path = "kolaborasi_activity.html")]
struct ActivityPage {
    page: Page,
    a: ActivityView,
    /// The agencies that approved the published minutes.
    approved_by: Vec<String>,
    region_code: String,
    docs: Vec<super::documents::DocView>,
    history: Vec<super::history::ChangeView>,
}

pub async fn activity(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let a = record::activity(&ctx.db, id)
        .await?
        .ok_or(ParticipationError::NotFound)?;
    let places = views::names(&ctx.db, vec![a.row.region_code.clone()]).await;
    let region_code = a
        .row
        .region_code
        .get(..5)
        .unwrap_or(&a.row.region_code)
        .to_string();
    let view = views::activity(&a, &places, crate::domain::today(), lang);
    let page = Page::new(
        lang,
        view.title.clone(),
        actor.as_ref(),
        &csrf.0,
        uri.path(),
    );
    let docs = super::documents::versions(
        &ctx.db,
        crate::domain::document::DocKind::Attendance,
        id,
        lang,
    )
    .await?;
    let history = super::history::of(&ctx.db, "activity", id, lang).await?;
    let approved_by = if view.minutes.is_empty() {
        Vec::new()
    } else {
        crate::store::activities::approvals_shown(&ctx.db, id, a.row.minutes_version)
            .await?
            .into_iter()
            .map(|(_, name)| name)
            .collect()
    };
    render(&ActivityPage {
        approved_by,
        page,
        docs,
        history,
        a: view,
        region_code,
    })
}
