//! Registered devices.

use chrono::{DateTime, Utc};
use entity::sync_device;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use crate::sync::model::{Device, NewDevice};

pub type DeviceRow = sync_device::Model;

pub fn device_of(row: DeviceRow) -> Device {
    Device {
        id: row.id,
        person_id: row.person_id,
        name: row.name,
        platform: row.platform,
        last_seq: row.last_seq,
        created_at: row.created_at,
        last_seen_at: row.last_seen_at,
        clock_offset_ms: row.clock_offset_ms,
        clock_skew_at: row.clock_skew_at,
        revoked_at: row.revoked_at,
        revoked_by: row.revoked_by,
        revoked_reason: row.revoked_reason,
    }
}

pub async fn insert_device(
    db: &impl ConnectionTrait,
    id: Uuid,
    person_id: Uuid,
    new: &NewDevice,
    at: DateTime<Utc>,
) -> Result<Device, DbErr> {
    let row = sync_device::ActiveModel {
        id: Set(id),
        person_id: Set(person_id),
        name: Set(new.name.clone()),
        platform: Set(new.platform.clone()),
        last_seq: Set(0),
        created_at: Set(at),
        last_seen_at: Set(None),
        clock_offset_ms: Set(None),
        clock_skew_at: Set(None),
        revoked_at: Set(None),
        revoked_by: Set(None),
        revoked_reason: Set(None),
    };
    Ok(device_of(row.insert(db).await?))
}

pub async fn device(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Device>, DbErr> {
    Ok(sync_device::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(device_of))
}

/// Reads a device and locks it until commit: one push at a time per device.
pub async fn lock_device(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Device>, DbErr> {
    Ok(sync_device::Entity::find_by_id(id)
        .lock_exclusive()
        .one(db)
        .await?
        .map(device_of))
}

/// Devices, newest first; of one person when given.
pub async fn devices(
    db: &impl ConnectionTrait,
    person_id: Option<Uuid>,
) -> Result<Vec<Device>, DbErr> {
    let mut query = sync_device::Entity::find().order_by_desc(sync_device::Column::CreatedAt);
    if let Some(person_id) = person_id {
        query = query.filter(sync_device::Column::PersonId.eq(person_id));
    }
    Ok(query.all(db).await?.into_iter().map(device_of).collect())
}

/// What a push leaves on its device.
pub struct Seen {
    pub last_seq: i64,
    pub at: DateTime<Utc>,
    pub clock_offset_ms: Option<i64>,
    pub skewed: bool,
}

pub async fn record_push(db: &impl ConnectionTrait, id: Uuid, seen: Seen) -> Result<(), DbErr> {
    use sync_device::Column as C;
    let mut update = sync_device::Entity::update_many()
        .col_expr(C::LastSeq, Expr::value(seen.last_seq))
        .col_expr(C::LastSeenAt, Expr::value(seen.at));
    if let Some(offset) = seen.clock_offset_ms {
        update = update.col_expr(C::ClockOffsetMs, Expr::value(offset));
    }
    if seen.skewed {
        update = update.col_expr(C::ClockSkewAt, Expr::value(seen.at));
    }
    update.filter(C::Id.eq(id)).exec(db).await?;
    Ok(())
}

pub async fn revoke(
    db: &impl ConnectionTrait,
    id: Uuid,
    by: Uuid,
    reason: &str,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    use sync_device::Column as C;
    sync_device::Entity::update_many()
        .col_expr(C::RevokedAt, Expr::value(at))
        .col_expr(C::RevokedBy, Expr::value(by))
        .col_expr(C::RevokedReason, Expr::value(reason))
        .filter(C::Id.eq(id))
        .filter(C::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
