//! Forums through the API: created by an agency for a region it covers, members kept by that
//! agency (person, organisation, position, from, to), listed publicly with their members.

use serde_json::json;

use crate::support::worlds::participation::*;

both_backends!(forums_and_members_through_the_api, |backend| async move {
    let px = Px::new(backend).await;
    let forum = json!({"name": "FKUB Kota Banjar", "kind": "fkub", "region_code": "32.79"});
    // Another city's Kesbangpol, a viewer: 403; a bad kind or region: 422; nothing stored.
    for token in [&px.kesbang_plg, &px.kpu_viewer] {
        let (s, v) = px
            .send("POST", token, "/api/v1/forums", forum.clone())
            .await;
        assert_eq!(s, 403, "{v}");
    }
    for (change, code) in [
        (json!({"kind": "arisan"}), "bad_forum_kind"),
        (json!({"region_code": "banjar"}), "bad_region_code"),
        (json!({"name": " "}), "bad_text"),
    ] {
        let mut body = forum.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (s, v) = px.send("POST", &px.kesbang, "/api/v1/forums", body).await;
        assert_eq!((s, v["code"].as_str().unwrap_or("")), (422, code), "{v}");
    }
    assert_eq!(px.count("SELECT COUNT(*) FROM collab_forums").await, 0);
    let (s, v) = px
        .send("POST", &px.kesbang_officer, "/api/v1/forums", forum)
        .await;
    assert_eq!(s, 201, "{v}");
    let id = v["id"].as_i64().unwrap();
    let path = format!("/api/v1/forums/{id}/members");
    let member = json!({"person": "KH. Ahmad Fauzi", "organisation": "PC NU Kota Banjar",
        "position": "Ketua", "from": "2023-01-01", "to": "2027-12-31"});
    // Only the agency that created the forum keeps its members.
    for token in [&px.kpu, &px.kesbang_plg] {
        assert_eq!(px.send("POST", token, &path, member.clone()).await.0, 403);
    }
    let mut bad = member.clone();
    bad["to"] = json!("2022-12-31");
    let (s, v) = px.send("POST", &px.kesbang, &path, bad).await;
    assert_eq!(
        (s, v["code"].as_str().unwrap_or("")),
        (422, "ends_before_start")
    );
    assert_eq!(
        px.send(
            "POST",
            &px.kesbang,
            "/api/v1/forums/999/members",
            member.clone()
        )
        .await
        .0,
        404
    );
    assert_eq!(px.send("POST", &px.kesbang, &path, member).await.0, 201);
    let open = json!({"person": "Pdt. Maria Sinaga", "organisation": "PGI Kota Banjar",
        "position": "Sekretaris", "from": "2024-01-01"});
    assert_eq!(px.send("POST", &px.kesbang, &path, open).await.0, 201);
    assert_eq!(px.audits("participation.forum_created").await, 1);
    assert_eq!(px.audits("participation.forum_member_added").await, 2);
    // Public: the city and the province list it with its members; Palembang does not.
    let (s, v) = px.get("/api/v1/forums?region=32").await;
    assert_eq!(s, 200, "{v}");
    let f = &v["forums"][0];
    assert_eq!(
        (f["name"].as_str(), f["kind"].as_str()),
        (Some("FKUB Kota Banjar"), Some("fkub"))
    );
    let members = f["members"].as_array().unwrap();
    assert_eq!(members.len(), 2);
    let ketua = members.iter().find(|m| m["position"] == "Ketua").unwrap();
    assert_eq!(
        (ketua["from"].as_str(), ketua["to"].as_str()),
        (Some("2023-01-01"), Some("2027-12-31"))
    );
    let sekretaris = members
        .iter()
        .find(|m| m["position"] == "Sekretaris")
        .unwrap();
    assert!(sekretaris["to"].is_null());
    let (_, v) = px.get("/api/v1/forums?region=16.71").await;
    assert!(v["forums"].as_array().unwrap().is_empty());
    assert_eq!(px.get("/api/v1/forums?region=99.99").await.0, 404);
});
