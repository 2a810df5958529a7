//! Bearer tokens: stored as their SHA-256, revoked, never deleted.

use chrono::{DateTime, Utc};
use entity::{auth_token, person};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use uuid::Uuid;

use super::people::{PersonRecord, with_roles};

pub async fn insert_token(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    token_hash: String,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    auth_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        person_id: Set(person_id),
        token_hash: Set(token_hash),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The id of the live token with this hash and its active owner.
pub async fn live_token(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Uuid, PersonRecord)>, DbErr> {
    let found = auth_token::Entity::find()
        .find_also_related(person::Entity)
        .filter(auth_token::Column::TokenHash.eq(token_hash))
        .filter(auth_token::Column::RevokedAt.is_null())
        .filter(auth_token::Column::ExpiresAt.gt(now))
        .filter(person::Column::DeactivatedAt.is_null())
        .one(db)
        .await?;
    let Some((token, Some(person))) = found else {
        return Ok(None);
    };
    Ok(with_roles(db, Some(person)).await?.map(|p| (token.id, p)))
}

pub async fn revoke_token(
    db: &impl ConnectionTrait,
    token_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    auth_token::Entity::update_many()
        .col_expr(auth_token::Column::RevokedAt, Expr::value(now))
        .filter(auth_token::Column::Id.eq(token_id))
        .filter(auth_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes every live token of a person, except `keep`.
pub async fn revoke_tokens_of(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    keep: Option<Uuid>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut update = auth_token::Entity::update_many()
        .col_expr(auth_token::Column::RevokedAt, Expr::value(now))
        .filter(auth_token::Column::PersonId.eq(person_id))
        .filter(auth_token::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        update = update.filter(auth_token::Column::Id.ne(keep));
    }
    update.exec(db).await?;
    Ok(())
}

/// Login tokens expired or revoked before `before` (counted when `dry_run`, else deleted).
pub async fn purge_tokens(
    db: &impl ConnectionTrait,
    before: DateTime<Utc>,
    dry_run: bool,
) -> Result<u64, DbErr> {
    let condition = sea_orm::Condition::any()
        .add(auth_token::Column::ExpiresAt.lt(before))
        .add(auth_token::Column::RevokedAt.lt(before));
    crate::db::query::count_or_delete::<auth_token::Entity>(db, condition, dry_run).await
}
