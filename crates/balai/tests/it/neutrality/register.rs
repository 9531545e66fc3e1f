//! Flags from the elections' current schedules, recomputed when a schedule changes; approval
//! references; the province's election over a city; bad input; CSV import; idempotency.

use serde_json::{json, Value};

use crate::support::worlds::neutrality::*;

fn rules(flags: &Value) -> Vec<FlagTuple> {
    flags
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["election_id"].as_i64().unwrap(),
                f["window_from"].as_str().unwrap().to_string(),
                f["window_to"].clone(),
                f["approved"].as_bool().unwrap(),
            )
        })
        .collect()
}

type FlagTuple = (String, i64, String, Value, bool);

/// An unapproved art. 71(2) flag of a Pilkada 2024 window (opened on 22 March 2024).
fn p71(election: i64, to: Value) -> FlagTuple {
    (
        "uu10_2016_pasal71_ayat2".into(),
        election,
        "2024-03-22".into(),
        to,
        false,
    )
}

/// The flags the public list shows for appointment `id`.
async fn listed_flags(nx: &Nx, id: i64) -> Value {
    let (s, v) = nx.get("/api/v1/appointments?region=32.79").await;
    assert_eq!(s, 200, "{v}");
    v["appointments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap()["flags"]
        .clone()
}

both_backends!(
    windows_come_from_the_schedules_and_follow_a_change,
    |backend| async move {
        let nx = Nx::new(backend).await;
        let city = nx
            .election(
                &nx.kpu_banjar,
                "walikota",
                "32.79",
                schedule_2024("2024-09-22", Some("2025-02-20")),
            )
            .await;
        let province = nx
            .election(
                &nx.kpu_jabar,
                "gubernur",
                "32",
                schedule_2024("2024-09-22", None),
            )
            .await;
        let to_city = json!("2025-02-19");
        // Inside art. 71(2) of both: the city's window closes before the inauguration, the
        // province's stays open (no inauguration scheduled).
        let (s, v) = nx.record(&nx.pemda, appointment("2024-05-02")).await;
        assert_eq!(s, 201, "{v}");
        let inside = v["id"].as_i64().unwrap();
        assert_eq!(
            rules(&v["flags"]),
            vec![p71(city, to_city.clone()), p71(province, Value::Null),]
        );
        // The day before the window: no flag.
        let (s, v) = nx.record(&nx.pemda, appointment("2024-03-21")).await;
        assert_eq!((s, v["flags"].clone()), (201, json!([])));
        let before = v["id"].as_i64().unwrap();
        // With the Minister's approval: flagged, approved.
        let mut approved = appointment("2024-07-10");
        approved["minister_approval_ref"] = json!("100.2.2.6/4321/OTDA");
        let (s, v) = nx.record(&nx.pemda, approved).await;
        assert_eq!(s, 201, "{v}");
        assert!(v["flags"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["approved"] == true));
        assert_eq!(v["flags"].as_array().unwrap().len(), 2);
        // Six months after the inauguration: art. 162(3) of the city; still the province's
        // open art. 71(2).
        let (s, v) = nx.record(&nx.pemda, appointment("2025-03-10")).await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(
            rules(&v["flags"]),
            vec![
                (
                    "uu10_2016_pasal162_ayat3".into(),
                    city,
                    "2025-02-20".into(),
                    json!("2025-08-19"),
                    false
                ),
                p71(province, Value::Null),
            ]
        );
        // A decree signed before the window that takes effect inside it.
        let mut effective = appointment("2024-03-01");
        effective["effective_date"] = json!("2024-04-01");
        let (_, v) = nx.record(&nx.pemda, effective).await;
        assert_eq!(v["flags"].as_array().unwrap().len(), 2);

        // The city's designation moves to 9 December 2024 (a postponement, as in 2020): its
        // window now opens on 9 June 2024, so the May appointment keeps only the province's flag
        // and the March one still has none.
        nx.schedule(
            &nx.kpu_banjar,
            city,
            json!({"reason": "Penundaan", "legal_basis": "Perppu 2/2020",
            "stages": [
                {"name": "Penetapan pasangan calon", "start": "2024-12-09", "end": "2024-12-09"},
                {"name": "Pelantikan", "start": "2025-04-20", "end": "2025-04-20"}
            ]}),
        )
        .await;
        assert_eq!(
            rules(&listed_flags(&nx, inside).await),
            vec![p71(province, Value::Null)]
        );
        assert_eq!(listed_flags(&nx, before).await, json!([]));
        let (_, reg) = nx.get("/api/v1/appointments?region=32.79").await;
        let e = reg["elections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == city)
            .unwrap()
            .clone();
        assert_eq!(e["schedule_version"], 2);
        assert_eq!(
            e["windows"][0],
            json!({"rule": "uu10_2016_pasal71_ayat2", "from": "2024-06-09", "to": "2025-04-19"})
        );
        let stored = nx
            .count(&format!(
                "appointment_flags WHERE election_id = {city} AND schedule_version = 2"
            ))
            .await;
        let all_city = nx
            .count(&format!("appointment_flags WHERE election_id = {city}"))
            .await;
        assert_eq!((stored, all_city > 0), (all_city, true));
        // The province's schedule gets an inauguration: its open window closes.
        nx.schedule(
            &nx.kpu_jabar,
            province,
            schedule_2024("2024-09-22", Some("2025-02-20")),
        )
        .await;
        let f = listed_flags(&nx, inside).await;
        assert_eq!(f[0]["window_to"], "2025-02-19");
    }
);

both_backends!(
    a_city_appointment_is_checked_against_the_province_election,
    |backend| async move {
        let nx = Nx::new(backend).await;
        let province = nx
            .election(
                &nx.kpu_jabar,
                "gubernur",
                "32",
                schedule_2024("2024-09-22", None),
            )
            .await;
        // Another province's election says nothing of Kota Banjar.
        nx.election(
            &nx.kpu_jabar,
            "gubernur",
            "32",
            json!({"reason": "x", "legal_basis": "y", "stages": [{"name": "Sosialisasi", "start": "2024-01-01", "end": "2024-12-31"}]}),
        )
        .await;
        let (s, v) = nx.record(&nx.bkn, appointment("2024-10-01")).await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(rules(&v["flags"]), vec![p71(province, Value::Null)]);
        // The province's own appointment is checked against it too, not against the city's.
        let mut own = appointment("2024-10-01");
        own["region_code"] = json!("32");
        let (s, v) = nx.record(&nx.pemda_jabar, own).await;
        assert_eq!((s, v["flags"].as_array().unwrap().len()), (201, 1), "{v}");
    }
);

both_backends!(
    bad_input_is_refused_and_stores_nothing,
    |backend| async move {
        let nx = Nx::new(backend).await;
        let audit_before = nx.count("audit_events").await;
        let far = (time::OffsetDateTime::now_utc().date() + time::Duration::days(400)).to_string();
        let cases: Vec<(Value, &str)> = vec![
            (json!({"decree_date": far}), "decree_too_far_ahead"),
            (json!({"region_code": "32.99"}), "unknown_region"),
            (json!({"region_code": "32.79.01"}), "bad_region"),
            (json!({"from_position": "  "}), "empty_position"),
            (json!({"to_position": ""}), "empty_position"),
            (json!({"nip": "12345"}), "bad_nip"),
            (json!({"decree_date": "2 Mei 2024"}), "bad_date"),
            (
                json!({"effective_date": "2024-01-01"}),
                "effective_before_decree",
            ),
            (json!({"official_name": ""}), "bad_name"),
            (json!({"signed_by": "bupati"}), "bad_signed_by"),
        ];
        for (patch, code) in cases {
            let mut body = appointment("2024-05-02");
            for (k, v) in patch.as_object().unwrap() {
                body[k] = v.clone();
            }
            // BKN covers all of Jawa Barat, so a code there that does not exist is unknown.
            let (s, v) = nx.record(&nx.bkn, body).await;
            assert_eq!((s, v["code"].as_str().unwrap_or("")), (422, code), "{v}");
            assert!(!v["message"].as_str().unwrap().is_empty());
        }
        // English on request.
        let res = nx
        .http
        .post(nx.app.url("/api/v1/appointments?lang=en"))
        .bearer_auth(&nx.pemda)
        .json(&json!({"region_code": "32.79", "official_name": "A", "from_position": "", "to_position": "B", "decree_number": "1", "decree_date": "2024-01-01"}))
        .send()
        .await
        .unwrap();
        let v: Value = res.json().await.unwrap();
        assert_eq!(
            v["message"],
            "The former position is required (at most 300 characters)."
        );
        assert_eq!(nx.count("appointments").await, 0);
        assert_eq!(nx.count("appointment_flags").await, 0);
        assert_eq!(nx.count("audit_events").await, audit_before);
        // No token: 401.
        let res = nx
            .http
            .post(nx.app.url("/api/v1/appointments"))
            .json(&appointment("2024-05-02"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 401);
        // The public list needs a region that exists.
        assert_eq!(
            nx.get("/api/v1/appointments?region=32.99").await.1["code"],
            "unknown_region"
        );
        assert_eq!(nx.get("/api/v1/appointments?region=32.79.01").await.0, 422);
    }
);

both_backends!(csv_import_is_all_or_nothing, |backend| async move {
    let nx = Nx::new(backend).await;
    nx.election(
        &nx.kpu_banjar,
        "walikota",
        "32.79",
        schedule_2024("2024-09-22", Some("2025-02-20")),
    )
    .await;
    let post = |token: String, body: &'static str| {
        let nx = &nx;
        async move {
            let res = nx
                .http
                .post(nx.app.url("/api/v1/appointments/import?region=32.79"))
                .bearer_auth(token)
                .header("content-type", "text/csv")
                .body(body)
                .send()
                .await
                .unwrap();
            let s = res.status().as_u16();
            (s, res.json::<Value>().await.unwrap())
        }
    };
    let bad = "official_name,nip,from_position,to_position,decree_number,decree_date\n\
        Sari,198503122010012003,Kabid,Kadis,821/1/2024,2024-05-02\n\
        Budi,,,Sekwan,821/2/2024,2024-05-02\n\
        Rina,,Camat,Sekwan,821/3/2024,kemarin\n";
    let (s, v) = post(nx.pemda_sup.clone(), bad).await;
    assert_eq!((s, v["code"].as_str()), (422, Some("bad_csv")), "{v}");
    let problems = v["details"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2);
    assert!(problems[0]["message_id"]
        .as_str()
        .unwrap()
        .starts_with("Baris 3:"));
    assert!(problems[1]["message_en"]
        .as_str()
        .unwrap()
        .starts_with("Line 4:"));
    assert_eq!(nx.count("appointments").await, 0);
    // An officer may record one by one, not import.
    let good = "official_name,nip,from_position,to_position,decree_number,decree_date,minister_approval_ref\n\
        Sari,198503122010012003,Kabid,Kadis,821/1/2024,2024-05-02,\n\
        Budi,,Camat,Sekwan,821/2/2024,2024-01-02,\n\
        Rina,,Camat,Asisten,821/3/2024,2024-06-03,100.2.2.6/1/OTDA\n";
    assert_eq!(post(nx.pemda.clone(), good).await.0, 403);
    let (s, v) = post(nx.pemda_sup.clone(), good).await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(
        (v["imported"].as_i64(), v["flagged"].as_i64()),
        (Some(3), Some(2))
    );
    assert_eq!(v["appointments"][2]["flags"][0]["approved"], true);
    assert_eq!(nx.count("appointments WHERE source = 'csv'").await, 3);
    assert_eq!(
        nx.count("audit_events WHERE action = 'neutrality.appointment_recorded'")
            .await,
        3
    );
    assert_eq!(
        nx.count("audit_events WHERE action = 'neutrality.appointments_imported'")
            .await,
        1
    );
});

both_backends!(a_retried_request_records_once, |backend| async move {
    let nx = Nx::new(backend).await;
    let send = || {
        nx.http
            .post(nx.app.url("/api/v1/appointments"))
            .bearer_auth(&nx.pemda)
            .header("Idempotency-Key", "mutasi-2024-05-02-hendra")
            .json(&appointment("2024-05-02"))
            .send()
    };
    let a: Value = send().await.unwrap().json().await.unwrap();
    let res = send().await.unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let b: Value = res.json().await.unwrap();
    assert_eq!(a["id"], b["id"]);
    assert_eq!(nx.count("appointments").await, 1);
    // The audit event is written with the row, naming it.
    let id = a["id"].as_i64().unwrap();
    assert_eq!(
        nx.count(&format!(
            "audit_events WHERE action = 'neutrality.appointment_recorded' AND target_id = '{id}'"
        ))
        .await,
        1
    );
});
