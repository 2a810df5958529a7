//! Registering, listing and revoking devices.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{Result, SyncError};
use crate::clock::Clock;
use crate::principal::Principal;
use crate::sync::model::{Device, NewDevice};
use crate::sync::store;
use crate::validation::FieldErrors;

/// Registers a device for the caller (any signed-in person: a trainer's tablet, a member's
/// phone).
pub async fn register_device(
    db: &impl ConnectionTrait,
    clock: &Clock,
    principal: &Principal,
    new: NewDevice,
) -> Result<Device> {
    let new = NewDevice {
        name: new.name.trim().to_owned(),
        platform: new.platform.trim().to_ascii_lowercase(),
    };
    let mut errors = FieldErrors::default();
    if new.name.is_empty() || new.name.chars().count() > 100 {
        errors.add("name", "1 to 100 characters");
    }
    if new.platform.is_empty() || new.platform.chars().count() > 40 {
        errors.add("platform", "1 to 40 characters");
    }
    errors.into_result().map_err(SyncError::Invalid)?;
    Ok(store::insert_device(db, Uuid::now_v7(), principal.person_id, &new, clock.now()).await?)
}

/// A device its owner or an administrator may see (404 otherwise).
pub async fn device(db: &impl ConnectionTrait, principal: &Principal, id: Uuid) -> Result<Device> {
    store::device(db, id)
        .await?
        .filter(|d| d.person_id == principal.person_id || principal.is_admin())
        .ok_or(SyncError::DeviceNotFound)
}

/// The caller's devices; every device (or one person's) for an administrator.
pub async fn devices(
    db: &impl ConnectionTrait,
    principal: &Principal,
    person_id: Option<Uuid>,
) -> Result<Vec<Device>> {
    let person = if principal.is_admin() {
        person_id
    } else {
        Some(principal.person_id)
    };
    let mut list = store::devices(db, person).await?;
    if !principal.is_admin() {
        list.retain(|d| d.person_id == principal.person_id);
    }
    Ok(list)
}

/// Revokes a device (its owner, say a lost phone, or an administrator): its pulls and pushes
/// answer 403 from now on, and what it pushes is quarantined.
pub async fn revoke_device(
    db: &impl ConnectionTrait,
    clock: &Clock,
    principal: &Principal,
    id: Uuid,
    reason: &str,
) -> Result<Device> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(SyncError::invalid(
            "reason",
            "say why the device is revoked",
        ));
    }
    let found = device(db, principal, id).await?;
    store::revoke(db, found.id, principal.person_id, reason, clock.now()).await?;
    device(db, principal, id).await
}

/// The caller's own device, live (for pull and push): 404 for anyone else's, 403 once revoked.
pub(super) fn own_live_device(principal: &Principal, device: Option<Device>) -> Result<Device> {
    let device = device
        .filter(|d| d.person_id == principal.person_id)
        .ok_or(SyncError::DeviceNotFound)?;
    if device.revoked_at.is_some() {
        return Err(SyncError::DeviceRevoked {
            last_seq: device.last_seq,
        });
    }
    Ok(device)
}

/// A person's devices, newest first, for the personal-data export. No policy here: the
/// privacy context decides who may ask.
pub async fn devices_of_person(db: &impl ConnectionTrait, person_id: Uuid) -> Result<Vec<Device>> {
    Ok(store::devices(db, Some(person_id)).await?)
}

/// Revokes every live device of an erased person (`by`: the administrator who erased them);
/// each stops at its next pull or push. No policy here.
pub async fn revoke_devices_of_erased(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    by: Uuid,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<crate::values::Erasure>> {
    let devices = store::devices(db, Some(person_id)).await?;
    let mut revoked = 0;
    for device in devices.iter().filter(|d| d.revoked_at.is_none()) {
        store::revoke(db, device.id, by, "personal data erased", at).await?;
        revoked += 1;
    }
    Ok(vec![crate::values::Erasure::new(
        "sync_device",
        crate::values::Treatment::Pseudonymised,
        revoked,
    )])
}
