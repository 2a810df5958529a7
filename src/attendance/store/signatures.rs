//! Signature images, one row per content hash.

use chrono::{DateTime, Utc};
use entity::signature;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};
use uuid::Uuid;

use crate::attendance::signature::CheckedSignature;

/// Stores the image unless the same bytes are already stored.
pub async fn keep(
    db: &impl ConnectionTrait,
    checked: &CheckedSignature,
    by: Uuid,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = signature::ActiveModel {
        sha256: Set(checked.sha256.clone()),
        png: Set(checked.png.clone()),
        width: Set(i32::try_from(checked.width).unwrap_or(i32::MAX)),
        height: Set(i32::try_from(checked.height).unwrap_or(i32::MAX)),
        uploaded_by: Set(by),
        uploaded_at: Set(at),
    };
    signature::Entity::insert(row)
        .on_conflict_do_nothing_on([signature::Column::Sha256])
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The PNG bytes of a stored signature.
pub async fn png(db: &impl ConnectionTrait, sha256: &str) -> Result<Option<Vec<u8>>, DbErr> {
    Ok(signature::Entity::find_by_id(sha256.to_owned())
        .one(db)
        .await?
        .map(|s| s.png))
}

/// Whether an image with this hash is stored.
pub async fn exists(db: &impl ConnectionTrait, sha256: &str) -> Result<bool, DbErr> {
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    Ok(signature::Entity::find()
        .filter(signature::Column::Sha256.eq(sha256))
        .count(db)
        .await?
        > 0)
}

/// The PNG bytes of these signatures, by hash (one query).
pub async fn pngs(
    db: &impl ConnectionTrait,
    hashes: &[String],
) -> Result<std::collections::HashMap<String, Vec<u8>>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(signature::Entity::find()
        .filter(signature::Column::Sha256.is_in(hashes.iter().cloned()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.sha256, s.png))
        .collect())
}
