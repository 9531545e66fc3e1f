//! The public archive: search hits (the request and its answer, never who asked) and the
//! per-agency statistics (on time, late, extended, refused by ground).

use balai_core::db::Db;
use balai_core::ids::AgencyId;
use serde::Serialize;
use time::Date;
use utoipa::ToSchema;

use crate::domain::exemptions::Exemption;
use crate::domain::search::{self, Combine, Terms};
use crate::errors::{InfoResult, InformationError};
use crate::store::search::{self as store, HitRow};

/// One request of the public archive.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = InformationSearchHit)]
pub struct SearchHit {
    pub id: i64,
    pub registration_number: String,
    pub agency_id: i64,
    pub agency_name: String,
    /// The request's status code (as in the request's record).
    pub status: String,
    pub information: String,
    pub answer: Option<String>,
    /// YYYY-MM-DD.
    pub received_on: String,
    pub answered_on: Option<String>,
}

impl From<HitRow> for SearchHit {
    fn from(r: HitRow) -> Self {
        SearchHit {
            id: r.id,
            registration_number: r.registration_number,
            agency_id: r.agency_id,
            agency_name: r.agency_name,
            status: r.status,
            information: r.information,
            answer: r.answer,
            received_on: r.received_on.to_string(),
            answered_on: r.answered_on.map(|d| d.to_string()),
        }
    }
}

/// A page of the archive.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = InformationSearchPage)]
pub struct SearchPage {
    pub q: String,
    pub page: i64,
    pub page_size: i64,
    /// Whether a next page exists.
    pub has_more: bool,
    pub hits: Vec<SearchHit>,
}

/// Search the archive: every word of `q` must match (no words: the newest public requests).
pub async fn search_archive(
    db: &Db,
    q: &str,
    agency: Option<i64>,
    page: i64,
) -> InfoResult<SearchPage> {
    if q.chars().count() > search::MAX_QUERY_CHARS {
        return Err(InformationError::BadSearchQuery);
    }
    if !(1..=search::MAX_PAGE).contains(&page) {
        return Err(InformationError::BadPage);
    }
    let terms = Terms::parse(q, Combine::All);
    let mut rows = store::search(
        db,
        &terms,
        Combine::All,
        agency.map(AgencyId),
        search::offset(page),
        search::PAGE_SIZE + 1,
    )
    .await?;
    let has_more = rows.len() as i64 > search::PAGE_SIZE;
    rows.truncate(search::PAGE_SIZE as usize);
    Ok(SearchPage {
        q: q.to_string(),
        page,
        page_size: search::PAGE_SIZE,
        has_more,
        hits: rows.into_iter().map(SearchHit::from).collect(),
    })
}

/// Requests like the text of a new one (any of its telling words), to any agency: an answer
/// another body gave may be what the citizen needs.
pub async fn similar(db: &Db, text: &str) -> InfoResult<Vec<SearchHit>> {
    let text: String = text.chars().take(5_000).collect();
    let terms = Terms::parse(&text, Combine::Any);
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let rows = store::search(db, &terms, Combine::Any, None, 0, search::SIMILAR_LIMIT).await?;
    Ok(rows.into_iter().map(SearchHit::from).collect())
}

/// Refusals on one art. 17 ground.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = InformationRefusalCount)]
pub struct RefusalCount {
    /// The letter of art. 17, `a`–`j`.
    pub exemption: String,
    pub label_id: String,
    pub label_en: String,
    pub refused: i64,
}

/// One agency's record.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = InformationAgencyStats)]
pub struct AgencyStats {
    pub agency_id: i64,
    pub agency_name: String,
    pub total: i64,
    /// Answered (fully, partly or by a refusal) on or before the due day.
    pub answered_on_time: i64,
    /// Answered after the due day.
    pub answered_late: i64,
    /// Not answered and past the due day.
    pub overdue: i64,
    /// Extended once by 7 working days.
    pub extended: i64,
    pub refused_by_ground: Vec<RefusalCount>,
}

/// Every agency that received a request, by name.
pub async fn agency_stats(db: &Db, today: Date) -> InfoResult<Vec<AgencyStats>> {
    let rows = store::agency_stats(db, today).await?;
    let refusals = store::refusals(db).await?;
    Ok(rows
        .into_iter()
        .map(|r| AgencyStats {
            refused_by_ground: refusals
                .iter()
                .filter(|f| f.agency_id == r.agency_id)
                .map(|f| {
                    let e = Exemption::parse(&f.exemption);
                    RefusalCount {
                        exemption: f.exemption.clone(),
                        label_id: e.map_or_else(|| f.exemption.clone(), |e| e.label_id().into()),
                        label_en: e.map_or_else(|| f.exemption.clone(), |e| e.label_en().into()),
                        refused: f.refused,
                    }
                })
                .collect(),
            agency_id: r.agency_id,
            agency_name: r.agency_name,
            total: r.total,
            answered_on_time: r.answered_on_time,
            answered_late: r.answered_late,
            overdue: r.overdue,
            extended: r.extended,
        })
        .collect())
}
