//! Bahasa Indonesia first, English available.
//!
//! The catalogue is a static table so a missing translation is a compile-visible edit in one
//! file; a unit test checks that every key has both languages.

use axum::http::request::Parts;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "id" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// `?lang=` wins, then the `lang` cookie, then Bahasa Indonesia.
    pub fn from_parts(parts: &Parts) -> Lang {
        Lang::from_query_and_cookies(
            parts.uri.query(),
            parts.headers.get_all(axum::http::header::COOKIE),
        )
    }

    /// A language named by `?lang=` in a query string.
    pub fn from_query(query: Option<&str>) -> Option<Lang> {
        // Most queries name no language: parse only those that might.
        let q = query.filter(|q| q.contains("lang"))?;
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _)| k == "lang")
            .find_map(|(_, v)| Lang::parse(&v))
    }

    /// `?lang=` first, then the `lang` cookie, else Indonesian.
    pub fn from_query_and_cookies<'a>(
        query: Option<&str>,
        cookies: impl IntoIterator<Item = &'a axum::http::HeaderValue>,
    ) -> Lang {
        if let Some(l) = Lang::from_query(query) {
            return l;
        }
        for value in cookies {
            let Ok(s) = value.to_str() else { continue };
            for pair in s.split(';') {
                if let Some(v) = pair.trim().strip_prefix("lang=") {
                    if let Some(l) = Lang::parse(v) {
                        return l;
                    }
                }
            }
        }
        Lang::Id
    }

    /// The Indonesian or the English text, in this language: the one bilingual helper
    /// (`{{ page.tr("Kirim", "Send") }}` in templates, `lang.tr(…)` in code).
    pub fn tr<'a>(self, id: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            _ => id,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Id => Lang::En,
            Lang::En => Lang::Id,
        }
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang::from_parts(parts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tr_picks_the_page_language() {
        assert_eq!(Lang::Id.tr("Masuk", "Sign in"), "Masuk");
        assert_eq!(Lang::En.tr("Masuk", "Sign in"), "Sign in");
    }
}
