//! The officials' page: the region's agreements and activities (each activity links to its
//! own page for minutes and follow-ups), and the forms to record an agreement, an activity, a
//! forum and its members, and an election's turnout targets. Every form posts, then redirects;
//! a refused form is shown again with its message and what was typed.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::accounts::Agency;
use balai_core::i18n::Lang;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::attendance_form::{self, AttendanceRow, ROWS};
use super::day;
use crate::commands::{activity, agreement, forum, targets};
use crate::domain::activity::Draft as ActivityDraft;
use crate::domain::agreement::Draft as AgreementDraft;
use crate::domain::forum::{ForumDraft, MemberDraft};
use crate::domain::target_group::{ForumKind, TargetGroup};
use crate::errors::ParticipationError;
use crate::queries::record;
use crate::store::agencies;

#[derive(Deserialize, Default)]
pub struct StaffQuery {
    #[serde(default)]
    region: String,
    #[serde(default)]
    done: String,
}

/// Every field of every form on the page, as sent (kept when a form is refused).
#[derive(Deserialize, Default, Clone)]
pub struct Fields {
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub partner_agency: String,
    #[serde(default)]
    pub other_parties_lines: String,
    #[serde(default)]
    pub signed_on: String,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub valid_until: String,
    #[serde(default)]
    pub clauses_lines: String,
    #[serde(default)]
    pub legal_basis: String,
    #[serde(default)]
    pub agreement_id: String,
    #[serde(default)]
    pub clause: String,
    #[serde(default)]
    pub region_code: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub target_group: String,
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub organisations_lines: String,
    #[serde(default)]
    pub agenda: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub forum_id: String,
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub election_id: String,
    #[serde(default)]
    pub csv: String,
}

fn empty_rows() -> Vec<AttendanceRow> {
    vec![AttendanceRow::default(); ROWS]
}

pub fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn num(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

#[derive(Template)]
#[template(path = "kolaborasi_staff.html")]
struct StaffPage {
    page: Page,
    region: String,
    region_name: String,
    agreements: Vec<(i64, String, String)>,
    activities: Vec<(i64, String, String)>,
    forums: Vec<(i64, String)>,
    partners: Vec<(i64, String)>,
    /// The province's agencies, the official's own too: who may be recorded as attending.
    attending: Vec<(i64, String)>,
    /// The attendance rows of the activity form (typed, or empty).
    rows: Vec<AttendanceRow>,
    /// The places to choose for an activity or a forum: `(code, name)`.
    places: Vec<(String, String)>,
    groups: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    elections: Vec<(i64, String)>,
    f: Fields,
    error: String,
    notice: String,
}

/// The region the page is about: the one asked for, else the official's agency's.
fn region_of(actor: &Actor, asked: &str) -> String {
    let asked = asked.trim();
    if asked.is_empty() {
        actor
            .agency
            .as_ref()
            .map_or_else(|| "32.79".to_string(), |a| a.region_code.clone())
    } else {
        asked.to_string()
    }
}

struct Shown {
    region: String,
    f: Fields,
    rows: Vec<AttendanceRow>,
    error: String,
    notice: String,
}

async fn show(
    ctx: &AppCtx,
    lang: Lang,
    actor: &Actor,
    csrf: &str,
    shown: Shown,
) -> AppResult<Response> {
    let rec = record::load(&ctx.db, &shown.region).await?;
    let province = rec.region_code.get(..2).unwrap_or("").to_string();
    let own = actor.agency.as_ref().map(|a| a.id);
    let attending: Vec<(i64, String)> = agencies::all(&ctx.db)
        .await?
        .into_iter()
        .filter(|g: &Agency| g.region_code.starts_with(&province))
        .map(|g| (g.id, g.name))
        .collect();
    let partners: Vec<(i64, String)> = attending
        .iter()
        .filter(|(id, _)| Some(*id) != own)
        .cloned()
        .collect();
    let places = super::places::under(&ctx.db, &rec.region_code, &shown.f.region_code).await;
    let src = targets::source(ctx)?;
    let mut elections = Vec::new();
    let mut code = rec.region_code.clone();
    loop {
        for e in src.0.elections_of(&ctx.db, &code).await? {
            elections.push((e.id, e.name));
        }
        match code.rsplit_once('.') {
            Some((parent, _)) => code = parent.to_string(),
            None => break,
        }
    }
    let status = if shown.error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = Page::new(
        lang,
        lang.tr("Kolaborasi (petugas)", "Collaboration (officials)"),
        Some(actor),
        csrf,
        "/kolaborasi/petugas",
    );
    let body = render(&StaffPage {
        page,
        agreements: rec
            .agreements
            .iter()
            .map(|a| {
                let v = &a.row;
                (
                    v.id,
                    format!("{} ({})", v.title, v.number),
                    balai_core::format::date_range(v.valid_from, v.valid_until, lang),
                )
            })
            .collect(),
        activities: rec
            .activities
            .iter()
            .map(|a| (a.row.id, a.row.title.clone(), day(a.row.day, lang)))
            .collect(),
        forums: rec
            .forums
            .iter()
            .map(|f| (f.row.id, f.row.name.clone()))
            .collect(),
        partners,
        attending,
        rows: shown.rows,
        places,
        groups: TargetGroup::ALL
            .iter()
            .map(|g| (g.as_str(), lang.tr(g.label().0, g.label().1)))
            .collect(),
        kinds: ForumKind::ALL
            .iter()
            .map(|k| (k.as_str(), lang.tr(k.label().0, k.label().1)))
            .collect(),
        elections,
        region: rec.region_code,
        region_name: rec.region_name,
        f: shown.f,
        error: shown.error,
        notice: shown.notice,
    })?;
    Ok((status, body).into_response())
}

pub async fn page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    _uri: OriginalUri,
    Query(q): Query<StaffQuery>,
) -> AppResult<Response> {
    let notice = if q.done.is_empty() {
        String::new()
    } else {
        lang.tr("Tersimpan.", "Saved.").to_string()
    };
    // A name typed into the region box is looked up (the best match); a code is taken as is.
    let asked = q.region.trim();
    let region = if asked.is_empty() || balai_core::regions::RegionCode::parse(asked).is_ok() {
        region_of(&actor, asked)
    } else {
        balai_core::regions::finder::find(&balai_core::regions::finder::Query {
            text: asked,
            level: None,
            within: None,
            limit: 1,
        })
        .first()
        .map_or_else(|| region_of(&actor, ""), |h| h.code.to_string())
    };
    let shown = Shown {
        region,
        f: Fields::default(),
        rows: vec![AttendanceRow::default(); ROWS],
        error: String::new(),
        notice,
    };
    show(&ctx, lang, &actor, &csrf.0, shown).await
}

