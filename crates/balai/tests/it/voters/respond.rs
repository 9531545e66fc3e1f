//! The public's form to respond to a TPS's list, without JavaScript: refused input comes back
//! filled in with nothing stored, a filing redirects to its receipt (its number, the due day
//! in Indonesian), a second press of the button files nothing new; and the PPS's clock in
//! working days on the stored holiday calendar (a setting), moved by a holiday added
//! afterwards and stopped by the answer.

use balai_core::format;
use balai_core::i18n::Lang;
use serde_json::{json, Value};

use crate::support::http::{api, count, status_json};
use crate::support::worlds::voters::*;
use crate::support::{extract_csrf, TestApp};

const FORM: &str = "/pemilih/tanggapan/baru";

/// The value of the hidden field `name` of a page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"));
    let rest = &html[at + marker.len()..];
    rest[..rest.find('"').unwrap()].to_string()
}

fn today() -> time::Date {
    balai_voters::domain::report::filed_day(balai_core::db::now(), "32.79.01.1001")
}

async fn calendar(app: &TestApp) -> balai_core::calendar::Calendar {
    balai_core::calendar::load(&app.db).await.unwrap()
}

async fn reports(vx: &Vx) -> i64 {
    count(&vx.app.db, "SELECT COUNT(*) FROM voter_list_reports").await
}

async fn public(vx: &Vx, code: &str) -> Value {
    let (s, v) = vx
        .send(
            "GET",
            "",
            &format!("/api/v1/dpt/reports/{code}"),
            Value::Null,
        )
        .await;
    assert_eq!(s, 200, "{v}");
    v
}

fn day(v: &Value) -> time::Date {
    balai_core::calendar::parse_iso_day(v["due_day"].as_str().unwrap()).unwrap()
}

