//! Neutrality cases through the real HTTP API on both backends: a case from an Aduan
//! complaint of category ASN neutrality, through Bawaslu's and BKN's recommendations, the
//! PPK's sanction and the follow-up check, with scoping at each step (a Pemda cannot read
//! Bawaslu's examination before the recommendation), duties separated, the link to the same
//! official's appointments, audited reads, anonymised public statistics and bad input.

use serde_json::{json, Value};

use crate::support::http::{count, signed_in};
use crate::support::worlds::neutrality::*;

const BANJAR_VILLAGE: &str = "32.79.01.1001";
const NAME: &str = "Rudi Terlapor";
const POSITION: &str = "Camat Banjar";

/// Extra officials: a second Bawaslu official (a supervisor) and a BKN supervisor.
struct Cx {
    nx: Nx,
    bawaslu_spv: String,
    bkn_spv: String,
}

async fn scalar(nx: &Nx, sql: &str) -> i64 {
    count(&nx.app.db, sql).await
}

impl Cx {
    async fn new(b: crate::support::Backend) -> Cx {
        let nx = Nx::new(b).await;
        let bawaslu = scalar(
            &nx,
            "SELECT id FROM agencies WHERE name = 'Bawaslu Kota Banjar'",
        )
        .await;
        let bkn = scalar(
            &nx,
            "SELECT id FROM agencies WHERE name = 'BKN Kantor Regional III'",
        )
        .await;
        use balai_core::accounts::Role;
        nx.app
            .add_user("n.bawaslu.spv", Some(bawaslu), Role::Supervisor, false)
            .await;
        nx.app
            .add_user("n.bkn.spv", Some(bkn), Role::Supervisor, false)
            .await;
        Cx {
            bawaslu_spv: nx.app.token_for("n.bawaslu.spv").await,
            bkn_spv: nx.app.token_for("n.bkn.spv").await,
            nx,
        }
    }

    /// File a complaint through Aduan's public API; returns (id, tracking code).
    async fn complaint(&self, category: &str) -> (i64, String) {
        let res = self
            .nx
            .http
            .post(self.nx.app.url("/api/v1/complaints"))
            .json(&json!({
                    "category": category,
                    "description": "Camat mengunggah dukungan untuk paslon nomor 1 di media sosial.",
                    "village_code": BANJAR_VILLAGE,
                    "contact_name": "Sari Contoh",
                    "contact_phone": "0812 3456 7890",
                    "reported_party": "Camat Banjar",
                    "incident_time": "pukul 09.00",
                    "incident_place": "Akun media sosial",
                    "evidence": "Tangkapan layar",
                    "known_on": balai_complaints::domain::settings::today().to_string(),
            }))
            .send()
            .await
            .unwrap();
        let st = res.status().as_u16();
        let v: Value = res.json().await.unwrap();
        assert_eq!(st, 201, "{v}");
        (
            v["id"].as_i64().unwrap(),
            v["tracking_code"].as_str().unwrap().to_string(),
        )
    }

    async fn open(&self, token: &str, body: Value) -> (u16, Value) {
        self.nx
            .send("POST", token, "/api/v1/neutrality-cases", body)
            .await
    }

    async fn step(&self, token: &str, id: i64, body: Value) -> (u16, Value) {
        self.nx
            .send(
                "POST",
                token,
                &format!("/api/v1/neutrality-cases/{id}/steps"),
                body,
            )
            .await
    }

    async fn read(&self, token: &str, id: i64) -> (u16, Value) {
        self.nx
            .send(
                "GET",
                token,
                &format!("/api/v1/neutrality-cases/{id}"),
                Value::Null,
            )
            .await
    }
}

fn opening(complaint_id: Option<i64>) -> Value {
    json!({
        "region_code": "32.79",
        "complaint_id": complaint_id,
        "official_name": NAME,
        "nip": NIP,
        "official_position": POSITION,
        "allegation": "Mengunggah dukungan untuk paslon nomor 1.",
    })
}

