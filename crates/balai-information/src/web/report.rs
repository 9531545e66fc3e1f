//! The laporan layanan informasi of a PPID: a page (with the Monev evidence table), a printable
//! page (the site's print CSS hides the navigation) and CSV. Public, like the report itself.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::response::Response;
use balai_core::i18n::Lang;
use balai_core::web::actor::MaybeActor;
use balai_core::web::csrf::CsrfToken;
use balai_core::web::page::{render, Page};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde::Deserialize;

use super::html::page;
use super::lists_api::ppid;
use crate::commands::today_at;
use crate::domain::report::Period;
use crate::queries::report::{self, Report};

#[derive(Deserialize)]
pub struct PeriodQuery {
    tahun: Option<i32>,
    semester: Option<u8>,
}

impl PeriodQuery {
    /// The asked period; by default the year before today's.
    fn period(&self, today: time::Date) -> AppResult<Period> {
        let year = self.tahun.unwrap_or(today.year() - 1);
        Period::new(year, self.semester).ok_or_else(|| {
            AppError::unprocessable(
                "bad_period",
                "Periode harus tahun 2000–2100 dan semester 1 atau 2.",
                "The period must be a year 2000–2100 and half 1 or 2.",
            )
        })
    }
}

#[derive(Template)]
#[template(path = "kip_report.html")]
struct ReportPage {
    page: Page,
    r: Report,
    print: bool,
    query: String,
    years: Vec<i32>,
}

impl ReportPage {
    /// The half-year shown (0: the whole year), to keep the form's choice.
    fn half(&self) -> u8 {
        match self.r.period {
            Period::Half(_, h) => h,
            Period::Year(_) => 0,
        }
    }
    fn period_label(&self) -> String {
        self.page
            .tr(&self.r.period.label_id(), &self.r.period.label_en())
            .to_string()
    }
    fn days(&self, v: &Option<f64>) -> String {
        v.map_or_else(
            || "—".to_string(),
            |d| {
                let s = format!("{d:.1}");
                if self.page.lang == Lang::Id {
                    s.replace('.', ",")
                } else {
                    s
                }
            },
        )
    }
}

async fn load(ctx: &AppCtx, id: i64, q: &PeriodQuery) -> AppResult<Report> {
    let agency = ppid(ctx, id).await?;
    let today = today_at(&agency.region_code);
    let period = q.period(today)?;
    Ok(report::report(
        &crate::domain::settings::clocks(ctx),
        &ctx.db,
        agency,
        period,
        today,
    )
    .await?)
}

async fn show(
    ctx: &AppCtx,
    lang: Lang,
    p: (
        Option<balai_core::web::actor::Actor>,
        CsrfToken,
        OriginalUri,
    ),
    id: i64,
    q: &PeriodQuery,
    print: bool,
) -> AppResult<Response> {
    let r = load(ctx, id, q).await?;
    let title = format!(
        "{} · {}",
        lang.tr(
            "Laporan layanan informasi publik",
            "Public information service report"
        ),
        r.agency.name
    );
    let this_year = today_at(&r.agency.region_code).year();
    render(&ReportPage {
        page: page(lang, &title, p.0.as_ref(), &p.1, &p.2),
        query: report::query(r.period),
        years: (this_year - 4..=this_year).rev().collect(),
        r,
        print,
    })
}

/// The report page: `?tahun=2026` (a year) or `?tahun=2026&semester=1` (a half-year).
pub async fn report_page(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    show(&ctx, lang, (actor, csrf, uri), id, &q, false).await
}

/// The same report laid out for paper, with the signature block.
pub async fn report_print(
    State(ctx): State<AppCtx>,
    lang: Lang,
    MaybeActor(actor): MaybeActor,
    csrf: CsrfToken,
    uri: OriginalUri,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    show(&ctx, lang, (actor, csrf, uri), id, &q, true).await
}

fn n(v: usize) -> String {
    v.to_string()
}

fn d(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_default()
}

/// The report as CSV: one `indikator,nilai` line per figure, then the refusals by ground.
pub async fn report_csv(
    State(ctx): State<AppCtx>,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let r = load(&ctx, id, &q).await?;
    let f = &r.f;
    let mut rows: Vec<Vec<String>> = [
        ("permohonan", n(f.requests)),
        ("dikabulkan_seluruhnya", n(f.granted)),
        ("dikabulkan_sebagian", n(f.granted_partly)),
        ("ditolak", n(f.refused)),
        ("belum_diputus", n(f.undecided)),
        ("diperpanjang", n(f.extended)),
        ("tepat_waktu", n(f.on_time)),
        ("terlambat", n(f.late)),
        ("rata_rata_hari_kerja", d(f.mean_days)),
        ("median_hari_kerja", d(f.median_days)),
        ("keberatan", n(f.objections)),
        ("keberatan_ditanggapi", n(f.objections_answered)),
        (
            "keberatan_ditanggapi_tepat_waktu",
            n(f.objections_answered_on_time),
        ),
        ("sengketa", n(f.disputes)),
        ("sengketa_diputus", n(f.disputes_decided)),
    ]
    .into_iter()
    .map(|(k, v)| vec![k.to_string(), v])
    .collect();
    for (e, count) in &f.refused_by_ground {
        rows.push(vec![format!("ditolak_pasal_17_{}", e.code()), n(*count)]);
    }
    let name = format!("laporan-informasi-{}-{}.csv", r.agency.id, r.period.slug());
    super::csv::attachment(&name, &["indikator", "nilai"], &rows)
}
