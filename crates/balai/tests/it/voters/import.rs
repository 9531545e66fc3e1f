//! Import: good and bad rows, all or nothing, counts per village, the TPS master's DPT L/P,
//! versions and stages, who may import, the console import.

use serde_json::Value;

use crate::support::worlds::voters::*;

both_backends!(a_good_list_sets_the_tps_master_and_counts, |b| async move {
    let vx = Vx::new(b).await;
    // A TPS the KPU entered already, with a guessed DPT: the list corrects it.
    let (s, v) = vx
        .send(
            "POST",
            &vx.kpu,
            &format!("/api/v1/elections/{}/tps", vx.election),
            serde_json::json!({"village_code": "32.79.01.1001", "number": 1, "address": "Balai RW 01", "dpt_l": 100, "dpt_p": 100}),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    let (s, v) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        (
            &v["version"],
            &v["stage"],
            &v["voters"],
            &v["male"],
            &v["female"],
            &v["tps"]
        ),
        (
            &Value::from(1),
            &Value::from("dps"),
            &Value::from(4),
            &Value::from(2),
            &Value::from(2),
            &Value::from(2)
        )
    );
    assert_eq!(v["tps_created"], 1, "{v}");
    assert_eq!(v["refused"], serde_json::json!([]));
    let villages: Vec<(String, String, i64)> = v["villages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["village_code"].as_str().unwrap().into(),
                x["village_name"].as_str().unwrap().into(),
                x["voters"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        villages,
        [
            ("32.79.01.1001".into(), "Banjar".into(), 3),
            ("32.79.01.1002".into(), "Mekarsari".into(), 1)
        ]
    );
    assert_eq!(
        vx.master().await,
        [
            ("32.79.01.1001".into(), 1, 1, 2),
            ("32.79.01.1002".into(), 3, 1, 0)
        ]
    );
    // No NIK in the answer, nor in the audit event.
    assert!(!v.to_string().contains(SITI));
    let events = vx.audit("voters.list_imported").await;
    assert_eq!(events.len(), 1);
    assert!(events[0].2.contains("\"voters\":4"), "{:?}", events[0]);
    assert!(!events[0].2.contains(SITI));
    // The public versions.
    let (s, v) = vx
        .send(
            "GET",
            "",
            &format!("/api/v1/elections/{}/dpt", vx.election),
            Value::Null,
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["versions"][0]["voters"], 4);
    // The DPT fixed after responses: version 2, TPS 1 now with two voters.
    let fixed: String = good_list()
        .lines()
        .filter(|l| !l.contains("Budi Santoso"))
        .map(|l| format!("{l}\n"))
        .collect();
    let (s, v) = vx.put_list(&vx.kpu, "dpt", &fixed).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        (v["version"].as_i64(), v["voters"].as_i64()),
        (Some(2), Some(3))
    );
    assert_eq!(vx.master().await[0], ("32.79.01.1001".into(), 1, 0, 2));
    // A fixed DPT is final.
    let (s, v) = vx.put_list(&vx.kpu, "dpt", &fixed).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (409, Some("list_stage_order")),
        "{v}"
    );
    let (_, v) = vx
        .send(
            "GET",
            "",
            &format!("/api/v1/elections/{}/dpt", vx.election),
            Value::Null,
        )
        .await;
    assert_eq!(v["versions"].as_array().unwrap().len(), 2);
});

