//! Names and NIP kept out of the public statistics (API and page, both languages); the
//! officials' pages open and decide a case without script.

use serde_json::{json, Value};

use super::*;
use crate::support::http::signed_in;

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
