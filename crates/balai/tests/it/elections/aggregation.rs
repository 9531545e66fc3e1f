//! Property test: on random TPS and random (double, corrected, disputed, flagged, re-voted,
//! batched, photo-reused) entries, the results at every level — served from the incrementally
//! kept totals — equal a brute-force recount of the current versions, and equal the totals
//! rebuilt from scratch.

use std::collections::BTreeMap;

use crate::support::worlds::elections::*;
use crate::support::Backend;
use balai_elections::domain::form::{Form, Row};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

/// A form that passes rules 1–8 for a TPS with master DPT (l, p).
fn random_form(rng: &mut StdRng, l: u32, p: u32) -> Form {
    let dpph = Row::new(rng.gen_range(0..3), rng.gen_range(0..3));
    let dptb = Row::new(rng.gen_range(0..3), rng.gen_range(0..3));
    let dpt = Row::new(l, p);
    let used = |r: &Row, rng: &mut StdRng| Row::new(rng.gen_range(0..=r.l), rng.gen_range(0..=r.p));
    let u_dpt = used(&dpt, rng);
    let u_dpph = used(&dpph, rng);
    let u_dptb = used(&dptb, rng);
    let u_total = Row::new(u_dpt.l + u_dpph.l + u_dptb.l, u_dpt.p + u_dpph.p + u_dptb.p);
    let dis = Row::new(rng.gen_range(0..3), rng.gen_range(0..3));
    let dis_u = used(&dis, rng);
    let dpt_total = l + p;
    let expected = dpt_total + (dpt_total * 25).div_ceil(1000);
    let diterima = expected.max(u_total.total);
    let digunakan = u_total.total;
    let tidak_sah = rng.gen_range(0..=digunakan.min(10));
    let sah = digunakan - tidak_sah;
    let v1 = rng.gen_range(0..=sah);
    let spare = diterima - digunakan;
    let dikembalikan = rng.gen_range(0..=spare.min(3));
    Form {
        pemilih_dpt: dpt,
        pemilih_dpph: dpph,
        pemilih_dptb: dptb,
        pemilih_total: Row::new(l + dpph.l + dptb.l, p + dpph.p + dptb.p),
        pengguna_dpt: u_dpt,
        pengguna_dpph: u_dpph,
        pengguna_dptb: u_dptb,
        pengguna_total: u_total,
        surat_diterima: diterima,
        surat_dikembalikan: dikembalikan,
        surat_tidak_digunakan: spare - dikembalikan,
        surat_digunakan: digunakan,
        disabilitas_pemilih: dis,
        disabilitas_pengguna: dis_u,
        votes: [(1, v1), (2, sah - v1)].into_iter().collect(),
        suara_sah: sah,
        suara_tidak_sah: tidak_sah,
        suara_total: digunakan,
    }
}

#[derive(Default, Clone)]
struct Model {
    village: String,
    current: Option<Form>,
    /// The numbers the totals count: the current version's, or while disputed the last
    /// verified one's (none without one).
    counted: Option<Form>,
    verified: bool,
    disputed: bool,
    errors: bool,
    flagged: bool,
}

/// The `flagged` of an accepted submission's answer.
fn flagged(v: &serde_json::Value) -> bool {
    v["flagged"].as_bool().unwrap()
}

/// Exact half-up rounding, computed differently from the implementation (quotient and remainder).
fn turnout(p: u64, d: u64) -> Option<String> {
    if d == 0 {
        return None;
    }
    let q = p * 10_000 / d;
    let r = p * 10_000 % d;
    let h = if 2 * r >= d { q + 1 } else { q };
    Some(format!("{}.{:02}", h / 100, h % 100))
}

/// A TPS imported with random master DPT (l, p).
#[derive(Clone, Copy)]
struct Tps {
    id: i64,
    l: u32,
    p: u32,
}

fn accepted(s: u16, v: &serde_json::Value) {
    assert_eq!(s, 201, "{v}");
}

