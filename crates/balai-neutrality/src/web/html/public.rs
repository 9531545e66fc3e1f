//! The public pages: the feature's home (choose a region) and a region's register with the
//! elections' windows on a timeline, the counts per month, the appointments and their flags,
//! and the CSV. No NIP anywhere: the queries behind them never read it.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use balai_core::i18n::Lang;
use balai_core::schedule::StageKind;
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::AppResult;
use serde::Deserialize;

use super::timeline::{self, AMBER, GREY, RED};
use super::{day, flag_text};
use crate::domain::appointment::SignedBy;
use crate::domain::window::Rule;
use crate::errors::NeutralityError;
use crate::queries::register::{self, Register};

#[derive(Template)]
#[template(path = "netralitas_home.html")]
struct HomePage {
    page: Page,
    regions: Vec<(String, String, i64)>,
}

#[derive(Deserialize)]
pub struct RegionForm {
    #[serde(default)]
    region: String,
}

/// The home page; `?region=CODE` goes to that region's page.
pub async fn home(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Query(q): Query<RegionForm>,
) -> AppResult<Response> {
    if !q.region.trim().is_empty() {
        let (code, _) = register::region(&ctx.db, &q.region).await?;
        return Ok(Redirect::to(&format!("/netralitas/wilayah/{code}")).into_response());
    }
    let page = Page::new(
        lang,
        lang.tr("Netralitas ASN", "Civil-service neutrality"),
        actor.as_ref(),
        &csrf.0,
        uri.path(),
    );
    let regions = crate::store::appointments::regions_with_counts(&ctx.db).await?;
    render(&HomePage { page, regions })
}

/// One election over the region, as the page shows it.
pub struct ElectionView {
    pub number: usize,
    pub name: String,
    pub windows: Vec<String>,
    pub stages: Vec<String>,
}

/// One appointment, as the page shows it.
pub struct EntryView {
    pub official_name: String,
    pub kind: String,
    pub from_position: String,
    pub to_position: String,
    pub decree: String,
    pub effective: String,
    pub signed_by: String,
    pub approval: String,
    pub flags: Vec<String>,
    /// `flag-red`, `flag-amber` or `` (outside every window).
    pub class: &'static str,
}

#[derive(Template)]
#[template(path = "netralitas_region.html")]
struct RegionPage {
    page: Page,
    code: String,
    name: String,
    elections: Vec<ElectionView>,
    entries: Vec<EntryView>,
    months: Vec<(String, u32, u32, u32)>,
    total: usize,
    flagged: usize,
    approved: usize,
    chart: String,
    legend: Vec<(String, &'static str)>,
}

fn kind_label(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "promosi" => lang.tr("Promosi", "Promotion"),
        "rotasi" => lang.tr("Rotasi", "Rotation"),
        _ => lang.tr("Mutasi", "Transfer"),
    }
}

fn month_label(year: i32, month: u8, lang: Lang) -> String {
    time::Month::try_from(month).map_or_else(
        |_| format!("{year}-{month:02}"),
        // `Agu 2024` / `Aug 2024`: the table stays narrow enough for a 360-px phone.
        |m| {
            let name: String = balai_core::format::month_name(m, lang)
                .chars()
                .take(3)
                .collect();
            format!("{name} {year}")
        },
    )
}

fn election_views(reg: &Register, lang: Lang) -> Vec<ElectionView> {
    reg.elections
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let windows = e
                .windows
                .iter()
                .map(|w| {
                    let to = w.to.map_or_else(
                        || {
                            lang.tr(
                                "pelantikan (belum dijadwalkan)",
                                "the inauguration (not scheduled yet)",
                            )
                            .to_string()
                        },
                        |d| day(d, lang),
                    );
                    format!("{}: {} – {to}", w.rule.citation(), day(w.from, lang))
                })
                .collect();
            let stage_name = |k: StageKind| match k {
                StageKind::PenetapanPaslon => {
                    lang.tr("Penetapan pasangan calon", "Designation of candidate pairs")
                }
                StageKind::PemungutanSuara => lang.tr("Pemungutan suara", "Voting day"),
                _ => lang.tr("Pelantikan", "Inauguration"),
            };
            let stages = [
                StageKind::PenetapanPaslon,
                StageKind::PemungutanSuara,
                StageKind::Pelantikan,
            ]
            .into_iter()
            .filter_map(|k| {
                e.stage_start(k)
                    .map(|d| format!("{}: {}", stage_name(k), day(d, lang)))
            })
            .collect();
            ElectionView {
                number: i + 1,
                name: e.name.clone(),
                windows,
                stages,
            }
        })
        .collect()
}

