//! The adopting agency changes its overrides, or accepts its parent's new version (after a
//! major one: the review), keeping or dropping its overrides, with a note. Each makes a new
//! version of the adoption.

use balai_core::identity::Actor;
use balai_core::web::actor::ReqMeta;
use balai_core::web::AppCtx;
use balai_core::Tx;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::{author, owned, record, text};
use crate::domain::audit as actions;
use crate::domain::permissions::SopAction;
use crate::domain::steps::{check_overrides, Override, StepError};
use crate::domain::versions::{followed, in_force, next_number};
use crate::domain::SopId;
use crate::errors::{SopError, SopResult};
use crate::queries::history::{find, infos, number, overrides_of, steps_of};
use crate::store::{self, NewVersion, SopRow, VersionRow};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverridesInput {
    /// The whole list of overrides (it replaces the previous one); each with a reason.
    #[schema(max_items = 100)]
    pub overrides: Vec<Override>,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub change_note: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// Why the new parent version is accepted (and what was checked).
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub note: String,
    /// Keep the adoption's overrides (each must still fit the new parent version).
    #[serde(default)]
    pub keep_overrides: bool,
}

/// An adoption with its parent and both histories.
struct Adoption {
    sop: SopRow,
    parent: SopRow,
    own: Vec<VersionRow>,
    parent_versions: Vec<VersionRow>,
}

impl Adoption {
    fn current(&self) -> Option<&VersionRow> {
        self.own.last()
    }

    fn adopted(&self) -> u32 {
        self.current()
            .and_then(|v| v.parent_version)
            .map_or(0, number)
    }
}

async fn adoption(tx: &mut Tx, actor: &Actor, id: i64, action: SopAction) -> SopResult<Adoption> {
    let sop = owned(tx, actor, id, action).await?;
    let parent_id = sop.parent_id.ok_or(SopError::NotAdoption)?;
    let parent = store::sop_tx(tx, parent_id)
        .await?
        .ok_or(SopError::NotFound)?;
    Ok(Adoption {
        own: store::versions_tx(tx, id).await?,
        parent_versions: store::versions_tx(tx, parent_id).await?,
        sop,
        parent,
    })
}

/// How many steps parent version `v` has.
fn parent_len(a: &Adoption, v: u32) -> SopResult<usize> {
    let row = find(&a.parent_versions, v).ok_or(SopError::NoSuchVersion(v))?;
    Ok(steps_of(row)?.len())
}

async fn store_version(
    tx: &mut Tx,
    actor: &Actor,
    a: &Adoption,
    overrides: &[Override],
    parent_version: u32,
    note: &str,
) -> SopResult<u32> {
    let version = next_number(&infos(&a.own, &a.sop.region_code));
    let body = serde_json::to_string(overrides)?;
    store::insert_version(
        tx,
        &NewVersion::new(a.sop.id, version, &body, author(actor))
            .parent(parent_version)
            .note(note),
    )
    .await?;
    Ok(version)
}

/// Replace the adoption's overrides; returns the adoption's new version.
pub async fn set_overrides(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    id: SopId,
    input: &OverridesInput,
) -> SopResult<u32> {
    let id = id.get();
    let note = text(&input.change_note, "Catatan perubahan", "The change note")?;
    let mut tx = ctx.begin().await?;
    let a = adoption(&mut tx, actor, id, SopAction::EditAdoption).await?;
    let adopted = a.adopted();
    // Overrides apply to the version the adoption shows now (minor versions flow through).
    let shown = followed(
        &infos(&a.parent_versions, &a.parent.region_code),
        adopted,
        None,
    );
    let overrides = check_overrides(parent_len(&a, shown)?, &input.overrides)?;
    let version = store_version(&mut tx, actor, &a, &overrides, adopted, &note).await?;
    record(
        &mut tx,
        meta,
        actor,
        actions::SET_OVERRIDES,
        id,
        &a.sop.region_code,
        json!({ "version": version, "overrides": overrides.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}

/// Accept the parent's current version; returns the adoption's new version.
pub async fn accept_parent(
    ctx: &AppCtx,
    meta: &ReqMeta,
    actor: &Actor,
    id: SopId,
    input: &ReviewInput,
) -> SopResult<u32> {
    let id = id.get();
    let note = text(&input.note, "Catatan peninjauan", "The review note")?;
    if note.is_empty() {
        return Err(SopError::ReviewNoteRequired);
    }
    let mut tx = ctx.begin().await?;
    let a = adoption(&mut tx, actor, id, SopAction::AcceptParent).await?;
    let current = in_force(&infos(&a.parent_versions, &a.parent.region_code), None)
        .ok_or(SopError::NotFound)?;
    let kept = match (input.keep_overrides, a.current()) {
        (true, Some(row)) => {
            let old = overrides_of(row)?;
            let len = parent_len(&a, current)?;
            check_overrides(len, &old).map_err(|e| match e {
                StepError::NoSuchParentStep { number, .. }
                | StepError::ReplacedTwice { number, .. } => SopError::OverrideNoLongerFits(number),
                other => SopError::Steps(other),
            })?
        }
        _ => Vec::new(),
    };
    let version = store_version(&mut tx, actor, &a, &kept, current, &note).await?;
    store::set_review_needed(&mut tx, id, false).await?;
    record(
        &mut tx,
        meta,
        actor,
        actions::ACCEPT_PARENT,
        id,
        &a.sop.region_code,
        json!({ "version": version, "parent_version": current, "from_parent_version": a.adopted(),
            "keep_overrides": input.keep_overrides, "overrides": kept.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}