async fn run(b: Backend, seed: u64) {
    let fx = Fx::new(b).await;
    let mut rng = StdRng::seed_from_u64(seed);
    let imported = import_random_tps(&fx, &mut rng).await;
    let mut model: BTreeMap<i64, Model> = BTreeMap::new();
    // The three fixture TPS (100/100 each) stay empty.
    for (i, t) in fx.tps.iter().enumerate() {
        let village = [VILLAGES[0], VILLAGES[0], VILLAGES[2]][i].to_string();
        model.insert(
            *t,
            Model {
                village,
                ..Model::default()
            },
        );
    }
    for (tps, village) in imported {
        let mut m = Model {
            village,
            ..Model::default()
        };
        enter_randomly(&fx, &mut rng, tps, &mut m).await;
        model.insert(tps.id, m);
    }
    reuse_one_photo(&fx, &mut model, seed).await;
    // Every level that has TPS: the city, each district and each village.
    let mut regions: Vec<String> = vec!["32.79".into()];
    for m in model.values() {
        regions.push(m.village[..8].to_string());
        regions.push(m.village.clone());
    }
    regions.sort();
    regions.dedup();
    for region in regions {
        equals_recount(&fx, &model, &region).await;
    }
    equals_rebuild(&fx).await;
}

/// Thirty TPS in random villages of Kota Banjar, with random master DPT, and their villages.
async fn import_random_tps(fx: &Fx, rng: &mut StdRng) -> Vec<(Tps, String)> {
    let villages: Vec<String> = balai_core::regions::REGIONS_TSV
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(c, _)| c)
        .filter(|c| c.starts_with("32.79.") && c.len() == 13)
        .map(str::to_string)
        .collect();
    let mut csv = String::from("village_code,number,address,dpt_l,dpt_p\n");
    let mut masters = Vec::new();
    for n in 0..30 {
        let v = &villages[rng.gen_range(0..villages.len())];
        let (l, p) = (rng.gen_range(40..300), rng.gen_range(40..300));
        csv.push_str(&format!("{v},{},Jl. {n},{l},{p}\n", 100 + n));
        masters.push((v.clone(), l, p));
    }
    let ids = fx.import_tps(fx.election, &csv).await;
    ids.into_iter()
        .zip(masters)
        .map(|(id, (village, l, p))| (Tps { id, l, p }, village))
        .collect()
}

/// One random history of entries for `tps`, recorded in `m`.
async fn enter_randomly(fx: &Fx, rng: &mut StdRng, tps: Tps, m: &mut Model) {
    let a = random_form(rng, tps.l, tps.p);
    match rng.gen_range(0..8) {
        0 => {}
        1 => {
            let (s, v) = fx.submit(&fx.op1, tps.id, form_json(&a), json!({})).await;
            accepted(s, &v);
            m.flagged = flagged(&v);
            m.current = Some(a);
        }
        2 => {
            fx.submit(&fx.op1, tps.id, form_json(&a), json!({})).await;
            let (s, v) = fx.submit(&fx.op2, tps.id, form_json(&a), json!({})).await;
            accepted(s, &v);
            m.flagged = flagged(&v);
            m.current = Some(a);
            m.verified = true;
        }
        3 => disputed(fx, rng, tps, a, m).await,
        4 => corrected(fx, rng, tps, a, m).await,
        5 => confirmed_on_paper(fx, tps, a, m).await,
        6 => revoted(fx, rng, tps, a, m).await,
        7 => batched_with_correction(fx, rng, tps, a, m).await,
        _ => unreachable!(),
    }
}

/// Another operator enters other numbers (confirmed on paper): the TPS is disputed, and its
/// totals keep the numbers two operators verified before, or none.
async fn disputed(fx: &Fx, rng: &mut StdRng, tps: Tps, a: Form, m: &mut Model) {
    let mut b2 = random_form(rng, tps.l, tps.p);
    if b2 == a {
        b2.suara_tidak_sah += 1;
        b2.suara_total += 1;
    }
    fx.submit(&fx.op1, tps.id, form_json(&a), json!({})).await;
    let verified_first = rng.gen_bool(0.5);
    let third = if verified_first {
        let (s, v) = fx.submit(&fx.op2, tps.id, form_json(&a), json!({})).await;
        assert_eq!((s, v["verified"].as_bool()), (201, Some(true)), "{v}");
        &fx.counter
    } else {
        &fx.op2
    };
    let (s, v) = fx
        .submit(
            third,
            tps.id,
            form_json(&b2),
            json!({"confirm_paper": true}),
        )
        .await;
    accepted(s, &v);
    assert_eq!(v["disputed"], true, "{v}");
    m.errors = !v["confirmed_errors"].as_array().unwrap().is_empty();
    m.flagged = flagged(&v);
    m.current = Some(b2);
    m.counted = verified_first.then_some(a);
    m.disputed = true;
}

