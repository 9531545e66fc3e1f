//! What every page's layout needs: language, the signed-in user, the CSRF token.

use askama::Template;
use axum::response::{Html, IntoResponse, Response};

use super::actor::Actor;
use crate::error::AppError;
use crate::i18n::Lang;

#[derive(Clone, Debug)]
pub struct UserBadge {
    pub username: String,
    pub display_name: String,
    pub is_admin: bool,
}

/// Layout data passed to every template as `page`.
#[derive(Clone, Debug)]
pub struct Page {
    pub lang: Lang,
    pub title: String,
    pub user: Option<UserBadge>,
    pub csrf: String,
    /// Current path, and its query when the page was made with [`here`], for the language
    /// switch link.
    pub path: String,
}

impl Page {
    pub fn new(
        lang: Lang,
        title: impl Into<String>,
        actor: Option<&Actor>,
        csrf: &str,
        path: &str,
    ) -> Page {
        Page {
            lang,
            title: title.into(),
            user: actor.map(|a| UserBadge {
                username: a.user.username.clone(),
                display_name: a.user.display_name.clone(),
                is_admin: a.is_admin(),
            }),
            csrf: csrf.to_string(),
            path: path.to_string(),
        }
    }

    /// The Indonesian or the English text in this page's language (see [`Lang::tr`]).
    pub fn tr<'a>(&self, id: &'a str, en: &'a str) -> &'a str {
        self.lang.tr(id, en)
    }

    /// A stored `YYYY-MM-DD` date as people write it (`9 Desember 2020`); see [`crate::format`].
    pub fn date(&self, iso: &str) -> String {
        crate::format::date_text(iso, self.lang)
    }

    /// A stored RFC 3339 moment in the zone of `region_code` (`27 November 2024 14.05 WIB`).
    pub fn datetime(&self, rfc3339: &str, region_code: &str) -> String {
        crate::format::datetime_text(
            rfc3339,
            crate::format::Zone::for_region(region_code),
            self.lang,
        )
    }

    /// A whole number with the language's separators (`1.699`).
    pub fn int(&self, n: i64) -> String {
        crate::format::integer(n, self.lang)
    }

    /// `part / whole` with two decimals (`78,40%`).
    pub fn percent(&self, part: u64, whole: u64) -> String {
        crate::format::percent(part, whole, self.lang)
    }

    pub fn asset(&self, name: &str) -> String {
        super::assets::url(name)
    }

    /// Link to this page in the other language, with the page's query (the chosen village,
    /// the results' region) kept and only `lang` replaced.
    /// Always a path on this site: a request path like `//evil.example/x` (which the HTTP
    /// parser accepts) would otherwise make a protocol-relative link to another host.
    pub fn switch_href(&self) -> String {
        let (path, query) = self.path.split_once('?').unwrap_or((&self.path, ""));
        let path = path.trim_start_matches(['/', '\\']);
        let path = if path.chars().any(|c| c.is_control() || c == '\\') {
            ""
        } else {
            path
        };
        let mut pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query).unwrap_or_default();
        pairs.retain(|(k, _)| k != "lang" && k != "csrf");
        pairs.push(("lang".into(), self.lang.other().code().into()));
        let query = serde_urlencoded::to_string(&pairs)
            .unwrap_or_else(|_| format!("lang={}", self.lang.other().code()));
        format!("/{path}?{query}")
    }
}

/// The path and query of a request, for [`Page::new`]: the language switch then keeps the
/// query (`/elections/1/results?region=32.79.01` → `…?region=32.79.01&lang=en`).
pub fn here(uri: &axum::http::Uri) -> String {
    uri.path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| uri.path().to_string())
}

/// Render a template into an HTML response.
pub fn render<T: Template>(t: &T) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
}

/// An official's open work in one module, for the dashboard: new, due soon, overdue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WorkCounts {
    pub new: usize,
    pub due_soon: usize,
    pub overdue: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, lang: Lang) -> Page {
        Page::new(lang, "t", None, "", path)
    }

    #[test]
    fn switch_keeps_the_query_and_stays_on_site() {
        assert_eq!(
            page("/elections/1/results?region=32.79.01", Lang::Id).switch_href(),
            "/elections/1/results?region=32.79.01&lang=en"
        );
        assert_eq!(
            page(
                "/aduan/baru?village_code=32.79.01.1002&category=infrastruktur&lang=en",
                Lang::En
            )
            .switch_href(),
            "/aduan/baru?village_code=32.79.01.1002&category=infrastruktur&lang=id"
        );
        assert_eq!(
            page("/dukcapil", Lang::Id).switch_href(),
            "/dukcapil?lang=en"
        );
        assert_eq!(
            page("//evil.example/x?a=1", Lang::Id).switch_href(),
            "/evil.example/x?a=1&lang=en"
        );
        assert_eq!(
            page("/a?q=a%26b+c", Lang::Id).switch_href(),
            "/a?q=a%26b+c&lang=en"
        );
        let uri: axum::http::Uri = "/regions?q=banjar".parse().unwrap();
        assert_eq!(here(&uri), "/regions?q=banjar");
    }
}
