//! The `voter_tps` table: each TPS a list names, as the check shows it (number, village,
//! address). The elections feature keeps its own TPS master; the import sets that one's DPT
//! through [`balai_core::tps::TpsMaster`].

use std::collections::HashMap;

use balai_core::{with_tx, Tx};

/// `(village_code, number)` of a TPS.
pub type TpsKey = (String, u32);

/// Make sure every named TPS exists for the election (the address of a new one is the first
/// the list gives); returns each one's id.
pub async fn ensure(
    tx: &mut Tx,
    election_id: i64,
    named: &[(TpsKey, String)],
) -> Result<HashMap<TpsKey, i64>, sqlx::Error> {
    for chunk in named.chunks(1000) {
        with_tx!(tx, |c| {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO voter_tps (election_id, village_code, number, address) ",
            );
            qb.push_values(chunk, |mut b, ((village, number), address)| {
                b.push_bind(election_id)
                    .push_bind(village.clone())
                    .push_bind(i64::from(*number))
                    .push_bind(address.clone());
            });
            qb.push(" ON CONFLICT (election_id, village_code, number) DO NOTHING");
            qb.build().execute(&mut *c).await?;
        });
    }
    let rows: Vec<(i64, String, i64)> = with_tx!(tx, |c| sqlx::query_as(
        "SELECT id, village_code, number FROM voter_tps WHERE election_id = $1"
    )
    .bind(election_id)
    .fetch_all(&mut *c)
    .await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, v, n)| Some(((v, u32::try_from(n).ok()?), id)))
        .collect())
}
