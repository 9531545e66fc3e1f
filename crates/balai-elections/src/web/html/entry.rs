//! The HTML entry form for a TPS result (C.Hasil-KWK), for PPS/PPK operators. It posts to the
//! same operation as the API; on a problem the form comes back with every finding listed and
//! the numbers kept. Photos of the paper form are uploaded from the TPS page.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{OriginalUri, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::ids::{ElectionId, TpsId};
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::csrf::{CsrfForm, CsrfToken};
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;

use crate::commands::photos;
use crate::commands::require;
use crate::commands::submit_result::{submit, SubmitInput};
use crate::domain::form::{Col, ROWS, SCALARS};
use crate::domain::permissions::Action;
use crate::errors::{SubmitError, SubmitRefusal};
use crate::queries::load_election;
use crate::store::{self, ElectionRow, Tps};
use crate::web::labels::{field_label, humanize, row_label};

pub struct Input {
    pub name: String,
    pub value: String,
    /// The visible label of the box (`L`, `P`, `Jumlah`; empty for a single box).
    pub short: &'static str,
    /// What a screen reader announces: the row and the column in words.
    pub label: String,
    /// Why this field was refused, if it was.
    pub error: Option<String>,
}

impl Input {
    /// The id of the box, for its error message (`aria-describedby`).
    pub fn id(&self) -> String {
        format!("f-{}", self.name.replace('.', "-"))
    }
}

pub struct Line {
    pub label: String,
    pub inputs: Vec<Input>,
}

pub struct Section {
    pub title: &'static str,
    pub lines: Vec<Line>,
}

/// Each field's problems, in words, by field key.
pub type FieldProblems = BTreeMap<String, Vec<String>>;

fn sections(
    ballots: &[(i64, String)],
    values: &BTreeMap<String, String>,
    problems: &FieldProblems,
    lang: Lang,
) -> Vec<Section> {
    let v = |k: &str| values.get(k).cloned().unwrap_or_default();
    let err = |k: &str| problems.get(k).map(|m| m.join(" "));
    let row = |name: &str| Line {
        label: row_label(name, lang).to_string(),
        inputs: Col::ALL
            .iter()
            .map(|c| {
                let n = format!("{name}.{}", c.key());
                Input {
                    value: v(&n),
                    short: match c.key() {
                        "l" => lang.tr("L (laki-laki)", "M (men)"),
                        "p" => lang.tr("P (perempuan)", "W (women)"),
                        _ => lang.tr("Jumlah", "Total"),
                    },
                    label: field_label(&n, lang),
                    error: err(&n),
                    name: n,
                }
            })
            .collect(),
    };
    let scalar = |name: &str, label: String| Line {
        inputs: vec![Input {
            name: name.to_string(),
            value: v(name),
            short: "",
            label: label.clone(),
            error: err(name),
        }],
        label,
    };
    vec![
        Section {
            title: lang.tr("I.A Pemilih", "I.A Voters"),
            lines: ROWS[0..4].iter().map(|r| row(r)).collect(),
        },
        Section {
            title: lang.tr("I.B Pengguna hak pilih", "I.B Voters who voted"),
            lines: ROWS[4..8].iter().map(|r| row(r)).collect(),
        },
        Section {
            title: lang.tr("II Surat suara", "II Ballots"),
            lines: SCALARS[0..4]
                .iter()
                .map(|s| scalar(s, row_label(s, lang).to_string()))
                .collect(),
        },
        Section {
            title: lang.tr("III Pemilih disabilitas", "III Voters with disabilities"),
            lines: ROWS[8..10].iter().map(|r| row(r)).collect(),
        },
        Section {
            title: lang.tr("IV Perolehan suara paslon", "IV Votes per candidate pair"),
            lines: ballots
                .iter()
                .map(|(b, n)| scalar(&format!("votes.{b}"), format!("{b}. {n}")))
                .collect(),
        },
        Section {
            title: lang.tr("V Suara sah dan tidak sah", "V Valid and invalid votes"),
            lines: SCALARS[4..7]
                .iter()
                .map(|s| scalar(s, row_label(s, lang).to_string()))
                .collect(),
        },
    ]
}

/// What the form marks on its fields and lists above it: each unreadable field or broken
/// rule, in words.
fn field_problems(r: &SubmitRefusal, lang: Lang) -> (FieldProblems, Vec<String>) {
    let mut by_field = FieldProblems::new();
    let mut list = Vec::new();
    match r {
        SubmitRefusal::InvalidForm(fields) if !fields.is_empty() => {
            for f in fields {
                let what = match f.code {
                    "required" => lang.tr("wajib diisi", "is required"),
                    "negative" => lang.tr("tidak boleh negatif", "cannot be negative"),
                    "too_large" => lang.tr("terlalu besar", "is too large"),
                    "unknown_field" => {
                        lang.tr("bukan isian formulir", "is not a field of the form")
                    }
                    _ => lang.tr("harus berupa bilangan bulat", "must be a whole number"),
                };
                by_field
                    .entry(f.field.clone())
                    .or_default()
                    .push(what.to_string());
                list.push(format!("{}: {what}.", field_label(&f.field, lang)));
            }
        }
        SubmitRefusal::Inconsistent { errors, .. } if !errors.is_empty() => {
            for f in errors {
                let msg = humanize(lang.tr(&f.message_id, &f.message_en), lang);
                for k in &f.fields {
                    by_field.entry(k.clone()).or_default().push(msg.clone());
                }
                list.push(msg);
            }
        }
        other => {
            list = other
                .lines(lang)
                .iter()
                .map(|m| humanize(m, lang))
                .collect()
        }
    }
    (by_field, list)
}

