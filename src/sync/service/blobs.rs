//! Signature images uploaded by devices before the marks that name them: content-addressed,
//! checked like any signature (PNG, at most 64 KiB, decodable, not blank), kept once.

use sea_orm::ConnectionTrait;

use super::{Result, SyncError};
use crate::attendance::service::{self as attendance, SignatureProblem};
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
    if bytes.len() > attendance::MAX_SIGNATURE_BYTES {
        return Err(SyncError::BlobTooLarge);
    }
    if attendance::sha256_hex(&bytes) != sha256.to_ascii_lowercase() {
        return Err(SyncError::BlobHashMismatch);
    }
    let checked = attendance::check_signature(bytes).map_err(|problem| match problem {
        SignatureProblem::TooLarge => SyncError::BlobTooLarge,
        other => SyncError::BlobInvalid(other),
    })?;
    Ok(attendance::keep_uploaded_signature(db, &checked, principal.person_id, clock.now()).await?)
}