fn entry_views(reg: &Register, lang: Lang) -> Vec<EntryView> {
    reg.entries
        .iter()
        .rev()
        .map(|e| {
            let r = &e.row;
            EntryView {
                official_name: r.official_name.clone(),
                kind: kind_label(&r.kind, lang).to_string(),
                from_position: r.from_position.clone(),
                to_position: r.to_position.clone(),
                decree: format!("{} · {}", r.decree_number, day(r.decree_date, lang)),
                effective: r.effective_date.map(|d| day(d, lang)).unwrap_or_default(),
                signed_by: r
                    .signed_by
                    .as_deref()
                    .and_then(SignedBy::parse)
                    .map(|s| lang.tr(s.label().0, s.label().1).to_string())
                    .unwrap_or_default(),
                approval: r.minister_approval_ref.clone().unwrap_or_default(),
                flags: e.flags.iter().map(|f| flag_text(f, reg, lang)).collect(),
                class: if e.flags.is_empty() {
                    ""
                } else if e.unapproved() {
                    "flag-red"
                } else {
                    "flag-amber"
                },
            }
        })
        .collect()
}

/// A region's register.
pub async fn region(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let reg = register::load(&ctx.db, &code).await?;
    let title = format!(
        "{} · {}",
        lang.tr("Pengangkatan pejabat", "Official appointments"),
        reg.region_name
    );
    let page = Page::new(lang, title, actor.as_ref(), &csrf.0, uri.path());
    let flagged = reg.entries.iter().filter(|e| e.unapproved()).count();
    let approved = reg
        .entries
        .iter()
        .filter(|e| !e.flags.is_empty() && !e.unapproved())
        .count();
    let legend = vec![
        (
            timeline::band(Rule::Pasal71Ayat2),
            lang.tr(
                "Masa larangan Pasal 71 ayat (2)",
                "Restricted period, art. 71(2)",
            ),
        ),
        (
            timeline::band(Rule::Pasal162Ayat3),
            lang.tr(
                "Masa larangan Pasal 162 ayat (3)",
                "Restricted period, art. 162(3)",
            ),
        ),
        (
            timeline::vote_mark(),
            lang.tr("Pemungutan suara", "Voting day"),
        ),
        (
            timeline::swatch(RED),
            lang.tr(
                "Pengangkatan dalam masa larangan tanpa persetujuan",
                "Appointment in a restricted period, not approved",
            ),
        ),
        (
            timeline::swatch(AMBER),
            lang.tr(
                "Dalam masa larangan, disetujui Mendagri",
                "In a restricted period, approved by the Minister",
            ),
        ),
        (
            timeline::swatch(GREY),
            lang.tr("Di luar masa larangan", "Outside the restricted periods"),
        ),
    ];
    render(&RegionPage {
        chart: timeline::svg(&reg, lang),
        elections: election_views(&reg, lang),
        entries: entry_views(&reg, lang),
        months: reg
            .months
            .iter()
            .rev()
            .map(|m| {
                (
                    month_label(m.year, m.month_number, lang),
                    m.appointments,
                    m.flagged,
                    m.approved,
                )
            })
            .collect(),
        total: reg.entries.len(),
        flagged,
        approved,
        code: reg.region_code.clone(),
        name: reg.region_name.clone(),
        legend,
        page,
    })
}

/// The register of a region as CSV (no NIP).
pub async fn csv(State(ctx): State<AppCtx>, Path(code): Path<String>) -> AppResult<Response> {
    let code = code.trim_end_matches(".csv");
    let reg = register::load(&ctx.db, code).await?;
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let header = [
        "id",
        "region_code",
        "kind",
        "official_name",
        "from_position",
        "to_position",
        "decree_number",
        "decree_date",
        "effective_date",
        "signed_by",
        "minister_approval_ref",
        "flags",
    ];
    let fail = |e: ::csv::Error| NeutralityError::Core(balai_core::AppError::internal(e));
    w.write_record(header).map_err(fail)?;
    for e in &reg.entries {
        let r = &e.row;
        let flags = e
            .flags
            .iter()
            .map(|f| {
                format!(
                    "{}@{}:{}..{}{}",
                    f.rule,
                    f.election_id,
                    f.window_from,
                    f.window_to.map(|d| d.to_string()).unwrap_or_default(),
                    if f.approved { ":approved" } else { "" }
                )
            })
            .collect::<Vec<_>>()
            .join(";");
        w.write_record([
            r.id.to_string(),
            r.region_code.clone(),
            r.kind.clone(),
            r.official_name.clone(),
            r.from_position.clone(),
            r.to_position.clone(),
            r.decree_number.clone(),
            r.decree_date.to_string(),
            r.effective_date.map(|d| d.to_string()).unwrap_or_default(),
            r.signed_by.clone().unwrap_or_default(),
            r.minister_approval_ref.clone().unwrap_or_default(),
            flags,
        ])
        .map_err(fail)?;
    }
    let body = w.into_inner().map_err(|e| {
        NeutralityError::Core(balai_core::AppError::internal(anyhow::anyhow!("{e}")))
    })?;
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"pengangkatan-{}.csv\"",
        reg.region_code
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
