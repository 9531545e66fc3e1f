//! Issue #22 item 10: KPU staff set an election up from pages (create it, register pairs and
//! change their status, upload TPS as CSV with the per-row report, publish schedule versions,
//! close it), each POST redirecting back; only what the role and the election's state allow is
//! offered, and a refused form changes nothing. Both backends, real HTTP with a session.

use crate::support::worlds::elections::*;
use crate::support::{Backend, Multipart};

use super::readable::{count, page_of as get, post_form as post, session};

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_string()
}

both_backends!(
    kpu_sets_up_an_election_from_pages,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        let sup = session(&fx, "banjar.sup").await;
        let (s, list) = get(&sup, &fx, "/elections").await;
        assert_eq!(s, 200);
        assert!(
            list.contains("href=\"/elections/baru\""),
            "offered to a supervisor"
        );
        let (s, form) = get(&sup, &fx, "/elections/baru").await;
        assert_eq!(s, 200);
        assert!(
            form.contains("<option value=\"32.79\" selected>Kota Banjar</option>"),
            "{form}"
        );
        // A bad date: the form again, nothing stored.
        let before = count(&fx, "SELECT COUNT(*) FROM elections").await;
        let res = post(
            &sup,
            &fx,
            "/elections/baru",
            "/elections/baru",
            &[
                ("kind", "walikota"),
                ("region_code", "32.79"),
                ("name", "Pemilihan Wali Kota Banjar 2029"),
                ("voting_date", "kapan"),
            ],
        )
        .await;
        assert_eq!(res.status().as_u16(), 422);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("value=\"Pemilihan Wali Kota Banjar 2029\""));
        assert_eq!(count(&fx, "SELECT COUNT(*) FROM elections").await, before);
        let res = post(
            &sup,
            &fx,
            "/elections/baru",
            "/elections/baru",
            &[
                ("kind", "walikota"),
                ("region_code", "32.79"),
                ("name", "Pemilihan Wali Kota Banjar 2029"),
                ("voting_date", "2029-11-28"),
            ],
        )
        .await;
        assert_eq!(res.status().as_u16(), 303);
        let to = location(&res);
        assert!(to.ends_with("/kelola?ok=dibuat"), "{to}");
        let id: i64 = to.split('/').nth(2).unwrap().parse().unwrap();
        let manage = format!("/elections/{id}/kelola");
        let (s, page) = get(&sup, &fx, &to).await;
        assert_eq!(s, 200);
        assert!(page.contains("Pemilihan dibuat."));
        // A candidate pair, then its designation.
        let res = post(
            &sup,
            &fx,
            &manage,
            &format!("{manage}/paslon"),
            &[
                ("ballot_number", "1"),
                ("head_name", "Hj. Sri Wahyuni, S.E."),
                ("deputy_name", "Dedi Kurniawan"),
                ("parties", "Partai A, Partai B"),
            ],
        )
        .await;
        assert_eq!(
            (res.status().as_u16(), location(&res)),
            (303, format!("{manage}?ok=paslon"))
        );
        let res = post(
            &sup,
            &fx,
            &manage,
            &format!("{manage}/paslon"),
            &[
                ("ballot_number", "1"),
                ("head_name", "Lagi"),
                ("deputy_name", "Lagi"),
                ("independent", "1"),
            ],
        )
        .await;
        assert_eq!(res.status().as_u16(), 409, "ballot number taken");
        let res = post(
            &sup,
            &fx,
            &manage,
            &format!("{manage}/paslon/status"),
            &[("ballot_number", "1"), ("status", "designated")],
        )
        .await;
        assert_eq!(res.status().as_u16(), 303);
        let (_, page) = get(&sup, &fx, &format!("/elections/{id}")).await;
        assert!(page.contains("Ditetapkan") && page.contains("Partai A, Partai B"));
        // TPS from a CSV file: a bad row names its line, nothing is added; a good file is.
        let upload = |csv: &'static str| {
            let sup = sup.clone();
            let manage = manage.clone();
            let fx = &fx;
            async move {
                let csrf = fx.app.csrf(&sup, &manage).await;
                let (ct, body) = Multipart::new()
                    .text("csrf", &csrf)
                    .file("csv", "tps.csv", "text/csv", csv.as_bytes())
                    .finish();
                sup.post(fx.app.url(&format!("{manage}/tps")))
                    .header("content-type", ct)
                    .body(body)
                    .send()
                    .await
                    .unwrap()
            }
        };
        let res = upload("village_code,number,address,dpt_l,dpt_p\n32.79.01.1001,1,Jl. A,100,100\n32.79.01.1001,x,Jl. B,1,1\n").await;
        assert_eq!(res.status().as_u16(), 422);
        assert!(res.text().await.unwrap().contains("Baris 3"));
        assert_eq!(
            count(
                &fx,
                &format!("SELECT COUNT(*) FROM tps WHERE election_id = {id}")
            )
            .await,
            0
        );
        let res = upload("village_code,number,address,dpt_l,dpt_p\n32.79.01.1001,1,Jl. A,100,100\n32.79.01.1002,1,Jl. B,300,300\n").await;
        assert_eq!(res.status().as_u16(), 303);
        assert_eq!(
            location(&res),
            format!("{manage}?ok=tps&impor=2&peringatan=0")
        );
        assert_eq!(
            count(
                &fx,
                &format!("SELECT COUNT(*) FROM tps WHERE election_id = {id}")
            )
            .await,
            2
        );
        // A schedule version from the form rows: kinds chosen or inferred, the voting date follows.
        let res = post(
            &sup,
            &fx,
            &manage,
            &format!("{manage}/jadwal"),
            &[
                ("name", "Kampanye"),
                ("kind", ""),
                ("start", "2029-09-25"),
                ("end", "2029-11-23"),
                ("name", "Hari H"),
                ("kind", "pemungutan_suara"),
                ("start", "2029-11-27"),
                ("end", ""),
                ("name", ""),
                ("kind", ""),
                ("start", ""),
                ("end", ""),
                ("reason", "Jadwal awal"),
                ("legal_basis", "PKPU 2/2029"),
            ],
        )
        .await;
        assert_eq!(
            (res.status().as_u16(), location(&res)),
            (303, format!("{manage}?ok=jadwal"))
        );
        let (_, e) = fx.get(&format!("/api/v1/elections/{id}")).await;
        assert_eq!(e["voting_date"], "2029-11-27");
        assert_eq!(e["schedule"]["stages"][0]["kind"], "kampanye");
        let res = post(
            &sup,
            &fx,
            &manage,
            &format!("{manage}/jadwal"),
            &[
                ("name", "A"),
                ("kind", ""),
                ("start", "2029-12-01"),
                ("end", "2029-11-01"),
                ("reason", "x"),
                ("legal_basis", "y"),
            ],
        )
        .await;
        assert_eq!(res.status().as_u16(), 422);
        assert!(res.text().await.unwrap().contains("Tahapan 1"));
        // Close: offered while open; afterwards neither close nor the write forms for a supervisor,
        // and no reopen (an admin's).
        let res = post(
            &sup,
            &fx,
            &manage,
            &format!("{manage}/status"),
            &[("status", "closed")],
        )
        .await;
        assert_eq!(res.status().as_u16(), 303);
        let (_, page) = get(&sup, &fx, &manage).await;
        assert!(!page.contains("value=\"closed\"") && !page.contains("value=\"open\""));
        assert!(!page.contains("/kelola/paslon\"") && !page.contains("/kelola/tps\""));
        let admin = session(&fx, "banjar.admin").await;
        let (_, page) = get(&admin, &fx, &manage).await;
        assert!(page.contains("name=\"status\" value=\"open\""));
        // Every step is in the audit log.
        assert!(count(&fx, &format!("SELECT COUNT(*) FROM audit_events WHERE target_id = '{id}' AND action LIKE 'elections.%'")).await >= 6);
    }
);

