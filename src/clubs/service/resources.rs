//! A meeting's resources: links, and files checked by [`super::files`].

use sea_orm::ConnectionTrait;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::files::{check_file_name, check_file_size, check_file_type};
use super::{ClubsError, Result, member_meeting, require_run};
use crate::clubs::model::{Resource, ResourceKind};
use crate::clubs::store;
use crate::db::write::WriteTx;
use crate::principal::Principal;
use crate::validation::{FieldErrors, required_text};
use crate::values::HttpUrl;

/// What an animator posts.
#[derive(Debug, Clone)]
pub enum NewResource {
    Link {
        title: String,
        url: String,
    },
    File {
        title: String,
        file_name: String,
        bytes: Vec<u8>,
    },
}

/// A file checked before the transaction (hashing and sniffing are CPU work).
#[derive(Debug)]
pub struct PreparedResource {
    kind: ResourceKind,
    title: String,
    url: Option<String>,
    file: Option<(String, &'static str, Vec<u8>, String)>,
}

/// Checks a resource's fields, and a file's name, size and type (`limit`: the configured
/// largest file).
pub fn prepare_resource(new: NewResource, limit: usize) -> Result<PreparedResource> {
    let mut errors = FieldErrors::default();
    match new {
        NewResource::Link { title, url } => {
            let title = required_text(&mut errors, "title", &title, 200);
            let url = errors
                .parse::<HttpUrl>("url", &url)
                .map(HttpUrl::into_inner);
            errors.into_result().map_err(ClubsError::Invalid)?;
            Ok(PreparedResource {
                kind: ResourceKind::Link,
                title,
                url,
                file: None,
            })
        }
        NewResource::File {
            title,
            file_name,
            bytes,
        } => {
            let name = check_file_name(&file_name)?;
            check_file_size(bytes.len(), limit)?;
            let file_type = check_file_type(&name, &bytes)?;
            let title = if title.trim().is_empty() {
                name.clone()
            } else {
                required_text(&mut errors, "title", &title, 200)
            };
            errors.into_result().map_err(ClubsError::Invalid)?;
            let sha256 = hex::encode(Sha256::digest(&bytes));
            Ok(PreparedResource {
                kind: ResourceKind::File,
                title,
                url: None,
                file: Some((name, file_type.media_type, bytes, sha256)),
            })
        }
    }
}

/// Posts a resource for a meeting (the club's animators and administrators).
pub async fn post_resource(
    tx: &mut WriteTx,
    principal: &Principal,
    meeting_id: Uuid,
    prepared: PreparedResource,
) -> Result<Resource> {
    let (meeting, seen) = member_meeting(tx.conn(), principal, meeting_id).await?;
    require_run(&seen, "only the club's animators post resources")?;
    store::lock_meeting(tx, meeting_id).await?;
    let (file_name, content_type, bytes, sha256) = match prepared.file {
        Some((name, media_type, bytes, sha)) => (
            Some(name),
            Some(media_type.to_owned()),
            Some(bytes),
            Some(sha),
        ),
        None => (None, None, None, None),
    };
    let resource = Resource {
        id: Uuid::now_v7(),
        meeting_id,
        kind: prepared.kind,
        title: prepared.title,
        url: prepared.url,
        file_name,
        content_type,
        size_bytes: bytes.as_ref().map(|b| b.len() as i64),
        sha256,
        created_by: principal.person_id,
        created_at: tx.now(),
    };
    Ok(store::insert_resource(tx, resource, meeting.club_id, bytes).await?)
}

/// A meeting's resources (members and animators).
pub async fn resources(
    db: &impl ConnectionTrait,
    principal: &Principal,
    meeting_id: Uuid,
) -> Result<Vec<Resource>> {
    member_meeting(db, principal, meeting_id).await?;
    Ok(store::resources_of_meeting(db, meeting_id).await?)
}

/// A file resource and its bytes (members and animators).
pub async fn resource_file(
    db: &impl ConnectionTrait,
    principal: &Principal,
    meeting_id: Uuid,
    resource_id: Uuid,
) -> Result<(Resource, Vec<u8>)> {
    member_meeting(db, principal, meeting_id).await?;
    let resource = store::resource(db, resource_id)
        .await?
        .filter(|r| r.meeting_id == meeting_id && r.kind == ResourceKind::File)
        .ok_or(ClubsError::ResourceNotFound)?;
    let bytes = store::file_bytes(db, resource_id)
        .await?
        .ok_or(ClubsError::ResourceNotFound)?;
    Ok((resource, bytes))
}

/// Removes a resource (the club's animators and administrators).
pub async fn delete_resource(
    tx: &mut WriteTx,
    principal: &Principal,
    meeting_id: Uuid,
    resource_id: Uuid,
) -> Result<()> {
    let (_, seen) = member_meeting(tx.conn(), principal, meeting_id).await?;
    require_run(&seen, "only the club's animators remove resources")?;
    store::lock_meeting(tx, meeting_id).await?;
    let found = store::resource(tx.conn(), resource_id)
        .await?
        .is_some_and(|r| r.meeting_id == meeting_id);
    if !found || !store::delete_resource(tx, resource_id).await? {
        return Err(ClubsError::ResourceNotFound);
    }
    Ok(())
}
