//! Everything that can go wrong in sync's own operations, with its stable code. (What goes
//! wrong inside one pushed mutation is not an error of the request: it is that mutation's
//! `rejected` outcome.)

use std::collections::BTreeMap;

use sea_orm::DbErr;

use crate::accounts::service::AccountsError;
use crate::attendance::service::{AttendanceError, SignatureProblem};
use crate::catalogue::service::CatalogueError;
use crate::clubs::service::ClubsError;
use crate::refusal::{Kind, Refusal};
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
    /// A refusal of attendance (a signature upload it would not keep).
    #[error(transparent)]
    Attendance(AttendanceError),
    /// A refusal of clubs (the clubs a person's devices see).
    #[error(transparent)]
    Clubs(ClubsError),
    /// A refusal of the catalogue (the sessions a trainer's devices see).
    #[error(transparent)]
    Catalogue(CatalogueError),
    /// A refusal of accounts (the person a quarantined mutation is applied as, roster names).
    #[error(transparent)]
    Accounts(AccountsError),
    /// Another context failed inside, with no database error behind it.
    #[error(transparent)]
    Internal(Box<dyn std::error::Error + Send + Sync>),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Another context's error: its database failure is sync's, its refusal stays typed.
macro_rules! wrap {
    ($error:ident, $variant:ident) => {
        impl From<$error> for SyncError {
            fn from(error: $error) -> Self {
                match error {
                    $error::Db(db) => Self::Db(db),
                    other => Self::$variant(other),
                }
            }
        }
    };
}
wrap!(AttendanceError, Attendance);
wrap!(ClubsError, Clubs);
wrap!(CatalogueError, Catalogue);
wrap!(AccountsError, Accounts);

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
            Self::Attendance(error) => return error.code(),
            Self::Clubs(error) => return error.code(),
            Self::Catalogue(error) => return error.code(),
            Self::Accounts(error) => return error.code(),
            Self::Internal(_) | Self::Db(_) => return None,
        })
    }

    /// What sort of refusal this is (as [`Refusal::kind`] says of other contexts' errors; sync's
    /// own error maps to HTTP in `sync/api`, which adds `last_seq` and `min_protocol`).
    pub fn kind(&self) -> Kind {
        match self {
            Self::Forbidden(_) | Self::DeviceRevoked { .. } => Kind::Forbidden,
            Self::DeviceNotFound | Self::MutationNotFound | Self::ConflictNotFound => {
                Kind::NotFound
            }
            Self::NotQuarantined => Kind::Conflict,
            Self::BlobTooLarge => Kind::TooLarge,
            Self::ProtocolTooOld { .. }
            | Self::ProtocolUnknown(_)
            | Self::BlobHashMismatch
            | Self::BlobInvalid(_)
            | Self::Invalid(_) => Kind::Invalid,
            Self::Attendance(error) => error.kind(),
            Self::Clubs(error) => error.kind(),
            Self::Catalogue(error) => error.kind(),
            Self::Accounts(error) => error.kind(),
            Self::Unavailable { .. } | Self::Internal(_) | Self::Db(_) => Kind::Internal,
        }
    }

    /// Field-level problems, when the refusal is about fields.
    pub fn fields(&self) -> Option<BTreeMap<String, Vec<String>>> {
        match self {
            Self::Invalid(fields) => Some(fields.clone().into_map()),
            Self::Attendance(error) => error.fields(),
            Self::Clubs(error) => error.fields(),
            Self::Catalogue(error) => error.fields(),
            Self::Accounts(error) => error.fields(),
            _ => None,
        }
    }

    /// The database error behind an internal error.
    pub fn db(&self) -> Option<&DbErr> {
        match self {
            Self::Db(db) => Some(db),
            Self::Attendance(error) => error.db(),
            Self::Clubs(error) => error.db(),
            Self::Catalogue(error) => error.db(),
            Self::Accounts(error) => error.db(),
            _ => None,
        }
    }

    /// One invalid field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::default();
        errors.add(field, message);
        Self::Invalid(errors)
    }
}
