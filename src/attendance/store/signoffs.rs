//! Countersignatures of half-days (synced: written through `WriteTx`).

use chrono::{DateTime, Utc};
use entity::slot_signoff;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use uuid::Uuid;

use crate::attendance::model::{DeviceWitness, Reopening, Signoff};
use crate::db::write::WriteTx;

pub type SignoffRow = slot_signoff::Model;

pub fn signoff_of(row: SignoffRow) -> Signoff {
    Signoff {
        slot_id: row.id,
        session_id: row.session_id,
        trainer_id: row.trainer_id,
        signature_sha256: row.signature_sha256,
        signed_at: row.signed_at,
        received_at: row.received_at.unwrap_or(row.signed_at),
        device: row.device_recorded_at.map(|recorded_at| DeviceWitness {
            recorded_at,
            clock_offset_ms: row.clock_offset_ms,
        }),
        reopening: match (row.reopened_at, row.reopened_by, row.reopen_reason) {
            (Some(at), Some(by), Some(reason)) => Some(Reopening { at, by, reason }),
            _ => None,
        },
    }
}

/// Reads a slot's countersignature and locks it until commit.
pub async fn lock_signoff(tx: &WriteTx, slot_id: Uuid) -> Result<Option<SignoffRow>, DbErr> {
    tx.lock::<slot_signoff::Entity>(slot_id).await
}

/// A countersignature as the service decided it.
pub struct SignoffState {
    pub trainer_id: Uuid,
    pub signature_sha256: String,
    pub signed_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub device: Option<DeviceWitness>,
}

/// The trainer countersigns the slot (again, after a reopening).
pub async fn countersign(
    tx: &mut WriteTx,
    before: Option<&SignoffRow>,
    slot_id: Uuid,
    session_id: Uuid,
    state: SignoffState,
) -> Result<SignoffRow, DbErr> {
    let mut row = match before {
        Some(before) => before.clone().into_active_model(),
        None => slot_signoff::ActiveModel {
            id: Set(slot_id),
            session_id: Set(session_id),
            version: Set(0),
            ..Default::default()
        },
    };
    row.trainer_id = Set(state.trainer_id);
    row.signature_sha256 = Set(state.signature_sha256);
    row.signed_at = Set(state.signed_at);
    row.received_at = Set(Some(state.received_at));
    row.device_recorded_at = Set(state.device.map(|d| d.recorded_at));
    row.clock_offset_ms = Set(state.device.and_then(|d| d.clock_offset_ms));
    row.reopened_at = Set(None);
    row.reopened_by = Set(None);
    row.reopen_reason = Set(None);
    match before {
        Some(before) => tx.update::<slot_signoff::Entity, _>(before, row).await,
        None => tx.insert::<slot_signoff::Entity, _>(row).await,
    }
}

/// An administrator reopens a countersigned slot.
pub async fn reopen(
    tx: &mut WriteTx,
    before: &SignoffRow,
    by: Uuid,
    reason: String,
    at: DateTime<Utc>,
) -> Result<SignoffRow, DbErr> {
    let mut row = before.clone().into_active_model();
    row.reopened_at = Set(Some(at));
    row.reopened_by = Set(Some(by));
    row.reopen_reason = Set(Some(reason));
    tx.update::<slot_signoff::Entity, _>(before, row).await
}

/// The countersignatures of a session's half-days.
pub async fn signoffs_of_session(
    db: &impl ConnectionTrait,
    session_id: Uuid,
) -> Result<Vec<Signoff>, DbErr> {
    Ok(slot_signoff::Entity::find()
        .filter(slot_signoff::Column::SessionId.eq(session_id))
        .all(db)
        .await?
        .into_iter()
        .map(signoff_of)
        .collect())
}