both_backends!(
    a_case_from_complaint_to_sanction_with_scoping,
    |backend| async move {
        let cx = Cx::new(backend).await;
        let nx = &cx.nx;
        // The official was promoted by the Pemda: the case must link to it by NIP.
        let (s, v) = nx.record(&nx.pemda, appointment("2024-12-02")).await;
        assert_eq!(s, 201, "{v}");
        let (complaint, tracking) = cx.complaint("netralitas_asn").await;

        // Bawaslu (the complaint's agency) opens the case; its clock starts.
        let (s, v) = cx.open(&nx.bawaslu, opening(Some(complaint))).await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(v["stage"], "bawaslu_examination");
        let id = v["id"].as_i64().unwrap();
        let cal = balai_core::calendar::load(&nx.app.db).await.unwrap();
        let today = balai_neutrality::commands::today();
        assert_eq!(
            v["due_on"].as_str().unwrap(),
            cal.add_working_days(today, 5).to_string()
        );
        // One case per complaint.
        let (s, v) = cx.open(&nx.bawaslu, opening(Some(complaint))).await;
        assert_eq!((s, v["code"].as_str()), (409, Some("complaint_has_case")));

        // Before Bawaslu's recommendation the Pemda and BKN see nothing of it.
        for t in [&nx.pemda_admin, &cx.bkn_spv, &nx.kpu_banjar, &nx.palembang] {
            assert_eq!(cx.read(t, id).await.0, 404);
        }
        let (s, list) = nx
            .send(
                "GET",
                &nx.pemda_admin,
                "/api/v1/neutrality-cases",
                Value::Null,
            )
            .await;
        assert_eq!(s, 200);
        assert_eq!(list.as_array().unwrap().len(), 0, "{list}");
        let (s, _) = nx
            .send(
                "GET",
                &nx.kpu_banjar,
                "/api/v1/neutrality-cases",
                Value::Null,
            )
            .await;
        assert_eq!(s, 403);
        // Bawaslu reads the identity and the same official's appointment; the read is audited.
        let reads_before = scalar(
            nx,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'personal_data.read' AND target_kind = 'neutrality_case'",
        )
        .await;
        let (s, v) = cx.read(&cx.bawaslu_spv, id).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(
            (v["official_name"].as_str(), v["nip"].as_str()),
            (Some(NAME), Some(NIP))
        );
        assert_eq!(v["complaint_id"], complaint);
        assert_eq!(v["appointments"].as_array().unwrap().len(), 1, "{v}");
        assert_eq!(v["may_decide"], true);
        assert!(!v.to_string().contains(&tracking));
        // The staff page links the complaint by its number, never its tracking code.
        let (s, html) = nx
            .page(
                &signed_in(&nx.app, "n.bawaslu.spv").await,
                &format!("/netralitas/kasus/{id}"),
            )
            .await;
        assert_eq!(s, 200);
        assert!(html.contains(&format!("/petugas/aduan/{complaint}")) && html.contains(NIP));
        assert!(!html.contains(&tracking), "tracking code on a staff page");
        let reads_after = scalar(
            nx,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'personal_data.read' AND target_kind = 'neutrality_case'",
        )
        .await;
        // The API read and the page read, one event each.
        assert_eq!(reads_after, reads_before + 2);

        // Duties separated: who opened it does not recommend; a Pemda does not decide Bawaslu's step.
        let recommend = json!({"step": "bawaslu_examination", "decision": "violation",
            "forbidden_act": "social_media_support", "reference": "Rekomendasi Bawaslu 12/2024",
            "note": "Terbukti mengunggah dukungan.", "documents": ["BA klarifikasi 3/2024", "Tangkapan layar"]});
        let (s, v) = cx.step(&nx.bawaslu, id, recommend.clone()).await;
        assert_eq!((s, v["code"].as_str()), (403, Some("own_case")), "{v}");
        assert_eq!(cx.step(&nx.pemda_admin, id, recommend.clone()).await.0, 404);
        // A violation names the act.
        let mut no_act = recommend.clone();
        no_act["forbidden_act"] = Value::Null;
        let (s, v) = cx.step(&cx.bawaslu_spv, id, no_act).await;
        assert_eq!(
            (s, v["code"].as_str()),
            (422, Some("forbidden_act_required"))
        );
        let (s, v) = cx.step(&cx.bawaslu_spv, id, recommend.clone()).await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(v["stage"], "bkn_examination");

        // Now the Pemda reads the examination; it cannot take BKN's step, nor can a BKN officer.
        let (s, v) = cx.read(&nx.pemda_admin, id).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["steps"][0]["note"], "Terbukti mengunggah dukungan.");
        assert_eq!(v["steps"][0]["documents"].as_array().unwrap().len(), 2);
        assert_eq!(v["may_decide"], false);
        let bkn_step = json!({"step": "bkn_examination", "decision": "violation",
            "sanction": "discipline_medium", "note": "Direkomendasikan hukuman disiplin sedang."});
        assert_eq!(cx.step(&nx.pemda_admin, id, bkn_step.clone()).await.0, 403);
        assert_eq!(cx.step(&nx.bkn, id, bkn_step.clone()).await.0, 403);
        let (s, v) = cx.step(&cx.bkn_spv, id, bkn_step).await;
        assert_eq!((s, v["stage"].as_str()), (201, Some("sanction")), "{v}");

        // The PPK (the region's Pemda) decides; a form for a past step is stale.
        let sanction = json!({"step": "sanction", "decision": "sanction",
            "sanction": "discipline_medium", "reference": "SK Wali Kota 800/12/2024",
            "note": "Penundaan kenaikan pangkat satu tahun."});
        let mut stale = sanction.clone();
        stale["step"] = json!("bkn_examination");
        let (s, v) = cx.step(&nx.pemda_admin, id, stale).await;
        assert_eq!((s, v["code"].as_str()), (409, Some("stale_step")));
        assert_eq!(cx.step(&cx.bawaslu_spv, id, sanction.clone()).await.0, 403);
        let (s, v) = cx.step(&nx.pemda_admin, id, sanction).await;
        assert_eq!((s, v["stage"].as_str()), (201, Some("follow_up")), "{v}");

        // BKN checks the follow-up; the case closes.
        let (s, v) = cx
            .step(&cx.bkn_spv, id, json!({"step": "follow_up", "decision": "complied", "note": "SK telah dilaksanakan."}))
            .await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(
            (v["stage"].as_str(), v["outcome"].as_str()),
            (Some("closed"), Some("sanction_complied"))
        );
        assert!(v["due_on"].is_null());
        assert_eq!(nx.count("neutrality_case_steps").await, 4);
        let (_, v) = cx.read(&nx.pemda_admin, id).await;
        assert_eq!(v["sanction"], "discipline_medium");
        assert_eq!(v["steps"].as_array().unwrap().len(), 4);

        // Every write audited; no audit row carries the official's name, NIP or the tracking code.
        let writes = scalar(nx, "SELECT COUNT(*) FROM audit_events WHERE action IN ('neutrality.case_opened', 'neutrality.case_step_decided')").await;
        assert_eq!(writes, 5);
        for secret in [NAME, NIP, tracking.as_str()] {
            let n = scalar(nx, &format!("SELECT COUNT(*) FROM audit_events WHERE target_kind = 'neutrality_case' AND summary LIKE '%{secret}%'")).await;
            assert_eq!(n, 0, "{secret} in the audit log");
        }
    }
);

