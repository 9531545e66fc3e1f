//! Issue 22, item 11: an audit log one can audit with. Filters as a GET form (actor, action,
//! target, dates), a sentence per event instead of stored JSON, local times with their zone,
//! reads of personal data folded into one line per actor, record and day with a count (while
//! each read stays its own event in the hash chain), and a layout that works on a phone.

use balai_core::accounts::Role;

use crate::support::browser::Browser;
use crate::support::{Backend, TestApp};

async fn events(app: &TestApp, action: &str) -> i64 {
    balai_core::with_db!(&app.db, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM audit_events WHERE action = $1"
    )
    .bind(action)
    .fetch_one(c)
    .await)
    .unwrap()
}

both_backends!(
    audit_log_filters_folds_and_speaks,
    |b: Backend| async move {
        let app = TestApp::spawn(b).await;
        let agency = app
            .add_agency("pemda", "Pemerintah Kota Banjar", "32.79")
            .await;
        let pw = app
            .add_user("admin.banjar", Some(agency), Role::Admin, false)
            .await;
        let http = app.client();
        app.login(&http, "admin.banjar", &pw).await;
        let get = |path: &str| {
            let (http, url) = (http.clone(), app.url(path));
            async move {
                let r = http.get(url).send().await.unwrap();
                assert_eq!(r.status().as_u16(), 200);
                r.text().await.unwrap()
            }
        };
        // Three views of the user list: three read events, one line.
        for _ in 0..3 {
            get("/admin/users").await;
        }
        assert_eq!(events(&app, "personal_data.read").await, 3);
        let html = get("/admin/audit").await;
        let reads: Vec<&str> = html
            .split("<tr data-count=")
            .skip(1)
            .filter(|r| r.contains("Akses data pribadi"))
            .collect();
        assert_eq!(reads.len(), 1, "{html}");
        assert!(reads[0].starts_with("\"3\""), "{}", reads[0]);
        assert!(
            reads[0].contains("admin.banjar melihat data pribadi: Daftar pengguna"),
            "{}",
            reads[0]
        );
        assert!(reads[0].contains("(3 kali pada hari itu)"), "{}", reads[0]);
        // Sentences, not JSON; local times with the zone (the agency is in West Java: WIB).
        assert!(!html.contains("{&quot;") && !html.contains("{\""), "{html}");
        assert!(html.contains(" WIB</td>"), "{html}");
        assert!(!html.contains("+00:00"), "{html}");
        // A filter form that is a GET form, and the filters narrow the list.
        assert!(html.contains("<form class=\"filters\" method=\"get\" action=\"/admin/audit\""));
        let only_reads = get("/admin/audit?action=personal_data.read").await;
        assert_eq!(
            only_reads.matches("<tr data-count=").count(),
            1,
            "{only_reads}"
        );
        // An action's family: `personal_data` takes every `personal_data.*`, `personal` none.
        let by_prefix = get("/admin/audit?action=personal_data").await;
        assert_eq!(
            by_prefix.matches("<tr data-count=").count(),
            1,
            "{by_prefix}"
        );
        let other_family = get("/admin/audit?action=personal").await;
        assert!(other_family.contains("id=\"kosong\""), "{other_family}");
        let nobody = get("/admin/audit?actor=nobody").await;
        assert!(nobody.contains("id=\"kosong\""), "{nobody}");
        let target = get("/admin/audit?target_kind=users&target_id=list").await;
        assert_eq!(target.matches("<tr data-count=").count(), 1, "{target}");
        let future = get("/admin/audit?from=2999-01-01").await;
        assert!(future.contains("id=\"kosong\""), "{future}");
        let past = get("/admin/audit?to=2000-01-01").await;
        assert!(past.contains("id=\"kosong\""), "{past}");
        let today = time::OffsetDateTime::now_utc()
            .to_offset(balai_core::format::Zone::Wib.offset())
            .date()
            .to_string();
        let day = get(&format!(
            "/admin/audit?from={today}&to={today}&action=personal_data.read"
        ))
        .await;
        assert!(day.contains("data-count=\"3\""), "{day}");
        // The form keeps what was asked.
        assert!(
            day.contains(&format!("name=\"from\" id=\"f-from\" value=\"{today}\"")),
            "{day}"
        );
        // English.
        let en = get("/admin/audit?lang=en").await;
        assert!(
            en.contains("admin.banjar viewed personal data: User list"),
            "{en}"
        );
        assert!(en.contains("(3 times that day)"), "{en}");
        // The chain still has every read.
        assert_eq!(events(&app, "personal_data.read").await, 3);

        // On a phone: readable, accessible, no sideways scrolling.
        let br = Browser::phone_without_js().await.unwrap();
        br.sign_in(&app.base, "admin.banjar", &pw).await.unwrap();
        for lang in ["id", "en"] {
            br.goto(&app.url(&format!("/admin/audit?lang={lang}")))
                .await
                .unwrap();
            br.assert_accessible("audit log").await.unwrap();
            br.assert_fits_width("audit log").await.unwrap();
        }
        br.set_viewport(1280, 900, false).await.unwrap();
        br.goto(&app.url("/admin/audit?lang=id")).await.unwrap();
        br.assert_accessible("audit log, desk").await.unwrap();
        br.close().await.unwrap();
    }
);