both_backends!(
    bad_rows_refuse_the_whole_list_with_lines_and_reasons,
    |b| async move {
        let vx = Vx::new(b).await;
        let bad = format!(
            "{}\
         2222222222222222,3279012301150004,Palsu,Banjar,1990-08-15,P,32.79.01.1001,1,x\n\
         3279011508900001,3279012301150004,Salah Jenis,Banjar,1990-08-15,P,32.79.01.1001,1,x\n\
         {SITI},3279012301150004,Siti Lagi,Banjar,1990-08-15,P,32.79.01.1001,2,x\n\
         3279011508900005,3279012301150004,Luar Kota,Banjar,1990-08-15,L,16.71.01.1001,1,x\n\
         3269011508900001,3279012301150004,Tanpa Wilayah,Banjar,1990-08-15,L,32.79.01.1001,1,x\n",
            good_list()
        );
        let (s, v) = vx.put_list(&vx.kpu, "dps", &bad).await;
        assert_eq!(
            (s, v["code"].as_str()),
            (422, Some("voter_list_refused")),
            "{v}"
        );
        let got: Vec<(i64, &str)> = v["details"]["refused"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["line"].as_i64().unwrap(), r["code"].as_str().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                (6, "nik_birth_date"),
                (7, "nik_sex_mismatch"),
                (8, "nik_duplicate"),
                (9, "village_outside_region"),
                (10, "nik_region_unknown")
            ]
        );
        assert!(v["details"]["refused"][2]["message_en"]
            .as_str()
            .unwrap()
            .contains("line 2"));
        assert!(!v.to_string().contains(SITI), "a NIK echoed back: {v}");
        // Nothing stored: no version, no TPS, the good rows not findable.
        assert!(vx.master().await.is_empty());
        let (_, _, body) = vx.lookup(SITI, "Siti Wahyuni").await;
        assert!(body.contains("\"found\":false"), "{body}");

        // A TPS over the maximum (here 2 per TPS).
        let vx2 = Vx::with_config(b, |c| {
            c.voters.insert("max_voters_per_tps".into(), 2.into());
        })
        .await;
        let (s, v) = vx2.put_list(&vx2.kpu, "dps", &good_list()).await;
        assert_eq!(s, 422, "{v}");
        assert_eq!(v["details"]["refused"][0]["line"], 4);
        assert_eq!(v["details"]["refused"][0]["code"], "tps_full");
    }
);

both_backends!(only_the_kpu_of_the_region_imports, |b| async move {
    let vx = Vx::new(b).await;
    for token in [&vx.palembang, &vx.kpu_officer, &vx.kpu_viewer] {
        let (s, v) = vx.put_list(token, "dps", &good_list()).await;
        assert_eq!(s, 403, "{v}");
    }
    let (s, _) = vx.put_list("nope", "dps", &good_list()).await;
    assert_eq!(s, 401);
    let (s, v) = vx.put_list(&vx.kpu, "dpx", &good_list()).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (422, Some("list_stage_unknown")),
        "{v}"
    );
    assert!(vx.master().await.is_empty());
});

both_backends!(the_console_imports_a_file, |b| async move {
    let vx = Vx::new(b).await;
    let ctx = vx.app.ctx.clone();
    let meta = balai_core::web::actor::ReqMeta {
        request_id: "t".into(),
        ip: "local".into(),
        user_agent: "t".into(),
    };
    use balai_voters::commands::import::{import, By};
    let done = import(&ctx, &meta, By::Console, vx.election, "dps", &good_list())
        .await
        .unwrap();
    assert_eq!(done.total.voters, 4);
    assert_eq!(vx.audit("voters.list_imported").await[0].0, "anonim");
});

both_backends!(balai_import_dpt_from_the_command_line, |b| async move {
    use crate::support::cli::{run, Target};
    let vx = Vx::new(b).await;
    let dir = vx.app.dir.path();
    let target = Target::url(&vx.app.url, dir);
    let good = dir.join("dpt.csv");
    std::fs::write(&good, good_list()).unwrap();
    let election = vx.election.to_string();
    let good = good.to_string_lossy().into_owned();
    let out = run(
        target.cmd(&["import", "dpt", "--election", &election, &good]),
        None,
    )
    .await;
    assert!(out.ok(), "{out}");
    assert!(out.stdout.contains("4 voters (2 L, 2 P) in 2 TPS"), "{out}");
    assert!(!out.stdout.contains(SITI) && !out.stderr.contains(SITI));
    assert_eq!(vx.master().await.len(), 2);
    // A bad file: exit 1, every refused row on standard error, nothing changed.
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        format!("{HEADER}\n2222222222222222,3279012301150004,X,B,1990-08-15,P,32.79.01.1001,9,x\n"),
    )
    .unwrap();
    let bad = bad.to_string_lossy().into_owned();
    let out = run(
        target.cmd(&[
            "import",
            "dpt",
            "--election",
            &election,
            "--stage",
            "dpshp",
            &bad,
        ]),
        None,
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{out}");
    assert!(out.stderr.contains("line 2: nik_birth_date"), "{out}");
    assert_eq!(vx.master().await.len(), 2);
});

