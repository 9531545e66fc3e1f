//! The `voter_tps` table: each TPS a list names, as the check shows it (number, village,
//! address). The elections feature keeps its own TPS master; the import sets that one's DPT
//! through [`balai_core::tps::TpsMaster`].

use balai_core::{with_tx, Tx};

/// `(village_code, number)` of a TPS.
pub type TpsKey = (String, u32);

/// Make sure every named TPS `(village, number, address)` exists for the election (the
/// address of a new one is the first the list gives); `each` gets every TPS's id, read a page
/// at a time (a national list names ~820,000 TPS: never all of them in memory twice).
pub async fn ensure(
    tx: &mut Tx,
    election_id: i64,
    named: &[(&str, u32, &str)],
    mut each: impl FnMut(String, u32, i64),
) -> Result<(), sqlx::Error> {
    for chunk in named.chunks(1000) {
        with_tx!(tx, |c| {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO voter_tps (election_id, village_code, number, address) ",
            );
            qb.push_values(chunk, |mut b, (village, number, address)| {
                b.push_bind(election_id)
                    .push_bind(village.to_string())
                    .push_bind(i64::from(*number))
                    .push_bind(address.to_string());
            });
            qb.push(" ON CONFLICT (election_id, village_code, number) DO NOTHING");
            qb.build().execute(&mut *c).await?;
        });
    }
    let mut after = i64::MIN;
    loop {
        let rows: Vec<(i64, String, i64)> = with_tx!(tx, |c| sqlx::query_as(
            "SELECT id, village_code, number FROM voter_tps WHERE election_id = $1 AND id > $2
             ORDER BY id LIMIT 10000"
        )
        .bind(election_id)
        .bind(after)
        .fetch_all(&mut *c)
        .await)?;
        let Some(last) = rows.last() else { break };
        after = last.0;
        for (id, village, number) in rows {
            if let Ok(n) = u32::try_from(number) {
                each(village, n, id);
            }
        }
    }
    Ok(())
}
