//! The demo's voter list: a published DPS of the Jawa Barat governor election (contoh) for the
//! first villages of Kota Banjar, so the check, the card and the responses have something to
//! show. Two voters are easy to try: NIK 3279015508900002 "Siti Wahyuni" and
//! 3279011508900001 "H. Ahmad Fauzi, S.E.".

use balai_core::web::actor::ReqMeta;
use balai_core::{with_db, Db};

/// The election the demo list belongs to (created by the neutrality demo).
const ELECTION: &str = "Pemilihan Gubernur dan Wakil Gubernur Jawa Barat 2024 (contoh)";

const GIVEN: &[&str] = &[
    "Agus", "Budi", "Cahya", "Dedi", "Eka", "Fajar", "Gita", "Hendra", "Indah", "Joko", "Kartika",
    "Lina", "Maya", "Nanda", "Oki", "Putri", "Rina", "Sari", "Teguh", "Wulan",
];
const FAMILY: &[&str] = &[
    "Saputra",
    "Lestari",
    "Hidayat",
    "Rahmawati",
    "Nugraha",
    "Permana",
    "Kusuma",
    "Wijaya",
];

/// Import the demo list once (nothing if the election has a list already).
pub async fn load(db: &Db, cfg: &balai_core::config::Config) -> anyhow::Result<()> {
    let id: Option<i64> = with_db!(db, |c| sqlx::query_scalar(
        "SELECT id FROM elections WHERE name = $1"
    )
    .bind(ELECTION)
    .fetch_optional(c)
    .await)?;
    let Some(id) = id else { return Ok(()) };
    let have: i64 = with_db!(db, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM voter_lists WHERE election_id = $1"
    )
    .bind(id)
    .fetch_one(c)
    .await)?;
    if have > 0 {
        return Ok(());
    }
    let villages: Vec<String> = with_db!(db, |c| {
        sqlx::query_scalar(
        "SELECT code FROM regions WHERE level = 4 AND code LIKE '32.79.01.%' ORDER BY code LIMIT 3"
    )
    .fetch_all(c)
    .await
    })?;
    let ctx = crate::app::context(db.clone(), cfg.clone()).await?;
    let meta = ReqMeta {
        request_id: "demo".into(),
        ip: "local".into(),
        user_agent: "balai demo".into(),
    };
    let text = csv(&villages);
    balai_voters::commands::import::import(
        &ctx,
        &meta,
        balai_voters::commands::import::By::Console,
        id,
        "dps",
        &text,
    )
    .await
    .map_err(|e| anyhow::anyhow!("demo voter list: {}", e.message_en()))?;
    Ok(())
}

/// Sixty voters per village over two TPS each, with the two known voters first.
fn csv(villages: &[String]) -> String {
    let mut out = String::from(
        "nik,nkk,name,birth_place,birth_date,sex,village_code,tps_number,address\n\
         3279015508900002,3279012301150004,Siti Wahyuni,Banjar,1990-08-15,P,32.79.01.1001,1,\"Balai RW 01, Jl. Mawar\"\n\
         3279011508900001,3279012301150004,\"H. Ahmad Fauzi, S.E.\",Banjar,1990-08-15,L,32.79.01.1001,1,\"Balai RW 01, Jl. Mawar\"\n",
    );
    let mut serial = 10u32;
    for (vi, v) in villages.iter().enumerate() {
        for i in 0..60u32 {
            serial += 1;
            let female = i % 2 == 0;
            let day = 1 + (i * 7 + u32::try_from(vi).unwrap_or(0)) % 28;
            let month = 1 + i % 12;
            let year = 1950 + (i * 13) % 55;
            let nik = format!(
                "327901{:02}{:02}{:02}{:04}",
                if female { day + 40 } else { day },
                month,
                year % 100,
                serial
            );
            let name = format!(
                "{} {}",
                GIVEN[(i as usize + vi) % GIVEN.len()],
                FAMILY[(i as usize * 3 + vi) % FAMILY.len()]
            );
            let tps = 1 + i % 2;
            // A street, not the village's code: the address is shown on the TPS's pages.
            let street = ["Mawar", "Melati", "Kenanga"][vi % 3];
            out.push_str(&format!(
                "{nik},3279012301{:06},{name},Banjar,{year}-{month:02}-{day:02},{},{v},{tps},\"Balai RW 0{tps}, Jl. {street}\"\n",
                serial,
                if female { "P" } else { "L" },
            ));
        }
    }
    out
}