/// Palembang's list (province 16): two voters at TPS 1 of 16.71.01.1001.
fn palembang_list() -> String {
    format!(
        "{HEADER}\n\
         1671044107900003,1671012301150004,Rina Kusuma,Palembang,1990-07-01,P,16.71.01.1001,1,Jl. Sudirman 1\n\
         1671040107900004,1671012301150004,Joko Siregar,Palembang,1990-07-01,L,16.71.01.1001,1,Jl. Sudirman 1\n"
    )
}

/// Every stored index bucket and record of province 16 (with PostgreSQL's row versions).
async fn province_16(vx: &Vx) -> Vec<(String, Vec<u8>)> {
    let db = &vx.app.ctx.db;
    if db.backend() == balai_core::db::Backend::Postgres {
        balai_core::with_db!(db, |c| sqlx::query_as(
            "SELECT CONCAT('i', bucket, '/', xmin::TEXT, '/', ctid::TEXT), entries FROM voter_index_p16
             UNION ALL SELECT CONCAT('r', n, '/', xmin::TEXT, '/', ctid::TEXT), sealed FROM voter_records_p16
             ORDER BY 1"
        )
        .fetch_all(c)
        .await)
        .unwrap()
    } else {
        balai_core::with_db!(db, |c| sqlx::query_as(
            "SELECT 'i' || key, entries FROM voter_index WHERE key & 255 = 16
             UNION ALL SELECT 'r' || n, sealed FROM voter_records WHERE province = 16 ORDER BY 1"
        )
        .fetch_all(c)
        .await)
        .unwrap()
    }
}

both_backends!(
    a_reimport_leaves_other_provinces_untouched,
    |b| async move {
        let vx = Vx::new(b).await;
        let (s, v) = vx
        .send(
            "POST",
            &vx.palembang,
            "/api/v1/elections",
            serde_json::json!({"kind": "walikota", "region_code": "16.71", "name": "Pemilihan Wali Kota Palembang 2024", "voting_date": "2024-11-27"}),
        )
        .await;
        assert_eq!(s, 201, "{v}");
        let plg = v["id"].as_i64().unwrap();
        let (s, v) = vx
            .put_list_to(&vx.palembang, plg, "dps", &palembang_list())
            .await;
        assert_eq!(s, 200, "{v}");
        let (s, v) = vx.put_list(&vx.kpu, "dps", &good_list()).await;
        assert_eq!(s, 200, "{v}");
        let before = province_16(&vx).await;
        assert_eq!(
            before.len(),
            3,
            "two index buckets and one block of two records"
        );
        // Banjar (province 32) imported again, twice: Palembang's rows are the very same rows.
        for stage in ["dpshp", "dpt"] {
            let (s, v) = vx.put_list(&vx.kpu, stage, &good_list()).await;
            assert_eq!(s, 200, "{v}");
        }
        assert_eq!(province_16(&vx).await, before);
        let (_, v) = vx
            .send(
                "GET",
                "",
                &format!("/api/v1/elections/{plg}/dpt"),
                Value::Null,
            )
            .await;
        let versions = v["versions"].as_array().unwrap();
        assert_eq!(
            (versions.len(), &versions[0]["voters"]),
            (1, &Value::from(2))
        );
        let (s, _, body) = vx.lookup("1671044107900003", "rina kusuma").await;
        assert_eq!(s, 200, "{body}");
        assert!(
            body.contains("Palembang 2024") && body.contains("R*** K*****"),
            "{body}"
        );
        let (_, _, body) = vx.lookup(SITI, "Siti Wahyuni").await;
        assert!(body.contains("Banjar 2024"), "{body}");
    }
);

