//! The check's answer for the registrations whose name matched: each one's election and TPS
//! (number, village, address). Read only for a match: a wrong name and an unknown NIK both end
//! at the index read ([`super::index::lookup`]), so they do the same work. The village's name
//! is a correlated look-up by key, so no plan ever reads the whole regions table for one voter.

use std::collections::HashMap;

use balai_core::{with_db, Db};

use super::index::Located;
use crate::domain::pack;

/// One registration under a NIK hash.
#[derive(Clone, Debug)]
pub struct Registration {
    pub name_masked: String,
    pub election_id: i64,
    pub election_name: String,
    pub tps_number: i64,
    pub village_code: String,
    pub village_name: String,
    pub address: String,
}

type TpsRow = (i64, i64, String, i64, String, String, String);

/// The registrations of the matched entries, in their order (one without its TPS is left out).
pub async fn registrations(
    db: &Db,
    matched: Vec<Located>,
) -> Result<Vec<Registration>, sqlx::Error> {
    if matched.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = matched.iter().map(|l| i64::from(l.found.tps_id)).collect();
    let rows: Vec<TpsRow> = with_db!(db, |c| {
        let mut qb = sqlx::QueryBuilder::new(
            "SELECT t.id, CAST(t.election_id AS BIGINT), e.name, t.number, t.village_code,
                COALESCE((SELECT r.name FROM regions r WHERE r.code = t.village_code),
                  t.village_code), t.address
             FROM voter_tps t JOIN elections e ON e.id = t.election_id WHERE t.id IN (",
        );
        let mut list = qb.separated(", ");
        for id in &ids {
            list.push_bind(*id);
        }
        qb.push(")");
        qb.build_query_as::<TpsRow>().fetch_all(c).await
    })?;
    let tps: HashMap<i64, TpsRow> = rows.into_iter().map(|r| (r.0, r)).collect();
    Ok(matched
        .into_iter()
        .filter_map(|l| {
            let t = tps.get(&i64::from(l.found.tps_id))?;
            Some(Registration {
                name_masked: pack::mask_text(&l.found.mask),
                election_id: t.1,
                election_name: t.2.clone(),
                tps_number: t.3,
                village_code: t.4.clone(),
                village_name: t.5.clone(),
                address: t.6.clone(),
            })
        })
        .collect())
}
