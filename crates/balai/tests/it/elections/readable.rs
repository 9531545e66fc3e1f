//! Issue #22, the elections part: results people can read (full names, shares with two
//! decimals, region names as links, flag labels in words, what a disputed TPS counts and why),
//! the CSV header with names, stage kinds and the voting date that follows the schedule, the
//! entry form's labels and errors on the fields, a supervisor's decision on a dispute, and
//! every election page in the page's language. Both backends, real HTTP.

use crate::support::worlds::elections::*;
use crate::support::Backend;
use serde_json::{json, Value};

async fn html(fx: &Fx, path: &str) -> (u16, String) {
    let res = fx.http.get(fx.app.url(path)).send().await.unwrap();
    let s = res.status().as_u16();
    (s, res.text().await.unwrap())
}

/// A signed-in browser-like client (cookies, no redirects followed) for `user`.
pub(super) async fn session(fx: &Fx, user: &str) -> reqwest::Client {
    let c = fx.app.client();
    let res = fx
        .app
        .login(&c, user, &format!("pw-{user}-0123456789"))
        .await;
    assert_eq!(res.status().as_u16(), 303, "login {user}");
    c
}

pub(super) async fn page_of(c: &reqwest::Client, fx: &Fx, path: &str) -> (u16, String) {
    let res = c.get(fx.app.url(path)).send().await.unwrap();
    let s = res.status().as_u16();
    (s, res.text().await.unwrap())
}

/// Post a form of `page` (its CSRF token first) to `action`.
pub(super) async fn post_form<V: AsRef<str>>(
    c: &reqwest::Client,
    fx: &Fx,
    page: &str,
    action: &str,
    fields: &[(&str, V)],
) -> reqwest::Response {
    let csrf = fx.app.csrf(c, page).await;
    let mut form: Vec<(String, String)> = vec![("csrf".into(), csrf)];
    form.extend(
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_ref().to_string())),
    );
    c.post(fx.app.url(action)).form(&form).send().await.unwrap()
}

pub(super) async fn count(fx: &Fx, sql: &str) -> i64 {
    balai_core::with_db!(&fx.app.db, |c| sqlx::query_scalar(sql).fetch_one(c).await).unwrap()
}

