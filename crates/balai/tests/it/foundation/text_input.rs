//! Text that reaches storage: a control character (NUL above all: an error on PostgreSQL, junk
//! on SQLite) in any text field of the API, of a form or of the query is a 422 naming the field
//! on both backends, and stores nothing; a text made only of invisible characters is refused.

use balai_core::accounts::Role;
use serde_json::{json, Value};

use crate::support::worlds::civil_registry::{self as cr, ktp_json};
use crate::support::worlds::complaints::{World, BANJAR_VILLAGE};
use crate::support::worlds::elections::{form_json, good_form, Fx};
use crate::support::Backend;

/// The values tried in every single-line field, and whether a multi-line field takes them.
const BAD: [(&str, bool); 6] = [
    ("Jalan\u{0}rusak parah sekali", false),
    ("Jalan rusak\u{7}parah sekali", false),
    ("Jalan rusak parah\u{1B}[31m sekali", false),
    ("Jalan \u{202E}kasur rusak parah", false),
    ("Jalan rusak\nparah sekali", true),
    ("Jalan rusak\tparah sekali", true),
];

fn refused(s: u16, v: &Value, field: &str) {
    assert_eq!(s, 422, "{field}: {v}");
    assert_eq!(v["code"], "bad_text", "{field}: {v}");
    assert_eq!(v["details"]["field"], field, "{v}");
    assert!(v["message"].as_str().unwrap().contains(field), "{v}");
}