/// After a form: back to the page (stored), or the page again with the refusal.
async fn after(
    ctx: &AppCtx,
    lang: Lang,
    actor: &Actor,
    csrf: &str,
    (f, rows): (Fields, Vec<AttendanceRow>),
    done: Result<(), ParticipationError>,
) -> AppResult<Response> {
    let region = region_of(actor, &f.region);
    match done {
        Ok(()) => Ok(
            Redirect::to(&format!("/kolaborasi/petugas?region={region}&done=1")).into_response(),
        ),
        Err(e) => {
            let shown = Shown {
                region,
                error: super::typed_refusal(e, lang)?,
                f,
                rows,
                notice: String::new(),
            };
            show(ctx, lang, actor, csrf, shown).await
        }
    }
}

pub async fn agreement_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let agency_ids = actor
        .agency
        .as_ref()
        .map(|a| a.id)
        .into_iter()
        .chain(num(&f.partner_agency))
        .collect();
    let draft = AgreementDraft {
        title: f.title.clone(),
        number: f.number.clone(),
        agency_ids,
        other_parties: lines(&f.other_parties_lines),
        signed_on: f.signed_on.clone(),
        valid_from: f.valid_from.clone(),
        valid_until: f.valid_until.clone(),
        clauses: lines(&f.clauses_lines),
        legal_basis: f.legal_basis.clone(),
    };
    let done = agreement::record(&ctx, &meta, &actor, &draft)
        .await
        .map(|_| ());
    after(&ctx, lang, &actor, &csrf.0, (f, empty_rows()), done).await
}

pub async fn activity_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (rest, rows) = attendance_form::split(pairs);
    let f: Fields = serde_json::from_value(serde_json::Value::Object(
        rest.into_iter()
            .map(|(k, v)| (k, serde_json::Value::String(v)))
            .collect(),
    ))
    .map_err(|_| {
        balai_core::AppError::bad_request("bad_form", "Isian formulir tidak sah.", "Invalid form.")
    })?;
    let known: Vec<(i64, String)> = agencies::all(&ctx.db)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let done = match attendance_form::attendance(&rows, &known) {
        Ok(attendance) => {
            let draft = ActivityDraft {
                agreement_id: num(&f.agreement_id),
                clause: num(&f.clause),
                title: f.title.clone(),
                region_code: f.region_code.clone(),
                date: f.date.clone(),
                target_group: f.target_group.clone(),
                participants: num(&f.participants).unwrap_or(-1),
                organisations: lines(&f.organisations_lines),
                agenda: f.agenda.clone(),
                attendance,
            };
            activity::record(&ctx, &meta, &actor, &draft).await
        }
        Err(e) => Err(e.into()),
    };
    match done {
        Ok(id) => Ok(Redirect::to(&format!("/kolaborasi/petugas/kegiatan/{id}")).into_response()),
        Err(e) => after(&ctx, lang, &actor, &csrf.0, (f, rows), Err(e)).await,
    }
}

pub async fn forum_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let draft = ForumDraft {
        name: f.name.clone(),
        kind: f.kind.clone(),
        region_code: f.region_code.clone(),
    };
    let done = forum::create(&ctx, &meta, &actor, &draft).await.map(|_| ());
    after(&ctx, lang, &actor, &csrf.0, (f, empty_rows()), done).await
}

pub async fn member_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let draft = MemberDraft {
        person: f.person.clone(),
        organisation: f.organisation.clone(),
        position: f.position.clone(),
        from: f.from.clone(),
        to: f.to.clone(),
    };
    let done = forum::add_member(&ctx, &meta, &actor, id, &draft)
        .await
        .map(|_| ());
    after(&ctx, lang, &actor, &csrf.0, (f, empty_rows()), done).await
}

pub async fn targets_submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    CsrfForm(f): CsrfForm<Fields>,
) -> AppResult<Response> {
    let election = num(&f.election_id).unwrap_or(0);
    let done = targets::set(&ctx, &meta, &actor, election, &f.csv).await;
    match done {
        Ok(_) => {
            let region = region_of(&actor, &f.region);
            Ok(Redirect::to(&format!("/partisipasi/{election}?region={region}")).into_response())
        }
        Err(e) => after(&ctx, lang, &actor, &csrf.0, (f, empty_rows()), Err(e)).await,
    }
}
