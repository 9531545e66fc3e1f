//! The owning agency adds a version to its own SOP (published at once or kept as a draft) or
//! publishes its draft. A published major version marks each adoption of an older version
//! "review needed" and tells the adopting agency's admins by email; a minor one changes only
//! what the adoptions show (they follow it).

use balai_core::identity::Actor;
use balai_core::outbox::{self, Channel};
use balai_core::web::actor::ReqMeta;
use balai_core::web::AppCtx;
use balai_core::Tx;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::{author, owned, record, text};
use crate::domain::audit as actions;
use crate::domain::permissions::SopAction;
use crate::domain::steps::{check_steps, Step};
use crate::domain::versions::{draft_pending, next_number};
use crate::domain::SopId;
use crate::errors::{SopError, SopResult};
use crate::queries::history::{infos, number};
use crate::store::{self, NewVersion, SopRow};

/// A new version of an SOP's steps.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionInput {
    #[schema(min_items = 1, max_items = 100)]
    pub steps: Vec<Step>,
    /// Required for a major version.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub change_note: String,
    /// A major change: adoptions of older versions need review.
    #[serde(default)]
    pub major: bool,
    #[serde(default)]
    pub draft: bool,
}

/// Add version `n + 1`; returns its number.
pub async fn add_version(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    id: SopId,
    input: &VersionInput,
) -> SopResult<u32> {
    let id = id.get();
    let steps = check_steps(&input.steps)?;
    let note = text(&input.change_note, "Catatan perubahan", "The change note")?;
    if input.major && note.is_empty() {
        return Err(SopError::ChangeNoteRequired);
    }
    let body = serde_json::to_string(&steps)?;
    let mut tx = ctx.begin().await?;
    let sop = owned(&mut tx, actor, id, SopAction::AddVersion).await?;
    if sop.parent_id.is_some() {
        return Err(SopError::IsAdoption);
    }
    let history = infos(&store::versions_tx(&mut tx, id).await?, &sop.region_code);
    if let Some(v) = draft_pending(&history) {
        return Err(SopError::DraftPending(v));
    }
    let version = next_number(&history);
    store::insert_version(
        &mut tx,
        &NewVersion::new(id, version, &body, author(actor))
            .note(&note)
            .major(input.major)
            .published(!input.draft),
    )
    .await?;
    record(
        &mut tx,
        meta,
        actor,
        actions::ADD_VERSION,
        id,
        &sop.region_code,
        json!({ "version": version, "major": input.major, "draft": input.draft,
            "steps": steps.len() }),
    )
    .await?;
    if !input.draft && input.major {
        mark_adoptions(ctx, &mut tx, meta, actor, &sop, version, &note).await?;
    }
    tx.commit().await?;
    Ok(version)
}

/// Publish the SOP's draft; returns its number.
pub async fn publish_draft(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    id: SopId,
) -> SopResult<u32> {
    let id = id.get();
    let mut tx = ctx.begin().await?;
    let sop = owned(&mut tx, actor, id, SopAction::AddVersion).await?;
    let rows = store::versions_tx(&mut tx, id).await?;
    let version = draft_pending(&infos(&rows, &sop.region_code)).ok_or(SopError::NoDraft)?;
    let Some(row) = rows.iter().find(|r| number(r.version) == version) else {
        return Err(SopError::NoDraft);
    };
    if !store::publish(&mut tx, id, i64::from(version)).await? {
        return Err(SopError::NoDraft);
    }
    record(
        &mut tx,
        meta,
        actor,
        actions::PUBLISH,
        id,
        &sop.region_code,
        json!({ "version": version, "major": row.major }),
    )
    .await?;
    // A draft's first version has no adoptions yet; a later one may.
    if row.major {
        mark_adoptions(ctx, &mut tx, meta, actor, &sop, version, &row.change_note).await?;
    }
    tx.commit().await?;
    Ok(version)
}

/// After major version `version` of `parent`: mark each adoption of an older version for
/// review (once) and email its agency's admins.
async fn mark_adoptions(
    ctx: &AppCtx,
    tx: &mut Tx,
    meta: &ReqMeta,
    actor: &Actor,
    parent: &SopRow,
    version: u32,
    note: &str,
) -> SopResult<()> {
    for child in store::children_tx(tx, parent.id).await? {
        let rows = store::versions_tx(tx, child.id).await?;
        let adopted = rows
            .iter()
            .rev()
            .find_map(|r| r.parent_version)
            .map_or(0, number);
        if child.review_needed || adopted >= version {
            continue;
        }
        store::set_review_needed(tx, child.id, true).await?;
        record(
            tx,
            meta,
            actor,
            actions::REVIEW_NEEDED,
            child.id,
            &child.region_code,
            json!({ "parent": parent.id, "parent_version": version, "adopted_version": adopted }),
        )
        .await?;
        let subject = format!("SOP perlu ditinjau: {}", child.title);
        let body = format!(
            "{} menerbitkan versi {version} (perubahan besar) dari SOP \"{}\".\n\
             Catatan perubahan: {note}\n\n\
             Adopsi {} mengikuti versi {adopted} dan perlu ditinjau: terima versi baru, \
             dengan atau tanpa penyesuaian yang ada.\n{}/sop/{}",
            parent.agency_name,
            parent.title,
            child.region_name,
            ctx.cfg.base_url.trim_end_matches('/'),
            child.id
        );
        for email in store::admin_emails(tx, child.agency_id).await? {
            outbox::enqueue(tx, Channel::Email, &email, &subject, &body).await?;
        }
    }
    Ok(())
}
