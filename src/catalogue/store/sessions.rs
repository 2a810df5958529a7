//! Reading sessions with their training, room, trainers and half-days.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use entity::{room, session_trainer, slot, training, training_session};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{names, rooms, slots_of, trainings};
use crate::catalogue::model::{Session, SessionFilter, city_key};
use crate::db::query;
use crate::paging::{Page, PageRequest};

/// Sessions with their training, room, trainers and half-days, in the order given.
pub(super) async fn assemble(
    db: &impl ConnectionTrait,
    rows: Vec<training_session::Model>,
) -> Result<Vec<Session>, DbErr> {
    let ids: Vec<Uuid> = rows.iter().map(|s| s.id).collect();
    let training_ids: Vec<Uuid> = rows.iter().map(|s| s.training_id).collect();
    let room_ids: Vec<Uuid> = rows.iter().map(|s| s.room_id).collect();
    let trainings: BTreeMap<Uuid, Arc<_>> = trainings(db, &training_ids)
        .await?
        .into_iter()
        .map(|(id, t)| (id, Arc::new(t)))
        .collect();
    let rooms = rooms(db, &room_ids).await?;
    let links =
        query::by_ids::<session_trainer::Entity>(db, session_trainer::Column::SessionId, &ids)
            .await?;
    let trainer_ids: Vec<Uuid> = links
        .iter()
        .map(|l| l.person_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let people = names(db, &trainer_ids).await?;
    let trainers_of = query::group_by(links, |l| l.session_id);
    let mut slots = slots_of(db, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let (Some(training), Some(room)) =
                (trainings.get(&row.training_id), rooms.get(&row.room_id))
            else {
                return Err(DbErr::RecordNotFound(format!(
                    "training {} or room {} of session {}",
                    row.training_id, row.room_id, row.id
                )));
            };
            let trainers = trainers_of
                .get(&row.id)
                .into_iter()
                .flatten()
                .filter_map(|l| people.get(&l.person_id).cloned())
                .collect();
            Ok(Session {
                id: row.id,
                training: training.clone(),
                room: room.clone(),
                trainers,
                slots: slots.remove(&row.id).unwrap_or_default(),
                status: row.status,
                cancel_reason: row.cancel_reason,
                time_zone: row.time_zone,
                capacity: row.capacity,
                seats_taken: row.seats_taken,
                enrolment_deadline: row.enrolment_deadline,
                qualiopi_scope: row.qualiopi_scope,
                bpf_scope: row.bpf_scope,
                duration_note: row.duration_note,
                planned_minutes: row.planned_minutes,
                starts_at: row.starts_at,
                ends_at: row.ends_at,
                created_at: row.created_at,
                updated_at: row.updated_at,
            })
        })
        .collect()
}

pub async fn session(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Session>, DbErr> {
    let Some(row) = training_session::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(assemble(db, vec![row]).await?.pop())
}

pub async fn list_sessions(
    db: &impl ConnectionTrait,
    filter: &SessionFilter,
    page: &PageRequest,
) -> Result<Page<Session>, DbErr> {
    use training_session::Column as S;
    let mut select = training_session::Entity::find();
    if !filter.statuses.is_empty() {
        select = select.filter(S::Status.is_in(filter.statuses.iter().copied()));
    }
    if let Some(training_id) = filter.training_id {
        select = select.filter(S::TrainingId.eq(training_id));
    }
    if let Some(person) = filter.taught_by {
        select = select.filter(
            S::Id.in_subquery(
                Query::select()
                    .column(session_trainer::Column::SessionId)
                    .from(session_trainer::Entity)
                    .and_where(session_trainer::Column::PersonId.eq(person))
                    .to_owned(),
            ),
        );
    }
    if filter.listed_only {
        select = select.filter(S::Listed.eq(true));
    }
    if let Some((first, last)) = filter.half_days_between {
        select = select.filter(
            S::Id.in_subquery(
                Query::select()
                    .column(slot::Column::SessionId)
                    .from(slot::Entity)
                    .and_where(slot::Column::LocalDate.between(first, last))
                    .to_owned(),
            ),
        );
    }
    if let Some(theme) = filter.theme {
        select = select.filter(
            S::TrainingId.in_subquery(
                Query::select()
                    .column(training::Column::Id)
                    .from(training::Entity)
                    .and_where(super::trainings::has_theme(theme))
                    .to_owned(),
            ),
        );
    }
    if let Some(from) = filter.from {
        select = select.filter(S::EndsAt.gt(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(S::StartsAt.lt(to));
    }
    if filter.online.is_some() || filter.city.is_some() {
        let mut rooms = Query::select()
            .column(room::Column::Id)
            .from(room::Entity)
            .to_owned();
        if let Some(online) = filter.online {
            rooms.and_where(room::Column::IsOnline.eq(online));
        }
        if let Some(city) = &filter.city {
            rooms.and_where(room::Column::CityKey.eq(city_key(city)));
        }
        select = select.filter(S::RoomId.in_subquery(rooms));
    }
    if let Some(now) = filter.available_at {
        select = select
            .filter(Expr::col(S::SeatsTaken).lt(Expr::col(S::Capacity)))
            .filter(
                Condition::any()
                    .add(S::EnrolmentDeadline.is_null())
                    .add(S::EnrolmentDeadline.gt(now)),
            );
    }
    let rows = query::keyset_page(db, select, S::Id, page, |s| s.id).await?;
    let next = rows.next;
    Ok(Page {
        items: assemble(db, rows.items).await?,
        next,
    })
}

/// The first enrolment deadline after `now` among listed sessions: until then, which sessions
/// are open for enrolment changes only by a write.
pub async fn next_listed_deadline(
    db: &impl ConnectionTrait,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, DbErr> {
    use sea_orm::QuerySelect;
    use training_session::Column as S;
    training_session::Entity::find()
        .select_only()
        .column_as(S::EnrolmentDeadline.min(), "deadline")
        .filter(S::Listed.eq(true))
        .filter(S::EnrolmentDeadline.gt(now))
        .into_tuple::<Option<chrono::DateTime<chrono::Utc>>>()
        .one(db)
        .await
        .map(Option::flatten)
}

/// The people who teach a session (one query on the link table).
pub async fn teachers_of(db: &impl ConnectionTrait, session_id: Uuid) -> Result<Vec<Uuid>, DbErr> {
    Ok(session_trainer::Entity::find()
        .filter(session_trainer::Column::SessionId.eq(session_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.person_id)
        .collect())
}

/// The training a session runs.
pub async fn training_id_of(
    db: &impl ConnectionTrait,
    session_id: Uuid,
) -> Result<Option<Uuid>, DbErr> {
    Ok(training_session::Entity::find_by_id(session_id)
        .one(db)
        .await?
        .map(|s| s.training_id))
}

/// The sessions a person teaches.
pub async fn taught_by(db: &impl ConnectionTrait, person_id: Uuid) -> Result<Vec<Uuid>, DbErr> {
    Ok(session_trainer::Entity::find()
        .filter(session_trainer::Column::PersonId.eq(person_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.session_id)
        .collect())
}
