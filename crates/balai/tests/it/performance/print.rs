//! The printable report of a unit and period (`/kinerja/unit/{id}/cetak`): the regulation's
//! tables with numbers worked out here by hand, in both languages, public; and the unit's
//! admin setting KPI targets from the unit's page (officers refused, bad values change
//! nothing).

use serde_json::json;

use crate::support::http::{api, status_json};
use crate::support::worlds::performance::*;
use crate::support::TestApp;

/// Four respondents; by hand: U1 total 14, NRR 3.50, weighted 3.5 / 9 = 0.389; U8 total 8,
/// NRR 2.00 (the lowest); Σ NRR = 28, Σ weighted = 28 / 9 = 3.111; IKM = 700/9 = 77.78, B.
const SET: [[i64; 9]; 4] = [
    [4, 3, 2, 4, 3, 4, 4, 1, 3],
    [3, 3, 2, 4, 3, 4, 4, 2, 2],
    [3, 2, 2, 4, 3, 3, 4, 2, 3],
    [4, 4, 3, 4, 3, 3, 4, 3, 3],
];

/// The text between `id="{id}"` and the end of its table.
fn table<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no table {id}"));
    let rest = &html[start..];
    &rest[..rest.find("</table>").unwrap_or(rest.len())]
}

both_backends!(
    the_printable_report_has_the_regulations_tables,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let u = units(&app).await;
        let officer = app.token_for("dk.officer").await;
        let c = codes(&app, &officer, u.dukcapil, 4).await;
        for (k, (code, row)) in c.iter().zip(SET).enumerate() {
            let sex = if k < 2 { "P" } else { "L" };
            let (s, v) = answer_with(
                &app,
                json!({ "code": code, "answers": row, "sex": sex, "age_band": "30_39" }),
            )
            .await;
            assert_eq!(s, 201, "{v}");
        }
        let day = today().to_string();
        let spv = app.token_for("dk.spv").await;
        let path = format!("/api/v1/performance/units/{}/follow-ups", u.dukcapil);
        let plan = json!({ "from": day, "to": day, "element": 8,
        "plan": "Kotak pengaduan di setiap loket", "owner": "Kepala Seksi Pelayanan",
        "due_on": "2026-09-30" });
        let (s, v) = status_json(api(&app, "POST", &spv, &path, Some(plan)).await).await;
        assert_eq!(s, 201, "{v}");

        let url = format!("/kinerja/unit/{}/cetak?from={day}&to={day}", u.dukcapil);
        let browser = app.client();
        let id = text(&app, &browser, &format!("{url}&lang=id")).await;
        assert!(!id.contains("<script"));
        assert!(id.contains("Laporan Survei Kepuasan Masyarakat"), "{id}");
        assert!(id.contains("Disdukcapil Kota Banjar") && id.contains("Kota Banjar"));
        assert!(id.contains("<strong id=\"ikm\">77,78</strong>"), "{id}");
        assert!(id.contains("<strong id=\"mutu\">B</strong>"));
        assert!(id.contains("id=\"kinerja\">Baik<"));
        // Per element: U1's total, NRR, weight and weighted NRR; U8 marked lowest; the sums.
        let elements = table(&id, "per-unsur");
        assert!(
            elements.contains(">U1 Persyaratan<")
                && elements.contains(">14<")
                && elements.contains(">3,50<")
                && elements.contains(">1/9<")
                && elements.contains(">0,389<"),
            "{elements}"
        );
        assert!(elements.contains("U8 Penanganan pengaduan, saran dan masukan — <strong>terendah"));
        assert_eq!(elements.matches("terendah").count(), 1);
        assert!(
            elements.contains("id=\"jumlah-tertimbang\">3,111<"),
            "{elements}"
        );
        // Per service and the respondents' profile, with shares.
        let services = table(&id, "per-layanan");
        assert!(
            services.contains(">KTP-el<") && services.contains(">100,00%<"),
            "{services}"
        );
        let sex = table(&id, "jenis-kelamin");
        assert!(
            sex.contains(">Perempuan<") && sex.contains(">Laki-laki<"),
            "{sex}"
        );
        assert_eq!(sex.matches(">50,00%<").count(), 2, "{sex}");
        assert!(table(&id, "umur").contains(">30–39 tahun<"));
        // The lowest element and the follow-up plan, with its due day as people write it.
        assert!(id.contains("id=\"terendah\""));
        let plan = table(&id, "tindak-lanjut");
        assert!(
            plan.contains("Kotak pengaduan di setiap loket")
                && plan.contains("Kepala Seksi Pelayanan")
                && plan.contains("30 September 2026")
                && plan.contains("Direncanakan"),
            "{plan}"
        );
        assert!(id.contains("Pimpinan unit pelayanan"));

        // English: the same numbers with the English decimal mark and words.
        let en = text(&app, &browser, &format!("{url}&lang=en")).await;
        assert!(en.contains("lang=\"en\"") && en.contains("Community Satisfaction Survey Report"));
        assert!(en.contains("<strong id=\"ikm\">77.78</strong>") && en.contains(">Good<"));
        assert!(table(&en, "per-unsur").contains(">0.389<"));
        assert!(table(&en, "jenis-kelamin").contains(">Female<"));
        assert!(en.contains("30 September 2026"));

        // The unit's page links to it; a period without answers says so; refusals.
        let unit = text(
            &app,
            &browser,
            &format!("/kinerja/unit/{}?from={day}&to={day}&lang=id", u.dukcapil),
        )
        .await;
        assert!(
            unit.contains(&format!(
                "href=\"/kinerja/unit/{}/cetak?from={day}&amp;to={day}\"",
                u.dukcapil
            )),
            "{unit}"
        );
        // The six-month trend: a chart and a table with the same numbers, this month last.
        let trend = &unit[unit
            .find("aria-labelledby=\"trend-title\"")
            .expect("the trend chart")..];
        assert!(trend.contains("<text class=\"bar-value\""));
        let row = &trend[trend.find("<tr><td>IKM</td>").expect("the trend table")..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert_eq!(row.matches("<td class=\"num\">").count(), 6, "{row}");
        assert!(row.ends_with("<td class=\"num\">77,78</td>"), "{row}");
        // Its KPI table carries the month's index and grade.
        assert!(unit.contains("<tr id=\"kpi-ikm\"><td>Indeks kepuasan masyarakat (IKM)</td><td class=\"num\">77,78 (B — Baik)</td>"), "{unit}");
        let empty = text(
            &app,
            &browser,
            &format!(
                "/kinerja/unit/{}/cetak?from=2025-01-01&to=2025-01-31",
                u.dukcapil
            ),
        )
        .await;
        assert!(empty.contains("id=\"ikm-none\"") && !empty.contains("id=\"per-unsur\""));
        let one = text(&app, &browser, &format!("{url}&service=KK")).await;
        assert!(one.contains("id=\"ikm-none\""));
        for (path, want) in [
            (
                format!(
                    "/kinerja/unit/{}/cetak?from=2026-02-01&to=2026-01-01",
                    u.dukcapil
                ),
                422,
            ),
            ("/kinerja/unit/999999/cetak".to_string(), 404),
        ] {
            let res = browser.get(app.url(&path)).send().await.unwrap();
            assert_eq!(res.status(), want, "{path}");
        }
    }
);