both_backends!(
    complaint_text_fields_refuse_control_characters,
    |b: Backend| async move {
        let w = World::new(b).await;
        let base = json!({
            "category": "infrastruktur",
            "description": "Jalan berlubang besar di depan pasar, berbahaya bagi motor.",
            "village_code": BANJAR_VILLAGE,
            "contact_email": "warga@contoh.id",
        });
        let fields = [
            ("title", false),
            ("description", true),
            ("address", false),
            ("contact_name", false),
            ("reported_party", false),
            ("incident_place", false),
            ("evidence", true),
        ];
        for (field, multi_line) in fields {
            for (value, ok_in_multi_line) in BAD {
                let mut body = base.clone();
                body[field] = json!(value);
                let (s, v) = w.file(body).await;
                if multi_line && ok_in_multi_line {
                    assert_eq!(s, 201, "{field} {value:?}: {v}");
                } else {
                    refused(s, &v, field);
                }
            }
        }
        let stored = w.count("SELECT COUNT(*) FROM complaints").await;
        assert_eq!(
            stored,
            2 * 2,
            "only the multi-line texts with a newline or tab"
        );
        // Only invisible characters: refused as blank.
        for (field, value) in [
            ("description", "\u{200B}".repeat(20)),
            ("description", "\u{0}".repeat(60)),
            ("title", "\u{200B}\u{FEFF}\u{3000}".to_string()),
        ] {
            let mut body = base.clone();
            body[field] = json!(value);
            let (s, v) = w.file(body).await;
            assert_eq!(s, 422, "{field}: {v}");
            assert!(v["code"] == "blank_text" || v["code"] == "bad_text", "{v}");
            assert_eq!(v["details"]["field"], field, "{v}");
        }
        assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 4);
        // A search term with a NUL: a 422, not a 500 on PostgreSQL.
        let res = w
            .http()
            .get(w.app.url("/api/v1/regions?q=ba%00nj"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        let v: Value = res.json().await.unwrap();
        assert_eq!(v["details"]["field"], "q", "{v}");
        // An HTML form: the sign-in form with a NUL in the user name.
        let c = w.app.client();
        let csrf = w.app.csrf(&c, "/login").await;
        let res = c
            .post(w.app.url("/login"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", "petugas\u{0}.banjar"),
                ("password", "x"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("username"));
    }
);

both_backends!(
    application_text_fields_refuse_control_characters,
    |b: Backend| async move {
        let app = crate::support::TestApp::spawn(b).await;
        cr::banjar(&app).await;
        for field in ["name", "phone", "email", "kk", "service", "kelurahan"] {
            let mut body = ktp_json();
            body[field] = json!(format!("{}\u{0}", body[field].as_str().unwrap_or("x")));
            let (s, _, v) = cr::post_application(&app, &body, None).await;
            refused(s, &v, field);
        }
        let mut body = ktp_json();
        body["documents"][0]["filename"] = json!("kk\u{0}.pdf");
        let (s, _, v) = cr::post_application(&app, &body, None).await;
        assert_eq!(s, 422);
        assert_eq!(v["details"]["field"], "documents[0].filename", "{v}");
        // The web form (multipart).
        let c = app.client();
        let mut fields = cr::ktp_fields();
        fields[0].1 = "Budi\u{0}Santoso".into();
        let res = cr::post_ktp(&app, &c, &fields).await;
        assert_eq!(res.status(), 422);
        assert_eq!(cr::count(&app, "cr_applications").await, 0);
        assert_eq!(cr::count(&app, "cr_documents").await, 0);
    }
);

both_backends!(
    election_and_admin_text_fields_refuse_control_characters,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        fx.app.add_user("root", None, Role::Admin, true).await;
        let root = fx.app.token_for("root").await;
        let app = &fx.app;
        let elections = cr::count(app, "elections").await;
        let (tps, candidates, agencies) = (
            cr::count(app, "tps").await,
            cr::count(app, "candidates").await,
            cr::count(app, "agencies").await,
        );
        let entries = cr::count(app, "result_entries").await;
        let new_election = json!({"kind": "walikota", "region_code": "32.79", "name": "Pilwalkot", "voting_date": "2024-11-27"});
        let tps_input = json!({"village_code": "32.79.01.1001", "number": 9, "address": "Jl. Sembilan", "dpt_l": 100, "dpt_p": 100});
        let candidate = json!({"ballot_number": 3, "head_name": "Calon Tiga", "deputy_name": "Wakil", "parties": ["Partai A"]});
        let agency =
            json!({"kind": "pemda", "name": "Pemerintah Kota Banjar", "region_code": "32.79"});
        let submit = json!({"tps_id": fx.tps[0], "form": form_json(&good_form()), "reason": "koreksi", "psu_ref": "Putusan 1/2025"});
        let recap = json!({"region_code": "32.79.01", "document_ref": "BA PPK 1/2024"});
        let cases: Vec<(String, String, Value, Vec<&str>)> = vec![
            (
                fx.op1.clone(),
                "/api/v1/elections".into(),
                new_election,
                vec!["name"],
            ),
            (fx.op1.clone(), fx.path("/tps"), tps_input, vec!["address"]),
            (
                fx.op1.clone(),
                fx.path("/candidates"),
                candidate,
                vec!["head_name", "deputy_name", "parties[0]"],
            ),
            (
                root.clone(),
                "/api/v1/agencies".into(),
                agency,
                vec!["name"],
            ),
            (
                fx.op1.clone(),
                fx.path("/results"),
                submit,
                vec!["reason", "psu_ref"],
            ),
            (
                fx.op1.clone(),
                fx.path("/recaps"),
                recap,
                vec!["document_ref"],
            ),
        ];
        for (token, path, body, fields) in cases {
            for field in fields {
                let mut bad = body.clone();
                let target = match field.strip_suffix("[0]") {
                    Some(list) => &mut bad[list][0],
                    None => &mut bad[field],
                };
                *target = json!(format!("{}\u{0}", target.as_str().unwrap()));
                let (s, v) = fx.post(&token, &path, bad).await;
                refused(s, &v, field);
                let mut blank = body.clone();
                if !field.ends_with(']') {
                    blank[field] = json!("\u{200B}\u{200B}\u{200B}");
                    let (s, v) = fx.post(&token, &path, blank).await;
                    assert_eq!(
                        (s, v["code"].as_str()),
                        (422, Some("blank_text")),
                        "{field}: {v}"
                    );
                }
            }
        }
        // A TPS CSV with a NUL in an address.
        let csv =
            "village_code,number,address,dpt_l,dpt_p\n32.79.01.1001,9,Jl.\u{0}Sembilan,100,100\n";
        let (s, v) = fx
            .send_csv(&fx.op1, "POST", &fx.path("/tps/import"), csv)
            .await;
        assert_eq!((s, v["code"].as_str()), (422, Some("bad_text")), "{v}");
        assert_eq!(cr::count(app, "elections").await, elections);
        assert_eq!(cr::count(app, "tps").await, tps);
        assert_eq!(cr::count(app, "candidates").await, candidates);
        assert_eq!(cr::count(app, "agencies").await, agencies);
        assert_eq!(cr::count(app, "result_entries").await, entries);
        assert_eq!(cr::count(app, "election_recaps").await, 0);
    }
);
