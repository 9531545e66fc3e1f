//! The signed documents: an agreement's signed PDF and an activity's signed attendance list,
//! uploaded by the parties' (organiser's) officials through the API and the officials' form,
//! checked by their content (anything else refused with 422 and nothing stored), kept in every
//! version with its SHA-256 shown publicly, and served as an attachment under a strict policy.

use sha2::{Digest, Sha256};

use crate::support::http::signed_in;
use crate::support::worlds::participation::*;
use crate::support::Multipart;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const PDF2: &[u8] = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n";
const JPEG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1,
];

impl Px {
    /// PUT raw bytes with a declared type; the status and the JSON answer.
    pub async fn put_bytes(
        &self,
        token: &str,
        path: &str,
        ct: &str,
        body: &[u8],
    ) -> (u16, serde_json::Value) {
        let res = self
            .http
            .put(self.app.url(path))
            .bearer_auth(token)
            .header("content-type", ct)
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        let s = res.status().as_u16();
        (s, res.json().await.unwrap_or(serde_json::Value::Null))
    }
}

/// Send the upload form (`file`, and the CSRF token when given).
async fn upload(
    c: &reqwest::Client,
    url: &str,
    csrf: Option<&str>,
    bytes: &[u8],
) -> reqwest::Response {
    let mut form = Multipart::new();
    if let Some(t) = csrf {
        form = form.text("csrf", t);
    }
    let (ctype, body) = form
        .file("file", "scan.pdf", "application/pdf", bytes)
        .finish();
    c.post(url)
        .header("content-type", ctype)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn page_text(c: &reqwest::Client, url: &str) -> String {
    c.get(url).send().await.unwrap().text().await.unwrap()
}

fn sha(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

both_backends!(
    the_signed_agreement_is_kept_in_every_version,
    |backend| async move {
        let px = Px::new(backend).await;
        let ag = px.agreement().await;
        let path = format!("/api/v1/agreements/{ag}/document");
        // Not a PDF (by content, whatever the declared type): 422, nothing stored.
        for (ct, body) in [
            (
                "application/pdf",
                b"<html><script>alert(1)</script>".as_slice(),
            ),
            ("application/pdf", JPEG),
            ("application/pdf", b"".as_slice()),
        ] {
            let (s, v) = px.put_bytes(&px.kesbang, &path, ct, body).await;
            assert_eq!(
                (s, v["code"].as_str().unwrap_or("")),
                (422, "bad_document_type"),
                "{v}"
            );
            assert!(v["message"].as_str().unwrap().contains("PDF"), "{v}");
        }
        assert_eq!(px.count("SELECT COUNT(*) FROM collab_documents").await, 0);
        // Another city's Kesbangpol, a viewer, an agency not party to it: 403, nothing stored.
        for token in [&px.kesbang_plg, &px.kpu_viewer, &px.bawaslu] {
            let (s, v) = px.put_bytes(token, &path, "application/pdf", PDF).await;
            assert_eq!(s, 403, "{v}");
        }
        assert_eq!(px.count("SELECT COUNT(*) FROM collab_documents").await, 0);
        assert_eq!(
            px.put_bytes(
                &px.kesbang,
                "/api/v1/agreements/999/document",
                "application/pdf",
                PDF
            )
            .await
            .0,
            404
        );
        // A party's official uploads; a replacement keeps the first version.
        let (s, v) = px
            .put_bytes(&px.kesbang_officer, &path, "application/pdf", PDF)
            .await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(v["version"], 1);
        assert_eq!(v["sha256"], sha(PDF));
        let (s, v) = px
            .put_bytes(&px.kpu, &path, "application/octet-stream", PDF2)
            .await;
        assert_eq!((s, v["version"].as_i64()), (201, Some(2)), "{v}");
        assert_eq!(px.count("SELECT COUNT(*) FROM collab_documents").await, 2);
        assert_eq!(px.audits("participation.document_uploaded").await, 2);
        // The list shows the current version; both versions download as they were.
        let (_, list) = px.get("/api/v1/agreements?region=32.79").await;
        let d = &list["agreements"][0]["document"];
        assert_eq!(d["version"], 2);
        assert_eq!(d["sha256"], sha(PDF2));
        assert_eq!(d["content_type"], "application/pdf");
        for (v, bytes) in [(1, PDF), (2, PDF2)] {
            let res = px
                .http
                .get(
                    px.app
                        .url(&format!("/kolaborasi/perjanjian/{ag}/dokumen/{v}")),
                )
                .send()
                .await
                .unwrap();
            assert_eq!(res.status().as_u16(), 200);
            let h = res.headers().clone();
            assert_eq!(h["content-type"], "application/pdf");
            assert_eq!(
                h["content-disposition"].to_str().unwrap(),
                format!("attachment; filename=\"perjanjian-{ag}-v{v}.pdf\"")
            );
            let csp = h["content-security-policy"].to_str().unwrap();
            assert!(
                csp.contains("default-src 'none'") && csp.contains("sandbox"),
                "{csp}"
            );
            assert_eq!(h["x-content-type-options"], "nosniff");
            assert_eq!(res.bytes().await.unwrap().as_ref(), bytes);
        }
        assert_eq!(
            px.text(&format!("/kolaborasi/perjanjian/{ag}/dokumen/3"))
                .await
                .0,
            404
        );
        // The public page lists both versions with their hashes.
        let (_, page) = px.text(&format!("/kolaborasi/perjanjian/{ag}")).await;
        assert!(
            page.contains(&sha(PDF)) && page.contains(&sha(PDF2)),
            "{page}"
        );
        assert!(
            page.contains("Versi 2") && page.contains("terkini"),
            "{page}"
        );
    }
);

both_backends!(
    the_attendance_list_takes_a_pdf_or_a_scan,
    |backend| async move {
        let px = Px::new(backend).await;
        let ag = px.agreement().await;
        let act = px
            .activity(Px::activity_body(Some(ag), "2024-06-10", "32.79.01"))
            .await;
        let path = format!("/api/v1/activities/{act}/attendance-list");
        // Only the organiser (KPU Kota Banjar): Kesbangpol (a party, not the organiser) and
        // Palembang are refused.
        for token in [&px.kesbang, &px.kesbang_plg, &px.kpu_viewer] {
            assert_eq!(px.put_bytes(token, &path, "image/jpeg", JPEG).await.0, 403);
        }
        let (s, v) = px
            .put_bytes(&px.kpu_officer, &path, "image/jpeg", JPEG)
            .await;
        assert_eq!(s, 201, "{v}");
        assert_eq!(v["content_type"], "image/jpeg");
        let (s, v) = px
            .put_bytes(&px.kpu_officer, &path, "image/gif", b"GIF89a\x01\x00")
            .await;
        assert_eq!(
            (s, v["code"].as_str().unwrap_or("")),
            (422, "bad_document_type")
        );
        let (s, _) = px.put_bytes(&px.kpu, &path, "application/pdf", PDF).await;
        assert_eq!(s, 201);
        let (_, list) = px.get("/api/v1/activities?region=32.79").await;
        let d = &list["activities"][0]["attendance_list"];
        assert_eq!(
            (d["version"].as_i64(), d["content_type"].as_str()),
            (Some(2), Some("application/pdf"))
        );
        let res = px
            .http
            .get(
                px.app
                    .url(&format!("/kolaborasi/kegiatan/{act}/daftar-hadir/1")),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["content-type"], "image/jpeg");
        assert!(res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"daftar-hadir-"));
        let (_, page) = px
            .text(&format!("/kolaborasi/kegiatan/{act}?lang=en"))
            .await;
        assert!(
            page.contains("Signed attendance list") && page.contains(&sha(JPEG)),
            "{page}"
        );
        // Over the size limit: refused before anything is stored.
        let mut big = PDF.to_vec();
        big.resize(2 * 1024 * 1024 + 10, b' ');
        let (s, _) = px.put_bytes(&px.kpu, &path, "application/pdf", &big).await;
        assert_eq!(s, 413);
        assert_eq!(px.count("SELECT COUNT(*) FROM collab_documents").await, 2);
    }
);

both_backends!(officials_upload_through_the_form, |backend| async move {
    let px = Px::new(backend).await;
    let ag = px.agreement().await;
    let c = signed_in(&px.app, "p.kesbang").await;
    let page = format!("/kolaborasi/petugas/perjanjian/{ag}");
    let csrf = px.app.csrf(&c, &page).await;
    let url = px.app.url(&format!("{page}/dokumen"));
    // A non-PDF: back to the page with the refusal; nothing stored.
    let res = upload(&c, &url, Some(&csrf), b"MZ\x90\x00 not a pdf").await;
    assert_eq!(res.status().as_u16(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.ends_with("?dok=bad_document_type"), "{to}");
    let body = page_text(&c, &px.app.url(&to)).await;
    assert!(body.contains("harus berkas PDF"), "{body}");
    assert_eq!(px.count("SELECT COUNT(*) FROM collab_documents").await, 0);
    let res = upload(&c, &url, Some(&csrf), PDF).await;
    assert_eq!(res.status().as_u16(), 303);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    let body = page_text(&c, &px.app.url(&to)).await;
    assert!(
        body.contains("Dokumen tersimpan.") && body.contains(&sha(PDF)),
        "{body}"
    );
    assert_eq!(px.count("SELECT COUNT(*) FROM collab_documents").await, 1);
    // Without the CSRF token nothing is stored; Palembang's Kesbangpol is refused.
    assert_eq!(upload(&c, &url, None, PDF).await.status().as_u16(), 403);
    let plg = signed_in(&px.app, "p.kesbang.plg").await;
    let csrf = px.app.csrf(&plg, &page).await;
    assert_eq!(
        upload(&plg, &url, Some(&csrf), PDF).await.status().as_u16(),
        403
    );
    assert_eq!(px.count("SELECT COUNT(*) FROM collab_documents").await, 1);
});

both_backends!(
    a_configured_document_limit_is_the_limit,
    |backend| async move {
        let px = Px::with_config(backend, |cfg| {
            cfg.participation
                .insert("max_document_bytes".into(), 1536u32.into());
        })
        .await;
        let ag = px.agreement().await;
        let path = format!("/api/v1/agreements/{ag}/document");
        let mut big = PDF.to_vec();
        big.resize(1537, b' ');
        let (s, v) = px.put_bytes(&px.kpu, &path, "application/pdf", &big).await;
        assert_eq!(
            (s, v["code"].as_str().unwrap_or("")),
            (413, "document_too_large"),
            "{v}"
        );
        assert!(v["message"].as_str().unwrap().contains("1,5 KB"), "{v}");
        assert_eq!(px.count("SELECT COUNT(*) FROM collab_documents").await, 0);
        big.truncate(1536);
        let (s, v) = px.put_bytes(&px.kpu, &path, "application/pdf", &big).await;
        assert_eq!(s, 201, "{v}");
        // The officials' form states the limit and names it when a file is over it.
        let c = signed_in(&px.app, "p.kesbang").await;
        let page = format!("/kolaborasi/petugas/perjanjian/{ag}");
        let body = page_text(&c, &px.app.url(&page)).await;
        assert!(body.contains("Paling besar 1,5 KB."), "{body}");
        let csrf = px.app.csrf(&c, &page).await;
        big.resize(2000, b' ');
        let url = px.app.url(&format!("{page}/dokumen"));
        let res = upload(&c, &url, Some(&csrf), &big).await;
        let to = res.headers()["location"].to_str().unwrap().to_string();
        assert!(to.ends_with("?dok=document_too_large"), "{to}");
        let body = page_text(&c, &px.app.url(&to)).await;
        assert!(body.contains("paling besar 1,5 KB"), "{body}");
        assert_eq!(px.count("SELECT COUNT(*) FROM collab_documents").await, 1);
    }
);
