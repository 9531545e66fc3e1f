//! The survey for citizens: enter a code (or follow its QR code), answer nine questions with
//! radio buttons and, if they like, tell a little about themselves; no JavaScript, a few KB.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::web::actor::{MaybeActor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde::Deserialize;

use super::{day, with_status};
use crate::commands::answer::{self, AnswerInput};
use crate::domain::codes::SurveyCode;
use crate::domain::elements::ELEMENTS;
use crate::domain::extra::answer_words as extra_words;
use crate::domain::respondent;
use crate::errors::PerformanceError;
use crate::store::{codes, extra};

#[derive(Template)]
#[template(path = "perf_enter.html")]
struct EnterPage {
    page: Page,
    code: String,
    message: Option<String>,
}

/// A message page: a refused code, or thanks.
#[derive(Template)]
#[template(path = "perf_message.html")]
struct MessagePage {
    page: Page,
    heading: String,
    message: String,
    ok: bool,
    unit_link: Option<i64>,
}

pub struct Question {
    pub number: usize,
    pub name: &'static str,
    pub question: &'static str,
    /// (score, words, chosen)
    pub answers: Vec<(u8, &'static str, bool)>,
}

pub struct FactField {
    pub field: &'static str,
    pub name: &'static str,
    /// (code, words, chosen)
    pub options: Vec<(&'static str, String, bool)>,
}

/// One of the unit's extra questions (outside the index), answered optionally.
pub struct ExtraQuestion {
    pub id: i64,
    pub text: String,
    /// (score, words, chosen)
    pub answers: Vec<(u8, &'static str, bool)>,
}

#[derive(Template)]
#[template(path = "perf_survey.html")]
struct SurveyPage {
    page: Page,
    code: String,
    code_display: String,
    unit: String,
    service: String,
    day: String,
    questions: Vec<Question>,
    extra: Vec<ExtraQuestion>,
    facts: Vec<FactField>,
    comment: String,
    message: Option<String>,
}

fn page(
    lang: Lang,
    title: &str,
    actor: Option<&balai_core::web::actor::Actor>,
    csrf: &CsrfToken,
    uri: &OriginalUri,
) -> Page {
    Page::new(lang, title, actor, &csrf.0, uri.path())
}

fn message(e: &PerformanceError, lang: Lang) -> String {
    if lang == Lang::En {
        e.message_en()
    } else {
        e.to_string()
    }
}

pub async fn enter(
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
) -> AppResult<Response> {
    let page = page(
        lang,
        lang.tr("Survei kepuasan", "Satisfaction survey"),
        actor.as_ref(),
        &csrf,
        &uri,
    );
    render(&EnterPage {
        page,
        code: String::new(),
        message: None,
    })
}

#[derive(Deserialize)]
pub struct CodeQuery {
    #[serde(default)]
    code: String,
}

/// The code typed on the entry page: to its survey, or back with why not.
pub async fn open(
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<CodeQuery>,
) -> AppResult<Response> {
    match SurveyCode::parse(&q.code) {
        Some(c) => Ok(Redirect::to(&format!("/survei/{}", c.as_str())).into_response()),
        None => {
            let page = page(
                lang,
                lang.tr("Survei kepuasan", "Satisfaction survey"),
                actor.as_ref(),
                &csrf,
                &uri,
            );
            with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&EnterPage {
                    page,
                    code: q.code.chars().take(20).collect(),
                    message: Some(message(&PerformanceError::CodeUnknown, lang)),
                }),
            )
        }
    }
}

fn questions(lang: Lang, chosen: &HashMap<String, String>) -> Vec<Question> {
    let en = lang == Lang::En;
    ELEMENTS
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let field = format!("u{}", i + 1);
            let picked = chosen.get(&field).and_then(|v| v.parse::<u8>().ok());
            Question {
                number: i + 1,
                name: e.name(en),
                question: e.question(en),
                answers: (1..=4u8)
                    .map(|s| (s, e.answer(s, en), picked == Some(s)))
                    .collect(),
            }
        })
        .collect()
}

fn extra_questions(
    lang: Lang,
    asked: Vec<crate::store::extra::QuestionRow>,
    chosen: &HashMap<String, String>,
) -> Vec<ExtraQuestion> {
    let en = lang == Lang::En;
    asked
        .into_iter()
        .map(|q| {
            let picked = chosen
                .get(&format!("x{}", q.id))
                .and_then(|v| v.parse::<u8>().ok());
            ExtraQuestion {
                id: q.id,
                text: if en && !q.text_en.is_empty() {
                    q.text_en
                } else {
                    q.text_id
                },
                answers: (1..=4u8)
                    .map(|s| (s, extra_words(s, en), picked == Some(s)))
                    .collect(),
            }
        })
        .collect()
}

/// The answers to extra questions in the form: fields `x{question id}`, empty ones skipped
/// (a value that is not a number is kept as 0, which is refused).
fn extra_of(form: &HashMap<String, String>) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = form
        .iter()
        .filter_map(|(k, v)| {
            let id = k.strip_prefix('x')?.parse::<i64>().ok()?;
            let v = v.trim();
            (!v.is_empty()).then(|| (id, v.parse().unwrap_or(0)))
        })
        .collect();
    out.sort_unstable();
    out
}

fn facts(lang: Lang, chosen: &HashMap<String, String>) -> Vec<FactField> {
    let en = lang == Lang::En;
    respondent::ALL
        .iter()
        .map(|f| {
            let picked = chosen.get(f.field).map(String::as_str).unwrap_or("");
            FactField {
                field: f.field,
                name: f.name(en),
                options: f
                    .options
                    .iter()
                    .map(|o| (o.0, f.label(o.0, en), o.0 == picked))
                    .collect(),
            }
        })
        .collect()
}

