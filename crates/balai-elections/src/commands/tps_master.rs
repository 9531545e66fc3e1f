//! The elections feature's side of [`balai_core::tps::TpsMaster`]: another feature (the voter
//! list) sets each TPS's DPT L/P, creating a TPS it names that does not exist yet; the
//! per-region totals follow in the same transaction.

use balai_core::tps::{TpsDpt, TpsDptSet, TpsFuture, TpsMaster};
use balai_core::{with_tx, Tx};

use crate::domain::election::TpsInput;
use crate::domain::tally::{Agg, Deltas};
use crate::store::{self, totals};

/// Registered by the binary in the application state.
pub struct ElectionsTpsMaster;

impl TpsMaster for ElectionsTpsMaster {
    fn set_dpt<'a>(&'a self, tx: &'a mut Tx, election_id: i64, tps: &'a [TpsDpt]) -> TpsFuture<'a> {
        Box::pin(set_dpt(tx, election_id, tps))
    }
}

/// Set the DPT L/P of each TPS of `election_id` named in `tps`, creating missing ones.
pub async fn set_dpt(
    tx: &mut Tx,
    election_id: i64,
    tps: &[TpsDpt],
) -> Result<TpsDptSet, sqlx::Error> {
    let mut done = TpsDptSet::default();
    let mut deltas = Deltas::default();
    for t in tps {
        let now = i64::from(t.dpt_l) + i64::from(t.dpt_p);
        let existing: Option<(i64, i64, i64)> = with_tx!(tx, |c| sqlx::query_as(
            "SELECT id, dpt_l, dpt_p FROM tps WHERE election_id = $1 AND village_code = $2
               AND number = $3"
        )
        .bind(election_id)
        .bind(&t.village_code)
        .bind(i64::from(t.number))
        .fetch_optional(&mut *c)
        .await)?;
        match existing {
            None => {
                let input = TpsInput {
                    village_code: t.village_code.clone(),
                    number: t.number,
                    address: t.address.clone(),
                    dpt_l: t.dpt_l,
                    dpt_p: t.dpt_p,
                };
                store::insert_tps(tx, election_id, &input).await?;
                let added = Agg {
                    tps_total: 1,
                    dpt_master: now,
                    ..Agg::default()
                };
                deltas.add(&t.village_code, &added, 1);
                done.created += 1;
            }
            Some((id, l, p)) if l != i64::from(t.dpt_l) || p != i64::from(t.dpt_p) => {
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
    if done.created + done.updated > 0 {
        totals::touch(tx, election_id).await?;
        totals::apply(tx, election_id, &deltas).await?;
    }
    Ok(done)
}