/// A list of `n` men of Banjar, each with his own NIK (born on day `i % 28 + 1` of a month of
/// 1980–1989, serial `i + 1`) and name (`Warga {i}`), over TPS 1–4 of village 1001.
fn numbered_list(n: usize) -> String {
    let mut csv = String::from(HEADER);
    csv.push('\n');
    for i in 0..n {
        let (day, month, year) = (i % 28 + 1, i / 28 % 12 + 1, 80 + i % 10);
        csv.push_str(&format!(
            "3279{:02}{day:02}{month:02}{year:02}{:04},3279012301150004,Warga {i},Banjar,\
             19{year:02}-{month:02}-{day:02},L,32.79.01.1001,{},Jl. Kenanga {i}\n",
            1 + i % 3,
            i + 1,
            1 + i % 4,
        ));
    }
    csv
}

both_backends!(
    records_sealed_in_blocks_each_read_back_alone,
    |b| async move {
        let vx = Vx::new(b).await;
        // 37 voters: four full blocks of 8 and one of 5.
        let list = numbered_list(37);
        let (s, v) = vx.put_list(&vx.kpu, "dps", &list).await;
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["voters"], 37, "{v}");
        let rows: Vec<(i64, Vec<u8>)> = balai_core::with_db!(&vx.app.ctx.db, |c| sqlx::query_as(
            "SELECT CAST(n AS BIGINT), sealed FROM voter_records ORDER BY n"
        )
        .fetch_all(c)
        .await)
        .unwrap();
        assert_eq!(
            rows.iter().map(|r| r.0).collect::<Vec<_>>(),
            [0, 1, 2, 3, 4],
            "one row per block"
        );
        let path = format!("/api/v1/elections/{}/dpt/record", vx.election);
        let lines: Vec<&str> = list.lines().skip(1).collect();
        for i in [0usize, 1, 7, 8, 15, 16, 31, 32, 36] {
            let nik = lines[i].split(',').next().unwrap();
            let ask = serde_json::json!({"nik": nik, "purpose": "Tanggapan"});
            let (s, v) = vx.send("POST", &vx.kpu_officer, &path, ask).await;
            assert_eq!(s, 200, "voter {i}: {v}");
            assert_eq!(
                (&v["nik"], &v["name"], &v["tps_number"], &v["sex"]),
                (
                    &Value::from(nik),
                    &Value::from(format!("Warga {i}")),
                    &Value::from(1 + i % 4),
                    &Value::from("L")
                ),
                "voter {i}"
            );
            assert_eq!(v["address"], format!("Jl. Kenanga {i}"));
            assert_eq!(v["village_code"], "32.79.01.1001");
            // One record, never its block's neighbours.
            let text = v.to_string();
            assert!(!text.contains(&format!("Warga {}\"", i + 1)), "{text}");
            let (s, _, body) = vx.lookup(nik, &format!("Warga {i}")).await;
            let found: Value = serde_json::from_str(&body).unwrap();
            assert_eq!((s, &found["found"]), (200, &Value::Bool(true)), "voter {i}");
        }
        assert_eq!(vx.audit("personal_data.read").await.len(), 9);
        // Imported again smaller: the old blocks are gone, the new ones read.
        let (s, v) = vx.put_list(&vx.kpu, "dpshp", &numbered_list(3)).await;
        assert_eq!(s, 200, "{v}");
        let blocks: i64 = balai_core::with_db!(&vx.app.ctx.db, |c| sqlx::query_scalar(
            "SELECT COUNT(*) FROM voter_records"
        )
        .fetch_one(c)
        .await)
        .unwrap();
        assert_eq!(blocks, 1);
        let (s, _, body) = vx
            .lookup(lines[20].split(',').next().unwrap(), "Warga 20")
            .await;
        let found: Value = serde_json::from_str(&body).unwrap();
        assert_eq!((s, &found["found"]), (200, &Value::Bool(false)));
    }
);
