//! Signature images uploaded by devices before the marks that name them: content-addressed,
//! checked like any signature (PNG, at most 64 KiB, decodable, not blank), kept once.

use sea_orm::ConnectionTrait;

use super::{Result, SyncError};
use crate::attendance::service as attendance;
use crate::attendance::signature::{self, SignatureProblem};
use crate::clock::Clock;
use crate::principal::Principal;

/// Stores the image whose SHA-256 is `sha256`; answers whether it is new.
pub async fn put_blob(
    db: &impl ConnectionTrait,
    clock: &Clock,
    principal: &Principal,
    sha256: &str,
    bytes: Vec<u8>,
) -> Result<bool> {
    if bytes.len() > signature::MAX_BYTES {
        return Err(SyncError::BlobTooLarge);
    }
    if signature::sha256_hex(&bytes) != sha256.to_ascii_lowercase() {
        return Err(SyncError::BlobHashMismatch);
    }
    let checked = signature::check(bytes).map_err(|problem| match problem {
        SignatureProblem::TooLarge => SyncError::BlobTooLarge,
        other => SyncError::BlobInvalid(other),
    })?;
    attendance::keep_uploaded_signature(db, &checked, principal.person_id, clock.now())
        .await
        .map_err(|e| match e {
            attendance::AttendanceError::Db(db) => SyncError::Db(db),
            other => SyncError::Db(sea_orm::DbErr::Custom(other.to_string())),
        })
}
