//! The public page of a region (flags, counts, timeline, both languages, no NIP anywhere
//! public), its CSV, and the agencies' page: the NIP for them only (audited), the form that
//! records through CSRF and POST-redirect-GET.

use serde_json::json;

use crate::support::http::signed_in;
use crate::support::worlds::neutrality::*;

both_backends!(the_public_views_never_show_the_nip, |backend| async move {
    let nx = Nx::new(backend).await;
    nx.election(
        &nx.kpu_banjar,
        "walikota",
        "32.79",
        schedule_2024("2024-09-22", Some("2025-02-20")),
    )
    .await;
    let (s, _) = nx.record(&nx.pemda, appointment("2024-05-02")).await;
    assert_eq!(s, 201);
    let mut outside = appointment("2024-01-10");
    outside["official_name"] = json!("Wulan Contoh");
    outside["nip"] = json!("197001011995032001");
    nx.record(&nx.pemda, outside).await;
    let anon = nx.app.client();
    let mut bodies = Vec::new();
    for path in [
        "/api/v1/appointments?region=32.79",
        "/netralitas/wilayah/32.79",
        "/netralitas/wilayah/32.79?lang=en",
        "/netralitas/wilayah/32.79/pengangkatan.csv",
        "/netralitas",
    ] {
        let (status, text) = nx.page(&anon, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            !text.contains(NIP) && !text.contains("197001011995032001"),
            "NIP in {path}"
        );
        assert!(
            text.contains("Hendra Contoh") || path == "/netralitas",
            "{path}"
        );
        bodies.push(text);
    }
    // The page names the rule, the window and the election, in each language.
    assert!(bodies[1].contains("Dalam masa larangan, tanpa persetujuan Mendagri: UU 10/2016 Pasal 71 ayat (2) (22 Maret 2024 – 19 Februari 2025)"), "{}", bodies[1]);
    assert!(
        bodies[2].contains("Inside the restricted period, without the Minister")
            && bodies[2]
                .contains("UU 10/2016 Pasal 71 ayat (2) (22 March 2024 – 19 February 2025)"),
        "{}",
        bodies[2]
    );
    assert!(bodies[1].contains("<svg") && bodies[1].contains("id=\"months\""));
    assert!(bodies[1].contains("<strong id=\"flagged\">1</strong>"));
    assert!(bodies[3].starts_with("id,region_code,kind,official_name"));
    assert!(bodies[3].contains("uu10_2016_pasal71_ayat2@1:2024-03-22..2025-02-19"));
    // The agencies' register shows the NIP, and reading it is audited.
    let c = signed_in(&nx.app, "n.pemda").await;
    let (_, html) = nx.page(&c, "/netralitas/petugas").await;
    assert!(html.contains(NIP));
    assert_eq!(
        nx.count("audit_events WHERE action = 'personal_data.read' AND target_id = '32.79'")
            .await,
        1
    );
    // Nor is the NIP in the audit log of the recording.
    assert_eq!(
        nx.count(&format!("audit_events WHERE summary LIKE '%{NIP}%'"))
            .await,
        0
    );
});

both_backends!(
    the_form_records_with_csrf_and_redirects,
    |backend| async move {
        let nx = Nx::new(backend).await;
        let c = signed_in(&nx.app, "n.pemda").await;
        let csrf = nx.app.csrf(&c, "/netralitas/petugas").await;
        let form = [
            ("csrf", csrf.as_str()),
            ("region_code", "32.79"),
            ("kind", "promosi"),
            ("official_name", "Maya Contoh"),
            ("nip", ""),
            ("from_position", "Kepala Bidang"),
            ("to_position", "Direktur RSUD"),
            ("decree_number", "821.2/24/2024"),
            ("decree_date", "2024-07-10"),
            ("effective_date", ""),
            ("signed_by", "acting_head"),
            ("minister_approval_ref", ""),
        ];
        let res = c
            .post(nx.app.url("/netralitas/petugas/pengangkatan"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        assert_eq!(
        nx.count("appointments WHERE source = 'form' AND kind = 'promosi' AND signed_by = 'acting_head'").await,
        1
    );
        // Without the token: refused, nothing stored.
        let res = c
            .post(nx.app.url("/netralitas/petugas/pengangkatan"))
            .form(&form[1..])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403);
        // Bad input: the page again with the message and the values kept.
        let mut bad = form.to_vec();
        bad[6] = ("to_position", " ");
        let res = c
            .post(nx.app.url("/netralitas/petugas/pengangkatan"))
            .form(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 422);
        let html = res.text().await.unwrap();
        assert!(html.contains("Jabatan baru wajib diisi"), "{html}");
        assert!(html.contains("value=\"Maya Contoh\""));
        assert_eq!(nx.count("appointments").await, 1);
        // The public page with the timeline in English.
        let (_, html) = nx
            .page(&nx.app.client(), "/netralitas/wilayah/32.79?lang=en")
            .await;
        assert!(html.contains("Official appointments · Kota Banjar"));
        assert!(html.contains("Acting head"));
    }
);