/// A third pair with long names (the review's names were cut after 28 characters).
async fn long_named_pair(fx: &Fx) {
    let (s, v) = fx
        .post(
            &fx.sup,
            &fx.path("/candidates"),
            json!({"ballot_number": 3, "head_name": "Hj. Sri Wahyuni Kusumaningrum, S.E., M.Si.", "deputy_name": "Dedi Kurniawan Saputra, S.H., M.H.", "independent": true}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
}

fn three_pair_form(v1: u32, v2: u32, v3: u32) -> Value {
    let mut f = good_form();
    f.votes = [(1, v1), (2, v2), (3, v3)].into_iter().collect();
    form_json(&f)
}

both_backends!(results_read_as_names_and_shares, |b: Backend| async move {
    let fx = Fx::new(b).await;
    long_named_pair(&fx).await;
    // 100 + 50 + 20 = 170 valid votes: 58.82%, 29.41%, 11.76%.
    let (s, v) = fx
        .submit(&fx.op1, fx.tps[0], three_pair_form(100, 50, 20), json!({}))
        .await;
    assert_eq!(s, 201, "{v}");
    let e = fx.election;
    let (s, city) = html(&fx, &format!("/elections/{e}/results")).await;
    assert_eq!(s, 200);
    // Full names in the chart and the table, never cut.
    assert!(city.contains(
        "Hj. Sri Wahyuni Kusumaningrum, S.E., M.Si. – Dedi Kurniawan Saputra, S.H., M.H."
    ));
    assert!(
        city.contains(">Kusumaningrum, S.E., M.Si. – Dedi<")
            || city.contains("Kusumaningrum, S.E., M.Si. –"),
        "the chart wraps the long name onto lines"
    );
    // Shares with two decimals, Indonesian separators; English ones in English.
    for share in ["58,82%", "29,41%", "11,76%"] {
        assert!(city.contains(share), "{share}");
    }
    let (_, en) = html(&fx, &format!("/elections/{e}/results?lang=en")).await;
    assert!(en.contains("58.82%") && en.contains("Candidate pair"));
    // Region names are the links, codes are not link text; flags are words.
    assert!(
        city.contains(&format!(
            "<a href=\"/elections/{e}/results?region=32.79.01\">Banjar</a>"
        )),
        "district name as the link"
    );
    assert!(!city.contains(">32.79.01</a>"));
    assert!(!city.contains("≠"));
    assert!(city.contains("viewBox=\"0 0 320 "), "drawn at phone width");
    // A flagged TPS is said in words.
    let mut odd = good_form();
    odd.votes = [(1, 170), (2, 0), (3, 0)].into_iter().collect();
    let (s, v) = fx
        .submit(&fx.op1, fx.tps[2], form_json(&odd), json!({}))
        .await;
    assert_eq!(s, 201, "{v}");
    // The English visit above is remembered (a cookie): ask for Indonesian again.
    let (_, city) = html(&fx, &format!("/elections/{e}/results?lang=id")).await;
    assert!(
        city.contains("1 TPS bertanda"),
        "flag label in words: {city}"
    );
    // TPS rows say `TPS 001` everywhere.
    let (_, village) = html(
        &fx,
        &format!("/elections/{e}/results?region={}&lang=id", VILLAGES[0]),
    )
    .await;
    assert!(village.contains(">TPS 001</a>"));
    let (_, tps) = html(&fx, &format!("/elections/{e}/tps/{}", fx.tps[2])).await;
    assert!(tps.contains("<h1>TPS 001"));
    // Public warnings name fields in words, never keys.
    assert!(
        !tps.contains("votes.1") && !tps.contains("surat_diterima"),
        "{tps}"
    );
});

both_backends!(csv_header_names_are_opt_in, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let base = fx.app.url(&fx.path("/results.csv?region=32.79"));
    let old = fx
        .http
        .get(&base)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let head = old.lines().next().unwrap();
    assert_eq!(head, "code,name,tps_total,tps_entered,tps_verified,tps_flagged,dpt,pengguna,turnout_percent,suara_sah,suara_tidak_sah,votes_1,votes_2");
    let named = fx
        .http
        .get(format!("{base}&header=names"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let head = named.lines().next().unwrap();
    assert!(
        head.ends_with(",votes_1 Calon Satu – Wakil,votes_2 Calon Dua – Wakil"),
        "{head}"
    );
    assert_eq!(
        old.lines().skip(1).collect::<Vec<_>>(),
        named.lines().skip(1).collect::<Vec<_>>()
    );
    let res = fx
        .http
        .get(format!("{base}&header=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 422);
});

both_backends!(voting_date_follows_the_schedule, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let v1 = json!({"reason": "Jadwal awal", "legal_basis": "PKPU 15/2019", "stages": [
        {"name": "Kampanye", "start": "2020-07-01", "end": "2020-09-19"},
        {"name": "Pemungutan suara", "start": "2020-09-23", "end": "2020-09-23"}]});
    let (s, v) = fx.send("PUT", &fx.sup, &fx.path("/schedule"), v1).await;
    assert_eq!(s, 201, "{v}");
    let (_, e) = fx.get(&fx.path("")).await;
    assert_eq!(e["voting_date"], "2020-09-23", "{e}");
    assert_eq!(
        e["schedule"]["stages"][1]["kind"], "pemungutan_suara",
        "inferred from the name"
    );
    assert_eq!(e["schedule"]["stages"][0]["kind"], "kampanye");
    // A kind given explicitly wins over the name; a stage of no kind says null.
    let v2 = json!({"reason": "Pandemi COVID-19", "legal_basis": "Perppu 2/2020", "stages": [
        {"name": "Sosialisasi", "start": "2020-06-15", "end": "2020-06-30"},
        {"name": "Kampanye", "start": "2020-09-26", "end": "2020-12-05"},
        {"kind": "pemungutan_suara", "name": "Hari H", "start": "2020-12-09", "end": "2020-12-09"}]});
    let (s, v) = fx.send("PUT", &fx.sup, &fx.path("/schedule"), v2).await;
    assert_eq!(s, 201, "{v}");
    let (_, e) = fx.get(&fx.path("")).await;
    assert_eq!(e["voting_date"], "2020-12-09");
    assert_eq!(e["schedule"]["stages"][0]["kind"], Value::Null);
    let (_, list) = fx.get("/api/v1/elections").await;
    assert!(list.to_string().contains("2020-12-09"), "{list}");
    // Two voting days, or a kind no one knows: refused, nothing stored.
    let twice = json!({"reason": "x", "legal_basis": "y", "stages": [
        {"name": "Pemungutan suara", "start": "2020-12-09", "end": "2020-12-09"},
        {"kind": "pemungutan_suara", "name": "Lagi", "start": "2020-12-10", "end": "2020-12-10"}]});
    let (s, v) = fx.send("PUT", &fx.sup, &fx.path("/schedule"), twice).await;
    assert_eq!((s, v["code"].as_str()), (422, Some("bad_schedule")), "{v}");
    let unknown = json!({"reason": "x", "legal_basis": "y", "stages": [
        {"kind": "pesta", "name": "Pesta", "start": "2020-12-09", "end": "2020-12-09"}]});
    let (s, _) = fx
        .send("PUT", &fx.sup, &fx.path("/schedule"), unknown)
        .await;
    assert_eq!(s, 422);
    let (_, e) = fx.get(&fx.path("")).await;
    assert_eq!(e["schedule"]["version"], 2);
    assert_eq!(e["voting_date"], "2020-12-09");
    // The page: the voting day as people write it, what moved from which date to which, in
    // local time with the zone, column headers, the author's name and agency.
    let (_, page) = html(&fx, &format!("/elections/{}", fx.election)).await;
    assert!(page.contains("9 Desember 2020"));
    assert!(
        page.contains("23 September 2020 → 9 Desember 2020"),
        "{page}"
    );
    assert!(page.contains("tahapan baru"));
    assert!(page.contains(" WIB</time>"));
    assert!(page.contains("<th scope=\"col\">Perubahan</th>"));
    assert!(page.contains("banjar.sup, KPU Kota Banjar"));
    assert!(!page.contains("2020-12-09<"), "no ISO dates as text");
    let (_, en) = html(&fx, &format!("/elections/{}?lang=en", fx.election)).await;
    assert!(en.contains("23 September 2020 → 9 December 2020"));
});

both_backends!(
    election_pages_speak_the_page_language,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        let (_, list) = html(&fx, "/elections").await;
        for word in ["Wali Kota", "Kota Banjar", "Dibuka", "27 November 2024"] {
            assert!(list.contains(word), "{word}");
        }
        for key in [">walikota<", ">open<", "32.79<"] {
            assert!(!list.contains(key), "{key}");
        }
        let (_, en) = html(&fx, "/elections?lang=en").await;
        assert!(en.contains("Mayor") && en.contains(">Open<"));
        // The English visit is remembered (a cookie): ask for Indonesian again.
        let (_, show) = html(&fx, &format!("/elections/{}?lang=id", fx.election)).await;
        assert!(
            show.contains("Pemilihan Wali Kota dan Wakil Wali Kota"),
            "{show}"
        );
        assert!(show.contains(">Kota Banjar</a>"));
        assert!(show.contains("Terdaftar") && !show.contains(">registered<"));
        let (_, en) = html(&fx, &format!("/elections/{}?lang=en", fx.election)).await;
        assert!(en.contains("Election of the Mayor and Vice Mayor") && en.contains("Registered"));
        // The TPS page: state and version kind in words.
        fx.submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
            .await;
        let (_, tps) = html(
            &fx,
            &format!("/elections/{}/tps/{}?lang=id", fx.election, fx.tps[0]),
        )
        .await;
        assert!(tps.contains("belum diperiksa entri kedua"));
        assert!(!tps.contains("(entry)") && !tps.contains(">entered<"));
        assert!(tps.contains(" WIB</time>"));
    }
);

both_backends!(entry_form_marks_the_wrong_fields, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let c = session(&fx, "banjar.op1").await;
    let path = format!("/elections/{}/tps/{}/entry", fx.election, fx.tps[0]);
    let (s, form) = page_of(&c, &fx, &path).await;
    assert_eq!(s, 200);
    // Rows and boxes are labelled in words, never with keys.
    assert!(form.contains("aria-label=\"Pemilih dalam DPT, laki-laki\""));
    assert!(form.contains("<span>Pemilih dalam DPT</span>"));
    assert!(!form.contains("aria-label=\"pemilih_dpt.l\""));
    assert!(form.contains("1. Calon Satu – Wakil"));
    // Rule 1 broken on one row: the three boxes of that row are marked, with the message.
    let mut fields: Vec<(&str, String)> = Vec::new();
    let good = good_form();
    for (k, v) in good.flat() {
        let v = if k == "pemilih_dpt.total" { 999 } else { v };
        fields.push((Box::leak(k.into_boxed_str()), v.to_string()));
    }
    let before = count(&fx, "SELECT COUNT(*) FROM result_entries").await;
    let res = post_form(&c, &fx, &path, &path, &fields).await;
    assert_eq!(res.status().as_u16(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("id=\"f-pemilih_dpt-total\" name=\"pemilih_dpt.total\" value=\"999\" aria-label=\"Pemilih dalam DPT, jumlah\" aria-invalid=\"true\" aria-describedby=\"f-pemilih_dpt-total-err\""), "{body}");
    assert!(body.contains("id=\"f-pemilih_dpt-total-err\""));
    assert!(
        !body.contains("name=\"suara_sah\" value=\"170\" aria-label=\"Suara sah\" aria-invalid"),
        "a good field is not marked"
    );
    assert!(
        !body.contains("baris pemilih_dpt"),
        "the message names the row in words"
    );
    assert_eq!(
        count(&fx, "SELECT COUNT(*) FROM result_entries").await,
        before
    );
    // An unreadable number: marked too.
    let mut fields2 = fields.clone();
    for f in &mut fields2 {
        if f.0 == "pemilih_dpt.total" {
            f.1 = "dua ratus".into();
        }
    }
    let res = post_form(&c, &fx, &path, &path, &fields2).await;
    assert_eq!(res.status().as_u16(), 422);
    let body = res.text().await.unwrap();
    assert!(body.contains("aria-describedby=\"f-pemilih_dpt-total-err\""));
    assert!(body.contains("Pemilih dalam DPT, jumlah: harus berupa bilangan bulat"));
});

/// op1 and op2 agree (v2 verified), then op1 enters other numbers (v3): disputed.
async fn disputed(fx: &Fx) -> (Value, Value) {
    let a = form_json(&good_form());
    let mut other = good_form();
    other.votes = [(1, 70), (2, 100)].into_iter().collect();
    let b = form_json(&other);
    assert_eq!(
        fx.submit(&fx.op1, fx.tps[0], a.clone(), json!({})).await.0,
        201
    );
    assert_eq!(
        fx.submit(&fx.op2, fx.tps[0], a.clone(), json!({})).await.0,
        201
    );
    let (s, v) = fx
        .submit(
            &fx.op1,
            fx.tps[0],
            b.clone(),
            json!({"reason": "salah baca"}),
        )
        .await;
    assert_eq!((s, v["disputed"].as_bool()), (201, Some(true)), "{v}");
    (a, b)
}

both_backends!(a_disputed_tps_says_what_counts, |b: Backend| async move {
    let fx = Fx::new(b).await;
    disputed(&fx).await;
    let r = fx.results("32.79").await;
    assert_eq!(r["votes"]["1"], 100, "the last verified version counts");
    let (_, tps) = html(
        &fx,
        &format!("/elections/{}/tps/{}", fx.election, fx.tps[0]),
    )
    .await;
    assert!(
        tps.contains("hasil sementara menghitung versi 2 (banjar.op2)"),
        "{tps}"
    );
    assert!(tps.contains("versi terakhir yang terverifikasi"));
    assert!(tps.contains("Versi yang dihitung</h2>") || tps.contains("Versi yang dihitung: 2"));
    let (_, en) = html(
        &fx,
        &format!("/elections/{}/tps/{}?lang=en", fx.election, fx.tps[0]),
    )
    .await;
    assert!(en.contains("the provisional totals count version 2"));
});

both_backends!(a_supervisor_resolves_a_dispute, |b: Backend| async move {
    let fx = Fx::new(b).await;
    disputed(&fx).await;
    let tps = fx.tps[0];
    let path = format!("/api/v1/elections/{}/tps/{tps}/resolution", fx.election);
    // Operators do not decide; a decision needs a reason and a disagreeing version.
    let before = fx.snapshot().await;
    let choose = json!({"decision": "choose_version", "version": 3, "reason": "dicocokkan dengan foto C.Hasil-KWK"});
    assert_eq!(fx.post(&fx.op2, &path, choose.clone()).await.0, 403);
    let (s, v) = fx
        .post(
            &fx.sup,
            &path,
            json!({"decision": "choose_version", "version": 3, "reason": " "}),
        )
        .await;
    assert_eq!((s, v["code"].as_str()), (422, Some("reason_required")));
    let (s, v) = fx
        .post(
            &fx.sup,
            &path,
            json!({"decision": "choose_version", "version": 1, "reason": "versi lama"}),
        )
        .await;
    assert_eq!(
        (s, v["code"].as_str()),
        (422, Some("bad_version")),
        "v1 is not one of the disagreeing entries"
    );
    assert_eq!(fx.snapshot().await.3, before.3, "nothing stored");
    // Asking for a re-entry changes no numbers.
    let (s, v) = fx
        .post(
            &fx.sup,
            &path,
            json!({"decision": "reentry", "reason": "kedua angka meragukan"}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(fx.results("32.79").await["votes"]["1"], 100);
    // The supervisor chooses op1's v3 from the photo: a new verified version, the totals follow.
    let (s, v) = fx.post(&fx.sup, &path, choose).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(
        (v["new_version"].as_i64(), v["verified"].as_bool()),
        (Some(4), Some(true))
    );
    let r = fx.results("32.79").await;
    assert_eq!(
        (r["votes"]["1"].as_i64(), r["tps_disputed"].as_i64()),
        (Some(70), Some(0))
    );
    let (s, v) = fx
        .post(
            &fx.sup,
            &path,
            json!({"decision": "reentry", "reason": "sekali lagi"}),
        )
        .await;
    assert_eq!((s, v["code"].as_str()), (409, Some("not_disputed")));
    assert_eq!(
        count(&fx, "SELECT COUNT(*) FROM election_dispute_decisions").await,
        2
    );
    assert_eq!(
        count(
            &fx,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'elections.dispute_resolved'"
        )
        .await,
        2
    );
});

both_backends!(
    the_disputes_queue_resolves_in_the_browser_flow,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        disputed(&fx).await;
        let c = session(&fx, "banjar.sup").await;
        let queue = format!("/elections/{}/disputes", fx.election);
        let (s, page) = page_of(&c, &fx, &queue).await;
        assert_eq!(s, 200);
        assert!(page.contains("Suara paslon nomor 1") && !page.contains(">votes.1<"));
        assert!(page.contains("value=\"version:3\"") && page.contains("value=\"reentry\""));
        let action = format!("/elections/{}/tps/{}/resolve", fx.election, fx.tps[0]);
        // No reason: the queue again with the message, nothing stored.
        let res = post_form(
            &c,
            &fx,
            &queue,
            &action,
            &[("decision", "version:3"), ("reason", "")],
        )
        .await;
        assert_eq!(res.status().as_u16(), 422);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("Tuliskan alasan keputusan"));
        let res = post_form(
            &c,
            &fx,
            &queue,
            &action,
            &[
                ("decision", "version:2"),
                ("reason", "sesuai foto formulir"),
            ],
        )
        .await;
        assert_eq!(res.status().as_u16(), 303);
        assert_eq!(
            res.headers()["location"],
            format!("/elections/{}/disputes?selesai={}", fx.election, fx.tps[0]).as_str()
        );
        let (_, page) = page_of(&c, &fx, &format!("{queue}?selesai=1")).await;
        assert!(page.contains("Keputusan tersimpan") && page.contains("Tidak ada selisih."));
        assert_eq!(fx.results("32.79").await["votes"]["1"], 100);
        // An officer may not open the queue.
        let op = session(&fx, "banjar.op1").await;
        assert_eq!(page_of(&op, &fx, &queue).await.0, 403);
    }
);

// The version history names the officials who entered each version, not their usernames.
both_backends!(tps_history_names_the_officials, |b: Backend| async move {
    let fx = Fx::new(b).await;
    crate::support::exec(
        &fx.app.db,
        "UPDATE users SET display_name = 'Siti Aminah' WHERE username = 'banjar.op1'",
    )
    .await;
    let (s, v) = fx
        .submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
        .await;
    assert_eq!(s, 201, "{v}");
    let (_, tps) = html(
        &fx,
        &format!("/elections/{}/tps/{}", fx.election, fx.tps[0]),
    )
    .await;
    assert!(tps.contains("<td>Siti Aminah</td>"), "{tps}");
    assert!(!tps.contains("banjar.op1"), "{tps}");
});
