//! Issue 22, item 9 for documents: a kelurahan officer works an application on a phone with
//! JavaScript off and axe-core on every page: the count on the dashboard, only the actions of
//! the state, "Tolak" styled as dangerous and confirmed on its own page, a refused action back
//! on the application with the reason, history in words (both languages), and no stale reason.

use fantoccini::Locator;

use crate::support::browser::Browser;
use crate::support::worlds::civil_registry::*;
use crate::support::{Backend, TestApp};

/// The actions offered on the application page (the buttons' values).
async fn offered(br: &Browser) -> Vec<String> {
    let mut out = Vec::new();
    for b in br
        .find_all(Locator::Css("form button[name=do]"))
        .await
        .unwrap()
    {
        out.push(b.attr("value").await.unwrap().unwrap_or_default());
    }
    out
}

both_backends!(
    officer_works_an_application_on_a_phone,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        banjar(&app).await;
        let (code, _, _) = apply_ktp(&app, &app.client()).await;
        let id = app_id(&app, &code).await;
        let page = format!("/dukcapil/staff/applications/{id}");

        let br = Browser::phone_without_js().await.unwrap();
        br.sign_in(&app.base, "kel1", "pw-kel1-0123456789")
            .await
            .unwrap();
        let card = br
            .find(Locator::Css("#pekerjaan a[href='/dukcapil/staff']"))
            .await;
        assert!(card.is_ok(), "a Dokumen kependudukan card on the dashboard");
        let news: Vec<String> = {
            let mut v = Vec::new();
            for e in br
                .find_all(Locator::Css("#pekerjaan [data-count=new]"))
                .await
                .unwrap()
            {
                v.push(e.text().await.unwrap());
            }
            v
        };
        assert!(news.contains(&"1".to_string()), "{news:?}");
        br.assert_accessible("kelurahan dashboard").await.unwrap();

        br.goto(&app.url(&page)).await.unwrap();
        assert_eq!(offered(&br).await, ["take"]);
        br.assert_accessible("application, submitted")
            .await
            .unwrap();
        br.assert_fits_width("application, submitted")
            .await
            .unwrap();
        br.click_and_wait("button[value=take]").await.unwrap();
        assert_eq!(
            offered(&br).await,
            ["approve", "request_correction", "reject", "release"]
        );
        // "Tolak" looks dangerous.
        let class = br
            .find(Locator::Css("#tolak"))
            .await
            .unwrap()
            .attr("class")
            .await
            .unwrap();
        assert_eq!(class.as_deref(), Some("danger"));
        let history = br.text("#riwayat").await.unwrap();
        assert!(history.contains("Diambil untuk dikerjakan"), "{history}");
        assert!(
            history.contains("Sedang diverifikasi kelurahan"),
            "{history}"
        );
        assert!(history.contains("WIB"), "{history}");
        assert!(
            !history.contains("take") && !history.contains("verification"),
            "{history}"
        );
        br.assert_accessible("application, taken").await.unwrap();

        // Rejecting asks first; cancelling changes nothing.
        let reject_form = "form:has(#tolak) textarea[name=reason]";
        br.fill(reject_form, "Bukan warga kelurahan ini")
            .await
            .unwrap();
        br.click_and_wait("#tolak").await.unwrap();
        assert!(br
            .body_text()
            .await
            .unwrap()
            .contains("Bukan warga kelurahan ini"));
        br.assert_accessible("reject confirmation").await.unwrap();
        br.click_and_wait("#batal").await.unwrap();
        assert_eq!(status_of(&app, &code).await, "verification");

        // In English the history is English.
        br.goto(&app.url(&format!("{page}?lang=en"))).await.unwrap();
        let history = br.text("#riwayat").await.unwrap();
        assert!(history.contains("Taken"), "{history}");
        assert!(
            history.contains("Being verified") || !history.contains("Sedang"),
            "{history}"
        );
        br.goto(&app.url(&format!("{page}?lang=id"))).await.unwrap();

        // Confirmed, it is rejected and the reason shows (it still applies).
        br.fill(reject_form, "Bukan warga kelurahan ini")
            .await
            .unwrap();
        br.click_and_wait("#tolak").await.unwrap();
        br.click_and_wait("#tolak-ya").await.unwrap();
        assert_eq!(status_of(&app, &code).await, "rejected");
        assert!(br.text("#alasan").await.unwrap().contains("Bukan warga"));
        assert!(offered(&br).await.is_empty());
        br.close().await.unwrap();

        // A refused action (an old tab) comes back on the application with the reason.
        let http = app.client();
        app.login(&http, "kel1", "pw-kel1-0123456789").await;
        let csrf = app.csrf(&http, &page).await;
        let r = http
            .post(app.url(&format!("{page}/action")))
            .form(&[("csrf", csrf.as_str()), ("action", "approve")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403);
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"penolakan\""), "{html}");
        assert!(html.contains(&code), "{html}");
        assert!(!html.contains("Terjadi masalah"), "{html}");
    }
);

both_backends!(
    no_stale_reason_once_the_work_is_done,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        banjar(&app).await;
        let kel1 = app.token_for("kel1").await;
        let (code, _, _) = apply_ktp(&app, &app.client()).await;
        let id = app_id(&app, &code).await;
        act(&app, &kel1, id, "take", None).await;
        act(&app, &kel1, id, "request_correction", Some("Foto KK buram")).await;
        let http = app.client();
        app.login(&http, "kel1", "pw-kel1-0123456789").await;
        let page = format!("/dukcapil/staff/applications/{id}");
        let get = || async {
            http.get(app.url(&page))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        };
        assert!(
            get().await.contains("Foto KK buram"),
            "shown while it applies"
        );
        // The correction came back and the work went on to the end; the old note stays in the row.
        balai_core::with_db!(&app.db, |c| sqlx::query(
            "UPDATE cr_applications SET status = 'completed' WHERE id = $1"
        )
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))
        .unwrap();
        let html = get().await;
        assert!(!html.contains("id=\"alasan\""), "{html}");
        assert!(
            html.contains("Foto KK buram"),
            "still in the history: {html}"
        );
    }
);
