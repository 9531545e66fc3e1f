//! The results demo: one election of Kota Banjar written through the same commands as the API.

use balai_core::accounts;
use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::{with_db, Db};
use serde_json::json;

/// The demo election's name: loading is idempotent by it.
pub const DEMO_ELECTION: &str = "Pemilihan Wali Kota Banjar 2024 (contoh)";

/// A consistent C.Hasil-KWK form for a TPS of `dpt_l` + `dpt_p` voters, its valid votes split
/// by `shares` (per mille per pair, in ballot order).
fn demo_form(dpt_l: u32, dpt_p: u32, shares: &[u32]) -> serde_json::Value {
    use balai_elections::domain::form::{Form, Row};
    let (ul, up) = (dpt_l * 3 / 4, dpt_p * 4 / 5);
    let used = ul + up + 2;
    let received = dpt_l + dpt_p + (dpt_l + dpt_p) * 25 / 1000;
    let invalid = 3;
    let valid = used - invalid;
    let mut votes = std::collections::BTreeMap::new();
    let mut given = 0;
    for (i, s) in shares.iter().enumerate() {
        let b = u32::try_from(i).unwrap_or(0) + 1;
        let v = if i + 1 == shares.len() {
            valid - given
        } else {
            valid * s / 1000
        };
        given += v;
        votes.insert(b, v);
    }
    let f = Form {
        pemilih_dpt: Row::new(dpt_l, dpt_p),
        pemilih_dpph: Row::new(0, 0),
        pemilih_dptb: Row::new(1, 1),
        pemilih_total: Row::new(dpt_l + 1, dpt_p + 1),
        pengguna_dpt: Row::new(ul, up),
        pengguna_dpph: Row::new(0, 0),
        pengguna_dptb: Row::new(1, 1),
        pengguna_total: Row::new(ul + 1, up + 1),
        surat_diterima: received,
        surat_dikembalikan: 1,
        surat_tidak_digunakan: received - used - 1,
        surat_digunakan: used,
        disabilitas_pemilih: Row::new(1, 1),
        disabilitas_pengguna: Row::new(1, 0),
        votes,
        suara_sah: valid,
        suara_tidak_sah: invalid,
        suara_total: used,
    };
    serde_json::to_value(f).unwrap_or_default()
}

/// A demo election in Kota Banjar, if there is none: three candidate pairs, TPS in eight
/// villages, a schedule moved by a second version, results entered twice for most TPS (so
/// they are verified), one TPS whose two entries disagree, and some not entered yet. Written
/// through the same commands as the API, by the demo KPU's accounts (audited).
pub async fn load_election(db: &Db, cfg: &balai_core::config::Config) -> anyhow::Result<()> {
    use balai_core::identity::{actor_for_user, AuthVia};
    use balai_elections::commands::setup::{self, NewElection};
    use balai_elections::commands::submit_result::{submit, SubmitInput};
    use balai_elections::domain::election::TpsInput;

    let have: i64 = with_db!(db, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM elections WHERE name = $1"
    )
    .bind(DEMO_ELECTION)
    .fetch_one(c)
    .await)?;
    if have > 0 {
        return Ok(());
    }
    let actor_of = |name: &'static str| async move {
        let u = accounts::user_by_name(db, name)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no demo user {name}"))?;
        actor_for_user(db, u.id, AuthVia::Command)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo user {name} is disabled"))
    };
    let spv = actor_of("banjar.kpu.spv").await?;
    let op = actor_of("banjar.kpu").await?;
    let ctx = crate::app::context(db.clone(), cfg.clone()).await?;
    let meta = ReqMeta {
        request_id: "demo".into(),
        ip: "local".into(),
        user_agent: "balai demo".into(),
    };
    let fail = |e: balai_core::AppError| anyhow::anyhow!("demo election: {}", e.info.message_en);
    let id = setup::create_election(
        &ctx,
        &spv,
        &meta,
        &NewElection {
            kind: "walikota".into(),
            region_code: "32.79".into(),
            name: DEMO_ELECTION.into(),
            voting_date: "2024-11-27".into(),
        },
    )
    .await
    .map_err(fail)?;
    demo_schedule(&ctx, &spv, &meta, id).await.map_err(fail)?;
    demo_pairs(&ctx, &spv, &meta, id).await.map_err(fail)?;
    const VILLAGES: &str =
        "SELECT code FROM regions WHERE level = 4 AND code LIKE '32.79.%' ORDER BY code LIMIT 8";
    let villages: Vec<String> = with_db!(db, |c| sqlx::query_scalar(VILLAGES).fetch_all(c).await)?;
    let mut rows = Vec::new();
    for (i, v) in villages.iter().enumerate() {
        for n in 1..=2u32 {
            let k = u32::try_from(i).unwrap_or(0) * 7 + n * 13;
            rows.push(TpsInput {
                village_code: v.clone(),
                number: n,
                address: format!("Jl. Contoh No. {k}, RT 0{n}/RW 0{}", i % 9 + 1),
                dpt_l: 120 + k % 60,
                dpt_p: 125 + k % 55,
            });
        }
    }
    let tps = setup::add_tps(&ctx, &spv, &meta, id, &rows)
        .await
        .map_err(fail)?;
    // Most TPS entered by two operators (verified), one disputed, the last three not yet.
    let shares: [[u32; 3]; 4] = [
        [452, 381, 167],
        [398, 420, 182],
        [505, 300, 195],
        [433, 402, 165],
    ];
    let last = tps.ids.len().saturating_sub(3);
    for (i, (tps_id, row)) in tps.ids.iter().zip(&rows).enumerate().take(last) {
        let form = demo_form(row.dpt_l, row.dpt_p, &shares[i % shares.len()]);
        let input = |form: serde_json::Value| -> anyhow::Result<SubmitInput> {
            Ok(serde_json::from_value(
                json!({"tps_id": tps_id, "form": form}),
            )?)
        };
        submit(&ctx, &op, &meta, id, input(form.clone())?)
            .await
            .map_err(|e| anyhow::anyhow!("demo result: {e:?}"))?;
        let second = if i == 2 {
            // A misread digit on the second entry: the TPS is disputed.
            let mut f = form;
            if let Some(v) = f["votes"]["1"].as_u64() {
                let other = f["votes"]["2"].as_u64().unwrap_or(0);
                f["votes"]["1"] = json!(v.saturating_sub(10));
                f["votes"]["2"] = json!(other + 10);
            }
            f
        } else {
            form
        };
        submit(&ctx, &spv, &meta, id, input(second)?)
            .await
            .map_err(|e| anyhow::anyhow!("demo result: {e:?}"))?;
    }
    Ok(())
}

