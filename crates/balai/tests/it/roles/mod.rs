//! The role × action tables of `docs/ROLES.md`, cell by cell, through the real HTTP API on both
//! backends: every cell that says no is refused with 403 and changes nothing in the database;
//! each action is then done once by the least privileged role whose cell says yes, which shows
//! the refused requests were otherwise good.

mod civil_registry;
mod complaints;
mod elections;
mod information;
mod participation;
mod voters;

use balai_core::{with_db, Db};

/// A request of the walk: method, path and body.
#[derive(Clone, Debug)]
pub enum Body {
    None,
    Json(serde_json::Value),
    Csv(String),
    Jpeg(Vec<u8>),
    Pdf(Vec<u8>),
}

#[derive(Clone, Debug)]
pub struct Req {
    pub method: &'static str,
    pub path: String,
    pub body: Body,
}

impl Req {
    pub fn json(method: &'static str, path: impl Into<String>, v: serde_json::Value) -> Req {
        Req {
            method,
            path: path.into(),
            body: Body::Json(v),
        }
    }
}

/// Send `req` with a bearer token; the status and the body's text.
pub async fn call(app: &crate::support::TestApp, token: &str, req: &Req) -> (u16, String) {
    let m = reqwest::Method::from_bytes(req.method.as_bytes()).unwrap();
    let mut r = app
        .client()
        .request(m, app.url(&req.path))
        .bearer_auth(token);
    r = match &req.body {
        Body::None => r,
        Body::Json(v) => r.json(v),
        Body::Csv(t) => r.header("content-type", "text/csv").body(t.clone()),
        Body::Jpeg(b) => r.header("content-type", "image/jpeg").body(b.clone()),
        Body::Pdf(b) => r.header("content-type", "application/pdf").body(b.clone()),
    };
    let res = r.send().await.unwrap();
    let s = res.status().as_u16();
    (s, res.text().await.unwrap())
}

/// What a refused request must leave as it was: the row count of every table named and the
/// text of every query given (each returning one text column).
pub async fn db_state(db: &Db, tables: &[&str], queries: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for t in tables {
        let sql = format!("SELECT COUNT(*) FROM {t}");
        let n: i64 = with_db!(db, |c| sqlx::query_scalar(&sql).fetch_one(c).await).unwrap();
        out.push(format!("{t}: {n}"));
    }
    for q in queries {
        let rows: Vec<String> = with_db!(db, |c| sqlx::query_scalar(q).fetch_all(c).await).unwrap();
        out.push(format!("{q}: {}", rows.join("|")));
    }
    out
}

/// The tables and queries whose state a refused request must leave alone.
pub struct Watched<'a> {
    pub tables: &'a [&'a str],
    pub queries: &'a [&'a str],
}

/// Send `req` as `who` (`what` names the cell): the answer must be `want` and the database
/// unchanged. A mismatch is described, so a walk lists every wrong cell at once.
pub async fn refused(
    app: &crate::support::TestApp,
    watched: &Watched<'_>,
    (who, what): (&str, &str),
    token: &str,
    req: &Req,
    want: u16,
) -> Option<String> {
    let before = db_state(&app.db, watched.tables, watched.queries).await;
    let (s, body) = call(app, token, req).await;
    let after = db_state(&app.db, watched.tables, watched.queries).await;
    let changed = if before == after {
        ""
    } else {
        ", database changed"
    };
    let wrong =
        (s != want || before != after).then(|| format!("{who} / {what}: {s}{changed} {body}"));
    if let Some(w) = &wrong {
        // Shown with the failure even when a later step of the walk fails first.
        eprintln!("not refused: {w}");
    }
    wrong
}