both_backends!(
    the_form_refuses_bad_input_files_once_and_shows_a_receipt,
    |b| async move {
        let vx = Vx::with_config(b, |c| {
            c.voters.insert("answer_working_days".into(), 4.into());
        })
        .await;
        let (s, v) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
        assert_eq!(s, 200, "{v}");
        let e = vx.election;
        let c = vx.app.client();

        // Step 1 names the open election and the village finder.
        let html = c.get(vx.app.url(FORM)).send().await.unwrap();
        assert_eq!(html.status(), 200);
        let html = html.text().await.unwrap();
        assert!(html.contains("Pemilihan Wali Kota Banjar 2024"), "{html}");
        assert!(html.contains("Cari desa"), "{html}");

        // Step 2, reached from the TPS's public page: the TPS chosen, the days in words.
        let step2 = format!("{FORM}?pemilihan={e}&village_code=32.79.01.1001&tps=1");
        let html = c.get(vx.app.url(&step2)).send().await.unwrap();
        assert_eq!(html.status(), 200);
        let html = html.text().await.unwrap();
        assert!(html.contains("id=\"tanggapan-baru\""), "{html}");
        assert!(
            html.contains("Banjar") && html.contains("TPS 001"),
            "{html}"
        );
        assert!(html.contains("4 hari kerja"), "{html}");
        assert!(!html.contains("<script"), "step 2 needs no script");
        let csrf = extract_csrf(&html).unwrap();
        let kunci = hidden(&html, "kunci");
        assert!(kunci.len() >= 20);
        let mut form = vec![
            ("csrf", csrf.clone()),
            ("kunci", kunci.clone()),
            ("pemilihan", e.to_string()),
            ("village_code", "32.79.01.1001".to_string()),
            ("tps", "1".to_string()),
            ("jenis", "deceased".to_string()),
            ("details", "pendek".to_string()),
            ("evidence", "Akta kematian 3279-KM-2024-0012".to_string()),
            ("contact", "0812 0000 1111".to_string()),
        ];
        let post = |form: Vec<(&'static str, String)>| {
            let c = c.clone();
            let url = vx.app.url(FORM);
            async move { c.post(url).form(&form).send().await.unwrap() }
        };

        // Too short: the form again with the reason and what was typed; nothing stored.
        let res = post(form.clone()).await;
        assert_eq!(res.status(), 422);
        let html = res.text().await.unwrap();
        assert!(
            html.contains("id=\"error\"") && html.contains("Uraian wajib diisi"),
            "{html}"
        );
        assert!(
            html.contains("value=\"Akta kematian 3279-KM-2024-0012\""),
            "{html}"
        );
        assert!(html.contains(&format!("value=\"{kunci}\"")), "the same key");
        // A TPS that is not a number, a village of Palembang, no CSRF token.
        form[6].1 = "Bapak Budi Santoso meninggal Maret 2024.".into();
        let mut bad = form.clone();
        bad[4].1 = "satu".into();
        let res = post(bad).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("Nomor TPS harus"));
        let mut bad = form.clone();
        bad[3].1 = "16.71.01.1001".into();
        assert_eq!(post(bad).await.status(), 422);
        let mut bad = form.clone();
        bad[0].1 = "tamper".into();
        assert_eq!(post(bad).await.status(), 403);
        assert_eq!(reports(&vx).await, 0);

        // Filed: 303 to the receipt; the button pressed again files nothing new.
        let res = post(form.clone()).await;
        assert_eq!(res.status(), 303);
        let to = res.headers()["location"].to_str().unwrap().to_string();
        assert!(
            to.starts_with("/pemilih/tanggapan/kasus/") && to.ends_with("?baru=1"),
            "{to}"
        );
        let code = to
            .trim_start_matches("/pemilih/tanggapan/kasus/")
            .trim_end_matches("?baru=1")
            .to_string();
        let res = post(form.clone()).await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"].to_str().unwrap(), to);
        assert_eq!(reports(&vx).await, 1);

        // The receipt: the number, the status, the due day in Indonesian; no personal data.
        let due = calendar(&vx.app).await.add_working_days(today(), 4);
        assert_eq!(day(&public(&vx, &code).await), due);
        let res = c.get(vx.app.url(&to)).send().await.unwrap();
        assert_eq!(res.status(), 200);
        let html = res.text().await.unwrap();
        assert!(html.contains("Tanggapan Anda diterima"), "{html}");
        assert!(
            html.contains(&format!("<strong id=\"code\">{code}</strong>")),
            "{html}"
        );
        assert!(html.contains("Sedang diperiksa"), "{html}");
        assert!(
            html.contains(&format::date_with_weekday(due, Lang::Id)),
            "{} in {html}",
            format::date_with_weekday(due, Lang::Id)
        );
        assert!(html.contains(&format!("href=\"/pemilih/tanggapan/kasus/{code}\"")));
        for private in ["0812", "Budi Santoso", "3279-KM"] {
            assert!(!html.contains(private), "{private} on the receipt");
        }
        let html = c
            .get(
                vx.app
                    .url(&format!("/pemilih/tanggapan/kasus/{code}?lang=en")),
            )
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Being checked") && !html.contains("Tanggapan Anda diterima"));
        assert!(
            html.contains(&format::date_with_weekday(due, Lang::En)),
            "{html}"
        );
        let res = c
            .get(vx.app.url("/pemilih/tanggapan/kasus/ZZZZZZZZZZ"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);

        // The TPS's public page links the form and the case, and shows the due day.
        let html = c
            .get(vx.app.url(&format!(
                "/pemilih/tanggapan?pemilihan={e}&desa=32.79.01.1001&tps=1&lang=id"
            )))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains(&format!(
            "href=\"/pemilih/tanggapan/baru?pemilihan={e}&#38;village_code=32.79.01.1001&#38;tps=1\""
        )), "{html}");
        assert!(html.contains(&format!("/pemilih/tanggapan/kasus/{code}")));
        assert!(html.contains(&format::date_with_weekday(due, Lang::Id)));
        assert!(!html.contains("0812") && !html.contains("Budi Santoso"));

        // Once the DPT is fixed the form says the list takes no responses.
        let (s, v) = vx.put_list(&vx.kpu, "dpt", &good_list()).await;
        assert_eq!(s, 200, "{v}");
        let html = c
            .get(vx.app.url(&step2))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("id=\"closed\""), "{html}");
        let mut late = form.clone();
        late[1].1 = "another-key-for-a-late-filing".into();
        let res = post(late).await;
        assert_eq!(res.status(), 409);
        assert_eq!(reports(&vx).await, 1);
    }
);

