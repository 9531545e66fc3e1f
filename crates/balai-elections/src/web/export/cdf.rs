//! Results of a level in the NIST SP 1500-100 (version 2) election results common data format,
//! JSON flavour: an `ElectionReport` with the region and its children (or TPS) as
//! `ReportingUnit`s, one `CandidateContest`, `VoteCounts` per pair and unit, and
//! `BallotCounts` (ballots cast = voters).

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use balai_core::regions::{self, Level, RegionCode};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde_json::{json, Value};

use crate::domain::tally::Agg;
use crate::queries::{self, load_election, ChildLine};
use crate::store::{self, recaps};
use crate::web::shared::{cacheable, RegionQuery};

fn text(s: &str) -> Value {
    json!({"@type": "InternationalizedText", "Text": [{"@type": "LanguageString", "Language": "id", "Content": s}]})
}

fn unit_type(code: &str, tps: bool) -> (&'static str, Option<&'static str>) {
    if tps {
        return ("polling-place", None);
    }
    match RegionCode::parse(code).map(|c| c.level()) {
        Ok(Level::Province) => ("state", None),
        Ok(Level::Regency) if code[3..].starts_with(['7', '8', '9']) => ("city", None),
        Ok(Level::Regency) => ("county", None),
        Ok(Level::District) => ("other", Some("kecamatan")),
        Ok(Level::Village) => ("village", None),
        Err(_) => ("other", Some("tps")),
    }
}

fn unit_id(code: &str) -> String {
    format!("ru-{}", code.replace(' ', "-"))
}

/// The reporting units: the region itself, then each child region or TPS.
fn gp_units(code: &RegionCode, name: &str, total: &Agg, kids: &[ChildLine]) -> Vec<Value> {
    let top = unit_id(code.as_str());
    let mut gp = vec![{
        let (t, other) = unit_type(code.as_str(), false);
        let mut u = json!({
            "@type": "ReportingUnit", "@id": top, "Name": text(name), "Type": t,
            "ComposingGpUnitIds": kids.iter().map(|k| unit_id(&k.code)).collect::<Vec<_>>(),
            "TotalSubUnits": total.tps_total, "SubUnitsReported": total.tps_entered,
            "ExternalIdentifier": [{"@type": "ExternalIdentifier", "Type": "other", "OtherType": "kode-wilayah-kemendagri", "Value": code.as_str()}],
        });
        if let Some(o) = other {
            u["OtherType"] = json!(o);
        }
        u
    }];
    for k in kids {
        let is_tps = k.href.contains("/tps/");
        let (t, other) = unit_type(&k.code, is_tps);
        let label = if is_tps {
            format!("{} {}", k.code, k.name)
        } else {
            k.name.clone()
        };
        let mut u = json!({
            "@type": "ReportingUnit", "@id": unit_id(&k.code), "Name": text(&label), "Type": t,
            "TotalSubUnits": k.agg.tps_total, "SubUnitsReported": k.agg.tps_entered,
        });
        if let Some(o) = other {
            u["OtherType"] = json!(o);
        }
        gp.push(u);
    }
    gp
}

/// The election results common data format (NIST SP 1500-100 v2, JSON) for one level.
#[utoipa::path(get, path = "/api/v1/elections/{id}/results.cdf.json", tag = "elections", params(RegionQuery),
    responses((status = 200, body = Object), (status = 404), (status = 422)))]
pub async fn results_cdf(
    State(ctx): State<AppCtx>,
    Path(id): Path<i64>,
    Query(q): Query<RegionQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let e = load_election(&ctx, id).await?;
    let code = queries::region_in(&ctx, &e, q.region.as_deref()).await?;
    let name = regions::get(&ctx.db, &code)
        .await?
        .map(|r| r.name)
        .unwrap_or_default();
    let total = store::totals::get(&ctx.db, id, code.as_str()).await?;
    let kids: Vec<ChildLine> = queries::children(&ctx, &e, &code).await?;
    let candidates = store::candidates(&ctx.db, id).await?;
    let recap = recaps::recap(&ctx.db, id, code.as_str()).await?;
    let status = if recap.is_some() {
        "certified"
    } else if total.tps_total > 0 && total.tps_entered == total.tps_total {
        "unofficial-complete"
    } else {
        "unofficial-partial"
    };
    let top = unit_id(code.as_str());
    let mut units: Vec<(String, &Agg)> = vec![(top.clone(), &total)];
    for k in &kids {
        units.push((unit_id(&k.code), &k.agg));
    }
    let gp = gp_units(&code, &name, &total, &kids);
    let selections: Vec<Value> = candidates
        .iter()
        .map(|c| {
            json!({
                "@type": "CandidateSelection", "@id": format!("sel-{}", c.ballot_number),
                "SequenceOrder": c.ballot_number, "CandidateIds": [format!("cand-{}", c.ballot_number)],
                "VoteCounts": units.iter().map(|(u, a)| json!({
                    "@type": "VoteCounts", "GpUnitId": u, "CountItemType": "total",
                    "Count": a.votes.get(&c.ballot_number).copied().unwrap_or(0),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = json!({
        "@type": "ElectionReport",
        "Format": "summary-contest",
        "GeneratedDate": crate::rfc3339(balai_core::db::now()),
        "Issuer": "Balai",
        "IssuerAbbreviation": "Balai",
        "SequenceStart": 1,
        "SequenceEnd": 1,
        "Status": status,
        "VendorApplicationId": concat!("balai ", env!("CARGO_PKG_VERSION")),
        "GpUnit": gp,
        "Election": [{
            "@type": "Election",
            "Name": text(&e.name),
            "ElectionScopeId": unit_id(&e.region_code),
            "StartDate": e.voting_date.to_string(),
            "EndDate": e.voting_date.to_string(),
            "Type": "other",
            "OtherType": format!("pilkada-{}", e.kind),
            "Candidate": candidates.iter().map(|c| json!({
                "@type": "Candidate", "@id": format!("cand-{}", c.ballot_number),
                "BallotName": text(&format!("{} – {}", c.head_name, c.deputy_name)),
                "IsWriteIn": false,
            })).collect::<Vec<_>>(),
            "Contest": [{
                "@type": "CandidateContest", "@id": "contest-1", "Name": e.name,
                "ElectionDistrictId": unit_id(&e.region_code), "VotesAllowed": 1,
                "ContestSelection": selections,
            }],
            "BallotCounts": units.iter().map(|(u, a)| json!({
                "@type": "BallotCounts", "GpUnitId": u, "Type": "total",
                "BallotsCast": a.pengguna,
            })).collect::<Vec<_>>(),
        }],
    });
    let body = serde_json::to_vec(&doc).map_err(AppError::internal)?;
    Ok(cacheable(&headers, body))
}
