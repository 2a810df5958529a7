//! Reading what calendars show: the sessions, or only their stamps to tell whether a rendered
//! calendar is still current.

use std::collections::BTreeMap;

use entity::{room, training, training_session};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::sessions::assemble;
use crate::catalogue::model::Session;

/// The sessions calendars show (any status but draft), with everything an event needs:
/// of published trainings (all, or one training's), or these sessions whatever their training.
pub async fn calendar_sessions(
    db: &impl ConnectionTrait,
    scope: &crate::catalogue::model::CalendarScope,
) -> Result<Vec<Session>, DbErr> {
    use crate::catalogue::model::CalendarScope;
    let mut select = training_session::Entity::find()
        .filter(training_session::Column::Status.ne(entity::status::SessionStatus::Draft));
    let published = || {
        Query::select()
            .column(training::Column::Id)
            .from(training::Entity)
            .and_where(training::Column::Status.eq(entity::status::TrainingStatus::Published))
            .to_owned()
    };
    select = match scope {
        CalendarScope::Published => {
            select.filter(training_session::Column::TrainingId.in_subquery(published()))
        }
        CalendarScope::Training(id) => select
            .filter(training_session::Column::TrainingId.eq(*id))
            .filter(training_session::Column::TrainingId.in_subquery(published())),
        CalendarScope::Sessions(ids) => {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            select.filter(training_session::Column::Id.is_in(ids.iter().copied()))
        }
    };
    let rows = select
        .order_by_asc(training_session::Column::Id)
        .all(db)
        .await?;
    assemble(db, rows).await
}

/// The stamps of the sessions calendars show (as [`calendar_sessions`], without loading them).
pub async fn calendar_stamps(
    db: &impl ConnectionTrait,
    scope: &crate::catalogue::model::CalendarScope,
) -> Result<Vec<crate::catalogue::model::SessionStamp>, DbErr> {
    use crate::catalogue::model::{CalendarScope, SessionStamp};
    use entity::status::{SessionStatus as S, TrainingStatus};
    use sea_orm::QuerySelect;
    type Row = (
        Uuid,
        Uuid,
        Uuid,
        S,
        Option<chrono::DateTime<chrono::Utc>>,
        Option<chrono::DateTime<chrono::Utc>>,
        chrono::DateTime<chrono::Utc>,
        i64,
    );
    use training_session::Column as C;
    let mut select = training_session::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::TrainingId,
            C::RoomId,
            C::Status,
            C::StartsAt,
            C::EndsAt,
            C::UpdatedAt,
            C::Version,
        ])
        .filter(C::Status.ne(S::Draft));
    let trainings: BTreeMap<Uuid, (chrono::DateTime<chrono::Utc>, i64, TrainingStatus)> =
        training::Entity::find()
            .select_only()
            .columns([
                training::Column::Id,
                training::Column::UpdatedAt,
                training::Column::Version,
                training::Column::Status,
            ])
            .into_tuple::<(Uuid, chrono::DateTime<chrono::Utc>, i64, TrainingStatus)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(id, at, version, status)| (id, (at, version, status)))
            .collect();
    select = match scope {
        CalendarScope::Published => select,
        CalendarScope::Training(id) => select.filter(C::TrainingId.eq(*id)),
        CalendarScope::Sessions(ids) => select.filter(C::Id.is_in(ids.iter().copied())),
    };
    let rows: Vec<Row> = select.order_by_asc(C::Id).into_tuple().all(db).await?;
    let rooms: BTreeMap<Uuid, (chrono::DateTime<chrono::Utc>, i64)> = room::Entity::find()
        .select_only()
        .columns([
            room::Column::Id,
            room::Column::UpdatedAt,
            room::Column::Version,
        ])
        .into_tuple::<(Uuid, chrono::DateTime<chrono::Utc>, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, at, version)| (id, (at, version)))
        .collect();
    let published = !matches!(scope, CalendarScope::Sessions(_));
    Ok(rows
        .into_iter()
        .filter_map(
            |(id, training_id, room_id, status, starts_at, ends_at, updated_at, version)| {
                let (training_at, training_version, training_status) =
                    *trainings.get(&training_id)?;
                if published && training_status != TrainingStatus::Published {
                    return None;
                }
                let (room_at, room_version) = *rooms.get(&room_id)?;
                Some(SessionStamp {
                    id,
                    status,
                    starts_at,
                    ends_at,
                    last_changed: Ord::max(Ord::max(updated_at, training_at), room_at),
                    updated_at,
                    fingerprint: (version, training_version, room_version),
                })
            },
        )
        .collect())
}
