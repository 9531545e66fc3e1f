//! Activities under an agreement (inside its period and region, by a party), minutes that the
//! public sees only once every attending agency approved them, follow-ups and their progress.

use serde_json::json;

use crate::support::worlds::participation::*;

async fn first_activity(px: &Px) -> serde_json::Value {
    px.get("/api/v1/activities?region=32.79").await.1["activities"][0].clone()
}

both_backends!(
    outside_the_agreements_period_or_region_is_422,
    |backend| async move {
        let px = Px::new(backend).await;
        let ag = px.agreement().await;
        for (date, region, code) in [
            (
                "2025-01-10",
                "32.79.01",
                "activity_outside_agreement_period",
            ),
            (
                "2024-02-29",
                "32.79.01",
                "activity_outside_agreement_period",
            ),
            ("2024-06-10", "16.71", "activity_outside_agreement_region"),
            ("2024-06-10", "32.79.01.1001", ""),
        ] {
            let (s, v) = px
                .send(
                    "POST",
                    &px.kpu,
                    "/api/v1/activities",
                    Px::activity_body(Some(ag), date, region),
                )
                .await;
            if code.is_empty() {
                assert_eq!(s, 201, "{v}");
            } else {
                assert_eq!(
                    (s, v["code"].as_str().unwrap_or("")),
                    (422, code),
                    "{date} {region}: {v}"
                );
            }
        }
        // A clause the agreement does not have, an unknown agreement, a bad target group.
        let mut body = Px::activity_body(Some(ag), "2024-06-10", "32.79");
        body["clause"] = json!(3);
        let (s, v) = px.send("POST", &px.kpu, "/api/v1/activities", body).await;
        assert_eq!((s, v["code"].as_str().unwrap()), (422, "unknown_clause"));
        let (s, v) = px
            .send(
                "POST",
                &px.kpu,
                "/api/v1/activities",
                Px::activity_body(Some(9999), "2024-06-10", "32.79"),
            )
            .await;
        assert_eq!((s, v["code"].as_str().unwrap()), (422, "unknown_agreement"));
        assert_eq!(px.count("SELECT COUNT(*) FROM collab_activities").await, 1);
        assert_eq!(px.audits("participation.activity_recorded").await, 1);
        let (_, v) = px.get("/api/v1/activities?region=32.79").await;
        let a = &v["activities"][0];
        assert_eq!(a["region_code"], "32.79.01.1001");
        assert_eq!(a["target_group"], "pemilih_pemula");
        assert_eq!(a["organiser"], "KPU Kota Banjar");
        assert_eq!(a["attendance"][0]["institution"], "SMA Negeri 1 Banjar");
        // Listed under its district, not under another.
        assert_eq!(
            px.get("/api/v1/activities?region=32.79.01").await.1["activities"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert!(
            px.get("/api/v1/activities?region=32.79.02").await.1["activities"]
                .as_array()
                .unwrap()
                .is_empty()
        );
    }
);

both_backends!(
    kesbangpol_of_another_city_cannot_record_or_edit,
    |backend| async move {
        let px = Px::new(backend).await;
        let ag = px.agreement().await;
        let body = Px::activity_body(Some(ag), "2024-06-10", "32.79");
        for token in [&px.kesbang_plg, &px.kpu_viewer, &px.bawaslu] {
            let (s, v) = px
                .send("POST", token, "/api/v1/activities", body.clone())
                .await;
            assert_eq!(s, 403, "{v}");
        }
        // Without an agreement, only inside the official's own region.
        let (s, _) = px
            .send(
                "POST",
                &px.kesbang_plg,
                "/api/v1/activities",
                Px::activity_body(None, "2024-06-10", "32.79"),
            )
            .await;
        assert_eq!(s, 403);
        let (s, _) = px
            .send(
                "POST",
                &px.kesbang_plg,
                "/api/v1/activities",
                Px::activity_body(None, "2024-06-10", "16.71.01"),
            )
            .await;
        assert_eq!(s, 201);
        let id = px.activity(body).await;
        // Another city's Kesbangpol neither writes the minutes nor adds follow-ups here.
        let minutes = json!({"text": "Notulen rapat."});
        let path = format!("/api/v1/activities/{id}/minutes");
        assert_eq!(
            px.send("PUT", &px.kesbang_plg, &path, minutes.clone())
                .await
                .0,
            403
        );
        let f = json!({"action": "Bimtek", "owner": "KPU", "due_on": "2024-08-01"});
        let fpath = format!("/api/v1/activities/{id}/follow-ups");
        assert_eq!(px.send("POST", &px.kesbang_plg, &fpath, f).await.0, 403);
        assert_eq!(px.count("SELECT COUNT(*) FROM collab_followups").await, 0);
        assert_eq!(
        px.count(&format!("SELECT COUNT(*) FROM collab_activities WHERE id = {id} AND minutes_status = 'none'")).await,
        1
    );
    }
);

both_backends!(
    minutes_are_public_only_once_every_attending_agency_approved,
    |backend| async move {
        let px = Px::new(backend).await;
        let ag = px.agreement().await;
        let mut body = Px::activity_body(Some(ag), "2024-06-10", "32.79.01");
        body["attendance"] = json!([
            {"institution": "Kesbangpol Kota Banjar", "agency_id": px.kesbang_id, "attendees": 2, "signed_list": true},
            {"institution": "OSIS SMA Negeri 1", "attendees": 40}
        ]);
        let id = px.activity(body).await;
        let text = "Disepakati pembentukan relawan demokrasi di sekolah (rahasia draf).";
        let path = format!("/api/v1/activities/{id}/minutes");
        // Only the organiser writes the draft.
        assert_eq!(
            px.send("PUT", &px.kesbang, &path, json!({"text": text}))
                .await
                .0,
            403
        );
        let (s, v) = px
            .send("PUT", &px.kpu_officer, &path, json!({"text": text}))
            .await;
        assert_eq!((s, v["version"].as_i64()), (200, Some(1)), "{v}");

        let a = first_activity(&px).await;
        assert_eq!(a["minutes_status"], "draft");
        assert_eq!(a["minutes"], serde_json::Value::Null);
        let (_, page) = px.text(&format!("/kolaborasi/kegiatan/{id}")).await;
        assert!(!page.contains("rahasia draf"), "the draft is not public");
        let approve = format!("/api/v1/activities/{id}/minutes/approvals");
        // An officer may not approve for the agency; another city's Kesbangpol is no attendee.
        assert_eq!(
            px.send("POST", &px.kpu_officer, &approve, json!({}))
                .await
                .0,
            403
        );
        assert_eq!(
            px.send("POST", &px.kesbang_plg, &approve, json!({}))
                .await
                .0,
            403
        );
        let (s, v) = px.send("POST", &px.kpu, &approve, json!({})).await;
        assert_eq!((s, v["status"].as_str().unwrap()), (200, "draft"), "{v}");
        assert_eq!(
            first_activity(&px).await["minutes"],
            serde_json::Value::Null
        );
        let (s, v) = px.send("POST", &px.kesbang, &approve, json!({})).await;
        assert_eq!(
            (s, v["status"].as_str().unwrap()),
            (200, "published"),
            "{v}"
        );
        let a = first_activity(&px).await;
        assert_eq!(a["minutes"], text);
        let (_, page) = px.text(&format!("/kolaborasi/kegiatan/{id}")).await;
        assert!(page.contains("rahasia draf"));
        // Published minutes are not rewritten.
        let (s, v) = px
            .send("PUT", &px.kpu, &path, json!({"text": "lain"}))
            .await;
        assert_eq!((s, v["code"].as_str().unwrap()), (409, "minutes_published"));
        assert_eq!(px.audits("participation.minutes_drafted").await, 1);
        assert_eq!(px.audits("participation.minutes_approved").await, 2);
        assert_eq!(px.audits("participation.minutes_published").await, 1);
    }
);

both_backends!(
    a_new_draft_needs_every_approval_again,
    |backend| async move {
        let px = Px::new(backend).await;
        let mut body = Px::activity_body(None, "2024-06-10", "32.79");
        body["attendance"] =
            json!([{"institution": "Kesbangpol Kota Banjar", "agency_id": px.kesbang_id}]);
        let id = px.activity(body).await;
        let path = format!("/api/v1/activities/{id}/minutes");
        let approve = format!("/api/v1/activities/{id}/minutes/approvals");
        let (s, v) = px.send("POST", &px.kpu, &approve, json!({})).await;
        assert_eq!((s, v["code"].as_str().unwrap()), (409, "no_draft_minutes"));
        px.send("PUT", &px.kpu, &path, json!({"text": "Versi satu."}))
            .await;
        assert_eq!(
            px.send("POST", &px.kesbang, &approve, json!({})).await.1["status"],
            "draft"
        );
        px.send("PUT", &px.kpu, &path, json!({"text": "Versi dua."}))
            .await;
        assert_eq!(
            px.send("POST", &px.kpu, &approve, json!({})).await.1["status"],
            "draft"
        );
        assert_eq!(
            px.send("POST", &px.kesbang, &approve, json!({})).await.1["status"],
            "published"
        );
        let (_, v) = px.get("/api/v1/activities?region=32.79").await;
        assert_eq!(v["activities"][0]["minutes"], "Versi dua.");
    }
);

both_backends!(
    follow_ups_by_organiser_progress_by_owner,
    |backend| async move {
        let px = Px::new(backend).await;
        let id = px
            .activity(Px::activity_body(None, "2024-06-10", "32.79"))
            .await;
        let f = json!({"action": "Bimtek relawan demokrasi", "owner": "Kesbangpol Kota Banjar", "owner_agency_id": px.kesbang_id, "due_on": "2024-08-01", "progress": 10});
        let (s, v) = px
            .send(
                "POST",
                &px.kpu_officer,
                &format!("/api/v1/activities/{id}/follow-ups"),
                f,
            )
            .await;
        assert_eq!(s, 201, "{v}");
        let fid = v["id"].as_i64().unwrap();
        let progress = format!("/api/v1/activities/{id}/follow-ups/{fid}/progress");
        assert_eq!(
            px.send("PUT", &px.kesbang_plg, &progress, json!({"progress": 50}))
                .await
                .0,
            403
        );
        let (s, v) = px
            .send(
                "PUT",
                &px.kesbang_officer,
                &progress,
                json!({"progress": 101}),
            )
            .await;
        assert_eq!((s, v["code"].as_str().unwrap()), (422, "bad_number"));
        let (s, v) = px
            .send(
                "PUT",
                &px.kesbang_officer,
                &progress,
                json!({"progress": 60, "note": "Dua sekolah selesai."}),
            )
            .await;
        assert_eq!(s, 200, "{v}");
        let (_, v) = px.get("/api/v1/activities?region=32.79").await;
        let fu = &v["activities"][0]["follow_ups"][0];
        assert_eq!(
            (fu["progress"].as_i64(), fu["note"].as_str()),
            (Some(60), Some("Dua sekolah selesai."))
        );
        // The follow-up belongs to its activity: another activity's path is not found.
        let other = px
            .activity(Px::activity_body(None, "2024-06-11", "32.79"))
            .await;
        let wrong = format!("/api/v1/activities/{other}/follow-ups/{fid}/progress");
        assert_eq!(
            px.send("PUT", &px.kpu, &wrong, json!({"progress": 70}))
                .await
                .0,
            404
        );
        assert_eq!(px.audits("participation.followup_added").await, 1);
        assert_eq!(px.audits("participation.followup_updated").await, 1);
    }
);
