//! The public pages in both languages (names, Indonesian dates, no draft minutes), the
//! participation page with its chart and table, the iCalendar and CSV exports, and the
//! officials' form.

use serde_json::json;

use crate::support::http::signed_in;
use crate::support::worlds::participation::*;

both_backends!(
    public_pages_exports_and_participation,
    |backend| async move {
        let px = Px::new(backend).await;
        let ag = px.agreement().await;
        px.activity(Px::activity_body(Some(ag), "2024-06-10", "32.79.03"))
            .await;
        let next_year = time::OffsetDateTime::now_utc().year() + 1;
        let mut upcoming = Px::activity_body(None, &format!("{next_year}-01-15"), "32.79");
        upcoming["title"] = json!("Rapat evaluasi, partisipasi; 2025");
        px.activity(upcoming).await;
        let (s, id_page) = px.text("/kolaborasi/wilayah/32.79").await;
        assert_eq!(s, 200);
        assert!(id_page.contains("Kolaborasi · Kota Banjar"), "{id_page}");
        assert!(id_page.contains("Peningkatan partisipasi pemilih pemula"));
        assert!(id_page.contains("Senin, 10 Juni 2024"), "Indonesian dates");
        assert!(
            id_page.contains("Purwaharja"),
            "the district's name, not its code"
        );
        assert!(id_page.contains("id=\"calendar\""));
        let (_, en) = px.text("/kolaborasi/wilayah/32.79?lang=en").await;
        assert!(
            en.contains("Activities held") && en.contains("Monday, 10 June 2024"),
            "{en}"
        );
        assert!(!en.contains("Kegiatan terlaksana"));
        let (s, agreement) = px.text(&format!("/kolaborasi/perjanjian/{ag}")).await;
        assert_eq!(s, 200);
        assert!(
            agreement.contains("Dialog dengan tokoh agama.")
                && agreement.contains("31 Desember 2024")
        );
        assert_eq!(px.text("/kolaborasi/wilayah/99.99").await.0, 404);
        // iCalendar: only the upcoming activity, escaped.
        let res = px
            .http
            .get(px.app.url("/kolaborasi/wilayah/32.79/kegiatan.ics"))
            .send()
            .await
            .unwrap();
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar"));
        let ics = res.text().await.unwrap();
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1, "{ics}");
        assert!(
            ics.contains("SUMMARY:Rapat evaluasi\\, partisipasi\\; 2025\r\n"),
            "{ics}"
        );
        assert!(ics.contains(&format!("DTSTART;VALUE=DATE:{next_year}0115")));
        let (_, csv) = px.text("/kolaborasi/wilayah/32.79/kegiatan.csv").await;
        assert!(csv.starts_with("id,date,title,region_code,target_group,participants"));
        assert_eq!(csv.lines().count(), 3);
        let (_, csv) = px.text("/kolaborasi/wilayah/32.79/perjanjian.csv").await;
        assert!(
            csv.contains("001/PKS/2024") && csv.contains("PC NU Kota Banjar; FKUB Kota Banjar")
        );
        // The participation page: chart and table, both languages.
        let e = px.election_with_totals().await;
        px.put_csv(
            &px.kpu,
            &format!("/api/v1/elections/{e}/targets"),
            "32.79.01,70\n",
        )
        .await;
        let (s, page) = px.text(&format!("/partisipasi/{e}?region=32.79")).await;
        assert_eq!(s, 200);
        assert!(
            page.contains("<svg") && page.contains("id=\"districts\""),
            "{page}"
        );
        assert!(page.contains("77,81%"), "Indonesian decimals: {page}");
        assert!(page.contains("66,67%") && page.contains("−3,33 poin"));
        let (_, page) = px
            .text(&format!("/partisipasi/{e}?region=32.79&lang=en"))
            .await;
        assert!(page.contains("77.81%") && page.contains("Turnout reached"));
    }
);

both_backends!(
    officials_record_an_agreement_through_the_form,
    |backend| async move {
        let px = Px::new(backend).await;
        let c = signed_in(&px.app, "p.kesbang").await;
        let csrf = px.app.csrf(&c, "/kolaborasi/petugas").await;
        let form = |until: &str| {
            vec![
                ("csrf", csrf.clone()),
                ("region", "32.79".into()),
                ("title", "Pendidikan pemilih bersama ormas".into()),
                ("number", "007/PKS/2024".into()),
                ("partner_agency", px.kpu_id.to_string()),
                ("other_parties_lines", "PD Muhammadiyah\r\nPC NU".into()),
                ("signed_on", "2024-03-01".into()),
                ("valid_from", "2024-03-01".into()),
                ("valid_until", until.to_string()),
                (
                    "clauses_lines",
                    "Sosialisasi bersama.\r\nPelaporan triwulanan.".into(),
                ),
                ("legal_basis", String::new()),
            ]
        };
        let res = c
            .post(px.app.url("/kolaborasi/petugas/perjanjian"))
            .form(&form("2024-01-01"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 422);
        let body = res.text().await.unwrap();
        assert!(
            body.contains("Masa berlaku berakhir sebelum dimulai"),
            "{body}"
        );
        assert!(
            body.contains("Pendidikan pemilih bersama ormas"),
            "what was typed is kept"
        );
        assert_eq!(px.count("SELECT COUNT(*) FROM collab_agreements").await, 0);
        let res = c
            .post(px.app.url("/kolaborasi/petugas/perjanjian"))
            .form(&form("2025-12-31"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        let (_, v) = px.get("/api/v1/agreements?region=32.79").await;
        let a = &v["agreements"][0];
        assert_eq!(a["parties"].as_array().unwrap().len(), 4);
        assert_eq!(a["clauses"][1]["text"], "Pelaporan triwulanan.");
        // A viewer gets no form through.
        let v = signed_in(&px.app, "p.kpu.viewer").await;
        let csrf = px.app.csrf(&v, "/kolaborasi/petugas").await;
        let res = v
            .post(px.app.url("/kolaborasi/petugas/perjanjian"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("title", "x"),
                ("number", "1"),
                ("signed_on", "2024-01-01"),
                ("valid_from", "2024-01-01"),
                ("valid_until", "2024-02-01"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403);
        assert_eq!(px.count("SELECT COUNT(*) FROM collab_agreements").await, 1);
    }
);