both_backends!(
    public_statistics_never_show_names_or_nip,
    |backend| async move {
        let cx = Cx::new(backend).await;
        let nx = &cx.nx;
        let (s, v) = cx.open(&nx.bawaslu, opening(None)).await;
        assert_eq!(s, 201, "{v}");
        let id = v["id"].as_i64().unwrap();
        assert_eq!(v["stage"], "bawaslu_examination");
        let (s, _) = cx
            .step(
                &cx.bawaslu_spv,
                id,
                json!({"step": "bawaslu_examination", "decision": "violation",
                "forbidden_act": "attending_campaign", "note": "Hadir dan berorasi."}),
            )
            .await;
        assert_eq!(s, 201);
        // BKN enters its own case: it starts at BKN's examination.
        let mut bkn_case = opening(None);
        bkn_case["official_name"] = json!("Wulan Terlapor");
        bkn_case["nip"] = Value::Null;
        let (s, v) = cx.open(&nx.bkn, bkn_case).await;
        assert_eq!(
            (s, v["stage"].as_str()),
            (201, Some("bkn_examination")),
            "{v}"
        );

        let (s, st) = nx.get("/api/v1/neutrality-cases/stats?region=32").await;
        assert_eq!(s, 200, "{st}");
        assert_eq!(st["total"], 2);
        assert_eq!(st["by_region"][0]["region_name"], "Kota Banjar");
        let acts: Vec<&str> = st["by_forbidden_act"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["key"].as_str().unwrap())
            .collect();
        assert_eq!(acts, ["attending_campaign", "none"]);
        assert_eq!(st["by_agency"][0], json!({"key": "bkn", "cases": 2}));
        assert_eq!(st["step_days"][0]["step"], "bawaslu_examination");
        assert_eq!(st["step_days"][0]["decided"], 1);
        let (_, other) = nx.get("/api/v1/neutrality-cases/stats?region=16.71").await;
        assert_eq!(other["total"], 0);
        let page_id = nx
            .page(&nx.app.client(), "/netralitas/statistik?lang=id")
            .await;
        let page_en = nx
            .page(&nx.app.client(), "/netralitas/statistik?lang=en")
            .await;
        assert_eq!(page_id.0, 200);
        assert!(
            page_id.1.contains("Menghadiri deklarasi atau kampanye"),
            "{}",
            page_id.1
        );
        assert!(page_en
            .1
            .contains("Attending a campaign and showing support"));
        for text in [&st.to_string(), &page_id.1, &page_en.1] {
            for secret in [NAME, "Wulan Terlapor", NIP, POSITION] {
                assert!(!text.contains(secret), "{secret} shown publicly");
            }
        }
        // The list and the case are not public.
        assert_eq!(nx.get("/api/v1/neutrality-cases").await.0, 401);
        assert_eq!(
            nx.get(&format!("/api/v1/neutrality-cases/{id}")).await.0,
            401
        );
    }
);

