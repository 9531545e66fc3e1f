//! Bad input stores nothing partial; confidential and anonymous reports; scoping between
//! regions; and filing a report through the HTML form with JavaScript off.

use crate::support;
use balai_complaints::domain::settings::settings;

use crate::support::worlds::complaints::{jpeg, World, BANJAR_VILLAGE};
use crate::support::Backend;
use base64::Engine;
use serde_json::json;

fn b64(v: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(v)
}

async fn nothing_stored(w: &World) {
    for t in [
        "complaints",
        "complaint_photos",
        "complaint_events",
        "clocks",
        "notifications",
    ] {
        assert_eq!(
            w.count(&format!("SELECT COUNT(*) FROM {t}")).await,
            0,
            "{t}"
        );
    }
    assert_eq!(
        w.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'complaint.%'")
            .await,
        0
    );
}

both_backends!(
    bad_input_is_refused_and_stores_nothing,
    |b: Backend| async move {
        let w = World::new(b).await;
        let base = json!({"category": "infrastruktur", "description": "Jalan berlubang di depan pasar.", "village_code": BANJAR_VILLAGE});
        let cases = [
            (
                json!({"category": "infrastruktur", "description": "", "village_code": BANJAR_VILLAGE}),
                "description",
            ),
            (
                json!({"category": "infrastruktur", "description": "Jalan berlubang di depan pasar."}),
                "village_code",
            ),
            (
                json!({"category": "infrastruktur", "description": "Jalan berlubang di depan pasar.", "village_code": "32.79.01.9999"}),
                "village_code",
            ),
            (
                json!({"category": "infrastruktur", "description": "Jalan berlubang di depan pasar.", "village_code": "32.79"}),
                "village_code",
            ),
            (
                json!({"category": "tidak_ada", "description": "Jalan berlubang di depan pasar.", "village_code": BANJAR_VILLAGE}),
                "category",
            ),
            (
                {
                    let mut v = base.clone();
                    v["contact_email"] = json!("bukan-email");
                    v
                },
                "contact_email",
            ),
            (
                {
                    let mut v = base.clone();
                    v["lat"] = json!(123.0);
                    v["lon"] = json!(10.0);
                    v
                },
                "lat",
            ),
            (
                {
                    let mut v = base.clone();
                    v["photos"] = json!([b64(b"GIF89a not really")]);
                    v
                },
                "photos",
            ),
            (
                {
                    let mut v = base.clone();
                    v["photos"] = json!([b64(&[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4])]);
                    v
                },
                "photos",
            ),
            (
                {
                    let mut v = base.clone();
                    v["photos"] = json!([
                        b64(&jpeg(8, 8)),
                        b64(&jpeg(8, 8)),
                        b64(&jpeg(8, 8)),
                        b64(&jpeg(8, 8))
                    ]);
                    v
                },
                "photos",
            ),
        ];
        for (body, field) in cases {
            let (st, v) = w.file(body.clone()).await;
            assert_eq!(st, 422, "{body}: {v}");
            assert_eq!(v["code"], "invalid_complaint", "{v}");
            assert!(v["details"]["fields"].get(field).is_some(), "{field}: {v}");
            assert!(!v["message"].as_str().unwrap().is_empty());
        }
        // A photo over the per-photo limit fits the upload body limit and is refused by name.
        let mut big = base.clone();
        big["photos"] = json!([b64(&vec![0u8; 5 * 1024 * 1024 + 1])]);
        let (st, v) = w.file(big).await;
        assert_eq!(st, 422, "{v}");
        assert!(v["details"]["fields"]["photos"]
            .as_str()
            .is_some_and(|m| m.contains("5 MB")));
        // Missing required JSON fields altogether.
        let (st, _) = w.file(json!({"village_code": BANJAR_VILLAGE})).await;
        assert_eq!(st, 422);
        nothing_stored(&w).await;
    }
);

