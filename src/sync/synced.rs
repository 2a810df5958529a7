//! What devices pull of sync itself: a conflict is seen by the devices of its context (the
//! session's trainers, the club's animators) and by both people involved.

use uuid::Uuid;

use crate::db::scope::Scope;
use crate::sync::model::ConflictContext;
use crate::synced;

synced!(sync_conflict, "sync_conflict", |row| {
    let mut scopes = vec![context_scope(row.context_kind, row.context_id)];
    scopes.push(Scope::Person(row.winner_by));
    if row.loser_by != row.winner_by {
        scopes.push(Scope::Person(row.loser_by));
    }
    scopes
});

/// The scope of a conflict's context.
pub fn context_scope(kind: ConflictContext, id: Uuid) -> Scope {
    match kind {
        ConflictContext::Club => Scope::Club(id),
        ConflictContext::Session => Scope::Session(id),
    }
}
