//! Issue 22, item 9 for complaints: an officer's and a supervisor's screens follow the work. A
//! phone with JavaScript off and axe-core on every page: counts on the dashboard, suggested
//! duplicates in the queue, only the actions the report's state allows, history in words, a
//! forced wrong action back on the record with the reason, assignment to a colleague, a
//! confirmed "Tolak", a re-route list without the own agency, and dashboard columns that line up.

use fantoccini::Locator;
use serde_json::json;

use crate::support::browser::Browser;
use crate::support::worlds::complaints::World;
use crate::support::Backend;

const OFFICER_PW: &str = "pw-petugas.banjar-0123456789";
const SUPERVISOR_PW: &str = "pw-0123456789-x";

/// The values of the options of the select `css`.
async fn options(br: &Browser, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for o in br
        .find_all(Locator::Css(&format!("{css} option")))
        .await
        .unwrap()
    {
        out.push(o.attr("value").await.unwrap().unwrap_or_default());
    }
    out
}

async fn status(w: &World, id: i64) -> String {
    balai_core::with_db!(&w.app.db, |c| sqlx::query_scalar::<_, String>(
        "SELECT status FROM complaints WHERE id = $1"
    )
    .bind(id)
    .fetch_one(c)
    .await)
    .unwrap()
}

both_backends!(
    officer_works_a_complaint_on_a_phone,
    |b: Backend| async move {
        let w = World::new(b).await;
        // Two reports of the same road in the same village: the second is likely a duplicate.
        let (id, _) = w.file_banjar(json!({})).await;
        let (dup, _) = w.file_banjar(json!({})).await;
        let br = Browser::phone_without_js().await.unwrap();
        br.sign_in(&w.app.base, "petugas.banjar", OFFICER_PW)
            .await
            .unwrap();
        assert_eq!(br.current_url().await.unwrap().path(), "/dashboard");
        // The dashboard counts the new work.
        assert_eq!(br.text("#pekerjaan [data-count=new]").await.unwrap(), "2");
        assert_eq!(
            br.text("#pekerjaan [data-count=overdue]").await.unwrap(),
            "0"
        );
        br.assert_accessible("officer dashboard").await.unwrap();
        br.assert_fits_width("officer dashboard").await.unwrap();

        // The queue suggests the duplicate.
        br.click_and_wait("#pekerjaan a[href='/petugas/aduan']")
            .await
            .unwrap();
        let dups = br.text("[data-duplicates]").await.unwrap();
        assert!(
            dups.contains(&format!("#{dup}")) || dups.contains(&format!("#{id}")),
            "{dups}"
        );
        br.assert_accessible("complaint queue").await.unwrap();
        br.assert_fits_width("complaint queue").await.unwrap();

        // A new report: verify and dispatch, not answer; no rejection for an officer.
        br.goto(&w.app.url(&format!("/petugas/aduan/{id}")))
            .await
            .unwrap();
        let offered = options(&br, "#aksi").await;
        assert_eq!(offered, ["dispatch", "note"], "{offered:?}");
        assert!(br.find(Locator::Css("#tolak")).await.is_err());
        assert!(br.find(Locator::Css("#tangani")).await.is_ok());
        br.assert_accessible("complaint, new").await.unwrap();
        br.assert_fits_width("complaint, new").await.unwrap();
        br.click_and_wait("#simpan").await.unwrap();
        assert_eq!(status(&w, id).await, "dispatched");
        let offered = options(&br, "#aksi").await;
        assert_eq!(
            offered,
            ["start_follow_up", "answer", "note"],
            "{offered:?}"
        );
        let history = br.text("#riwayat").await.unwrap();
        assert!(history.contains("Diverifikasi dan diteruskan"), "{history}");
        assert!(history.contains("WIB"), "{history}");
        for key in ["dispatched", "submitted", "assigned"] {
            assert!(!history.contains(key), "{key} in {history}");
        }
        // Take it: the button goes once it is one's own.
        br.click_and_wait("#tangani").await.unwrap();
        assert!(br.find(Locator::Css("#tangani")).await.is_err());
        assert!(br
            .text("#petugas")
            .await
            .unwrap()
            .contains("petugas.banjar"));
        br.assert_accessible("complaint, dispatched").await.unwrap();

        // English: the history in English.
        br.goto(&w.app.url(&format!("/petugas/aduan/{id}?lang=en")))
            .await
            .unwrap();
        let history = br.text("#riwayat").await.unwrap();
        assert!(history.contains("Verified and dispatched"), "{history}");
        assert!(history.contains("Assignment"), "{history}");
        br.assert_accessible("complaint, English").await.unwrap();
        br.goto(&w.app.url("/petugas/aduan?lang=id")).await.unwrap();
        br.close().await.unwrap();

        // A wrong action forced anyway (an old tab) comes back on the record with the reason.
        let http = w.http();
        w.app.login(&http, "petugas.banjar", OFFICER_PW).await;
        let csrf = w.app.csrf(&http, &format!("/petugas/aduan/{id}")).await;
        let r = http
            .post(w.app.url(&format!("/petugas/aduan/{id}/tindakan")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("action", "dispatch"),
                ("body", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 409);
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"penolakan\""), "{html}");
        assert!(
            html.contains("Tindakan ini tidak dapat dilakukan pada laporan berstatus"),
            "{html}"
        );
        assert!(
            html.contains("id=\"aksi\""),
            "the record with its actions: {html}"
        );
        assert!(!html.contains("Terjadi masalah"), "{html}");
        assert_eq!(status(&w, id).await, "dispatched");
    }
);