both_backends!(
    photos_are_cleaned_and_served_to_the_code_holder,
    |b: Backend| async move {
        let w = World::new(b).await;
        let photo = base64::engine::general_purpose::STANDARD.encode(jpeg(2000, 1000));
        let (id, code, secret) = w.file_banjar_with_secret(json!({"photos": [photo], "confidential": true, "anonymous": true, "contact_name": "Budi"})).await;
        let p = w.reporter(&code, &secret).await;
        let pid = p["photos"][0].as_i64().unwrap();
        // The reporter's page carries the photo inline: no URL opens it without the secret.
        let (st, html) = w
            .reporter_form("/aduan/lacak", &[("kode", &code), ("rahasia", &secret)])
            .await;
        assert_eq!(st, 200);
        let start = html.find("data:image/jpeg;base64,").unwrap() + "data:image/jpeg;base64,".len();
        let end = start + html[start..].find('"').unwrap();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&html[start..end])
            .unwrap();
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!((img.width(), img.height()), (1600, 800));
        // Confidential: no public page, no public photo, not in the "similar" list.
        let r = w
            .http()
            .get(w.app.url(&format!("/aduan/lihat/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 404);
        let r = w
            .http()
            .get(w.app.url(&format!("/aduan/lihat/{id}/foto/{pid}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 404);
        let html = w
            .http()
            .get(w.app.url(&format!(
                "/aduan/baru?village_code={BANJAR_VILLAGE}&category=infrastruktur"
            )))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!html.contains(&format!("/aduan/lihat/{id}")));
        // Moderation: redact the public text and hide the photo; officials keep the original.
        let (st, _) = w
        .act(&w.supervisor_banjar, id, json!({"action": "redact", "body": "Jalan berlubang di depan pasar (nama disamarkan)."}))
        .await;
        assert_eq!(st, 200);
        let (st, _) = w
            .act(
                &w.supervisor_banjar,
                id,
                json!({"action": "hide_photo", "photo_id": pid}),
            )
            .await;
        assert_eq!(st, 200);
        let (st, _) = w
            .act(
                &w.supervisor_banjar,
                id,
                json!({"action": "hide_photo", "photo_id": pid + 1000}),
            )
            .await;
        assert_eq!(st, 404);
        let p = w.reporter(&code, &secret).await;
        assert_eq!(
            p["description"],
            "Jalan berlubang di depan pasar (nama disamarkan)."
        );
        assert_eq!(p["photos"], json!([]));
        let (_, html) = w
            .reporter_form("/aduan/lacak", &[("kode", &code), ("rahasia", &secret)])
            .await;
        assert!(!html.contains("data:image/jpeg"));
        // Anonymous: the agency sees the report but not who sent it.
        let (st, v) = w
            .get_as(&w.officer_banjar, &format!("/api/v1/work/complaints/{id}"))
            .await;
        assert_eq!(st, 200);
        assert_eq!(v["anonymous"], true);
        assert!(v["contact_name"].is_null() && v["contact_email"].is_null());
        assert_eq!(
            v["description"],
            "Jalan berlubang besar di depan pasar, berbahaya bagi motor."
        );
    }
);

fn multipart(boundary: &str, fields: &[(&str, &str)], photo: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, v) in fields {
        out.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some(p) = photo {
        out.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes(),
        );
        out.extend_from_slice(p);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    out
}

both_backends!(html_form_without_javascript, |b: Backend| async move {
    let w = World::new(b).await;
    let (open_id, _) = w.file_banjar(json!({})).await;
    let browser = w.http();
    // Step 1: find the village by name.
    let html = browser
        .get(w.app.url("/aduan/baru?desa=banjar"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(BANJAR_VILLAGE),
        "the village search lists Banjar"
    );
    // Step 2: similar open reports are shown before the form.
    let step2 = format!("/aduan/baru?village_code={BANJAR_VILLAGE}&category=infrastruktur");
    let html = browser
        .get(w.app.url(&step2))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("/aduan/lihat/{open_id}")));
    assert!(html.contains("enctype=\"multipart/form-data\""));
    let csrf = support::extract_csrf(&html).unwrap();
    let boundary = "----balai-test-boundary";
    let fields = [
        ("csrf", csrf.as_str()),
        ("village_code", BANJAR_VILLAGE),
        ("category", "infrastruktur"),
        ("description", "Lampu jalan di gang mawar mati total."),
        ("contact_email", "ani@contoh.id"),
    ];
    let send = |body: Vec<u8>| {
        browser
            .post(w.app.url("/aduan"))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
    };
    // A fake photo: refused, nothing stored.
    let r = send(multipart(
        boundary,
        &fields,
        Some(b"\xFF\xD8\xFF\xE0 definitely not a jpeg"),
    ))
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    // The form comes back with the error and with what was typed.
    let back = r.text().await.unwrap();
    assert!(back.contains("JPEG"), "{back}");
    assert!(back.contains("role=\"alert\""));
    assert!(back.contains(">Lampu jalan di gang mawar mati total.</textarea>"));
    assert!(back.contains("value=\"ani@contoh.id\""));
    assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 1);
    // A wrong CSRF token: refused.
    let mut bad = fields;
    bad[0] = ("csrf", "forged");
    let r = send(multipart(boundary, &bad, None)).await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    // The real thing, with a photo.
    let r = send(multipart(boundary, &fields, Some(&jpeg(64, 48))))
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    // The receipt: code and secret shown once, neither in the URL.
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(loc, "/aduan/terkirim");
    let html = browser
        .get(w.app.url(&loc))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Laporan terkirim"));
    let shown = |id: &str| {
        let i = html.find(&format!("id=\"{id}\">")).unwrap() + id.len() + 6;
        html[i..i + html[i..].find('<').unwrap()].to_string()
    };
    let (code, secret) = (shown("kode-baru"), shown("rahasia-baru"));
    assert_eq!((code.len(), secret.len()), (11, 19), "{code} {secret}");
    // Shown once: the receipt page is not there a second time.
    let r = browser.get(w.app.url(&loc)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 303);
    // Follow it through the lookup form: the code alone shows the public page (with its
    // photo link), code and secret the reporter's view.
    let (st, html) = w
        .reporter_form("/aduan/lacak", &[("kode", &code.to_lowercase())])
        .await;
    assert_eq!(st, 200);
    assert!(html.contains("data-status=\"submitted\""));
    assert!(html.contains("Lampu jalan di gang mawar mati total."));
    assert!(html.contains("/foto/"));
    let (st, html) = w
        .reporter_form("/aduan/lacak", &[("kode", &code), ("rahasia", &secret)])
        .await;
    assert_eq!(st, 200);
    assert!(html.contains("/aduan/lacak/balas"));
    let web = w
        .count("SELECT COUNT(*) FROM complaints WHERE channel = 'web'")
        .await;
    assert_eq!(web, 1);
    // A mistyped code is caught by the check character.
    let mut wrong: Vec<char> = code.chars().collect();
    wrong[0] = if wrong[0] == 'A' { 'B' } else { 'A' };
    let wrong: String = wrong.into_iter().collect();
    let (st, html) = w.reporter_form("/aduan/lacak", &[("kode", &wrong)]).await;
    assert_eq!(st, 404);
    assert!(html.contains("Laporan tidak ditemukan"));
});

both_backends!(flooding_from_one_ip_is_stopped, |b: Backend| async move {
    let w = World::new(b).await;
    let limit = settings(&w.app.ctx).max_reports_per_ip_per_hour;
    assert_eq!(limit, 60, "the default");
    let body = json!({"category": "aspirasi", "description": "Mohon ditambah lampu di taman kota.", "village_code": BANJAR_VILLAGE});
    for _ in 0..limit {
        let (st, _) = w.file(body.clone()).await;
        assert_eq!(st, 201);
    }
    // The first of them was filed half an hour ago: the window lets the next report through
    // when that one leaves it, in 30 minutes, and Retry-After says so.
    let half_an_hour_ago = time::OffsetDateTime::now_utc() - time::Duration::minutes(30);
    let mut tx = w.app.ctx.db.begin().await.unwrap();
    balai_core::with_tx!(&mut tx, |c| sqlx::query(
        "UPDATE complaints SET submitted_at = $1 WHERE id = (SELECT MIN(id) FROM complaints)"
    )
    .bind(half_an_hour_ago)
    .execute(&mut *c)
    .await
    .map(|_| ()))
    .unwrap();
    tx.commit().await.unwrap();
    let res = w.file_response(&body).await;
    let retry_after: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1790..=1800).contains(&retry_after),
        "Retry-After {retry_after}, the window opens in 1800 s"
    );
    let (st, v) = (
        res.status().as_u16(),
        res.json::<serde_json::Value>().await.unwrap(),
    );
    assert_eq!((st, v["code"].as_str()), (429, Some("rate_limited")));
    assert!(v["message"].as_str().unwrap().contains("Terlalu banyak"));
    assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, limit);
});

