//! The SOPs a reader may see: every published one, and the drafts of the reader's agency.

use balai_core::identity::Actor;
use balai_core::Db;

use super::history::number;
use crate::domain::access::may_see_drafts;
use crate::errors::SopResult;
use crate::store;

#[derive(Clone, Debug)]
pub struct ListedSop {
    pub id: i64,
    pub title: String,
    pub region_name: String,
    pub agency: String,
    /// `None`: a draft never published.
    pub version: Option<u32>,
    pub parent_id: Option<i64>,
    pub review_needed: bool,
}

pub async fn list(db: &Db, reader: Option<&Actor>) -> SopResult<Vec<ListedSop>> {
    let heads = store::published_heads(db).await?;
    Ok(store::all(db)
        .await?
        .into_iter()
        .filter_map(|s| {
            let version = heads
                .iter()
                .find(|(id, _)| *id == s.id)
                .and_then(|(_, v)| *v)
                .map(number);
            (version.is_some() || may_see_drafts(reader, s.agency_id)).then_some(ListedSop {
                id: s.id,
                title: s.title,
                region_name: s.region_name,
                agency: s.agency_name,
                version,
                parent_id: s.parent_id,
                review_needed: s.review_needed,
            })
        })
        .collect())
}
