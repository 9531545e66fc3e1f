//! Many result forms in one request and one transaction (field apps syncing, bulk loads).
//! Each item is checked exactly as a single submission; a refused item changes nothing and
//! the others go ahead.

use balai_core::web::actor::{Actor, ReqMeta};
use balai_core::web::AppCtx;
use balai_core::{AppError, AppResult};
use serde::{Deserialize, Serialize};

use super::submit_result::{submit_many, Item, SubmitInput, Submitted};
use crate::domain::form::FormFields;
use crate::errors::Refusal;

pub use crate::domain::entry::MAX_BATCH;

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchInput {
    /// 1 to 1000 forms.
    #[schema(min_items = 1, max_items = 1000)]
    pub items: Vec<SubmitInput>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ItemOutcome {
    pub index: usize,
    /// 201 when stored, otherwise the status a single submission would get.
    pub status: u16,
    pub code: Option<String>,
    pub message_id: Option<String>,
    pub message_en: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
    pub result: Option<Submitted>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct BatchOutcome {
    pub accepted: usize,
    pub rejected: usize,
    pub items: Vec<ItemOutcome>,
}

pub async fn submit_batch(
    ctx: &AppCtx,
    actor: &Actor,
    meta: &ReqMeta,
    election_id: i64,
    input: &BatchInput,
) -> AppResult<BatchOutcome> {
    if input.items.is_empty() || input.items.len() > MAX_BATCH {
        return Err(Refusal::BadBatch.into());
    }
    let mut tx = ctx.begin().await?;
    if crate::store::lock_election(&mut tx, election_id)
        .await?
        .is_none()
    {
        return Err(AppError::not_found());
    }
    let items: Vec<Item<'_>> = input
        .items
        .iter()
        .map(|input| Item {
            election_id,
            actor,
            meta,
            input,
            flat: &input.form.0,
        })
        .collect();
    let outcomes = submit_many(&mut tx, &items).await?;
    tx.commit().await?;
    crate::cache::changed(ctx);
    let mut accepted = 0;
    let items: Vec<ItemOutcome> = outcomes
        .into_iter()
        .enumerate()
        .map(|(index, o)| match o {
            Ok(r) => {
                accepted += 1;
                ItemOutcome {
                    index,
                    status: 201,
                    code: None,
                    message_id: None,
                    message_en: None,
                    details: None,
                    result: Some(r),
                }
            }
            Err(e) => {
                let e = AppError::from(e);
                ItemOutcome {
                    index,
                    status: e.status().as_u16(),
                    code: Some(e.info.code.to_string()),
                    message_id: Some(e.info.message_id.clone()),
                    message_en: Some(e.info.message_en.clone()),
                    details: e.info.details.clone(),
                    result: None,
                }
            }
        })
        .collect();
    Ok(BatchOutcome {
        accepted,
        rejected: items.len() - accepted,
        items,
    })
}

/// Read result forms from CSV: a header row naming `tps_id` or `village_code` and
/// `tps_number`, the form fields by their dotted names (`pemilih_dpt.l`, …, `votes.1`), and
/// optionally `reason`, `psu_ref` and `confirm_paper` (`1`/`true`/`ya`). One form per line;
/// the counts are checked by the submission itself.
pub fn parse_results_csv(text: &str) -> Result<Vec<SubmitInput>, Vec<(String, String)>> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let head: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(_) => {
            return Err(vec![(
                "Baris judul CSV tidak terbaca.".into(),
                "The CSV header row cannot be read.".into(),
            )])
        }
    };
    let has = |k: &str| head.iter().any(|h| h == k);
    let by_number = has("village_code") && has("tps_number");
    if !(has("tps_id") || by_number) {
        return Err(vec![(
            "CSV harus memiliki kolom tps_id, atau village_code dan tps_number.".into(),
            "The CSV needs a tps_id column, or village_code and tps_number.".into(),
        )]);
    }
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let Ok(rec) = rec else {
            errs.push((
                format!("Baris {line}: CSV tidak sah."),
                format!("Line {line}: invalid CSV."),
            ));
            continue;
        };
        let mut form = Vec::new();
        let mut item = SubmitInput {
            tps_id: None,
            village_code: None,
            tps_number: None,
            form: FormFields::default(),
            confirm_paper: false,
            reason: None,
            psu_ref: None,
        };
        let mut bad_id = false;
        for (k, v) in head.iter().zip(rec.iter()) {
            match k.as_str() {
                "tps_id" => {
                    item.tps_id = v.parse().ok().or_else(|| {
                        bad_id = true;
                        None
                    })
                }
                "village_code" => item.village_code = Some(v.to_string()),
                "tps_number" => {
                    item.tps_number = v.parse().ok().or_else(|| {
                        bad_id = true;
                        None
                    })
                }
                "reason" => item.reason = Some(v.to_string()),
                "psu_ref" => item.psu_ref = Some(v.to_string()),
                "confirm_paper" => {
                    item.confirm_paper =
                        matches!(v.to_lowercase().as_str(), "1" | "true" | "ya" | "yes")
                }
                _ => {
                    form.push((k.clone(), v.to_string()));
                }
            }
        }
        if bad_id {
            errs.push((
                format!("Baris {line}: tps_id/tps_number harus bilangan bulat."),
                format!("Line {line}: tps_id/tps_number must be whole numbers."),
            ));
        }
        item.form = form.into_iter().collect();
        out.push(item);
    }
    if out.is_empty() && errs.is_empty() {
        errs.push((
            "CSV tidak berisi formulir.".into(),
            "The CSV holds no forms.".into(),
        ));
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}