both_backends!(
    bad_input_is_refused_and_nothing_stored,
    |backend| async move {
        let cx = Cx::new(backend).await;
        let nx = &cx.nx;
        let (other, _) = cx.complaint("pelanggaran_pemilihan").await;
        let with = |k: &str, v: Value| {
            let mut b = opening(None);
            b[k] = v;
            b
        };
        let cases = [
            (with("region_code", json!("99.99")), 422, "unknown_region"),
            (with("region_code", json!("32.79.01")), 422, "bad_region"),
            (with("official_name", json!("   ")), 422, "bad_name"),
            (with("nip", json!("123456789012345678")), 422, "bad_nip"),
            (with("official_position", json!("")), 422, "empty_position"),
            (with("allegation", json!(" ")), 422, "bad_allegation"),
            (
                with("complaint_id", json!(999_999)),
                422,
                "unknown_complaint",
            ),
            (
                with("complaint_id", json!(other)),
                422,
                "complaint_not_neutrality",
            ),
            (with("origin", json!("bkn_entry")), 422, "origin_mismatch"),
            (
                with("origin", json!("complaint")),
                422,
                "complaint_mismatch",
            ),
        ];
        for (body, status, code) in cases {
            let (s, v) = cx.open(&nx.bawaslu, body).await;
            assert_eq!((s, v["code"].as_str()), (status, Some(code)), "{v}");
        }
        // A Pemda opens no case; an unknown field is refused.
        assert_eq!(cx.open(&nx.pemda_admin, opening(None)).await.0, 403);
        assert_eq!(cx.open(&nx.bawaslu, with("extra", json!(1))).await.0, 422);
        assert_eq!(nx.count("neutrality_cases").await, 0);

        let (_, v) = cx.open(&nx.bawaslu, opening(None)).await;
        let id = v["id"].as_i64().unwrap();
        let step = |k: &str, v: Value| {
            let mut b = json!({"step": "bawaslu_examination", "decision": "no_violation", "note": "Tidak terbukti."});
            b[k] = v;
            b
        };
        let steps = [
            (step("decision", json!("maybe")), 422, "bad_decision"),
            (
                step("decision", json!("complied")),
                422,
                "decision_not_for_step",
            ),
            (
                step("decided_on", json!("2999-01-01")),
                422,
                "date_in_future",
            ),
            (
                step("decided_on", json!("2000-01-01")),
                422,
                "date_in_future",
            ),
            (step("note", json!("")), 422, "bad_note"),
            (
                step("forbidden_act", json!("kampanye")),
                422,
                "bad_forbidden_act",
            ),
            (step("step", json!("closed")), 422, "bad_step"),
        ];
        for (body, status, code) in steps {
            let (s, v) = cx.step(&cx.bawaslu_spv, id, body).await;
            assert_eq!((s, v["code"].as_str()), (status, Some(code)), "{v}");
        }
        assert_eq!(
            cx.step(&cx.bawaslu_spv, 999_999, step("note", json!("x")))
                .await
                .0,
            404
        );
        assert_eq!(nx.count("neutrality_case_steps").await, 0);
        let (s, v) = cx
            .step(&cx.bawaslu_spv, id, step("note", json!("Tidak terbukti.")))
            .await;
        assert_eq!(
            (s, v["outcome"].as_str()),
            (201, Some("no_violation")),
            "{v}"
        );
        // A closed case takes no more decisions.
        let (s, _) = cx
            .step(&cx.bawaslu_spv, id, step("note", json!("Lagi.")))
            .await;
        assert_eq!(s, 409);
        let (s, v) = nx.get("/api/v1/neutrality-cases/stats?region=99.99").await;
        assert_eq!((s, v["code"].as_str()), (422, Some("unknown_region")));
    }
);

