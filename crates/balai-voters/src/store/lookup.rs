//! The check's read: every registration under a NIK's keyed hash, with its TPS. The same
//! queries run whether the NIK is listed or not, and whether the name then matches or not:
//! the NIK's bucket ([`super::index`]), then the TPS of its entries (of a TPS that cannot
//! exist when there is none). The village's name is a correlated look-up by key, so no plan
//! ever reads the whole regions table for one voter.

use std::collections::HashMap;

use balai_core::{with_db, Db};

use crate::domain::pack;

/// One registration under a NIK hash.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Registration {
    pub name_hash: Vec<u8>,
    pub name_masked: String,
    pub election_id: i64,
    pub election_name: String,
    pub tps_number: i64,
    pub village_code: String,
    pub village_name: String,
    pub address: String,
}

type TpsRow = (i64, i64, String, i64, String, String, String);

pub async fn by_nik_hash(db: &Db, nik_hash: &[u8]) -> Result<Vec<Registration>, sqlx::Error> {
    let hash: [u8; 16] = nik_hash.try_into().unwrap_or([0; 16]);
    let found = super::index::entries(db, &hash).await?;
    let ids: Vec<i64> = if found.is_empty() {
        vec![-1]
    } else {
        found.iter().map(|l| i64::from(l.found.tps_id)).collect()
    };
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
    Ok(found
        .into_iter()
        .filter_map(|l| {
            let t = tps.get(&i64::from(l.found.tps_id))?;
            Some(Registration {
                name_hash: l.found.name_hash.to_vec(),
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
