//! The SOPs' demo: a province's logistics SOP adopted by two of its cities.

use balai_core::audit::{self, AuditContext, AuditEvent};
use balai_core::{with_db, Db};
use serde_json::json;

/// The KPU serving exactly `region`.
async fn kpu_at(db: &Db, region: &str) -> anyhow::Result<i64> {
    let id: Option<i64> = with_db!(db, |c| sqlx::query_scalar(
        "SELECT id FROM agencies WHERE kind = 'kpu' AND region_code = $1 ORDER BY id LIMIT 1"
    )
    .bind(region)
    .fetch_optional(c)
    .await)?;
    id.ok_or_else(|| anyhow::anyhow!("demo: no KPU for {region}"))
}

fn step(actor: &str, action: &str, limit: &str, output: &str) -> balai_sop::domain::steps::Step {
    balai_sop::domain::steps::Step {
        actor: actor.into(),
        action: action.into(),
        time_limit: limit.into(),
        output: output.into(),
    }
}

/// The demo SOP's two versions' steps, and Palembang's override, as stored (JSON).
fn logistics_bodies() -> anyhow::Result<[String; 3]> {
    use balai_sop::domain::steps::{Override, OverrideKind};
    let v1 = vec![
        step(
            "KPU Kabupaten/Kota",
            "Kirim logistik ke PPK",
            "H-5",
            "Berita acara serah terima",
        ),
        step(
            "PPK",
            "Periksa kelengkapan logistik",
            "1 hari",
            "Daftar periksa logistik",
        ),
        step(
            "PPS",
            "Serahkan logistik ke KPPS",
            "H-1",
            "Berita acara serah terima",
        ),
    ];
    let mut v2 = v1.clone();
    v2.push(step(
        "KPPS",
        "Tanda tangani berita acara penerimaan dan simpan logistik di TPS",
        "H-1",
        "Berita acara penerimaan",
    ));
    let over = [Override {
        kind: OverrideKind::Replace,
        step: 2,
        replacement: step(
            "PPK",
            "Periksa logistik di dermaga sebelum diangkut perahu",
            "1 hari",
            "Daftar periksa logistik",
        ),
        reason: "Sebagian kecamatan hanya terjangkau lewat Sungai Musi".into(),
    }];
    Ok([
        serde_json::to_string(&v1)?,
        serde_json::to_string(&v2)?,
        serde_json::to_string(&over)?,
    ])
}

/// The demo's SOPs: KPU Sumatera Selatan's logistics SOP in two versions (the second a major
/// change), adopted by Kota Palembang (with an override, reviewed) and Kota Prabumulih (not
/// reviewed yet, so it needs review). Written once: skipped when the SOP exists.
pub(super) async fn load_sops(db: &Db, ctx: &AuditContext) -> anyhow::Result<()> {
    use balai_sop::store::{self as sops, NewSop, NewVersion};

    const TITLE: &str = "SOP Distribusi Logistik Pemungutan Suara";
    let (prov, plg, pbm) = (
        kpu_at(db, "16").await?,
        kpu_at(db, "16.71").await?,
        kpu_at(db, "16.74").await?,
    );
    let exists: i64 = with_db!(db, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM sops WHERE agency_id = $1 AND title = $2"
    )
    .bind(prov)
    .bind(TITLE)
    .fetch_one(c)
    .await)?;
    if exists > 0 {
        return Ok(());
    }
    let [v1, v2, over] = logistics_bodies()?;
    let sop = |agency_id: i64, region: &'static str, parent_id: Option<i64>| NewSop {
        agency_id,
        region_code: region,
        title: TITLE,
        purpose: "Logistik pemungutan suara tiba di TPS tepat waktu, lengkap dan aman.",
        legal_basis: "PKPU tentang perlengkapan pemungutan suara",
        documents: "Berita acara serah terima; daftar periksa logistik",
        parent_id,
    };
    let by = (None, "demo");
    let mut tx = db.begin().await?;
    let prov_sop = sops::insert_sop(&mut tx, &sop(prov, "16", None)).await?;
    let plg_sop = sops::insert_sop(&mut tx, &sop(plg, "16.71", Some(prov_sop))).await?;
    let pbm_sop = sops::insert_sop(&mut tx, &sop(pbm, "16.74", Some(prov_sop))).await?;
    // In the order it happened: v1, both adopt it, Palembang overrides, v2 (major), Palembang
    // reviews and keeps its override; Prabumulih has not reviewed yet.
    for v in [
        NewVersion::new(prov_sop, 1, &v1, by).major(true),
        NewVersion::new(plg_sop, 1, "[]", by).parent(1).major(true),
        NewVersion::new(pbm_sop, 1, "[]", by).parent(1).major(true),
        NewVersion::new(plg_sop, 2, &over, by)
            .parent(1)
            .note("Penyesuaian wilayah perairan"),
        NewVersion::new(prov_sop, 2, &v2, by)
            .major(true)
            .note("KPPS menandatangani berita acara penerimaan"),
        NewVersion::new(plg_sop, 3, &over, by)
            .parent(2)
            .note("Ditinjau dalam rapat pleno; penyesuaian dipertahankan"),
    ] {
        sops::insert_version(&mut tx, &v).await?;
    }
    sops::set_review_needed(&mut tx, pbm_sop, true).await?;
    audit::record(
        &mut tx,
        ctx,
        AuditEvent {
            action: balai_sop::domain::audit::CREATE,
            target_kind: balai_sop::domain::audit::TARGET_SOP,
            target_id: prov_sop.to_string(),
            region_code: Some("16".into()),
            summary: json!({ "title": TITLE, "demo": true, "adoptions": [plg_sop, pbm_sop] }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
