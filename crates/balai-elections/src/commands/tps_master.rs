//! The elections feature's side of [`balai_core::tps::TpsMaster`]: another feature (the voter
//! list) sets each TPS's DPT L/P, creating a TPS it names that does not exist yet; the
//! per-region totals follow in the same transaction.

use std::collections::HashMap;

use balai_core::tps::{TpsDpt, TpsDptSet, TpsFuture, TpsMaster};
use balai_core::{with_tx, Tx};

use crate::domain::tally::{Agg, Deltas};
use crate::store::totals;

/// Registered by the binary in the application state.
pub struct ElectionsTpsMaster;

impl TpsMaster for ElectionsTpsMaster {
    fn set_dpt<'a>(&'a self, tx: &'a mut Tx, election_id: i64, tps: &'a [TpsDpt]) -> TpsFuture<'a> {
        Box::pin(set_dpt(tx, election_id, tps))
    }
}

/// TPS handled per statement: the existing ones of their villages read at once, the new
/// ones inserted at once (a national voter list names ~820,000 TPS; one round trip per TPS
/// was a large part of its import).
const CHUNK: usize = 500;

/// Set the DPT L/P of each TPS of `election_id` named in `tps`, creating missing ones.
pub async fn set_dpt(
    tx: &mut Tx,
    election_id: i64,
    tps: &[TpsDpt],
) -> Result<TpsDptSet, sqlx::Error> {
    let mut done = TpsDptSet::default();
    let mut deltas = Deltas::default();
    for chunk in tps.chunks(CHUNK) {
        let existing = existing_in_villages(tx, election_id, chunk).await?;
        // A TPS named twice: the last naming counts, as if set one after the other.
        let mut fresh: Vec<&TpsDpt> = Vec::new();
        let mut fresh_at: HashMap<(&str, u32), usize> = HashMap::new();
        for t in chunk {
            let now = i64::from(t.dpt_l) + i64::from(t.dpt_p);
            let key = (t.village_code.as_str(), t.number);
            if let Some(&at) = fresh_at.get(&key) {
                fresh[at] = t;
                continue;
            }
            match existing.get(&(t.village_code.clone(), i64::from(t.number))) {
                None => {
                    fresh_at.insert(key, fresh.len());
                    fresh.push(t);
                }
                Some(&(id, l, p)) if l != i64::from(t.dpt_l) || p != i64::from(t.dpt_p) => {
                    with_tx!(tx, |c| sqlx::query(
                        "UPDATE tps SET dpt_l = $2, dpt_p = $3 WHERE id = $1"
                    )
                    .bind(id)
                    .bind(i64::from(t.dpt_l))
                    .bind(i64::from(t.dpt_p))
                    .execute(&mut *c)
                    .await
                    .map(|_| ()))?;
                    let change = Agg {
                        dpt_master: now - (l + p),
                        ..Agg::default()
                    };
                    deltas.add(&t.village_code, &change, 1);
                    done.updated += 1;
                }
                Some(_) => {}
            }
        }
        if fresh.is_empty() {
            continue;
        }
        with_tx!(tx, |c| {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO tps (election_id, village_code, number, address, dpt_l, dpt_p) ",
            );
            qb.push_values(&fresh, |mut b, t| {
                b.push_bind(election_id)
                    .push_bind(t.village_code.clone())
                    .push_bind(i64::from(t.number))
                    .push_bind(t.address.clone())
                    .push_bind(i64::from(t.dpt_l))
                    .push_bind(i64::from(t.dpt_p));
            });
            qb.build().execute(&mut *c).await.map(|_| ())
        })?;
        for t in fresh {
            let added = Agg {
                tps_total: 1,
                dpt_master: i64::from(t.dpt_l) + i64::from(t.dpt_p),
                ..Agg::default()
            };
            deltas.add(&t.village_code, &added, 1);
            done.created += 1;
        }
    }
    if done.created + done.updated > 0 {
        totals::touch(tx, election_id).await?;
        totals::apply(tx, election_id, &deltas).await?;
    }
    Ok(done)
}

/// The TPS of `election_id` in the villages `chunk` names: `(village, number)` → `(id, L, P)`.
async fn existing_in_villages(
    tx: &mut Tx,
    election_id: i64,
    chunk: &[TpsDpt],
) -> Result<HashMap<(String, i64), (i64, i64, i64)>, sqlx::Error> {
    let mut villages: Vec<&str> = chunk.iter().map(|t| t.village_code.as_str()).collect();
    villages.sort_unstable();
    villages.dedup();
    let rows: Vec<(String, i64, i64, i64, i64)> = with_tx!(tx, |c| {
        let mut qb = sqlx::QueryBuilder::new(
            "SELECT village_code, number, id, dpt_l, dpt_p FROM tps WHERE election_id = ",
        );
        qb.push_bind(election_id);
        qb.push(" AND village_code IN (");
        let mut list = qb.separated(", ");
        for v in &villages {
            list.push_bind(v.to_string());
        }
        qb.push(")");
        qb.build_query_as().fetch_all(&mut *c).await
    })?;
    Ok(rows
        .into_iter()
        .map(|(v, n, id, l, p)| ((v, n), (id, l, p)))
        .collect())
}