both_backends!(
    the_answer_clock_counts_working_days_and_follows_the_holidays,
    |b| async move {
        let vx = Vx::new(b).await;
        let (s, v) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
        assert_eq!(s, 200, "{v}");
        vx.app
            .add_user("v.root", None, balai_core::accounts::Role::Admin, true)
            .await;
        let root = vx.app.token_for("v.root").await;
        let code = vx.file_response().await;
        let cal = calendar(&vx.app).await;
        let due = cal.add_working_days(today(), 3);
        let v = public(&vx, &code).await;
        assert_eq!(day(&v), due);
        assert_eq!(v["overdue"], false);
        assert!(v["due_at"].as_str().unwrap().starts_with(&due.to_string()));

        // Holidays on the first two working days of the window: the due day moves to the
        // fifth working day, past a weekend.
        let first = cal.add_working_days(today(), 1);
        let second = cal.add_working_days(today(), 2);
        for d in [first, second] {
            let (s, body) = status_json(
                api(
                    &vx.app,
                    "POST",
                    &root,
                    "/api/v1/calendar/holidays",
                    Some(json!({"day": d.to_string(), "kind": "libur_daerah",
                        "name_id": "Hari Jadi Kota Banjar", "source": "Perda Kota Banjar 2/2026"})),
                )
                .await,
            )
            .await;
            assert_eq!(s, 201, "{body}");
        }
        let moved = day(&public(&vx, &code).await);
        assert_eq!(moved, cal.add_working_days(today(), 5));
        let weekend = (0..=(moved - today()).whole_days())
            .map(|n| today() + time::Duration::days(n))
            .any(|d| matches!(d.weekday(), time::Weekday::Saturday | time::Weekday::Sunday));
        assert!(weekend, "{moved}: a weekend in the window");
        let html = vx
            .app
            .client()
            .get(vx.app.url(&format!("/pemilih/tanggapan/kasus/{code}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains(&format::date_with_weekday(moved, Lang::Id)),
            "{html}"
        );

        // Removed again: back to the first due day.
        let res = api(
            &vx.app,
            "DELETE",
            &root,
            &format!("/api/v1/calendar/holidays/{second}"),
            None,
        )
        .await;
        assert_eq!(res.status().as_u16(), 204);
        assert_eq!(
            day(&public(&vx, &code).await),
            calendar(&vx.app).await.add_working_days(today(), 3)
        );

        // Answered: the clock stops, and a later holiday moves nothing.
        let (s, v) = vx
            .send(
                "POST",
                &vx.kpu_officer,
                &format!("/api/v1/dpt/reports/{code}/answer"),
                json!({"status": "rejected", "answer": "Diperiksa PPS: pemilih masih tinggal di sini."}),
            )
            .await;
        assert_eq!(s, 204, "{v}");
        let answered = day(&public(&vx, &code).await);
        let (s, _) = status_json(
            api(
                &vx.app,
                "POST",
                &root,
                "/api/v1/calendar/holidays",
                Some(json!({"day": second.to_string(), "kind": "libur_daerah",
                    "name_id": "Hari Jadi Kota Banjar", "source": "Perda Kota Banjar 2/2026"})),
            )
            .await,
        )
        .await;
        assert_eq!(s, 201);
        assert_eq!(day(&public(&vx, &code).await), answered);
    }
);
