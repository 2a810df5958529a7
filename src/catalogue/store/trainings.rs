//! Trainings and their dated versions.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entity::{training, training_session, training_version};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::storage;
use crate::catalogue::model::{
    Programme, SessionStatus, Theme, Training, TrainingFilter, TrainingStatus, TrainingVersion,
};
use crate::catalogue::storage as stored;
use crate::db::query;
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};

fn training_of(row: &training::Model) -> Result<Training, DbErr> {
    Ok(Training {
        id: row.id,
        status: row.status,
        programme: stored::decode(&row.programme).map_err(storage)?,
        current_version: row.current_version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

fn version_of(row: &training_version::Model) -> Result<TrainingVersion, DbErr> {
    Ok(TrainingVersion {
        number: row.number,
        effective_from: row.effective_from,
        programme: stored::decode(&row.programme).map_err(storage)?,
        published_by: row.published_by,
    })
}

fn theme_filter(theme: Theme) -> String {
    format!("%\"{}\"%", theme.code())
}

/// The condition "this training has `theme`" (also used by session filters).
pub(super) fn has_theme(theme: Theme) -> sea_orm::sea_query::SimpleExpr {
    training::Column::Themes.like(theme_filter(theme))
}

pub async fn training(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Training>, DbErr> {
    training::Entity::find_by_id(id)
        .one(db)
        .await?
        .as_ref()
        .map(training_of)
        .transpose()
}

/// Trainings by id (each decoded once).
pub async fn trainings(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<BTreeMap<Uuid, Training>, DbErr> {
    query::by_ids::<training::Entity>(db, training::Column::Id, ids)
        .await?
        .iter()
        .map(|row| Ok((row.id, training_of(row)?)))
        .collect()
}

/// Trainings by creation order; `status` and `theme` filter.
pub async fn list_trainings(
    db: &impl ConnectionTrait,
    filter: &TrainingFilter,
    page: &PageRequest,
) -> Result<Page<Training>, DbErr> {
    let mut select = training::Entity::find();
    if let Some(status) = filter.status {
        select = select.filter(training::Column::Status.eq(status));
    }
    if let Some(theme) = filter.theme {
        select = select.filter(has_theme(theme));
    }
    query::keyset_page(db, select, training::Column::Id, page, |t| t.id)
        .await?
        .try_map(|row| training_of(&row))
}

pub async fn insert_training(
    tx: &mut WriteTx,
    id: Uuid,
    programme: &Programme,
) -> Result<Training, DbErr> {
    let now = tx.now();
    let row = tx
        .insert(training::ActiveModel {
            id: Set(id),
            status: Set(TrainingStatus::Draft),
            title: Set(programme.title.clone()),
            themes: Set(stored::encode_themes(&programme.themes)),
            programme: Set(stored::encode(programme).map_err(storage)?),
            current_version: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(0),
        })
        .await?;
    training_of(&row)
}

/// A training read and locked until commit, for a change.
pub struct LockedTraining {
    pub training: Training,
    row: training::Model,
}

pub async fn lock_training(tx: &WriteTx, id: Uuid) -> Result<Option<LockedTraining>, DbErr> {
    match tx.lock::<training::Entity>(id).await? {
        None => Ok(None),
        Some(row) => Ok(Some(LockedTraining {
            training: training_of(&row)?,
            row,
        })),
    }
}

/// What changes in a training: its programme, its status, and whether a new dated version is
/// published (by whom) at the transaction's instant.
#[derive(Debug, Clone, Default)]
pub struct TrainingUpdate<'a> {
    pub programme: Option<&'a Programme>,
    pub status: Option<TrainingStatus>,
    pub publish_version_by: Option<Uuid>,
}

pub async fn update_training(
    tx: &mut WriteTx,
    locked: &LockedTraining,
    update: TrainingUpdate<'_>,
) -> Result<Training, DbErr> {
    let now = tx.now();
    let before = &locked.row;
    let mut row = before.clone().into_active_model();
    let mut document = before.programme.clone();
    if let Some(programme) = update.programme {
        document = stored::encode(programme).map_err(storage)?;
        row.title = Set(programme.title.clone());
        row.themes = Set(stored::encode_themes(&programme.themes));
        row.programme = Set(document.clone());
    }
    if let Some(status) = update.status {
        row.status = Set(status);
    }
    if let Some(publisher) = update.publish_version_by {
        let number = before.current_version + 1;
        training_version::Entity::insert(training_version::ActiveModel {
            id: Set(Uuid::now_v7()),
            training_id: Set(before.id),
            number: Set(number),
            effective_from: Set(now),
            programme: Set(document),
            published_by: Set(publisher),
        })
        .exec(tx.conn())
        .await?;
        row.current_version = Set(number);
    }
    row.updated_at = Set(now);
    let after = tx.update(before, row).await?;
    training_of(&after)
}

/// Sets the `listed` flag of every session of a training to `listed(status)`, locking them;
/// sessions whose flag changes are stamped (devices learn they entered or left the catalogue).
pub async fn relist_sessions_of(
    tx: &mut WriteTx,
    training_id: Uuid,
    listed: impl Fn(SessionStatus) -> bool,
) -> Result<(), DbErr> {
    let sessions = training_session::Entity::find()
        .filter(training_session::Column::TrainingId.eq(training_id))
        .lock_exclusive()
        .all(tx.conn())
        .await?;
    for session in sessions {
        let listed = listed(session.status);
        if session.listed != listed {
            let mut row = session.clone().into_active_model();
            row.listed = Set(listed);
            tx.update(&session, row).await?;
        }
    }
    Ok(())
}

pub async fn versions(
    db: &impl ConnectionTrait,
    training_id: Uuid,
) -> Result<Vec<TrainingVersion>, DbErr> {
    training_version::Entity::find()
        .filter(training_version::Column::TrainingId.eq(training_id))
        .order_by_asc(training_version::Column::Number)
        .all(db)
        .await?
        .iter()
        .map(version_of)
        .collect()
}

/// The version in force at `at`: the last one whose `effective_from` is not after it.
pub async fn version_in_force(
    db: &impl ConnectionTrait,
    training_id: Uuid,
    at: DateTime<Utc>,
) -> Result<Option<TrainingVersion>, DbErr> {
    training_version::Entity::find()
        .filter(training_version::Column::TrainingId.eq(training_id))
        .filter(training_version::Column::EffectiveFrom.lte(at))
        .order_by_desc(training_version::Column::Number)
        .one(db)
        .await?
        .as_ref()
        .map(version_of)
        .transpose()
}
