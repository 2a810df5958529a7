//! Everything that can go wrong in sync's own operations, with its stable code. (What goes
//! wrong inside one pushed mutation is not an error of the request: it is that mutation's
//! `rejected` outcome.)

use sea_orm::DbErr;

use crate::attendance::signature::SignatureProblem;
use crate::validation::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("device not found")]
    DeviceNotFound,
    #[error("this device was revoked; what it pushed is kept for an administrator to review")]
    DeviceRevoked { last_seq: i64 },
    #[error("the app speaks sync protocol {given}; this server needs at least {min}")]
    ProtocolTooOld { given: i32, min: i32 },
    #[error("the protocol version {0} is newer than this server's")]
    ProtocolUnknown(i32),
    #[error("the image's SHA-256 is not the one in the path")]
    BlobHashMismatch,
    #[error("the signature image is larger than 64 KiB")]
    BlobTooLarge,
    #[error("{0}")]
    BlobInvalid(SignatureProblem),
    #[error("mutation not found")]
    MutationNotFound,
    #[error("the mutation is not waiting for a decision")]
    NotQuarantined,
    #[error("conflict not found")]
    ConflictNotFound,
    #[error("the database failed while applying the batch; nothing after last_seq was applied")]
    Unavailable { last_seq: i64 },
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl SyncError {
    /// Every code this context's errors answer with (the spec lists each one).
    pub const CODES: &[&str] = &[
        "sync.forbidden",
        "sync.device_not_found",
        "sync.device_revoked",
        "sync.protocol_too_old",
        "sync.protocol_unknown",
        "sync.blob_hash_mismatch",
        "sync.blob_too_large",
        "sync.blob_invalid",
        "sync.mutation_not_found",
        "sync.not_quarantined",
        "sync.conflict_not_found",
        "sync.unavailable",
        "sync.invalid",
    ];

    /// The stable code of this error (`None` for internal errors).
    pub fn code(&self) -> Option<&'static str> {
        Some(match self {
            Self::Forbidden(_) => "sync.forbidden",
            Self::DeviceNotFound => "sync.device_not_found",
            Self::DeviceRevoked { .. } => "sync.device_revoked",
            Self::ProtocolTooOld { .. } => "sync.protocol_too_old",
            Self::ProtocolUnknown(_) => "sync.protocol_unknown",
            Self::BlobHashMismatch => "sync.blob_hash_mismatch",
            Self::BlobTooLarge => "sync.blob_too_large",
            Self::BlobInvalid(_) => "sync.blob_invalid",
            Self::MutationNotFound => "sync.mutation_not_found",
            Self::NotQuarantined => "sync.not_quarantined",
            Self::ConflictNotFound => "sync.conflict_not_found",
            Self::Unavailable { .. } => "sync.unavailable",
            Self::Invalid(_) => "sync.invalid",
            Self::Db(_) => return None,
        })
    }

    /// One invalid field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::default();
        errors.add(field, message);
        Self::Invalid(errors)
    }
}
