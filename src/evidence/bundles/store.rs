//! The `evidence_bundle` rows.

use chrono::{DateTime, Utc};
use entity::evidence_bundle::{ActiveModel, Column, Entity, Model};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::model::{Bundle, BundleRequest, BundleStatus, Entry};

pub fn bundle_of(row: &Model) -> Bundle {
    Bundle {
        id: row.id,
        from: row.period_from,
        to: row.period_to,
        seed: row.seed,
        sessions: serde_json::from_str(&row.sessions).unwrap_or_default(),
        status: BundleStatus::parse(&row.status),
        done: u32::try_from(row.done).unwrap_or(0),
        total: u32::try_from(row.total).unwrap_or(0),
        step: row.step.clone(),
        bytes: row.bytes.and_then(|b| u64::try_from(b).ok()),
        sha256: row.sha256.clone(),
        failure: row.failure.clone(),
        created_at: row.created_at,
        finished_at: row.finished_at,
    }
}

pub fn plan_of(row: &Model) -> Vec<Entry> {
    serde_json::from_str(&row.plan).unwrap_or_default()
}

pub async fn insert(
    db: &impl ConnectionTrait,
    requested_by: Uuid,
    request: &BundleRequest,
    sessions: &[Uuid],
    now: DateTime<Utc>,
) -> Result<Model, DbErr> {
    let row = ActiveModel {
        id: Set(Uuid::now_v7()),
        requested_by: Set(requested_by),
        period_from: Set(request.from),
        period_to: Set(request.to),
        seed: Set(request.seed),
        sessions: Set(serde_json::to_string(sessions).unwrap_or_else(|_| "[]".into())),
        status: Set(BundleStatus::Queued.as_str().into()),
        plan: Set("[]".into()),
        done: Set(0),
        total: Set(0),
        step: Set("en attente".into()),
        attempts: Set(0),
        bytes: Set(None),
        sha256: Set(None),
        failure: Set(None),
        created_at: Set(now),
        finished_at: Set(None),
        updated_at: Set(now),
    };
    Entity::insert(row).exec_with_returning(db).await
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Model>, DbErr> {
    Entity::find_by_id(id).one(db).await
}

/// Jobs a stopped instance left queued or running.
pub async fn interrupted(db: &impl ConnectionTrait) -> Result<Vec<Model>, DbErr> {
    Entity::find()
        .filter(Column::Status.is_in([
            BundleStatus::Queued.as_str(),
            BundleStatus::Running.as_str(),
        ]))
        .all(db)
        .await
}

/// Starts (or restarts) a job: one more attempt.
pub async fn start(
    db: &impl ConnectionTrait,
    row: &Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut active: ActiveModel = row.clone().into();
    active.status = Set(BundleStatus::Running.as_str().into());
    active.attempts = Set(row.attempts + 1);
    active.updated_at = Set(now);
    Entity::update(active).exec(db).await.map(drop)
}

/// Records the plan and how much of it is settled.
pub async fn progress(
    db: &impl ConnectionTrait,
    id: Uuid,
    plan: &[Entry],
    step: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let done = plan.iter().filter(|e| e.is_settled()).count();
    let active = ActiveModel {
        id: Set(id),
        plan: Set(serde_json::to_string(plan).unwrap_or_else(|_| "[]".into())),
        done: Set(i32::try_from(done).unwrap_or(i32::MAX)),
        total: Set(i32::try_from(plan.len()).unwrap_or(i32::MAX)),
        step: Set(step.into()),
        updated_at: Set(now),
        ..Default::default()
    };
    Entity::update(active).exec(db).await.map(drop)
}

pub async fn ready(
    db: &impl ConnectionTrait,
    id: Uuid,
    bytes: u64,
    sha256: String,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let active = ActiveModel {
        id: Set(id),
        status: Set(BundleStatus::Ready.as_str().into()),
        step: Set("prêt".into()),
        bytes: Set(Some(i64::try_from(bytes).unwrap_or(i64::MAX))),
        sha256: Set(Some(sha256)),
        finished_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    };
    Entity::update(active).exec(db).await.map(drop)
}

pub async fn fail(
    db: &impl ConnectionTrait,
    id: Uuid,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let active = ActiveModel {
        id: Set(id),
        status: Set(BundleStatus::Failed.as_str().into()),
        step: Set("échoué".into()),
        failure: Set(Some(reason.into())),
        finished_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    };
    Entity::update(active).exec(db).await.map(drop)
}
