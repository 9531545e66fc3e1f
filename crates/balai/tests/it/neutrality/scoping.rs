//! The table of `docs/ROLES.md` for the register, walked cell by cell through the real HTTP
//! API and pages: the appointing government's Pemda by role, BKN covering it, and every other
//! agency or region refused with nothing stored.

use crate::support::http::signed_in;
use crate::support::worlds::neutrality::*;

const CSV: &str = "official_name,from_position,to_position,decree_number,decree_date\n\
    Sari,Kabid,Kadis,821/1/2024,2024-05-02\n";

async fn import(nx: &Nx, token: &str) -> u16 {
    nx.http
        .post(nx.app.url("/api/v1/appointments/import?region=32.79"))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(CSV)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn read_page(nx: &Nx, user: &str) -> u16 {
    let c = signed_in(&nx.app, user).await;
    c.get(nx.app.url("/netralitas/petugas?region=32.79"))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

both_backends!(the_roles_table_cell_by_cell, |backend| async move {
    let nx = Nx::new(backend).await;
    // (who, token, user, record, import, read the register with NIP)
    let cells = [
        ("admin", &nx.pemda_admin, "n.pemda.admin", 201, 201, 200),
        ("supervisor", &nx.pemda_sup, "n.pemda.spv", 201, 201, 200),
        ("officer", &nx.pemda, "n.pemda", 201, 403, 200),
        (
            "counter operator",
            &nx.pemda_counter,
            "n.pemda.counter",
            403,
            403,
            403,
        ),
        ("viewer", &nx.pemda_viewer, "n.pemda.viewer", 403, 403, 200),
        ("BKN officer", &nx.bkn, "n.bkn", 201, 403, 200),
        (
            "province's Pemda admin",
            &nx.pemda_jabar,
            "n.jabar",
            403,
            403,
            403,
        ),
        ("Bawaslu admin", &nx.bawaslu, "n.bawaslu", 403, 403, 403),
        (
            "another city's Pemda admin",
            &nx.palembang,
            "n.palembang",
            403,
            403,
            403,
        ),
        ("KPU supervisor", &nx.kpu_banjar, "n.kpu", 403, 403, 403),
    ];
    let mut stored = 0;
    for (who, token, user, record, imports, reads) in cells {
        let before = nx.count("appointments").await;
        let (s, v) = nx.record(token, appointment("2024-05-02")).await;
        assert_eq!(s, record, "{who} records: {v}");
        if s == 403 {
            assert_eq!(v["code"], "forbidden");
        }
        assert_eq!(import(&nx, token).await, imports, "{who} imports");
        stored += usize::from(record == 201) + usize::from(imports == 201);
        let after = nx.count("appointments").await;
        assert_eq!(
            after - before,
            i64::from(record == 201) + i64::from(imports == 201),
            "{who}: only what was allowed is stored"
        );
        assert_eq!(
            read_page(&nx, user).await,
            reads,
            "{who} reads the register"
        );
    }
    assert_eq!(nx.count("appointments").await, stored as i64);
    // BKN covering Jawa Barat does not record for Kota Palembang; Palembang's Pemda does.
    let mut elsewhere = appointment("2024-05-02");
    elsewhere["region_code"] = serde_json::json!("16.71");
    assert_eq!(nx.record(&nx.bkn, elsewhere.clone()).await.0, 403);
    assert_eq!(nx.record(&nx.palembang, elsewhere).await.0, 201);
});
