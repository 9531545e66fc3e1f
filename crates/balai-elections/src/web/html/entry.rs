//! The HTML entry form for a TPS result (C.Hasil-KWK), for PPS/PPK operators. It posts to the
//! same operation as the API; on a problem the form comes back with every finding listed and
//! the numbers kept. Photos of the paper form are uploaded from the TPS page.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{FromRequest, Multipart, OriginalUri, Path, Request, State};
use axum::http::{header, StatusCode};
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
use crate::errors::SubmitError;
use crate::queries::load_election;
use crate::store::{self, ElectionRow, Tps};

pub struct Input {
    pub name: String,
    pub value: String,
}

pub struct Line {
    pub label: String,
    pub inputs: Vec<Input>,
}

pub struct Section {
    pub title: &'static str,
    pub split: bool,
    pub lines: Vec<Line>,
}

fn sections(ballots: &[(i64, String)], values: &BTreeMap<String, String>) -> Vec<Section> {
    let v = |k: &str| values.get(k).cloned().unwrap_or_default();
    let row = |name: &str| Line {
        label: name.to_string(),
        inputs: Col::ALL
            .iter()
            .map(|c| {
                let n = format!("{name}.{}", c.key());
                Input {
                    value: v(&n),
                    name: n,
                }
            })
            .collect(),
    };
    let scalar = |name: &str, label: String| Line {
        label,
        inputs: vec![Input {
            name: name.to_string(),
            value: v(name),
        }],
    };
    vec![
        Section {
            title: "I.A Pemilih",
            split: true,
            lines: ROWS[0..4].iter().map(|r| row(r)).collect(),
        },
        Section {
            title: "I.B Pengguna hak pilih",
            split: true,
            lines: ROWS[4..8].iter().map(|r| row(r)).collect(),
        },
        Section {
            title: "II Surat suara",
            split: false,
            lines: SCALARS[0..4]
                .iter()
                .map(|s| scalar(s, s.to_string()))
                .collect(),
        },
        Section {
            title: "III Pemilih disabilitas",
            split: true,
            lines: ROWS[8..10].iter().map(|r| row(r)).collect(),
        },
        Section {
            title: "IV Perolehan suara paslon",
            split: false,
            lines: ballots
                .iter()
                .map(|(b, n)| scalar(&format!("votes.{b}"), format!("{b}. {n}")))
                .collect(),
        },
        Section {
            title: "V Suara sah dan tidak sah",
            split: false,
            lines: SCALARS[4..7]
                .iter()
                .map(|s| scalar(s, s.to_string()))
                .collect(),
        },
    ]
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
        .map(|c| (c.ballot_number, c.head_name))
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
        sections: sections(&ballots, &BTreeMap::new()),
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
    let (problems, status) = match submit(&ctx, &actor, &meta, id.get(), input).await {
        Ok(_) => return Ok(Redirect::to(&format!("/elections/{id}/tps/{}", t.id)).into_response()),
        Err(SubmitError::Refused(r)) => (r.lines(lang), r.status()),
        Err(SubmitError::Other(err))
            if err.status().is_client_error() && err.status() != StatusCode::FORBIDDEN =>
        {
            (vec![err.info.message(lang).to_string()], err.status())
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
        sections: sections(&ballots, &values),
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
    let (parts, body) = req.into_parts();
    let unreadable = |_| {
        balai_core::AppError::bad_request(
            "bad_form",
            "Formulir tidak terbaca. Silakan kirim ulang.",
            "The form could not be read. Please send it again.",
        )
    };
    let mut multipart_req = Request::new(body);
    if let Some(ct) = parts.headers.get(header::CONTENT_TYPE) {
        multipart_req
            .headers_mut()
            .insert(header::CONTENT_TYPE, ct.clone());
    }
    let mut mp = Multipart::from_request(multipart_req, &ctx)
        .await
        .map_err(|e| unreadable(e.to_string()))?;
    let (mut token, mut photo) = (String::new(), None);
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| unreadable(e.to_string()))?
    {
        let name = field.name().map(str::to_string);
        match name.as_deref() {
            Some("csrf") => token = field.text().await.map_err(|e| unreadable(e.to_string()))?,
            Some("photo") => {
                let ct = field.content_type().map(str::to_string);
                let data = field.bytes().await.map_err(|e| unreadable(e.to_string()))?;
                photo = Some((ct, data));
            }
            _ => {}
        }
    }
    balai_core::web::csrf::check(&ctx, &parts, &token)?;
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
