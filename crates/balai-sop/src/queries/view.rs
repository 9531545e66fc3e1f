//! One SOP as the pages and the API show it: a version (the one in force now, on a given day,
//! or a given number) with its effective steps, its parent and its history.

use balai_core::identity::Actor;
use balai_core::Db;
use serde::Serialize;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use super::history::{find, infos, local_day, number, overrides_of, steps_of};
use crate::domain::access::may_see_drafts;
use crate::domain::steps::{effective, own, EffectiveStep, Override};
use crate::domain::versions::{followed, in_force};
use crate::domain::SopId;
use crate::errors::{SopError, SopResult};
use crate::store::{self, SopRow, VersionRow};

/// Which version to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    /// The one in force now (or, for its owner, the draft of an SOP never published).
    Current,
    /// The one in force on that day.
    At(Date),
    /// That version (a draft only for its owner).
    Number(u32),
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ParentRef {
    pub id: i64,
    pub title: String,
    pub region_name: String,
    /// The parent version the adoption accepted.
    pub adopted_version: u32,
    /// The parent version shown: the adopted one and the minor versions after it.
    pub shown_version: u32,
    /// The parent's version in force now.
    pub current_version: u32,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct VersionSummary {
    pub version: u32,
    pub major: bool,
    pub change_note: String,
    /// `YYYY-MM-DD` in the region's time zone; absent for a draft.
    pub published_on: Option<String>,
    pub author: String,
    /// An adoption's version: the parent version it accepted.
    pub parent_version: Option<u32>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct SopView {
    pub id: i64,
    pub title: String,
    pub region_code: String,
    pub region_name: String,
    pub agency: String,
    pub purpose: String,
    pub legal_basis: String,
    pub documents: String,
    /// The version shown.
    pub version: u32,
    /// `published` or `draft`.
    pub status: String,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub published_at: Option<OffsetDateTime>,
    pub change_note: String,
    pub major: bool,
    /// The procedure that applies: the SOP's own steps, or its parent's with the overrides.
    pub steps: Vec<EffectiveStep>,
    pub parent: Option<ParentRef>,
    /// An adoption's overrides in this version.
    pub overrides: Vec<Override>,
    /// Overrides (by index) whose step the parent version shown no longer has.
    pub orphaned: Vec<usize>,
    /// The parent published a major version this adoption has not reviewed yet.
    pub review_needed: bool,
    /// Every version visible to the reader, oldest first.
    pub versions: Vec<VersionSummary>,
}

fn summary(r: &VersionRow, region: &str) -> VersionSummary {
    VersionSummary {
        version: number(r.version),
        major: r.major,
        change_note: r.change_note.clone(),
        published_on: r.published_at.map(|t| local_day(t, region).to_string()),
        author: r.author_label.clone(),
        parent_version: r.parent_version.map(number),
    }
}

/// Read SOP `id` for `reader` (none: the public). Drafts are shown to the owner only; an SOP
/// never published is "not found" to anyone else.
pub async fn view(db: &Db, id: SopId, reader: Option<&Actor>, which: Which) -> SopResult<SopView> {
    let id = id.get();
    let sop = store::sop(db, id).await?.ok_or(SopError::NotFound)?;
    let rows = store::versions(db, id).await?;
    let drafts = may_see_drafts(reader, sop.agency_id);
    let history = infos(&rows, &sop.region_code);
    let published_now = in_force(&history, None);
    if published_now.is_none() && !drafts {
        return Err(SopError::NotFound);
    }
    let (chosen, day) = match which {
        Which::Current => (
            published_now.or_else(|| rows.last().map(|r| number(r.version))),
            None,
        ),
        Which::At(d) => (in_force(&history, Some(d)), Some(d)),
        Which::Number(v) => (Some(v), None),
    };
    let row = match chosen.and_then(|v| find(&rows, v)) {
        Some(r) if r.published_at.is_some() || drafts => r,
        _ if matches!(which, Which::At(_)) => return Err(SopError::NotYetInForce),
        _ => return Err(SopError::NoSuchVersion(chosen.unwrap_or(0))),
    };
    // An older version of an adoption showed the parent as it was when the next one replaced it.
    let day = day.or_else(|| {
        rows.iter()
            .find(|r| r.version > row.version)
            .and_then(|r| r.published_at)
            .map(|t| local_day(t, &sop.region_code))
    });
    let (steps, parent, overrides, orphaned) = procedure(db, &sop, row, day).await?;
    Ok(SopView {
        id: sop.id,
        title: sop.title,
        region_code: sop.region_code.clone(),
        region_name: sop.region_name,
        agency: sop.agency_name,
        purpose: sop.purpose,
        legal_basis: sop.legal_basis,
        documents: sop.documents,
        version: number(row.version),
        status: if row.published_at.is_some() {
            "published".into()
        } else {
            "draft".into()
        },
        published_at: row.published_at,
        change_note: row.change_note.clone(),
        major: row.major,
        steps,
        parent,
        overrides,
        orphaned,
        review_needed: sop.review_needed,
        versions: rows
            .iter()
            .filter(|r| r.published_at.is_some() || drafts)
            .map(|r| summary(r, &sop.region_code))
            .collect(),
    })
}

type Procedure = (
    Vec<EffectiveStep>,
    Option<ParentRef>,
    Vec<Override>,
    Vec<usize>,
);

/// The effective steps of version `row` of `sop` as they applied on `day` (`None`: now).
async fn procedure(
    db: &Db,
    sop: &SopRow,
    row: &VersionRow,
    day: Option<Date>,
) -> SopResult<Procedure> {
    let Some(parent_id) = sop.parent_id else {
        return Ok((own(&steps_of(row)?).steps, None, Vec::new(), Vec::new()));
    };
    let parent = store::sop(db, parent_id).await?.ok_or(SopError::NotFound)?;
    let parent_rows = store::versions(db, parent_id).await?;
    let parent_history = infos(&parent_rows, &parent.region_code);
    let adopted = row.parent_version.map_or(0, number);
    let shown = followed(&parent_history, adopted, day);
    let parent_row = find(&parent_rows, shown).ok_or(SopError::NoSuchVersion(shown))?;
    let overrides = overrides_of(row)?;
    let e = effective(&steps_of(parent_row)?, &overrides);
    Ok((
        e.steps,
        Some(ParentRef {
            id: parent.id,
            title: parent.title,
            region_name: parent.region_name,
            adopted_version: adopted,
            shown_version: shown,
            current_version: in_force(&parent_history, None).unwrap_or(0),
        }),
        overrides,
        e.orphaned,
    ))
}
