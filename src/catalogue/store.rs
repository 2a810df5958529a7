//! sea-orm queries of the catalogue. Trainings, rooms, sessions and slots are synced: written
//! only through [`WriteTx`].

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entity::{
    person, person_role, room, session_trainer, slot, trainer_competence, trainer_profile,
    training, training_session, training_version,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::model::{SessionStatus, Theme, TrainingStatus};
use crate::db::write::{Synced, WriteTx};

pub const CATALOGUE_SCOPE: &str = "catalogue";

impl Synced for training::Entity {
    const ENTITY_TYPE: &'static str = "training";
    fn version_column() -> training::Column {
        training::Column::Version
    }
    fn id_column() -> training::Column {
        training::Column::Id
    }
    fn id_of(model: &training::Model) -> Uuid {
        model.id
    }
    fn scopes(model: &training::Model) -> Vec<String> {
        if model.status == TrainingStatus::Published.as_str() {
            vec![CATALOGUE_SCOPE.to_owned()]
        } else {
            Vec::new()
        }
    }
}

impl Synced for room::Entity {
    const ENTITY_TYPE: &'static str = "room";
    fn version_column() -> room::Column {
        room::Column::Version
    }
    fn id_column() -> room::Column {
        room::Column::Id
    }
    fn id_of(model: &room::Model) -> Uuid {
        model.id
    }
    fn scopes(_: &room::Model) -> Vec<String> {
        vec![CATALOGUE_SCOPE.to_owned()]
    }
}

impl Synced for training_session::Entity {
    const ENTITY_TYPE: &'static str = "session";
    fn version_column() -> training_session::Column {
        training_session::Column::Version
    }
    fn id_column() -> training_session::Column {
        training_session::Column::Id
    }
    fn id_of(model: &training_session::Model) -> Uuid {
        model.id
    }
    fn scopes(model: &training_session::Model) -> Vec<String> {
        let mut scopes = vec![format!("session:{}", model.id)];
        if model.listed {
            scopes.push(CATALOGUE_SCOPE.to_owned());
        }
        scopes
    }
}

impl Synced for slot::Entity {
    const ENTITY_TYPE: &'static str = "slot";
    fn version_column() -> slot::Column {
        slot::Column::Version
    }
    fn id_column() -> slot::Column {
        slot::Column::Id
    }
    fn id_of(model: &slot::Model) -> Uuid {
        model.id
    }
    fn scopes(model: &slot::Model) -> Vec<String> {
        vec![format!("session:{}", model.session_id)]
    }
}

// ---- trainings ----------------------------------------------------------------------------

pub async fn training(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<training::Model>, DbErr> {
    training::Entity::find_by_id(id).one(db).await
}

/// Trainings by creation order; `status` and `theme` filter.
pub async fn list_trainings(
    db: &impl ConnectionTrait,
    status: Option<TrainingStatus>,
    theme: Option<Theme>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<training::Model>, DbErr> {
    let mut query = training::Entity::find()
        .order_by_asc(training::Column::Id)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(training::Column::Id.gt(after));
    }
    if let Some(status) = status {
        query = query.filter(training::Column::Status.eq(status.as_str()));
    }
    if let Some(theme) = theme {
        query = query.filter(training::Column::Themes.like(format!("%\"{}\"%", theme.code())));
    }
    query.all(db).await
}

pub async fn versions(
    db: &impl ConnectionTrait,
    training_id: Uuid,
) -> Result<Vec<training_version::Model>, DbErr> {
    training_version::Entity::find()
        .filter(training_version::Column::TrainingId.eq(training_id))
        .order_by_asc(training_version::Column::Number)
        .all(db)
        .await
}

/// The version in force at `at`: the last one whose `effective_from` is not after it.
pub async fn version_in_force(
    db: &impl ConnectionTrait,
    training_id: Uuid,
    at: DateTime<Utc>,
) -> Result<Option<training_version::Model>, DbErr> {
    training_version::Entity::find()
        .filter(training_version::Column::TrainingId.eq(training_id))
        .filter(training_version::Column::EffectiveFrom.lte(at))
        .order_by_desc(training_version::Column::Number)
        .one(db)
        .await
}

pub async fn insert_version(
    tx: &WriteTx,
    training_id: Uuid,
    number: i32,
    programme: String,
    published_by: Uuid,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    training_version::Entity::insert(training_version::ActiveModel {
        id: Set(Uuid::now_v7()),
        training_id: Set(training_id),
        number: Set(number),
        effective_from: Set(at),
        programme: Set(programme),
        published_by: Set(published_by),
    })
    .exec(tx.conn())
    .await?;
    Ok(())
}

// ---- rooms --------------------------------------------------------------------------------

pub async fn room(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<room::Model>, DbErr> {
    room::Entity::find_by_id(id).one(db).await
}

pub async fn rooms(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<BTreeMap<Uuid, room::Model>, DbErr> {
    let rows = room::Entity::find()
        .filter(room::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.id, r)).collect())
}

pub async fn list_rooms(
    db: &impl ConnectionTrait,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<room::Model>, DbErr> {
    let mut query = room::Entity::find()
        .order_by_asc(room::Column::Id)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(room::Column::Id.gt(after));
    }
    query.all(db).await
}

/// The largest capacity of the sessions held in a room that are not over.
pub async fn largest_session_in_room(
    db: &impl ConnectionTrait,
    room_id: Uuid,
) -> Result<Option<i32>, DbErr> {
    let sessions = training_session::Entity::find()
        .filter(training_session::Column::RoomId.eq(room_id))
        .filter(training_session::Column::Status.is_in([
            SessionStatus::Draft.as_str(),
            SessionStatus::Published.as_str(),
        ]))
        .all(db)
        .await?;
    Ok(sessions.iter().map(|s| s.capacity).max())
}

// ---- trainers -----------------------------------------------------------------------------

/// People holding the trainer role, by id.
pub async fn trainer_people(
    db: &impl ConnectionTrait,
    only: Option<&[Uuid]>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<person::Model>, DbErr> {
    let mut query = person::Entity::find()
        .filter(
            person::Column::Id.in_subquery(
                Query::select()
                    .column(person_role::Column::PersonId)
                    .from(person_role::Entity)
                    .and_where(person_role::Column::Role.eq("trainer"))
                    .to_owned(),
            ),
        )
        .order_by_asc(person::Column::Id)
        .limit(limit);
    if let Some(ids) = only {
        query = query.filter(person::Column::Id.is_in(ids.iter().copied()));
    }
    if let Some(after) = after {
        query = query.filter(person::Column::Id.gt(after));
    }
    query.all(db).await
}

pub async fn profiles(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<BTreeMap<Uuid, trainer_profile::Model>, DbErr> {
    let rows = trainer_profile::Entity::find()
        .filter(trainer_profile::Column::PersonId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|p| (p.person_id, p)).collect())
}

pub async fn competences(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<BTreeMap<Uuid, Vec<trainer_competence::Model>>, DbErr> {
    let rows = trainer_competence::Entity::find()
        .filter(trainer_competence::Column::PersonId.is_in(ids.iter().copied()))
        .order_by_asc(trainer_competence::Column::ObtainedOn)
        .all(db)
        .await?;
    let mut by_person: BTreeMap<Uuid, Vec<_>> = BTreeMap::new();
    for row in rows {
        by_person.entry(row.person_id).or_default().push(row);
    }
    Ok(by_person)
}

// ---- sessions -----------------------------------------------------------------------------

pub async fn session(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<training_session::Model>, DbErr> {
    training_session::Entity::find_by_id(id).one(db).await
}

pub async fn trainers_of(
    db: &impl ConnectionTrait,
    session_ids: &[Uuid],
) -> Result<BTreeMap<Uuid, Vec<Uuid>>, DbErr> {
    let rows = session_trainer::Entity::find()
        .filter(session_trainer::Column::SessionId.is_in(session_ids.iter().copied()))
        .all(db)
        .await?;
    let mut by_session: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
    for row in rows {
        by_session
            .entry(row.session_id)
            .or_default()
            .push(row.person_id);
    }
    Ok(by_session)
}

pub async fn replace_trainers(
    tx: &WriteTx,
    session_id: Uuid,
    trainers: &[Uuid],
) -> Result<(), DbErr> {
    session_trainer::Entity::delete_many()
        .filter(session_trainer::Column::SessionId.eq(session_id))
        .exec(tx.conn())
        .await?;
    let rows: Vec<_> = trainers
        .iter()
        .map(|p| session_trainer::ActiveModel {
            session_id: Set(session_id),
            person_id: Set(*p),
        })
        .collect();
    if !rows.is_empty() {
        session_trainer::Entity::insert_many(rows)
            .exec(tx.conn())
            .await?;
    }
    Ok(())
}

pub async fn slots_of(
    db: &impl ConnectionTrait,
    session_ids: &[Uuid],
) -> Result<BTreeMap<Uuid, Vec<slot::Model>>, DbErr> {
    let rows = slot::Entity::find()
        .filter(slot::Column::SessionId.is_in(session_ids.iter().copied()))
        .order_by_asc(slot::Column::StartsAt)
        .all(db)
        .await?;
    let mut by_session: BTreeMap<Uuid, Vec<_>> = BTreeMap::new();
    for row in rows {
        by_session.entry(row.session_id).or_default().push(row);
    }
    Ok(by_session)
}

/// Filters of session lists.
#[derive(Debug, Clone, Default)]
pub struct SessionQuery {
    pub statuses: Vec<SessionStatus>,
    pub training_id: Option<Uuid>,
    pub taught_by: Option<Uuid>,
    pub theme: Option<Theme>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub online: Option<bool>,
    pub city: Option<String>,
    /// Only sessions with a seat left and an open enrolment deadline at this instant.
    pub available_at: Option<DateTime<Utc>>,
    /// Only sessions in the public catalogue (published, and so is their training).
    pub listed_only: bool,
}

pub async fn list_sessions(
    db: &impl ConnectionTrait,
    filter: &SessionQuery,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<training_session::Model>, DbErr> {
    use training_session::Column as S;
    let mut query = training_session::Entity::find()
        .order_by_asc(S::Id)
        .limit(limit);
    if let Some(after) = after {
        query = query.filter(S::Id.gt(after));
    }
    if !filter.statuses.is_empty() {
        query = query.filter(S::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(training_id) = filter.training_id {
        query = query.filter(S::TrainingId.eq(training_id));
    }
    if let Some(person) = filter.taught_by {
        query = query.filter(
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
        query = query.filter(S::Listed.eq(true));
    }
    if let Some(theme) = filter.theme {
        query = query.filter(
            S::TrainingId.in_subquery(
                Query::select()
                    .column(training::Column::Id)
                    .from(training::Entity)
                    .and_where(training::Column::Themes.like(format!("%\"{}\"%", theme.code())))
                    .to_owned(),
            ),
        );
    }
    if let Some(from) = filter.from {
        query = query.filter(S::EndsAt.gt(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(S::StartsAt.lt(to));
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
            rooms.and_where(room::Column::CityKey.eq(super::service::city_key(city)));
        }
        query = query.filter(S::RoomId.in_subquery(rooms));
    }
    if let Some(now) = filter.available_at {
        query = query
            .filter(Expr::col(S::SeatsTaken).lt(Expr::col(S::Capacity)))
            .filter(
                Condition::any()
                    .add(S::EnrolmentDeadline.is_null())
                    .add(S::EnrolmentDeadline.gt(now)),
            );
    }
    query.all(db).await
}

pub async fn trainings(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<BTreeMap<Uuid, training::Model>, DbErr> {
    let rows = training::Entity::find()
        .filter(training::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|t| (t.id, t)).collect())
}

/// People by id (the trainers named on sessions), without the role check of [`trainer_people`].
pub async fn people(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<person::Model>, DbErr> {
    person::Entity::find()
        .filter(person::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// The sessions of a training (to keep their `listed` flag when the training's status changes).
pub async fn sessions_of_training(
    db: &impl ConnectionTrait,
    training_id: Uuid,
) -> Result<Vec<training_session::Model>, DbErr> {
    training_session::Entity::find()
        .filter(training_session::Column::TrainingId.eq(training_id))
        .lock_exclusive()
        .all(db)
        .await
}
