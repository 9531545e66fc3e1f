//! The results endpoints answer from an in-memory cache: validators (`ETag`, `Last-Modified`)
//! and `304`s, a write in the same instance shows at once, a write in another instance on the
//! same database within the bound, and the HTML photo upload of the TPS page.

use std::time::{Duration, Instant};

use crate::support::worlds::elections::*;
use crate::support::{test_config, Backend, Multipart, TestApp};
use serde_json::json;

async fn page_text(client: &reqwest::Client, url: &str) -> String {
    client.get(url).send().await.unwrap().text().await.unwrap()
}

async fn get_with(fx: &Fx, url: &str, header: (&str, &str)) -> reqwest::Response {
    fx.http
        .get(url)
        .header(header.0, header.1)
        .send()
        .await
        .unwrap()
}

both_backends!(
    last_modified_and_if_modified_since,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        fx.submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
            .await;
        // A response built in the second of the last change carries no Last-Modified (a later
        // change in that second would get the same one); a second later it does.
        tokio::time::sleep(Duration::from_millis(1100)).await;
        for path in [
            fx.path("/results?region=32.79.01"),
            fx.path(&format!("/tps/{}", fx.tps[0])),
        ] {
            let url = fx.app.url(&path);
            let res = fx.http.get(&url).send().await.unwrap();
            assert_eq!(res.status(), 200);
            let lm = res.headers()["last-modified"].to_str().unwrap().to_string();
            assert!(lm.ends_with(" GMT"), "{lm}");
            let etag = res.headers()["etag"].to_str().unwrap().to_string();
            let res = get_with(&fx, &url, ("if-modified-since", &lm)).await;
            assert_eq!(res.status(), 304, "{path}");
            assert_eq!(res.headers()["etag"].to_str().unwrap(), etag);
            let res = get_with(
                &fx,
                &url,
                ("if-modified-since", "Sat, 01 Jan 2000 00:00:00 GMT"),
            )
            .await;
            assert_eq!(res.status(), 200);
            // If-None-Match decides when both are sent.
            let res = fx
                .http
                .get(&url)
                .header("if-modified-since", &lm)
                .header("if-none-match", "\"other\"")
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
        }
        // A later change is newer than the client's copy.
        let url = fx.app.url(&fx.path("/results?region=32.79.01"));
        let lm = fx.http.get(&url).send().await.unwrap().headers()["last-modified"]
            .to_str()
            .unwrap()
            .to_string();
        fx.submit(&fx.op2, fx.tps[0], form_json(&good_form()), json!({}))
            .await;
        let res = get_with(&fx, &url, ("if-modified-since", &lm)).await;
        assert_eq!(res.status(), 200);
        let v: serde_json::Value = res.json().await.unwrap();
        assert_eq!(v["tps_verified"], 1);
    }
);

both_backends!(
    a_write_in_another_instance_shows_within_the_bound,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        let dir = tempfile::tempdir().unwrap();
        let db = balai_core::Db::connect(&fx.app.url).await.unwrap();
        let cfg = test_config(dir.path(), &fx.app.url);
        let other = TestApp::serve(db, fx.app.url.clone(), dir, cfg).await;
        let read = |app: &TestApp, region: &str| {
            let url = app.url(&fx.path(&format!("/results?region={region}")));
            let http = fx.http.clone();
            async move {
                let v: serde_json::Value =
                    http.get(url).send().await.unwrap().json().await.unwrap();
                v["tps_entered"].as_i64().unwrap()
            }
        };
        // The other instance has every level cached before the write.
        for region in ["32.79", "32.79.01", VILLAGES[0]] {
            assert_eq!(read(&other, region).await, 0);
        }
        fx.submit(&fx.op1, fx.tps[0], form_json(&good_form()), json!({}))
            .await;
        let written = Instant::now();
        // The writing instance shows it at once.
        assert_eq!(read(&fx.app, "32.79").await, 1);
        for region in ["32.79", "32.79.01", VILLAGES[0]] {
            while read(&other, region).await != 1 {
                assert!(
                    written.elapsed() < Duration::from_secs(1),
                    "{region} still stale after {:?}",
                    written.elapsed()
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        assert!(written.elapsed() < Duration::from_secs(1));
    }
);

both_backends!(
    html_photo_upload_from_the_tps_page,
    |b: Backend| async move {
        let fx = Fx::new(b).await;
        let client = fx.app.client();
        let res = fx
            .app
            .login(&client, "banjar.op1", "pw-banjar.op1-0123456789")
            .await;
        assert!(res.status().is_redirection());
        let page = format!("/elections/{}/tps/{}", fx.election, fx.tps[0]);
        let html = page_text(&client, &fx.app.url(&page)).await;
        assert!(html.contains("enctype=\"multipart/form-data\""), "{html}");
        let csrf = fx.app.csrf(&client, &page).await;
        let jpeg = [&[0xFFu8, 0xD8, 0xFF, 0xE0][..], b"kertas TPS 1"].concat();
        let post = |m: Multipart| {
            let (ct, body) = m.finish();
            client
                .post(fx.app.url(&format!("{page}/photos")))
                .header("content-type", ct)
                .body(body)
                .send()
        };
        // Without the CSRF token, or with something that is not an image, nothing is stored.
        let res = post(Multipart::new().file("photo", "a.jpg", "image/jpeg", &jpeg))
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
        let res = post(Multipart::new().text("csrf", &csrf).file(
            "photo",
            "a.svg",
            "image/svg+xml",
            b"<svg/>",
        ))
        .await
        .unwrap();
        assert_eq!(res.status(), 422);
        let (_, v) = fx.get(&fx.path(&format!("/tps/{}", fx.tps[0]))).await;
        assert_eq!(v["photos"], json!([]));
        let res = post(Multipart::new().text("csrf", &csrf).file(
            "photo",
            "c-hasil.jpg",
            "image/jpeg",
            &jpeg,
        ))
        .await
        .unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], page.as_str());
        let (_, v) = fx.get(&fx.path(&format!("/tps/{}", fx.tps[0]))).await;
        assert_eq!(v["photos"].as_array().unwrap().len(), 1, "{v}");
        assert_eq!(v["photos"][0]["uploaded_label"], "banjar.op1");
        let html = page_text(&client, &fx.app.url(&page)).await;
        let id = v["photos"][0]["id"].as_i64().unwrap();
        assert!(html.contains(&format!("/photos/{id}\"")), "{html}");
        // Someone without the region gets no upload.
        let other = fx.app.client();
        fx.app
            .login(&other, "palembang.op", "pw-palembang.op-0123456789")
            .await;
        let csrf = fx.app.csrf(&other, &page).await;
        let (ct, body) = Multipart::new()
            .text("csrf", &csrf)
            .file("photo", "x.jpg", "image/jpeg", b"\xFF\xD8\xFF\xE0other")
            .finish();
        let res = other
            .post(fx.app.url(&format!("{page}/photos")))
            .header("content-type", ct)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403);
    }
);