both_backends!(
    officials_pages_open_and_decide_without_script,
    |backend| async move {
        let cx = Cx::new(backend).await;
        let nx = &cx.nx;
        let c = signed_in(&nx.app, "n.bawaslu").await;
        let csrf = nx.app.csrf(&c, "/netralitas/kasus").await;
        let form = [
            ("csrf", csrf.as_str()),
            ("complaint_id", ""),
            ("region_code", "32.79"),
            ("official_name", NAME),
            ("nip", NIP),
            ("official_position", POSITION),
            ("allegation", "Berfoto dengan gestur dukungan."),
        ];
        let res = c
            .post(nx.app.url("/netralitas/kasus"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        let to = res.headers()["location"].to_str().unwrap().to_string();
        assert!(to.starts_with("/netralitas/kasus/"), "{to}");
        let (s, html) = nx.page(&c, &format!("{to}?lang=id")).await;
        assert_eq!(s, 200);
        assert!(html.contains(NAME) && html.contains("Pemeriksaan dan rekomendasi Bawaslu"));
        // The opener sees no decision form (duties separated); another Bawaslu official does.
        assert!(!html.contains("/langkah"));
        let spv = signed_in(&nx.app, "n.bawaslu.spv").await;
        let (_, html) = nx.page(&spv, &format!("{to}?lang=en")).await;
        assert!(html.contains("Decide this step") && html.contains("Partisan photo or gesture"));
        let csrf = nx.app.csrf(&spv, &to).await;
        // A refused form comes back with its message and what was typed.
        let bad = [
            ("csrf", csrf.as_str()),
            ("step", "bawaslu_examination"),
            ("decision", "violation"),
            ("forbidden_act", ""),
            ("sanction", ""),
            ("reference", ""),
            ("note", "Catatan saya"),
            ("document_1", ""),
            ("decided_on", ""),
        ];
        let res = spv
            .post(nx.app.url(&format!("{to}/langkah")))
            .form(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 422);
        let html = res.text().await.unwrap();
        assert!(
            // In English: the page was last asked for in English (the choice is remembered).
            html.contains("must name the forbidden act") && html.contains("Catatan saya"),
            "{html}"
        );
        let good = [
            ("csrf", csrf.as_str()),
            ("step", "bawaslu_examination"),
            ("decision", "violation"),
            ("forbidden_act", "partisan_gesture"),
            ("sanction", ""),
            ("reference", "12/2024"),
            ("note", "Terbukti."),
            ("document_1", "BA klarifikasi"),
            ("document_2", "Foto"),
            ("decided_on", ""),
        ];
        let res = spv
            .post(nx.app.url(&format!("{to}/langkah")))
            .form(&good)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        // The Pemda's list now shows it, by name, with the act named in Indonesian.
        let pemda = signed_in(&nx.app, "n.pemda.admin").await;
        let (s, html) = nx.page(&pemda, "/netralitas/kasus?lang=id").await;
        assert_eq!(s, 200);
        assert!(
            html.contains(NAME) && html.contains("Berfoto atau bergestur"),
            "{html}"
        );
        assert!(!html.contains("Catat kasus baru"));
        // Someone without a part in it is refused the list.
        let kpu = signed_in(&nx.app, "n.kpu").await;
        assert_eq!(nx.page(&kpu, "/netralitas/kasus").await.0, 403);
    }
);

both_backends!(
    a_retried_opening_and_decision_are_written_once,
    |backend| async move {
        let cx = Cx::new(backend).await;
        let nx = &cx.nx;
        let send = |token: &str, path: String, key: &'static str, body: Value| {
            nx.http
                .post(nx.app.url(&path))
                .bearer_auth(token)
                .header("Idempotency-Key", key)
                .json(&body)
                .send()
        };
        let open = || {
            send(
                &nx.bawaslu,
                "/api/v1/neutrality-cases".into(),
                "kasus-rudi-1",
                opening(None),
            )
        };
        let a: Value = open().await.unwrap().json().await.unwrap();
        let res = open().await.unwrap();
        assert_eq!(res.status().as_u16(), 201);
        let b: Value = res.json().await.unwrap();
        assert_eq!(a["id"], b["id"]);
        assert_eq!(nx.count("neutrality_cases").await, 1);
        let id = a["id"].as_i64().unwrap();
        let decide = || {
            send(
                &cx.bawaslu_spv,
                format!("/api/v1/neutrality-cases/{id}/steps"),
                "kasus-rudi-1-bawaslu",
                json!({"step": "bawaslu_examination", "decision": "no_violation", "note": "Tidak terbukti."}),
            )
        };
        assert_eq!(decide().await.unwrap().status().as_u16(), 201);
        // The retry gets the first answer, not 409 stale_step.
        assert_eq!(decide().await.unwrap().status().as_u16(), 201);
        assert_eq!(nx.count("neutrality_case_steps").await, 1);
        let events = format!("audit_events WHERE target_kind = 'neutrality_case' AND target_id = '{id}' AND action LIKE 'neutrality.%'");
        assert_eq!(nx.count(&events).await, 2);
    }
);