/// A PNG of noise, which does not compress: about three bytes a pixel.
fn noise_png(w: u32, h: u32) -> Vec<u8> {
    let mut x: u32 = 0x9e37_79b9;
    let img = image::RgbImage::from_fn(w, h, |_, _| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let b = x.to_le_bytes();
        image::Rgb([b[0], b[1], b[2]])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

both_backends!(
    photo_routes_have_a_larger_body_limit,
    |b: Backend| async move {
        let w = World::new(b).await;
        let global = w.app.ctx.cfg.max_body_bytes;
        let upload = settings(&w.app.ctx).max_upload_body_bytes;
        let photo = noise_png(1000, 1000);
        assert!(
            photo.len() > global && photo.len() < 5 * 1024 * 1024,
            "{}",
            photo.len()
        );
        // The form: a photo above the global 2 MiB is accepted and stored.
        let browser = w.http();
        let form = format!("/aduan/baru?village_code={BANJAR_VILLAGE}&category=infrastruktur");
        let csrf = w.app.csrf(&browser, &form).await;
        let fields = [
            ("csrf", csrf.as_str()),
            ("village_code", BANJAR_VILLAGE),
            ("category", "infrastruktur"),
            ("description", "Trotoar ambles di depan sekolah dasar."),
        ];
        let boundary = "balai-test-7d1f0c";
        let r = browser
            .post(w.app.url("/aduan"))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(multipart(boundary, &fields, Some(&photo)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(r.headers()["location"], "/aduan/terkirim");
        assert_eq!(w.count("SELECT COUNT(*) FROM complaint_photos").await, 1);
        // The API: base64 makes the body larger still; accepted too.
        let (_, code) = w.file_banjar(json!({ "photos": [b64(&photo)] })).await;
        assert_eq!(w.public(&code).await["photos"].as_array().unwrap().len(), 1);

        // Above the upload limit: a clear 413 on both routes as soon as the size is declared.
        let mb = upload / (1024 * 1024);
        let (st, v) =
            declared_too_big(&w, "/api/v1/complaints", "application/json", upload + 1).await;
        assert_eq!(st, 413, "{v}");
        let v: serde_json::Value = serde_json::from_str(&v).unwrap();
        assert_eq!(v["code"], "body_too_large");
        let msg = v["message"].as_str().unwrap();
        assert!(
            msg.contains(&format!("{mb} MB")) && msg.contains("foto"),
            "{msg}"
        );
        let (st, html) = declared_too_big(
            &w,
            "/aduan?lang=en",
            "multipart/form-data; boundary=x",
            upload + 1,
        )
        .await;
        assert_eq!(st, 413);
        assert!(
            html.contains(&format!("at most {mb} MB")) && html.contains("smaller photos"),
            "{html}"
        );
        assert_eq!(w.count("SELECT COUNT(*) FROM complaints").await, 2);

        // Every other route keeps the global limit, a complaint reply included.
        let (st, html) = declared_too_big(
            &w,
            "/aduan/lacak/balas",
            "application/x-www-form-urlencoded",
            global + 1,
        )
        .await;
        assert_eq!(st, 413);
        assert!(html.contains("paling besar 2 MB"), "{html}");
    }
);

/// POST that declares its `Content-Length` but has not sent the body yet, as a client on a slow
/// link: the limit must answer from the header alone, at once (the server goes on reading the
/// body it refused for a while, so the connection itself stays open). Returns (status, body).
async fn declared_too_big(w: &World, path: &str, content_type: &str, len: usize) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(w.app.addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: {content_type}\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n",
        w.app.addr
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    let complete = |raw: &[u8]| {
        let text = String::from_utf8_lossy(raw);
        let (head, body) = text.split_once("\r\n\r\n")?;
        let length: usize = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(|v| v.trim().to_string())
            })?
            .parse()
            .ok()?;
        (body.len() >= length).then(|| (head.to_string(), body.to_string()))
    };
    let answer = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        loop {
            if let Some(done) = complete(&raw) {
                return done;
            }
            let mut buf = [0u8; 4096];
            let n = s.read(&mut buf).await.unwrap();
            assert!(n > 0, "connection closed before a whole answer: {raw:?}");
            raw.extend_from_slice(&buf[..n]);
        }
    })
    .await
    .expect("the server answers without waiting for the body");
    let status = answer
        .0
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, answer.1)
}