/// The same operator corrects the entry (refused when nothing changes).
async fn corrected(fx: &Fx, rng: &mut StdRng, tps: Tps, a: Form, m: &mut Model) {
    let b2 = random_form(rng, tps.l, tps.p);
    let (_, first) = fx.submit(&fx.op1, tps.id, form_json(&a), json!({})).await;
    let (s, v) = fx
        .submit(
            &fx.op1,
            tps.id,
            form_json(&b2),
            json!({"reason": "koreksi"}),
        )
        .await;
    if b2 == a {
        assert_eq!(s, 409);
        m.flagged = flagged(&first);
    } else {
        accepted(s, &v);
        m.flagged = flagged(&v);
    }
    m.current = Some(b2);
}

/// An inconsistent form is refused, then stored once confirmed as on paper.
async fn confirmed_on_paper(fx: &Fx, tps: Tps, a: Form, m: &mut Model) {
    let mut bad = a.clone();
    bad.surat_dikembalikan += 1;
    let (s, v) = fx.submit(&fx.op1, tps.id, form_json(&bad), json!({})).await;
    assert_eq!(s, 422);
    let (s, v2) = fx
        .submit(
            &fx.op1,
            tps.id,
            form_json(&bad),
            json!({"confirm_paper": true}),
        )
        .await;
    accepted(s, &v2);
    let _ = v;
    m.flagged = flagged(&v2);
    m.current = Some(bad);
    m.errors = true;
}

/// A re-vote (PSU) after a verified double entry: a new epoch, neither verified nor disputed
/// until a second operator confirms the new numbers.
async fn revoted(fx: &Fx, rng: &mut StdRng, tps: Tps, a: Form, m: &mut Model) {
    let b2 = random_form(rng, tps.l, tps.p);
    fx.submit(&fx.op1, tps.id, form_json(&a), json!({})).await;
    fx.submit(&fx.op2, tps.id, form_json(&a), json!({})).await;
    let (s, v) = fx
        .submit(
            &fx.sup,
            tps.id,
            form_json(&b2),
            json!({"psu_ref": "Keputusan KPU Kota Banjar No. 1/2024"}),
        )
        .await;
    accepted(s, &v);
    m.flagged = flagged(&v);
    if rng.gen_bool(0.5) {
        let (s, v) = fx.submit(&fx.op2, tps.id, form_json(&b2), json!({})).await;
        accepted(s, &v);
        m.flagged = flagged(&v);
        m.verified = true;
    }
    m.current = Some(b2);
}

