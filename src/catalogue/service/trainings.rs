//! Trainings: drafts, publication, dated versions, archiving.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{CatalogueError, Result, invalid, programme, require_admin};
use crate::catalogue::model::{
    Programme, Training, TrainingFilter, TrainingStatus, TrainingVersion,
};
use crate::catalogue::policy;
use crate::catalogue::store::{self, TrainingUpdate};
use crate::db::write::WriteTx;
use crate::paging::{Page, PageRequest};
use crate::principal::Principal;
use crate::validation::FieldErrors;

fn checked(programme: Programme) -> Result<Programme> {
    let mut errors = FieldErrors::new();
    let programme = programme::validate(programme, &mut errors);
    invalid(errors)?;
    Ok(programme)
}

/// Creates a draft training (administrators).
pub async fn create_training(
    tx: &mut WriteTx,
    principal: &Principal,
    programme: Programme,
) -> Result<Training> {
    create_training_with_id(tx, principal, Uuid::now_v7(), programme).await
}

/// Creates a draft training with a given id (demo data keeps its ids stable).
pub async fn create_training_with_id(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    programme: Programme,
) -> Result<Training> {
    require_admin(principal)?;
    let programme = checked(programme)?;
    Ok(store::insert_training(tx, id, &programme).await?)
}

/// Replaces the programme. Editing a published training publishes a new dated version at once;
/// the previous one stays readable. An archived training cannot be edited.
pub async fn update_training(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    programme: Programme,
) -> Result<Training> {
    require_admin(principal)?;
    let programme = checked(programme)?;
    let locked = store::lock_training(tx, id)
        .await?
        .ok_or(CatalogueError::TrainingNotFound)?;
    let status = locked.training.status;
    if status == TrainingStatus::Archived {
        return Err(CatalogueError::TrainingArchived);
    }
    let update = TrainingUpdate {
        programme: Some(&programme),
        status: None,
        publish_version_by: (status == TrainingStatus::Published).then_some(principal.person_id),
    };
    Ok(store::update_training(tx, &locked, update).await?)
}

/// Puts a training in the public catalogue, as a new dated version. Publishing a published
/// training changes nothing.
pub async fn publish_training(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
) -> Result<Training> {
    set_training_status(tx, principal, id, TrainingStatus::Published).await
}

/// Withdraws a training from the catalogue; its versions stay readable.
pub async fn archive_training(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
) -> Result<Training> {
    set_training_status(tx, principal, id, TrainingStatus::Archived).await
}

async fn set_training_status(
    tx: &mut WriteTx,
    principal: &Principal,
    id: Uuid,
    status: TrainingStatus,
) -> Result<Training> {
    require_admin(principal)?;
    let locked = store::lock_training(tx, id)
        .await?
        .ok_or(CatalogueError::TrainingNotFound)?;
    if locked.training.status == status {
        return Ok(locked.training);
    }
    let published = status == TrainingStatus::Published;
    let update = TrainingUpdate {
        programme: None,
        status: Some(status),
        publish_version_by: published.then_some(principal.person_id),
    };
    let training = store::update_training(tx, &locked, update).await?;
    // A session is in the public catalogue when it and its training are published: when the
    // training enters or leaves the catalogue, so do its published sessions.
    store::relist_sessions_of(tx, id, |session| policy::public_session(session, status)).await?;
    Ok(training)
}

pub async fn get_training(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: Uuid,
) -> Result<Training> {
    require_admin(principal)?;
    store::training(db, id)
        .await?
        .ok_or(CatalogueError::TrainingNotFound)
}

pub async fn list_trainings(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: TrainingFilter,
    page: &PageRequest,
) -> Result<Page<Training>> {
    require_admin(principal)?;
    Ok(store::list_trainings(db, &filter, page).await?)
}

/// Every published version of a training, oldest first (administrators and auditors).
pub async fn training_versions(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: Uuid,
) -> Result<Vec<TrainingVersion>> {
    get_training(db, principal, id).await?;
    Ok(store::versions(db, id).await?)
}

/// The version that was in the catalogue at `at`.
pub async fn training_version_at(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: Uuid,
    at: DateTime<Utc>,
) -> Result<TrainingVersion> {
    get_training(db, principal, id).await?;
    store::version_in_force(db, id, at)
        .await?
        .ok_or(CatalogueError::VersionNotFound)
}

/// Published trainings, for everyone.
pub async fn public_trainings(
    db: &impl ConnectionTrait,
    mut filter: TrainingFilter,
    page: &PageRequest,
) -> Result<Page<Training>> {
    filter.status = Some(TrainingStatus::Published);
    Ok(store::list_trainings(db, &filter, page).await?)
}

/// A published training; anything else is not found.
pub async fn public_training(db: &impl ConnectionTrait, id: Uuid) -> Result<Training> {
    store::training(db, id)
        .await?
        .filter(|t| policy::public_training(t.status))
        .ok_or(CatalogueError::TrainingNotFound)
}