both_backends!(
    the_admin_sets_targets_on_the_unit_page,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let u = units(&app).await;
        let stored = || async {
            (
                count(&app, "SELECT COUNT(*) FROM perf_kpi_targets").await,
                count(
                    &app,
                    "SELECT COUNT(*) FROM audit_events WHERE action = 'performance.target_set'",
                )
                .await,
            )
        };
        let month = &today().to_string()[..7];
        let page = format!("/kinerja/unit/{}?month={month}", u.dukcapil);
        let target = format!("/kinerja/unit/{}/target", u.dukcapil);
        // An officer sees no form and is refused when posting one; nothing is stored.
        let (officer, html, csrf) = signed_in(&app, "dk.officer", &page).await;
        assert!(!html.contains("id=\"ubah-target\""));
        let ikm90 = [("csrf", csrf.as_str()), ("t.performance.ikm", "90")];
        assert_eq!(post_form(&app, &officer, &target, &ikm90).await.0, 403);

        // The admin: a bad value anywhere stores nothing; then a good form stores what changed.
        let (admin, html, csrf) = signed_in(&app, "dk.admin", &page).await;
        assert!(html.contains("id=\"ubah-target\"") && html.contains("name=\"t.performance.ikm\""));
        let mut fields = vec![
            ("csrf", csrf.as_str()),
            ("month", month),
            ("t.performance.ikm", "88,31"),
            ("t.complaints.answered_on_time", "banyak"),
        ];
        assert_eq!(post_form(&app, &admin, &target, &fields).await.0, 422);
        assert_eq!(stored().await, (0, 0));
        fields[3].1 = "";
        assert_eq!(
            post_form(&app, &admin, &target, &fields).await,
            (
                303,
                format!("/kinerja/unit/{}?month={month}#kpi", u.dukcapil)
            )
        );
        assert_eq!(stored().await, (1, 1));
        // The API reads it back; the form shows it; sending it again unchanged writes nothing.
        assert_eq!(
            month_kpis(&app, u.dukcapil, month).await["ikm_target"],
            88.31
        );
        let html = text(&app, &admin, &page).await;
        assert!(
            html.contains("name=\"t.performance.ikm\" value=\"88,31\""),
            "{html}"
        );
        // The KPI table shows the index's row with its target (no answers this month: no value).
        let row = &html[html.find("id=\"kpi-ikm\"").expect("the IKM row")..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains(">–<") && row.contains("88,31"), "{row}");
        assert_eq!(post_form(&app, &admin, &target, &fields).await.0, 303);
        assert_eq!(stored().await, (1, 1));
        // Another unit's admin may not set this unit's targets.
        let (other, _, csrf) = signed_in(&app, "pemda.admin", &page).await;
        let ikm10 = [("csrf", csrf.as_str()), ("t.performance.ikm", "10")];
        assert_eq!(post_form(&app, &other, &target, &ikm10).await.0, 403);
        assert_eq!(stored().await, (1, 1));
    }
);