both_backends!(
    supervisor_assigns_and_confirms_a_rejection,
    |b: Backend| async move {
        let w = World::new(b).await;
        let (id, _) = w.file_banjar(json!({})).await;
        let http = w.http();
        w.app.login(&http, "atasan.banjar", SUPERVISOR_PW).await;
        let page = |path: String| {
            let http = http.clone();
            let url = w.app.url(&path);
            async move { http.get(url).send().await.unwrap().text().await.unwrap() }
        };
        let html = page(format!("/petugas/aduan/{id}")).await;
        // Assign to a colleague: the agency's officials, not another agency's.
        let select = html.split("id=\"tugaskan\"").nth(1).unwrap_or("");
        let select = &select[..select.find("</select>").unwrap_or(0)];
        assert!(select.contains(">petugas.banjar<"), "{select}");
        assert!(!select.contains("bawaslu"), "{select}");
        // Re-route: other agencies serving the village, never the own one nor one elsewhere.
        let reroute = html.split("id=\"alihkan\"").nth(1).unwrap_or("");
        let reroute = &reroute[..reroute.find("</select>").unwrap_or(0)];
        assert!(reroute.contains("Bawaslu Kota Banjar"), "{reroute}");
        assert!(!reroute.contains("Pemerintah Kota Banjar"), "{reroute}");
        assert!(!reroute.contains("Palembang"), "{reroute}");
        // "Tolak" looks dangerous.
        assert!(html.contains("class=\"danger\" id=\"tolak\""), "{html}");

        let csrf = w.app.csrf(&http, &format!("/petugas/aduan/{id}")).await;
        let post = |fields: Vec<(&'static str, String)>| {
            let http = http.clone();
            let url = w.app.url(&format!("/petugas/aduan/{id}/tindakan"));
            async move { http.post(url).form(&fields).send().await.unwrap() }
        };
        let officer = w.officer_banjar_id.to_string();
        let r = post(vec![
            ("csrf", csrf.clone()),
            ("action", "assign".into()),
            ("user_id", officer),
        ])
        .await;
        assert_eq!(r.status().as_u16(), 303);
        let html = page(format!("/petugas/aduan/{id}")).await;
        assert!(
            html.contains("Ditangani oleh <strong>petugas.banjar</strong>"),
            "{html}"
        );

        // Rejecting asks first, and changes nothing until confirmed.
        let r = post(vec![
            ("csrf", csrf.clone()),
            ("action", "reject".into()),
            ("body", "Bukan kewenangan pemerintah kota.".into()),
        ])
        .await;
        assert_eq!(r.status().as_u16(), 200);
        let confirm = r.text().await.unwrap();
        assert!(confirm.contains("id=\"tolak-ya\""), "{confirm}");
        assert!(
            confirm.contains("Bukan kewenangan pemerintah kota."),
            "{confirm}"
        );
        assert!(confirm.contains(&format!("href=\"/petugas/aduan/{id}\" id=\"batal\"")));
        assert_eq!(status(&w, id).await, "submitted");
        let r = post(vec![
            ("csrf", csrf.clone()),
            ("action", "reject".into()),
            ("confirm", "ya".into()),
            ("body", "Bukan kewenangan pemerintah kota.".into()),
        ])
        .await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(status(&w, id).await, "rejected");
        // A rejected report offers no status change any more.
        let html = page(format!("/petugas/aduan/{id}")).await;
        for gone in [
            "id=\"tolak\"",
            "value=\"dispatch\"",
            "value=\"answer\"",
            "id=\"alihkan\"",
        ] {
            assert!(!html.contains(gone), "{gone}: {html}");
        }

        // The dashboard: the three breakdowns side by side with their headers, Indonesian numbers.
        let html = page("/petugas/aduan/dasbor".into()).await;
        assert!(html.contains("id=\"rincian\""), "{html}");
        assert!(!html.contains("class=\"cols\""), "{html}");
        assert_eq!(html.matches("<th scope=\"col\" class=\"num\">").count(), 4);
        assert!(!html.contains(".0%"), "{html}");
    }
);

both_backends!(
    dashboard_columns_line_up_at_a_desk,
    |b: Backend| async move {
        let w = World::new(b).await;
        w.file_banjar(json!({})).await;
        w.file_banjar(json!({"category": "pelayanan"})).await;
        let br = Browser::phone_without_js().await.unwrap();
        br.sign_in(&w.app.base, "atasan.banjar", SUPERVISOR_PW)
            .await
            .unwrap();
        br.set_viewport(1280, 900, false).await.unwrap();
        br.goto(&w.app.url("/petugas/aduan/dasbor")).await.unwrap();
        let tops = br
        .execute(
            "return [...document.querySelectorAll('#rincian section')].map(s => \
               [Math.round(s.getBoundingClientRect().top), Math.round(s.getBoundingClientRect().left)]);",
            vec![],
        )
        .await
        .unwrap();
        let tops: Vec<(i64, i64)> = serde_json::from_value(tops).unwrap();
        assert_eq!(tops.len(), 3);
        assert!(
            tops.iter().all(|t| t.0 == tops[0].0),
            "one row at a desk: {tops:?}"
        );
        assert!(tops[0].1 < tops[1].1 && tops[1].1 < tops[2].1, "{tops:?}");
        br.assert_accessible("complaint dashboard, desk")
            .await
            .unwrap();
        br.set_viewport(360, 740, true).await.unwrap();
        br.goto(&w.app.url("/petugas/aduan/dasbor")).await.unwrap();
        br.assert_accessible("complaint dashboard, phone")
            .await
            .unwrap();
        br.assert_fits_width("complaint dashboard, phone")
            .await
            .unwrap();
        br.close().await.unwrap();
    }
);
