//! Open-data export of a level: the region's totals and one row per child region (or per TPS
//! at a village), as CSV. Public, cacheable like the JSON results.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use balai_core::regions::RegionCode;
use balai_core::text::spreadsheet_safe;
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};

use crate::domain::tally::Agg;
use crate::domain::turnout::Turnout;
use crate::queries::{self, load_election};
use crate::store;
use crate::web::shared::{cacheable, RegionQuery};
use serde::Deserialize;
use utoipa::IntoParams;

fn line(
    w: &mut csv::Writer<Vec<u8>>,
    code: &str,
    name: &str,
    a: &Agg,
    ballots: &[i64],
) -> AppResult<()> {
    let t = Turnout::new(a.pengguna.max(0) as u64, a.dpt.max(0) as u64);
    // The name of a TPS row is its address, typed by an official: never a formula.
    let mut rec = vec![
        spreadsheet_safe(code).into_owned(),
        spreadsheet_safe(name).into_owned(),
        a.tps_total.to_string(),
        a.tps_entered.to_string(),
        a.tps_verified.to_string(),
        a.tps_flagged.to_string(),
        a.dpt.to_string(),
        a.pengguna.to_string(),
        t.percent_string().unwrap_or_default(),
        a.suara_sah.to_string(),
        a.suara_tidak_sah.to_string(),
    ];
    rec.extend(
        ballots
            .iter()
            .map(|b| a.votes.get(b).copied().unwrap_or(0).to_string()),
    );
    w.write_record(&rec).map_err(AppError::internal)
}

/// How the vote columns are headed.
#[derive(Deserialize, IntoParams)]
pub struct HeaderQuery {
    /// `codes` (the default, as always: `votes_1`, `votes_2`, …) or `names`: the same columns
    /// headed `votes_1 Head Name – Deputy Name` (the ballot number first, so a reader that
    /// matches the `votes_N` prefix still finds them). Every other column is the same.
    #[param(pattern = "^(codes|names)$")]
    pub header: Option<String>,
}

/// CSV of a level: first the region itself, then each child region or TPS.
#[utoipa::path(get, path = "/api/v1/elections/{id}/results.csv", tag = "elections", params(RegionQuery, HeaderQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 404), (status = 422)))]
pub async fn results_csv(
    State(ctx): State<AppCtx>,
    Path(id): Path<i64>,
    Query(q): Query<RegionQuery>,
    Query(h): Query<HeaderQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let names = match h.header.as_deref() {
        None | Some("codes") => false,
        Some("names") => true,
        Some(_) => {
            return Err(AppError::unprocessable(
                "bad_header",
                "Parameter header harus codes atau names.",
                "The header parameter must be codes or names.",
            ))
        }
    };
    let e = load_election(&ctx, id).await?;
    let code: RegionCode = queries::region_in(&ctx, &e, q.region.as_deref()).await?;
    let pairs = store::candidates(&ctx.db, id).await?;
    let ballots: Vec<i64> = pairs.iter().map(|c| c.ballot_number).collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head: Vec<String> = [
        "code",
        "name",
        "tps_total",
        "tps_entered",
        "tps_verified",
        "tps_flagged",
        "dpt",
        "pengguna",
        "turnout_percent",
        "suara_sah",
        "suara_tidak_sah",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    head.extend(pairs.iter().map(|c| {
        let b = c.ballot_number;
        if names {
            // Names are typed by officials: never a formula.
            spreadsheet_safe(&format!("votes_{b} {} – {}", c.head_name, c.deputy_name)).into_owned()
        } else {
            format!("votes_{b}")
        }
    }));
    w.write_record(&head).map_err(AppError::internal)?;
    let total = crate::store::totals::get(&ctx.db, id, code.as_str()).await?;
    let name = balai_core::regions::get(&ctx.db, &code)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    line(&mut w, code.as_str(), &name, &total, &ballots)?;
    for c in queries::children(&ctx, &e, &code).await? {
        line(&mut w, &c.code, &c.name, &c.agg, &ballots)?;
    }
    let body = w.into_inner().map_err(AppError::internal)?;
    let mut res = cacheable(&headers, body);
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    Ok(res)
}