/// A batch carrying an entry and its correction for the same TPS.
async fn batched_with_correction(fx: &Fx, rng: &mut StdRng, tps: Tps, a: Form, m: &mut Model) {
    let id = tps.id;
    let mut b2 = random_form(rng, tps.l, tps.p);
    if b2 == a {
        b2.suara_tidak_sah += 1;
        b2.suara_total += 1;
    }
    let (s, v) = fx
        .post(
            &fx.op1,
            &fx.path("/results/batch"),
            json!({"items": [
                {"tps_id": id, "form": form_json(&a)},
                {"tps_id": id, "form": form_json(&b2), "reason": "koreksi", "confirm_paper": true},
            ]}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["accepted"], 2, "{v}");
    let second = &v["items"][1]["result"];
    assert_eq!(second["kind"], "correction", "{v}");
    assert_eq!(second["version"], 2, "{v}");
    m.errors = !second["confirmed_errors"].as_array().unwrap().is_empty();
    m.flagged = flagged(second);
    m.current = Some(b2);
}

/// The same photo for two TPS flags both (those with a result count in the totals).
async fn reuse_one_photo(fx: &Fx, model: &mut BTreeMap<i64, Model>, seed: u64) {
    let entered: Vec<i64> = model
        .iter()
        .filter(|(_, m)| m.current.is_some())
        .map(|(id, _)| *id)
        .collect();
    let photo = [&[0xFFu8, 0xD8, 0xFF, 0xE0][..], &seed.to_be_bytes()].concat();
    for id in entered.iter().take(2) {
        let res = fx
            .http
            .post(fx.app.url(&fx.path(&format!("/tps/{id}/photos"))))
            .bearer_auth(&fx.op1)
            .header("content-type", "image/jpeg")
            .body(photo.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201);
    }
    if entered.len() >= 2 {
        for id in entered.iter().take(2) {
            model.get_mut(id).unwrap().flagged = true;
        }
    }
}

/// The results of `region` equal a brute-force recount of the model's current versions.
async fn equals_recount(fx: &Fx, model: &BTreeMap<i64, Model>, region: &str) {
    let inside: Vec<&Model> = model
        .values()
        .filter(|m| m.village == region || m.village.starts_with(&format!("{region}.")))
        .collect();
    let cur: Vec<&Form> = inside.iter().filter_map(|m| m.current.as_ref()).collect();
    let counted: Vec<&Form> = inside
        .iter()
        .filter_map(|m| {
            if m.disputed {
                m.counted.as_ref()
            } else {
                m.current.as_ref()
            }
        })
        .collect();
    let sum = |g: &dyn Fn(&Form) -> u32| counted.iter().map(|f| u64::from(g(f))).sum::<u64>();
    let r = fx.results(region).await;
    let dpt = sum(&|f| f.pemilih_dpt.total);
    let pengguna = sum(&|f| f.pengguna_total.total);
    assert_eq!(
        r["tps_total"].as_u64().unwrap(),
        inside.len() as u64,
        "{region}"
    );
    assert_eq!(
        r["tps_entered"].as_u64().unwrap(),
        cur.len() as u64,
        "{region}"
    );
    assert_eq!(
        r["tps_verified"].as_u64().unwrap(),
        inside.iter().filter(|m| m.verified).count() as u64,
        "{region}"
    );
    assert_eq!(
        r["tps_disputed"].as_u64().unwrap(),
        inside.iter().filter(|m| m.disputed).count() as u64,
        "{region}"
    );
    assert_eq!(
        r["tps_errors"].as_u64().unwrap(),
        inside.iter().filter(|m| m.errors).count() as u64,
        "{region}"
    );
    assert_eq!(
        r["tps_flagged"].as_u64().unwrap(),
        inside.iter().filter(|m| m.flagged).count() as u64,
        "{region}"
    );
    assert_eq!(r["dpt"].as_u64().unwrap(), dpt, "{region}");
    assert_eq!(r["pengguna"].as_u64().unwrap(), pengguna, "{region}");
    assert_eq!(
        r["suara_sah"].as_u64().unwrap(),
        sum(&|f| f.suara_sah),
        "{region}"
    );
    assert_eq!(
        r["suara_tidak_sah"].as_u64().unwrap(),
        sum(&|f| f.suara_tidak_sah),
        "{region}"
    );
    for b in [1u32, 2] {
        let want = sum(&|f| f.votes[&b]);
        let got = r["votes"][b.to_string()].as_u64().unwrap_or(0);
        assert_eq!(got, want, "{region} paslon {b}");
    }
    // The JSON number carries exactly two decimals.
    let text = fx
        .http
        .get(fx.app.url(&fx.path(&format!("/results?region={region}"))))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = text.find("\"turnout_percent\":").unwrap() + "\"turnout_percent\":".len();
    let raw = &text[at..at + text[at..].find(',').unwrap()];
    match turnout(pengguna, dpt) {
        Some(t) => assert_eq!(raw, t, "{region}"),
        None => assert_eq!(raw, "null"),
    }
}

/// The totals kept incrementally equal the totals rebuilt from scratch, row by row.
async fn equals_rebuild(fx: &Fx) {
    let all = |fx: &Fx| {
        let db = fx.app.db.clone();
        let id = fx.election;
        async move {
            let codes: Vec<String> = balai_core::with_db!(&db, |c| sqlx::query_scalar(
                "SELECT region_code FROM region_totals WHERE election_id = $1"
            )
            .bind(id)
            .fetch_all(c)
            .await)
            .unwrap();
            let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
            let mut got = balai_elections::store::totals::get_many(&db, id, &refs)
                .await
                .unwrap();
            for a in got.values_mut() {
                a.votes.retain(|_, v| *v != 0);
            }
            got
        }
    };
    let kept = all(fx).await;
    assert!(kept.len() > 4, "{kept:?}");
    // Villages are summed when read, never stored.
    assert!(
        kept.keys().all(|c| c.matches('.').count() < 3),
        "{:?}",
        kept.keys()
    );
    let mut tx = fx.app.db.begin().await.unwrap();
    balai_elections::store::totals::rebuild(&mut tx, fx.election)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(kept, all(fx).await);
}

both_backends!(
    aggregation_equals_brute_force_recount,
    |b: Backend| async move {
        for seed in [7u64, 2024] {
            run(b, seed).await;
        }
    }
);
