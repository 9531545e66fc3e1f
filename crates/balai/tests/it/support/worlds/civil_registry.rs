//! Helpers for the civil-registry tests: agencies and officials of Kota Banjar, the online form
//! posted as real multipart, and reading the receipt.

use balai_core::accounts::Role;

use crate::support::TestApp;

pub const KELURAHAN: &str = "32.79.01.1001";
/// Male, born 15-08-1990, registered in 32.79.01.
pub const NIK_MALE: &str = "3279011508900001";
/// Female (day 55 = 15 + 40), born 15-08-1990.
pub const NIK_FEMALE: &str = "3279015508900002";
pub const KK: &str = "3279012301150004";

pub fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec()
}

pub fn png() -> Vec<u8> {
    let mut v = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    v.extend_from_slice(&[0u8; 32]);
    v
}

/// Standard base64 (the tests have no base64 crate of their own).
pub fn b64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for ch in data.chunks(3) {
        let n = (u32::from(ch[0]) << 16)
            | (u32::from(*ch.get(1).unwrap_or(&0)) << 8)
            | u32::from(*ch.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= ch.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A KTP-el application for the JSON API by the male applicant, with the family card.
pub fn ktp_json() -> serde_json::Value {
    serde_json::json!({
        "service": "ktp_baru", "kelurahan": KELURAHAN, "name": "Budi Santoso",
        "nik": NIK_MALE, "kk": KK, "birth_date": "1990-08-15", "sex": "L",
        "phone": "081234567890",
        "documents": [{ "key": "kk", "filename": "kk.pdf", "content_type": "application/pdf",
            "data_base64": b64(&pdf()) }],
    })
}

pub struct Banjar {
    pub dinas: i64,
    pub kelurahan: i64,
}

/// Disdukcapil Kota Banjar and the counter of Kelurahan Banjar, with officials:
/// `kel1`, `kel2` (kelurahan officers), `kelsup` (kelurahan supervisor), `dinas1` (officer),
/// `dinassup` (supervisor), `loket` (counter operator), `viewer`.
pub async fn banjar(app: &TestApp) -> Banjar {
    let dinas = app
        .add_agency("disdukcapil", "Disdukcapil Kota Banjar", "32.79")
        .await;
    let kelurahan = app
        .add_agency("kelurahan", "Kelurahan Banjar", KELURAHAN)
        .await;
    for (u, a, r) in [
        ("kel1", kelurahan, Role::Officer),
        ("kel2", kelurahan, Role::Officer),
        ("kelsup", kelurahan, Role::Supervisor),
        ("loket", kelurahan, Role::CounterOperator),
        ("dinas1", dinas, Role::Officer),
        ("dinassup", dinas, Role::Supervisor),
        ("viewer", dinas, Role::Viewer),
    ] {
        app.add_user(u, Some(a), r, false).await;
    }
    Banjar { dinas, kelurahan }
}

pub use crate::support::Multipart;

/// The online form's fields for a KTP-el application by the male applicant.
pub fn ktp_fields() -> Vec<(&'static str, String)> {
    vec![
        ("name", "Budi Santoso".into()),
        ("nik", NIK_MALE.into()),
        ("kk", KK.into()),
        ("birth_date", "1990-08-15".into()),
        ("sex", "L".into()),
        ("kelurahan", KELURAHAN.into()),
        ("email", "budi@example.test".into()),
    ]
}

/// Post a form (text fields and `doc_*` files) to `path` with a fresh CSRF token.
pub async fn post_multipart(
    app: &TestApp,
    client: &reqwest::Client,
    form_page: &str,
    path: &str,
    fields: &[(&str, String)],
    files: &[(&str, &str, &str, Vec<u8>)],
) -> reqwest::Response {
    let csrf = app.csrf(client, form_page).await;
    let mut m = Multipart::new().text("csrf", &csrf);
    for (k, v) in fields {
        m = m.text(k, v);
    }
    for (name, filename, ct, data) in files {
        m = m.file(name, filename, ct, data);
    }
    let (ct, body) = m.finish();
    let res = client
        .post(app.url(path))
        .header("content-type", ct)
        .body(body)
        .send()
        .await
        .unwrap();
    follow(app, client, res).await
}

/// Follow a POST's 303 (the filing's receipt, the tracking status) with the same client, whose
/// cookie store carries the one-time cookie; any other answer as it is.
pub async fn follow(
    app: &TestApp,
    client: &reqwest::Client,
    res: reqwest::Response,
) -> reqwest::Response {
    if res.status() != 303 {
        return res;
    }
    let to = res.headers()["location"].to_str().unwrap().to_string();
    client.get(app.url(&to)).send().await.unwrap()
}

/// Track with a code and secret: the status page after the redirect (or the refusal).
pub async fn track(
    app: &TestApp,
    client: &reqwest::Client,
    code: &str,
    secret: &str,
) -> reqwest::Response {
    let csrf = app.csrf(client, "/dukcapil/track").await;
    let res = client
        .post(app.url("/dukcapil/track"))
        .form(&[("csrf", csrf.as_str()), ("code", code), ("secret", secret)])
        .send()
        .await
        .unwrap();
    follow(app, client, res).await
}

/// A tracking code as shown to its owner (`ABCDE-FGHIJ`).
pub fn grouped(code: &str) -> String {
    format!("{}-{}", &code[..5], &code[5..])
}

/// Post the online KTP-el form with `fields` and the family card.
pub async fn post_ktp(
    app: &TestApp,
    client: &reqwest::Client,
    fields: &[(&str, String)],
) -> reqwest::Response {
    post_multipart(
        app,
        client,
        "/dukcapil/apply/ktp_baru",
        "/dukcapil/apply/ktp_baru",
        fields,
        &[("doc_kk", "kk.pdf", "application/pdf", pdf())],
    )
    .await
}

/// POST an application to the JSON API, with an `X-Forwarded-For` header if given; returns
/// (status, Retry-After, body).
pub async fn post_application(
    app: &TestApp,
    body: &serde_json::Value,
    forwarded_for: Option<&str>,
) -> (u16, Option<String>, serde_json::Value) {
    let mut req = reqwest::Client::new()
        .post(app.url("/api/v1/civil-registry/applications"))
        .json(body);
    if let Some(x) = forwarded_for {
        req = req.header("x-forwarded-for", x);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let retry = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    (
        status,
        retry,
        res.json().await.unwrap_or(serde_json::Value::Null),
    )
}

/// Apply online for a KTP-el with the family card uploaded; returns (code, secret, html).
pub async fn apply_ktp(app: &TestApp, client: &reqwest::Client) -> (String, String, String) {
    let res = post_ktp(app, client, &ktp_fields()).await;
    let status = res.status();
    let html = res.text().await.unwrap();
    assert_eq!(status, 200, "{html}");
    receipt_codes(&html)
}

pub fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let i = html.find(start)? + start.len();
    let rest = &html[i..];
    Some(&rest[..rest.find(end)?])
}

pub fn receipt_codes(html: &str) -> (String, String, String) {
    // Shown in groups of five (`NDCQF-R9XXJ`); stored without the dash.
    let code = between(html, "id=\"tracking-code\">", "<")
        .expect("tracking code on receipt")
        .replace('-', "");
    let secret = between(html, "id=\"tracking-secret\">", "<")
        .expect("secret on receipt")
        .to_string();
    (code, secret, html.to_string())
}

pub async fn app_id(app: &TestApp, code: &str) -> i64 {
    balai_civil_registry::store::by_tracking_code(&app.db, code)
        .await
        .unwrap()
        .expect("application stored")
        .id
}

/// A workflow step through the JSON API; returns (HTTP status, body).
pub async fn act(
    app: &TestApp,
    token: &str,
    id: i64,
    action: &str,
    reason: Option<&str>,
) -> (u16, serde_json::Value) {
    let res = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/civil-registry/applications/{id}/actions")))
        .bearer_auth(token)
        .json(&serde_json::json!({ "action": action, "reason": reason }))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(serde_json::Value::Null))
}

pub async fn count(app: &TestApp, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    balai_core::with_db!(&app.db, |c| sqlx::query_scalar::<_, i64>(&sql)
        .fetch_one(c)
        .await)
    .unwrap()
}

pub async fn status_of(app: &TestApp, code: &str) -> String {
    balai_civil_registry::store::by_tracking_code(&app.db, code)
        .await
        .unwrap()
        .unwrap()
        .status
}
