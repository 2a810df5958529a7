//! Conflicts as people review them: administrators list them; those involved (both people, the
//! session's trainers or the club's animators, administrators) acknowledge or resolve them.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{Result, SyncError, require_admin, scopes_of};
use crate::db::write::WriteTx;
use crate::principal::Principal;
use crate::sync::model::{Conflict, ConflictStatus};
use crate::sync::store;
use crate::sync::synced::context_scope;

/// Conflicts, newest first (administrators).
pub async fn conflicts(
    db: &impl ConnectionTrait,
    principal: &Principal,
    status: Option<ConflictStatus>,
) -> Result<Vec<Conflict>> {
    require_admin(principal)?;
    Ok(store::conflicts(db, status).await?)
}

/// Marks a conflict `acknowledged` or `resolved` (never `open` again).
pub async fn settle_conflict(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    status: ConflictStatus,
) -> Result<Conflict> {
    match status {
        ConflictStatus::Acknowledged | ConflictStatus::Resolved => {}
        ConflictStatus::Open => return Err(settled_only()),
    }
    let before = store::lock_conflict(tx, id)
        .await?
        .ok_or(SyncError::ConflictNotFound)?;
    let involved = principal.is_admin()
        || principal.person_id == before.winner_by
        || principal.person_id == before.loser_by
        || scopes_of(tx.conn(), principal)
            .await?
            .contains(&context_scope(before.context_kind, before.context_id).key());
    if !involved {
        return Err(SyncError::ConflictNotFound);
    }
    Ok(store::settle_conflict(tx, &before, status, principal.person_id).await?)
}

/// The refusal of a settlement that is not `acknowledged` nor `resolved`.
pub fn settled_only() -> SyncError {
    SyncError::invalid("status", "acknowledged or resolved")
}
