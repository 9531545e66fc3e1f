//! What the unit's settings forms show (its admin's, on the unit's page): the stored element
//! weights and the current month's service users, or what was typed and why it was refused.

use balai_core::i18n::Lang;
use balai_core::ids::AgencyId;
use balai_core::web::AppCtx;
use balai_core::AppResult;

use crate::domain::elements::ELEMENTS;
use crate::domain::ikm::Weights;
use crate::domain::period;
use crate::store::settings as stored;

/// One weight's field: `w1`…`w9`, the element's code and name, what it holds, its refusal.
pub struct WeightField {
    pub name: String,
    pub label: String,
    pub value: String,
    pub error: Option<String>,
}

/// Both forms as the page shows them: the stored values, or what was typed and why it was
/// refused.
pub struct SettingsForms {
    pub weights: Vec<WeightField>,
    /// A refusal of the weights together (their sum).
    pub weights_error: Option<String>,
    pub month: String,
    pub month_error: Option<String>,
    pub users: String,
    pub users_error: Option<String>,
    /// The form shown open: `bobot` or `pengguna` after a refusal.
    pub open: &'static str,
}

impl SettingsForms {
    /// The unit's weights and the current month's entered service users (blank if none).
    pub async fn current(
        ctx: &AppCtx,
        unit: AgencyId,
        weights: &Weights,
        month: String,
        lang: Lang,
    ) -> AppResult<SettingsForms> {
        let users = stored::service_users(&ctx.db, unit, &month, &month).await?;
        let typed: Vec<String> = weights.get().iter().map(ToString::to_string).collect();
        Ok(SettingsForms {
            weights: fields(&typed, lang),
            weights_error: None,
            month,
            month_error: None,
            users: users.map(|n| n.to_string()).unwrap_or_default(),
            users_error: None,
            open: "",
        })
    }

    /// The stored values, read afresh (to show again beside a refused form).
    pub async fn stored(ctx: &AppCtx, unit: AgencyId, lang: Lang) -> AppResult<SettingsForms> {
        let weights = stored::weights(&ctx.db, unit).await?;
        let u = crate::commands::unit(&ctx.db, unit).await?;
        let today = crate::commands::issue_codes::unit_today(&u.region_code).0;
        SettingsForms::current(ctx, unit, &weights, period::month_key(today), lang).await
    }
}

pub(super) fn fields(values: &[String], lang: Lang) -> Vec<WeightField> {
    ELEMENTS
        .iter()
        .enumerate()
        .map(|(k, e)| WeightField {
            name: format!("w{}", k + 1),
            label: format!("{} {}", e.code, e.name(lang == Lang::En)),
            value: values.get(k).cloned().unwrap_or_default(),
            error: None,
        })
        .collect()
}