/// The demo election's two schedule versions: the second moves the vote (a flood).
async fn demo_schedule(
    ctx: &AppCtx,
    spv: &Actor,
    meta: &ReqMeta,
    id: i64,
) -> balai_core::AppResult<()> {
    use balai_elections::commands::setup::ScheduleInput;
    let stage = |name: &str, start: &str, end: &str| balai_elections::domain::election::Stage {
        kind: None,
        name: name.into(),
        start: start.into(),
        end: end.into(),
    };
    for (reason, basis, vote, recap) in [
        (
            "Jadwal awal tahapan (contoh)",
            "PKPU Nomor 2 Tahun 2024",
            "2024-11-27",
            "2024-11-28",
        ),
        (
            "Banjir di Kecamatan Pataruman menunda pemungutan suara (contoh)",
            "Keputusan KPU Kota Banjar Nomor 1234 Tahun 2024 (contoh)",
            "2024-12-04",
            "2024-12-05",
        ),
    ] {
        let input = ScheduleInput {
            reason: reason.into(),
            legal_basis: basis.into(),
            stages: vec![
                stage("Pemutakhiran data pemilih", "2024-05-31", "2024-09-20"),
                stage("Pendaftaran pasangan calon", "2024-08-27", "2024-08-29"),
                stage("Penetapan pasangan calon", "2024-09-22", "2024-09-22"),
                stage("Kampanye", "2024-09-25", "2024-11-23"),
                stage("Masa tenang", "2024-11-24", "2024-11-26"),
                stage("Pemungutan suara", vote, vote),
                stage("Rekapitulasi hasil penghitungan suara", recap, "2024-12-16"),
                stage("Pelantikan", "2025-02-20", "2025-02-20"),
            ],
        };
        balai_elections::commands::setup::set_schedule(ctx, spv, meta, id, &input).await?;
    }
    Ok(())
}

/// The demo election's three candidate pairs (fictional names).
async fn demo_pairs(
    ctx: &AppCtx,
    spv: &Actor,
    meta: &ReqMeta,
    id: i64,
) -> balai_core::AppResult<()> {
    use balai_elections::commands::setup::CandidateInput;
    for (b, head, deputy, parties) in [
        (
            1,
            "Hj. Sri Wahyuni Kusumaningrum, S.E., M.Si.",
            "Dedi Kurniawan Saputra, S.H.",
            vec!["Partai Contoh A".to_string(), "Partai Contoh B".into()],
        ),
        (
            2,
            "Ir. Bambang Setiadi, M.T.",
            "Nurul Hidayati, S.Pd.",
            vec!["Partai Contoh C".into()],
        ),
        (3, "Asep Saepudin", "Yanti Rosdiana, S.Kom.", Vec::new()),
    ] {
        let input = CandidateInput {
            ballot_number: b,
            head_name: head.into(),
            deputy_name: deputy.into(),
            independent: parties.is_empty(),
            parties,
        };
        balai_elections::commands::setup::add_candidate(ctx, spv, meta, id, &input).await?;
    }
    Ok(())
}
