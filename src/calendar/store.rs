//! Personal calendar tokens (only their SHA-256 is kept).

use chrono::{DateTime, Utc};
use entity::{calendar_token, person};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

/// Gives the person a new token (replacing any other: the old URL stops at once).
pub async fn replace_token(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    token_hash: String,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = calendar_token::ActiveModel {
        person_id: Set(person_id),
        token_hash: Set(token_hash),
        created_at: Set(at),
    };
    calendar_token::Entity::insert(row)
        .on_conflict(
            OnConflict::column(calendar_token::Column::PersonId)
                .update_columns([
                    calendar_token::Column::TokenHash,
                    calendar_token::Column::CreatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The active person whose token has this hash.
pub async fn person_of_token(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<Uuid>, DbErr> {
    Ok(calendar_token::Entity::find()
        .filter(calendar_token::Column::TokenHash.eq(token_hash))
        .filter(
            calendar_token::Column::PersonId.in_subquery(
                Query::select()
                    .column(person::Column::Id)
                    .from(person::Entity)
                    .and_where(person::Column::DeactivatedAt.is_null())
                    .to_owned(),
            ),
        )
        .one(db)
        .await?
        .map(|t| t.person_id))
}
