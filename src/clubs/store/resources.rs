//! Meeting resources, and the bytes of file resources (read only when downloaded).

use entity::{meeting_resource, resource_file};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ModelTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::clubs::model::Resource;
use crate::db::write::WriteTx;

fn resource_of(row: meeting_resource::Model) -> Resource {
    Resource {
        id: row.id,
        meeting_id: row.meeting_id,
        kind: row.kind,
        title: row.title,
        url: row.url,
        file_name: row.file_name,
        content_type: row.content_type,
        size_bytes: row.size_bytes,
        sha256: row.sha256,
        created_by: row.created_by,
        created_at: row.created_at,
    }
}

pub async fn resources_of_meeting(
    db: &impl ConnectionTrait,
    meeting_id: Uuid,
) -> Result<Vec<Resource>, DbErr> {
    Ok(meeting_resource::Entity::find()
        .filter(meeting_resource::Column::MeetingId.eq(meeting_id))
        .order_by_asc(meeting_resource::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(resource_of)
        .collect())
}

pub async fn resource(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Resource>, DbErr> {
    Ok(meeting_resource::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(resource_of))
}

pub async fn file_bytes(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Vec<u8>>, DbErr> {
    Ok(resource_file::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(|row| row.bytes))
}

/// Adds a resource (and the bytes of a file).
pub async fn insert_resource(
    tx: &WriteTx,
    resource: Resource,
    club_id: Uuid,
    bytes: Option<Vec<u8>>,
) -> Result<Resource, DbErr> {
    let row = meeting_resource::ActiveModel {
        id: Set(resource.id),
        meeting_id: Set(resource.meeting_id),
        club_id: Set(club_id),
        kind: Set(resource.kind),
        title: Set(resource.title),
        url: Set(resource.url),
        file_name: Set(resource.file_name),
        content_type: Set(resource.content_type),
        size_bytes: Set(resource.size_bytes),
        sha256: Set(resource.sha256),
        created_by: Set(resource.created_by),
        created_at: Set(resource.created_at),
    };
    let row = meeting_resource::Entity::insert(row)
        .exec_with_returning(tx.conn())
        .await?;
    if let Some(bytes) = bytes {
        resource_file::Entity::insert(resource_file::ActiveModel {
            resource_id: Set(row.id),
            bytes: Set(bytes),
        })
        .exec_without_returning(tx.conn())
        .await?;
    }
    Ok(resource_of(row))
}

/// Removes a resource and its bytes.
pub async fn delete_resource(tx: &WriteTx, id: Uuid) -> Result<bool, DbErr> {
    resource_file::Entity::delete_by_id(id)
        .exec(tx.conn())
        .await?;
    match meeting_resource::Entity::find_by_id(id)
        .one(tx.conn())
        .await?
    {
        Some(row) => {
            row.delete(tx.conn()).await?;
            Ok(true)
        }
        None => Ok(false),
    }
}
