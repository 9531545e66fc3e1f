//! A unit's extra questions with their answers in a period: reported apart from the index.

use balai_core::ids::AgencyId;
use balai_core::Db;
use time::Date;

use crate::domain::extra::mean;
use crate::domain::ikm::Hundredths;
use crate::store::extra;

/// One extra question's result.
#[derive(Clone, Debug)]
pub struct ExtraResult {
    pub id: i64,
    pub text_id: String,
    pub text_en: String,
    /// Still asked (a retired question shows only with answers in the period).
    pub active: bool,
    pub answers: i64,
    /// The mean score (1–4), two decimals; `None` without answers.
    pub mean: Option<Hundredths>,
}

impl ExtraResult {
    /// The question in the reader's language (the Indonesian text where there is no English).
    pub fn text(&self, en: bool) -> &str {
        if en && !self.text_en.is_empty() {
            &self.text_en
        } else {
            &self.text_id
        }
    }
}

pub async fn results(
    db: &Db,
    agency_id: AgencyId,
    from: Date,
    to: Date,
    service: Option<&str>,
) -> Result<Vec<ExtraResult>, sqlx::Error> {
    Ok(extra::results(db, agency_id, from, to, service)
        .await?
        .into_iter()
        .map(|r| ExtraResult {
            mean: mean(r.sum, r.answers),
            id: r.id,
            text_id: r.text_id,
            text_en: r.text_en,
            active: r.active,
            answers: r.answers,
        })
        .collect())
}