both_backends!(setup_pages_follow_the_roles, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let manage = format!("/elections/{}/kelola", fx.election);
    // An officer enters results but sets nothing up: no link, no page, no write.
    let op = session(&fx, "banjar.op1").await;
    let (_, list) = get(&op, &fx, "/elections").await;
    assert!(!list.contains("/elections/baru"));
    let (_, show) = get(&op, &fx, &format!("/elections/{}", fx.election)).await;
    assert!(!show.contains("/kelola") && !show.contains("/disputes"));
    assert_eq!(get(&op, &fx, &manage).await.0, 403);
    assert_eq!(get(&op, &fx, "/elections/baru").await.0, 403);
    let sup = session(&fx, "banjar.sup").await;
    let csrf = fx.app.csrf(&sup, &manage).await;
    let before = count(&fx, "SELECT COUNT(*) FROM candidates").await;
    let res = op
        .post(fx.app.url(&format!("{manage}/paslon")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("ballot_number", "9"),
            ("head_name", "X"),
            ("deputy_name", "Y"),
            ("independent", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert!(matches!(res.status().as_u16(), 403), "{}", res.status());
    assert_eq!(count(&fx, "SELECT COUNT(*) FROM candidates").await, before);
    // Another region's supervisor: not found or forbidden, never the page.
    let palembang = session(&fx, "palembang.sup").await;
    assert_eq!(get(&palembang, &fx, &manage).await.0, 403);
    // Without the CSRF token: refused.
    let res = sup
        .post(fx.app.url(&format!("{manage}/status")))
        .form(&[("status", "closed")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 403);
    let (_, e) = fx.get(&fx.path("")).await;
    assert_eq!(e["status"], "open");
});

both_backends!(api_tokens_from_a_page, |b: Backend| async move {
    let fx = Fx::new(b).await;
    let sup = session(&fx, "banjar.sup").await;
    let res = post(
        &sup,
        &fx,
        "/account/tokens",
        "/account/tokens",
        &[("name", "aplikasi rekap")],
    )
    .await;
    assert_eq!(
        (res.status().as_u16(), location(&res)),
        (303, "/account/tokens".to_string())
    );
    // Shown once, on the page the POST redirects to; a reload no longer shows it.
    let (_, page) = get(&sup, &fx, "/account/tokens").await;
    let token = page
        .split("<code id=\"new-token\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .unwrap()
        .to_string();
    assert!(token.starts_with("balai_"), "{page}");
    let (_, again) = get(&sup, &fx, "/account/tokens").await;
    assert!(!again.contains(&token) && again.contains("aplikasi rekap"));
    // The token works for the API as this official, until revoked.
    let csv = "village_code,number,address,dpt_l,dpt_p\n32.79.01.1002,5,Jl. Token,10,10\n";
    let (s, v) = fx
        .send_csv(&token, "POST", &fx.path("/tps/import"), csv)
        .await;
    assert_eq!(s, 201, "{v}");
    let id = count(&fx, "SELECT MAX(id) FROM api_tokens").await;
    let res = post(
        &sup,
        &fx,
        "/account/tokens",
        &format!("/account/tokens/{id}/revoke"),
        &[("x", "")],
    )
    .await;
    assert_eq!(res.status().as_u16(), 303);
    let (s, _) = fx
        .send_csv(&token, "POST", &fx.path("/tps/import"), csv)
        .await;
    assert_eq!(s, 401);
    // Another official cannot revoke it (again): not found.
    let op = session(&fx, "banjar.op1").await;
    let res = post(
        &op,
        &fx,
        "/account/tokens",
        &format!("/account/tokens/{id}/revoke"),
        &[("x", "")],
    )
    .await;
    assert_eq!(res.status().as_u16(), 404);
    assert_eq!(
        count(
            &fx,
            "SELECT COUNT(*) FROM audit_events WHERE action IN ('token.created', 'token.revoked')"
        )
        .await,
        2
    );
});