/// The refusal page of a code that cannot be answered (with the refusal's status).
fn refused(lang: Lang, page: Page, e: &PerformanceError) -> AppResult<Response> {
    let status = AppError::from(match e {
        PerformanceError::CodeUsed => PerformanceError::CodeUsed,
        PerformanceError::CodeExpired => PerformanceError::CodeExpired,
        _ => PerformanceError::CodeUnknown,
    })
    .status();
    with_status(
        status,
        render(&MessagePage {
            page,
            heading: lang
                .tr("Kode tidak dapat dipakai", "This code cannot be used")
                .into(),
            message: message(e, lang),
            ok: false,
            unit_link: None,
        }),
    )
}

#[allow(clippy::too_many_arguments)]
async fn show(
    ctx: &AppCtx,
    lang: Lang,
    page: Page,
    code: &str,
    chosen: &HashMap<String, String>,
    error: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let now = balai_core::db::now();
    let row = match SurveyCode::parse(code) {
        Some(c) => codes::get(&ctx.db, c.as_str()).await?,
        None => None,
    };
    let row = match row {
        Some(r) if !r.used && r.expires_at > now => r,
        other => return refused(lang, page, &answer::refusal(other.as_ref(), now)),
    };
    let unit = balai_core::accounts::get_agency(&ctx.db, row.agency_id.get())
        .await?
        .map(|a| a.name)
        .unwrap_or_default();
    let parsed = SurveyCode::parse(&row.code);
    with_status(
        status,
        render(&SurveyPage {
            page,
            code_display: parsed.as_ref().map(SurveyCode::display).unwrap_or_default(),
            code: row.code.clone(),
            unit,
            service: row.service.clone(),
            day: day(row.service_day, lang),
            questions: questions(lang, chosen),
            extra: extra_questions(lang, extra::active(&ctx.db, row.agency_id).await?, chosen),
            facts: facts(lang, chosen),
            comment: chosen.get("comment").cloned().unwrap_or_default(),
            message: error,
        }),
    )
}

pub async fn form(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    meta: ReqMeta,
    Path(code): Path<String>,
) -> AppResult<Response> {
    answer::check_budget(&ctx, &meta)?;
    let page = page(
        lang,
        lang.tr("Survei kepuasan", "Satisfaction survey"),
        actor.as_ref(),
        &csrf,
        &uri,
    );
    let shown = show(
        &ctx,
        lang,
        page,
        &code,
        &HashMap::new(),
        None,
        StatusCode::OK,
    )
    .await?;
    if shown.status() != StatusCode::OK {
        answer::count_refusal(&ctx, &meta);
    }
    Ok(shown)
}

/// The answers of the form: `u1`…`u9` (a missing one is 0, which is refused).
fn answers_of(form: &HashMap<String, String>) -> Vec<i64> {
    (1..=ELEMENTS.len())
        .map(|i| {
            form.get(&format!("u{i}"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0)
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
pub async fn submit(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    meta: ReqMeta,
    Path(code): Path<String>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> AppResult<Response> {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let input = AnswerInput {
        code: code.clone(),
        answers: answers_of(&form),
        age_band: get("age_band"),
        sex: get("sex"),
        education: get("education"),
        occupation: get("occupation"),
        comment: get("comment"),
        extra: extra_of(&form),
    };
    let page = page(
        lang,
        lang.tr("Survei kepuasan", "Satisfaction survey"),
        actor.as_ref(),
        &csrf,
        &uri,
    );
    match answer::answer(&ctx, &meta, &input).await {
        Ok(done) => Ok(
            Redirect::to(&format!("/survei/terima-kasih?unit={}", done.agency_id)).into_response(),
        ),
        Err(
            e @ (PerformanceError::CodeUnknown
            | PerformanceError::CodeUsed
            | PerformanceError::CodeExpired),
        ) => refused(lang, page, &e),
        Err(
            e @ (PerformanceError::BadAnswers
            | PerformanceError::BadFact { .. }
            | PerformanceError::BadExtraAnswer
            | PerformanceError::CommentTooLong),
        ) => {
            let text = match e {
                PerformanceError::BadAnswers => lang
                    .tr(
                        "Jawab kesembilan pertanyaan, masing-masing dengan satu pilihan.",
                        "Answer all nine questions, each with one choice.",
                    )
                    .to_string(),
                other => message(&other, lang),
            };
            show(
                &ctx,
                lang,
                page,
                &code,
                &form,
                Some(text),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct ThanksQuery {
    #[serde(default)]
    unit: Option<i64>,
}

pub async fn thanks(
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<ThanksQuery>,
) -> AppResult<Response> {
    let page = page(
        lang,
        lang.tr("Terima kasih", "Thank you"),
        actor.as_ref(),
        &csrf,
        &uri,
    );
    render(&MessagePage {
        page,
        heading: lang.tr("Terima kasih", "Thank you").into(),
        message: lang
            .tr(
                "Jawaban Anda sudah tersimpan. Jawaban tidak terhubung dengan nama atau nomor Anda; hasilnya diumumkan sebagai indeks kepuasan unit layanan.",
                "Your answers are saved. They are not linked to your name or number; the results are published as the service unit's satisfaction index.",
            )
            .into(),
        ok: true,
        unit_link: q.unit,
    })
}
