//! `conflict.resolve@1`: someone involved acknowledges a conflict (they saw it) or marks it
//! resolved (they acted on it).

use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::{Applying, Context, Done, args, sync_refusal};
use crate::db::write::WriteTx;
use crate::sync::model::ConflictStatus;
use crate::sync::service;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResolveArgs {
    conflict_id: Uuid,
    /// `acknowledged` or `resolved`.
    status: String,
}

pub fn resolve<'a>(tx: &'a mut WriteTx, ctx: &'a Context<'a>, raw: Value) -> Applying<'a> {
    Box::pin(async move {
        use sea_orm::ActiveEnum;
        let a: ResolveArgs = args(raw)?;
        let status = ConflictStatus::try_from_value(&a.status)
            .map_err(|_| sync_refusal(service::settled_only()))?;
        let conflict = service::settle_conflict(tx, ctx.principal, a.conflict_id, status)
            .await
            .map_err(sync_refusal)?;
        let state = serde_json::json!({ "id": conflict.id, "status": conflict.status.to_value() });
        Ok(Done::applied("sync_conflict", conflict.id, Some(state)))
    })
}