#[derive(Template)]
#[template(path = "elections_entry.html")]
struct EntryPage {
    page: Page,
    e: ElectionRow,
    t: Tps,
    sections: Vec<Section>,
    problems: Vec<String>,
    reason: String,
    psu_ref: String,
}

async fn context(
    ctx: &AppCtx,
    actor: &Actor,
    id: ElectionId,
    tps_id: TpsId,
) -> AppResult<(ElectionRow, Tps, Vec<(i64, String)>)> {
    let e = load_election(ctx, id.get()).await?;
    let t = store::get_tps(&ctx.db, id, tps_id)
        .await?
        .ok_or_else(balai_core::AppError::not_found)?;
    require(actor, &t.village_code, Action::EnterResult)?;
    let ballots = store::candidates(&ctx.db, id.get())
        .await?
        .into_iter()
        .map(|c| {
            (
                c.ballot_number,
                format!("{} – {}", c.head_name, c.deputy_name),
            )
        })
        .collect();
    Ok((e, t, ballots))
}

pub async fn form(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path((id, tps_id)): Path<(ElectionId, TpsId)>,
) -> AppResult<Response> {
    let (e, t, ballots) = context(&ctx, &actor, id, tps_id).await?;
    let title = format!(
        "{} TPS {}",
        lang.tr("Entri hasil", "Enter result"),
        t.number
    );
    render(&EntryPage {
        page: Page::new(lang, title, Some(&actor), &csrf.0, uri.path()),
        sections: sections(&ballots, &BTreeMap::new(), &FieldProblems::new(), lang),
        e,
        t,
        problems: Vec::new(),
        reason: String::new(),
        psu_ref: String::new(),
    })
}

#[allow(clippy::too_many_arguments)]
pub async fn save(
    State(ctx): State<AppCtx>,
    lang: Lang,
    actor: Actor,
    meta: ReqMeta,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path((id, tps_id)): Path<(ElectionId, TpsId)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (e, t, ballots) = context(&ctx, &actor, id, tps_id).await?;
    let mut values = BTreeMap::new();
    let (mut reason, mut psu_ref, mut confirm) = (String::new(), String::new(), false);
    for (k, v) in pairs {
        match k.as_str() {
            "csrf" => {}
            "reason" => reason = v,
            "psu_ref" => psu_ref = v,
            "confirm_paper" => confirm = true,
            _ => {
                values.insert(k, v);
            }
        }
    }
    let input = SubmitInput {
        tps_id: Some(t.id),
        village_code: None,
        tps_number: None,
        form: values.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        confirm_paper: confirm,
        reason: Some(reason.clone()),
        psu_ref: Some(psu_ref.clone()),
    };
    let (by_field, problems, status) = match submit(&ctx, &actor, &meta, id.get(), input).await {
        Ok(_) => return Ok(Redirect::to(&format!("/elections/{id}/tps/{}", t.id)).into_response()),
        Err(SubmitError::Refused(r)) => {
            let (by_field, list) = field_problems(&r, lang);
            (by_field, list, r.status())
        }
        Err(SubmitError::Other(err))
            if err.status().is_client_error() && err.status() != StatusCode::FORBIDDEN =>
        {
            (
                FieldProblems::new(),
                vec![err.info.message(lang).to_string()],
                err.status(),
            )
        }
        Err(SubmitError::Other(err)) => return Err(err),
    };
    let title = format!(
        "{} TPS {}",
        lang.tr("Entri hasil", "Enter result"),
        t.number
    );
    let mut res = render(&EntryPage {
        page: Page::new(lang, title, Some(&actor), &csrf.0, uri.path()),
        sections: sections(&ballots, &values, &by_field, lang),
        e,
        t,
        problems,
        reason,
        psu_ref,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

/// The photo upload form of the TPS page (`multipart/form-data`: `csrf` and one `photo`
/// file). Stored exactly as through the API; back to the TPS page, where the photo shows.
pub async fn upload_photo(
    State(ctx): State<AppCtx>,
    actor: Actor,
    meta: ReqMeta,
    Path((id, tps_id)): Path<(ElectionId, TpsId)>,
    req: Request,
) -> AppResult<Response> {
    let photo = crate::web::shared::csrf_multipart(&ctx, req, "photo").await?;
    let (ct, data) = photo.filter(|(_, d)| !d.is_empty()).ok_or_else(|| {
        balai_core::AppError::unprocessable(
            "no_photo",
            "Pilih foto formulir yang akan diunggah.",
            "Choose a photo of the form to upload.",
        )
    })?;
    photos::upload(&ctx, &actor, &meta, id, tps_id, ct.as_deref(), &data).await?;
    Ok(Redirect::to(&format!("/elections/{id}/tps/{tps_id}")).into_response())
}
