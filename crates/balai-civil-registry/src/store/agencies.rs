//! The agencies an application is routed to (table `agencies`).

use balai_core::accounts::Agency;
use balai_core::{with_db, with_tx, Db, Tx};

use crate::domain::access::serving;

/// The Disdukcapil serving a kelurahan: the one with the most specific region covering it.
pub async fn disdukcapil_for(tx: &mut Tx, kelurahan: &str) -> Result<Option<Agency>, sqlx::Error> {
    let all: Vec<Agency> = with_tx!(tx, |c| {
        sqlx::query_as::<_, Agency>(
        "SELECT id, kind, name, region_code FROM agencies WHERE kind = 'disdukcapil' ORDER BY id"
    )
    .fetch_all(&mut *c)
    .await
    })?;
    Ok(serving(all, kelurahan))
}

/// The kelurahan's own counter, if it has one in Balai.
pub async fn counter_for(tx: &mut Tx, kelurahan: &str) -> Result<Option<Agency>, sqlx::Error> {
    with_tx!(tx, |c| {
        sqlx::query_as::<_, Agency>(
        "SELECT id, kind, name, region_code FROM agencies WHERE kind = 'kelurahan' AND region_code = $1
         ORDER BY id LIMIT 1"
    )
    .bind(kelurahan)
    .fetch_optional(&mut *c)
    .await
    })
}

/// Disdukcapil agencies, in id order.
pub async fn disdukcapil_agencies(db: &Db) -> Result<Vec<Agency>, sqlx::Error> {
    with_db!(db, |c| sqlx::query_as::<_, Agency>(
        "SELECT id, kind, name, region_code FROM agencies WHERE kind = 'disdukcapil' ORDER BY id"
    )
    .fetch_all(c)
    .await)
}
