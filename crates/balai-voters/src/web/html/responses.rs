//! The public's responses to the list (tanggapan masyarakat) for the PPS and the KPU: the
//! queue of an election's cases in the official's area, each with its clock in working days,
//! and a case's page with the form of the public answer (no personal data: the answer is
//! published; [`crate::domain::report::decide`] refuses a NIK in it).

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::calendar::Calendar;
use balai_core::format::{self, Zone};
use balai_core::i18n::Lang;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::CsrfForm;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use super::common::{area, day_of, election_for, message, status_of, within, Req};
use crate::commands::report;
use crate::domain::permissions::Action;
use crate::domain::report::{filed_day, overdue, Kind, Status};
use crate::errors::VoterError;
use crate::queries::staff::{self, Case};
use crate::store::elections;

/// A case's clock as the queue shows it: the text (with the due day), and whether it is late.
pub fn clock(
    cal: &Calendar,
    status: &str,
    due: Date,
    answered: Option<OffsetDateTime>,
    region: &str,
    lang: Lang,
) -> (String, bool) {
    if status != Status::Open.as_str() {
        let when = answered.map_or_else(String::new, |t| format::date(day_of(t), lang));
        return (format!("{} {when}", lang.tr("Dijawab", "Answered")), false);
    }
    let today = filed_day(balai_core::db::now(), region);
    let left = cal.working_days_between(today, due);
    let due_text = format::date_with_weekday(due, lang);
    let text = match left {
        n if n > 0 => format!(
            "{} {n} {} ({} {due_text})",
            lang.tr("Sisa", ""),
            lang.tr("hari kerja", "working days left"),
            lang.tr("paling lambat", "by")
        ),
        0 if today <= due => format!(
            "{} ({due_text})",
            lang.tr("Jatuh tempo hari ini", "Due today")
        ),
        n => format!(
            "{} {} {} ({} {due_text})",
            lang.tr("Terlambat", "Late by"),
            n.abs().max(1),
            lang.tr("hari kerja", "working days"),
            lang.tr("tenggat", "due")
        ),
    };
    (text.trim().to_string(), overdue(Status::Open, due, today))
}

fn kind_label(kind: &str, lang: Lang) -> &'static str {
    Kind::parse(kind).map_or("?", |k| {
        let (id, en) = k.labels();
        lang.tr(id, en)
    })
}

fn status_label(status: &str, lang: Lang) -> &'static str {
    Status::parse(status).map_or("?", |s| {
        let (id, en) = s.labels();
        lang.tr(id, en)
    })
}

/// A case in the queue.
pub struct QueueLine {
    pub code: String,
    pub village: String,
    pub tps: String,
    pub kind: &'static str,
    pub filed: String,
    pub status: &'static str,
    pub clock: String,
    pub late: bool,
}

#[derive(Template)]
#[template(path = "pemilih_antrian.html")]
struct QueuePage {
    page: Page,
    id: i64,
    election: String,
    cases: Vec<QueueLine>,
}

/// `/pemilih/petugas/{id}/tanggapan`.
pub async fn queue(req: Req, Path(id): Path<i64>) -> AppResult<Response> {
    let (ctx, lang) = (&req.ctx, req.lang);
    let (e, area) = election_for(ctx, &req.actor, id, Action::AnswerReport).await?;
    let cal = balai_core::calendar::load(&ctx.db).await?;
    let rows = staff::queue(&ctx.db, id, &area).await?;
    let cases = rows
        .into_iter()
        .map(|r| {
            let (clock, late) = clock(
                &cal,
                &r.status,
                r.due(),
                r.answered_at,
                &r.village_code,
                lang,
            );
            QueueLine {
                kind: kind_label(&r.kind, lang),
                status: status_label(&r.status, lang),
                filed: format::datetime(r.filed_at, Zone::for_region(&r.village_code), lang),
                tps: format!("TPS {:03}", r.tps_number),
                village: r.village_name,
                code: r.code,
                clock,
                late,
            }
        })
        .collect();
    render(&QueuePage {
        page: req.page(lang.tr("Tanggapan masyarakat", "Public responses")),
        id,
        election: e.name,
        cases,
    })
}

#[derive(Template)]
#[template(path = "pemilih_kasus.html")]
struct CasePage {
    page: Page,
    election: String,
    c: Case,
    kind: &'static str,
    status: &'static str,
    filed: String,
    clock: String,
    late: bool,
    answered: bool,
    form: AnswerForm,
    error: String,
}

#[derive(Deserialize, Default)]
pub struct AnswerForm {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub answer: String,
}

#[derive(Deserialize, Default)]
pub struct CaseQuery {
    #[serde(default)]
    dijawab: Option<String>,
}

/// The case `code` if the official answers responses in its village (404 / 403).
async fn case_for(ctx: &AppCtx, actor: &Actor, code: &str) -> AppResult<(Case, String)> {
    let c = staff::case(&ctx.db, code.trim())
        .await?
        .ok_or(VoterError::ReportNotFound)?;
    let e = elections::get(&ctx.db, c.election_id)
        .await?
        .ok_or(VoterError::ElectionNotFound)?;
    let mine = area(actor, &e.region_code, Action::AnswerReport)
        .is_some_and(|a| within(&a, &c.village_code));
    if !mine {
        return Err(VoterError::Forbidden.into());
    }
    Ok((c, e.name))
}

async fn case_page(
    req: &Req,
    code: &str,
    answered: bool,
    form: AnswerForm,
    error: String,
) -> AppResult<Response> {
    let (c, election) = case_for(&req.ctx, &req.actor, code).await?;
    let cal = balai_core::calendar::load(&req.ctx.db).await?;
    let (clock, late) = clock(
        &cal,
        &c.status,
        c.due(),
        c.answered_at,
        &c.village_code,
        req.lang,
    );
    render(&CasePage {
        page: req.page(format!(
            "{} · TPS {:03} {}",
            req.lang.tr("Tanggapan", "Response"),
            c.tps_number,
            c.village_name
        )),
        kind: kind_label(&c.kind, req.lang),
        status: status_label(&c.status, req.lang),
        filed: format::datetime(c.filed_at, Zone::for_region(&c.village_code), req.lang),
        election,
        clock,
        late,
        answered,
        form,
        error,
        c,
    })
}

impl CasePage {
    fn tps_number(&self) -> String {
        format!("{:03}", self.c.tps_number)
    }
}

/// `GET /pemilih/petugas/tanggapan/{code}`.
pub async fn case(
    req: Req,
    Path(code): Path<String>,
    Query(q): Query<CaseQuery>,
) -> AppResult<Response> {
    let answered = q.dijawab.is_some();
    case_page(&req, &code, answered, AnswerForm::default(), String::new()).await
}

/// `POST /pemilih/petugas/tanggapan/{code}`: the public answer; 303 back to the case.
pub async fn answer(
    req: Req,
    meta: ReqMeta,
    Path(code): Path<String>,
    CsrfForm(f): CsrfForm<AnswerForm>,
) -> AppResult<Response> {
    case_for(&req.ctx, &req.actor, &code).await?;
    match report::answer(&req.ctx, &meta, &req.actor, &code, &f.status, &f.answer).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/pemilih/petugas/tanggapan/{}?dijawab=1",
            code.trim()
        ))
        .into_response()),
        Err(e) => {
            let status = status_of(&e);
            let error = message(e, req.lang)?;
            let res = case_page(&req, &code, false, f, error).await?;
            Ok((status, res).into_response())
        }
    }
}
