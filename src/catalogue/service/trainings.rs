//! Trainings: drafts, publication, dated versions, archiving.

use chrono::{DateTime, Utc};
use entity::{training, training_version};
use sea_orm::{DatabaseConnection, IntoActiveModel, Set};
use uuid::Uuid;

use super::{CatalogueError, Result, conflict, invalid, programme, require_admin};
use crate::accounts::model::Principal;
use crate::catalogue::model::{Programme, SessionStatus, Theme, TrainingStatus};
use crate::catalogue::store;
use crate::db::write::WriteTx;
use crate::validation::FieldErrors;

/// A training with its programme decoded.
#[derive(Debug, Clone)]
pub struct Training {
    pub id: Uuid,
    pub status: TrainingStatus,
    pub programme: Programme,
    /// Number of the published version in force (0 before the first publication).
    pub current_version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A dated version of a training.
#[derive(Debug, Clone)]
pub struct TrainingVersion {
    pub number: i32,
    pub effective_from: DateTime<Utc>,
    pub programme: Programme,
    pub published_by: Uuid,
}

pub(crate) fn decode(row: training::Model) -> Result<Training> {
    Ok(Training {
        id: row.id,
        status: TrainingStatus::parse(&row.status),
        programme: parse_programme(&row.programme)?,
        current_version: row.current_version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

fn decode_version(row: training_version::Model) -> Result<TrainingVersion> {
    Ok(TrainingVersion {
        number: row.number,
        effective_from: row.effective_from,
        programme: parse_programme(&row.programme)?,
        published_by: row.published_by,
    })
}

fn parse_programme(json: &str) -> Result<Programme> {
    serde_json::from_str(json).map_err(|e| CatalogueError::Db(sea_orm::DbErr::Json(e.to_string())))
}

fn encode(programme: &Programme) -> Result<(String, String)> {
    let json = serde_json::to_string(programme)
        .map_err(|e| CatalogueError::Db(sea_orm::DbErr::Json(e.to_string())))?;
    let themes: Vec<&str> = programme.themes.iter().map(|t| t.code()).collect();
    let themes = serde_json::to_string(&themes)
        .map_err(|e| CatalogueError::Db(sea_orm::DbErr::Json(e.to_string())))?;
    Ok((json, themes))
}

fn checked(programme: Programme) -> Result<Programme> {
    let mut errors = FieldErrors::new();
    let programme = programme::validate(programme, &mut errors);
    invalid(errors)?;
    Ok(programme)
}

/// Creates a draft training (administrators).
pub async fn create_training(
    db: &DatabaseConnection,
    principal: &Principal,
    programme: Programme,
) -> Result<Training> {
    require_admin(principal)?;
    insert_training(db, programme, Uuid::now_v7()).await
}

/// Inserts a draft training with a given id, without authorization checks (demo data).
pub async fn insert_training(
    db: &DatabaseConnection,
    programme: Programme,
    id: Uuid,
) -> Result<Training> {
    let programme = checked(programme)?;
    let (json, themes) = encode(&programme)?;
    let now = Utc::now();
    let mut tx = WriteTx::begin(db).await?;
    let row = tx
        .insert(training::ActiveModel {
            id: Set(id),
            status: Set(TrainingStatus::Draft.as_str().into()),
            title: Set(programme.title.as_str().to_owned()),
            themes: Set(themes),
            programme: Set(json),
            current_version: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(0),
        })
        .await?;
    tx.commit().await?;
    decode(row)
}

/// Replaces the programme. Editing a published training publishes a new dated version at once;
/// the previous one stays readable. An archived training cannot be edited.
pub async fn update_training(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    programme: Programme,
) -> Result<Training> {
    require_admin(principal)?;
    let programme = checked(programme)?;
    let (json, themes) = encode(&programme)?;
    let now = Utc::now();
    let mut tx = WriteTx::begin(db).await?;
    let before = tx
        .lock::<training::Entity>(id)
        .await?
        .ok_or(CatalogueError::NotFound("training"))?;
    let status = TrainingStatus::parse(&before.status);
    if status == TrainingStatus::Archived {
        return Err(conflict(
            "catalogue.training_archived",
            "an archived training cannot be edited",
        ));
    }
    let mut row = before.clone().into_active_model();
    row.title = Set(programme.title.as_str().to_owned());
    row.themes = Set(themes);
    row.programme = Set(json.clone());
    row.updated_at = Set(now);
    if status == TrainingStatus::Published {
        let number = before.current_version + 1;
        store::insert_version(&tx, id, number, json, principal.person_id, now).await?;
        row.current_version = Set(number);
    }
    let after = tx.update(&before, row).await?;
    tx.commit().await?;
    decode(after)
}

/// Puts a training in the public catalogue, as a new dated version. Publishing a published
/// training changes nothing.
pub async fn publish_training(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
) -> Result<Training> {
    require_admin(principal)?;
    set_training_status(db, id, TrainingStatus::Published, Some(principal.person_id)).await
}

/// Withdraws a training from the catalogue; its versions stay readable.
pub async fn archive_training(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
) -> Result<Training> {
    require_admin(principal)?;
    set_training_status(db, id, TrainingStatus::Archived, None).await
}

/// Moves a training to `status` (no authorization check: callers decide).
pub async fn set_training_status(
    db: &DatabaseConnection,
    id: Uuid,
    status: TrainingStatus,
    publisher: Option<Uuid>,
) -> Result<Training> {
    let now = Utc::now();
    let mut tx = WriteTx::begin(db).await?;
    let before = tx
        .lock::<training::Entity>(id)
        .await?
        .ok_or(CatalogueError::NotFound("training"))?;
    if TrainingStatus::parse(&before.status) == status {
        return decode(before);
    }
    let mut row = before.clone().into_active_model();
    row.status = Set(status.as_str().into());
    row.updated_at = Set(now);
    if let (TrainingStatus::Published, Some(publisher)) = (status, publisher) {
        let number = before.current_version + 1;
        store::insert_version(&tx, id, number, before.programme.clone(), publisher, now).await?;
        row.current_version = Set(number);
    }
    let after = tx.update(&before, row).await?;
    relist_sessions(&mut tx, id, status == TrainingStatus::Published).await?;
    tx.commit().await?;
    decode(after)
}

/// A session is in the public catalogue when it and its training are published: when the
/// training enters or leaves the catalogue, so do its published sessions (and devices learn it).
async fn relist_sessions(
    tx: &mut WriteTx,
    training_id: Uuid,
    training_published: bool,
) -> Result<()> {
    for session in store::sessions_of_training(tx.conn(), training_id).await? {
        let listed = training_published && session.status == SessionStatus::Published.as_str();
        if session.listed != listed {
            let mut row = session.clone().into_active_model();
            row.listed = Set(listed);
            tx.update(&session, row).await?;
        }
    }
    Ok(())
}

pub async fn get_training(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
) -> Result<Training> {
    require_admin(principal)?;
    decode(
        store::training(db, id)
            .await?
            .ok_or(CatalogueError::NotFound("training"))?,
    )
}

pub async fn list_trainings(
    db: &DatabaseConnection,
    principal: &Principal,
    status: Option<TrainingStatus>,
    theme: Option<Theme>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Training>> {
    require_admin(principal)?;
    store::list_trainings(db, status, theme, after, limit)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

/// Every published version of a training, oldest first (administrators and auditors).
pub async fn training_versions(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
) -> Result<Vec<TrainingVersion>> {
    require_admin(principal)?;
    store::training(db, id)
        .await?
        .ok_or(CatalogueError::NotFound("training"))?;
    store::versions(db, id)
        .await?
        .into_iter()
        .map(decode_version)
        .collect()
}

/// The version that was in the catalogue at `at`.
pub async fn training_version_at(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    at: DateTime<Utc>,
) -> Result<TrainingVersion> {
    require_admin(principal)?;
    store::training(db, id)
        .await?
        .ok_or(CatalogueError::NotFound("training"))?;
    let version = store::version_in_force(db, id, at)
        .await?
        .ok_or(CatalogueError::NotFound("version in force"))?;
    decode_version(version)
}

/// Published trainings, for everyone.
pub async fn public_trainings(
    db: &DatabaseConnection,
    theme: Option<Theme>,
    after: Option<Uuid>,
    limit: u64,
) -> Result<Vec<Training>> {
    store::list_trainings(db, Some(TrainingStatus::Published), theme, after, limit)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

/// A published training; anything else is not found.
pub async fn public_training(db: &DatabaseConnection, id: Uuid) -> Result<Training> {
    let row = store::training(db, id)
        .await?
        .filter(|t| t.status == TrainingStatus::Published.as_str())
        .ok_or(CatalogueError::NotFound("training"))?;
    decode(row)
}
