//! Minutes: one row per version, only ever added.

use entity::meeting_minutes;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::clubs::model::Minutes;
use crate::db::write::WriteTx;

fn minutes_of(row: meeting_minutes::Model) -> Minutes {
    Minutes {
        meeting_id: row.meeting_id,
        number: row.number,
        body: row.body,
        author_id: row.author_id,
        created_at: row.created_at,
    }
}

/// Every version of a meeting's minutes, first first.
pub async fn minutes_versions(
    db: &impl ConnectionTrait,
    meeting_id: Uuid,
) -> Result<Vec<Minutes>, DbErr> {
    Ok(meeting_minutes::Entity::find()
        .filter(meeting_minutes::Column::MeetingId.eq(meeting_id))
        .order_by_asc(meeting_minutes::Column::Number)
        .all(db)
        .await?
        .into_iter()
        .map(minutes_of)
        .collect())
}

/// Adds version `number` (the caller holds the meeting's lock).
pub async fn insert_minutes(
    tx: &WriteTx,
    meeting_id: Uuid,
    number: i32,
    body: String,
    author_id: Uuid,
) -> Result<Minutes, DbErr> {
    let row = meeting_minutes::ActiveModel {
        id: Set(Uuid::now_v7()),
        meeting_id: Set(meeting_id),
        number: Set(number),
        body: Set(body),
        author_id: Set(author_id),
        created_at: Set(tx.now()),
    };
    Ok(minutes_of(
        meeting_minutes::Entity::insert(row)
            .exec_with_returning(tx.conn())
            .await?,
    ))
}
