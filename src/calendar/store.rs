//! Personal calendar tokens: the token, and its SHA-256 that feeds are looked up by.

use chrono::{DateTime, Utc};
use entity::{calendar_token, person};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

/// A token to store: the token and its SHA-256.
pub struct NewToken {
    pub token: String,
    pub token_hash: String,
}

/// Gives the person a new token (replacing any other: the old URL stops at once).
pub async fn replace_token(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    new: NewToken,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    calendar_token::Entity::insert(row(person_id, new, at))
        .on_conflict(
            OnConflict::column(calendar_token::Column::PersonId)
                .update_columns(TOKEN_COLUMNS)
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Gives the person this token unless they already have one that is kept (a token made before
/// tokens were kept is replaced). Two callers at once keep one token: the second finds the
/// first's.
pub async fn keep_token_if_none(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    new: NewToken,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    calendar_token::Entity::insert(row(person_id, new, at))
        .on_conflict(
            OnConflict::column(calendar_token::Column::PersonId)
                .update_columns(TOKEN_COLUMNS)
                .action_and_where(
                    Expr::col((calendar_token::Entity, calendar_token::Column::Token)).is_null(),
                )
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The person's kept token and when it was made, if they have one.
pub async fn token_of(
    db: &impl ConnectionTrait,
    person_id: Uuid,
) -> Result<Option<(String, DateTime<Utc>)>, DbErr> {
    Ok(calendar_token::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .and_then(|row| Some((row.token?, row.created_at))))
}

const TOKEN_COLUMNS: [calendar_token::Column; 3] = [
    calendar_token::Column::TokenHash,
    calendar_token::Column::Token,
    calendar_token::Column::CreatedAt,
];

fn row(person_id: Uuid, new: NewToken, at: DateTime<Utc>) -> calendar_token::ActiveModel {
    calendar_token::ActiveModel {
        person_id: Set(person_id),
        token_hash: Set(new.token_hash),
        token: Set(Some(new.token)),
        created_at: Set(at),
    }
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

/// Deletes the person's token: their personal feed's URL stops at once.
pub async fn delete_token(db: &impl ConnectionTrait, person_id: Uuid) -> Result<u64, DbErr> {
    Ok(calendar_token::Entity::delete_many()
        .filter(calendar_token::Column::PersonId.eq(person_id))
        .exec(db)
        .await?
        .rows_affected)
}
