//! A refusal of the owning context as a mutation's rejection: the reject code comes from the
//! refusal's [`Kind`] (the same kind that decides its HTTP status online), the stored `error`
//! from its [`Refusal::code`], the details from its fields. A signature image not uploaded yet
//! is read from its typed variant ([`MissingBlob`]), wherever it is wrapped.

use std::collections::BTreeMap;

use sea_orm::DbErr;

use super::{Abort, Failure};
use crate::attendance::service::AttendanceError;
use crate::clubs::service::ClubsError;
use crate::enrolment::service::EnrolmentError;
use crate::quality::service::QualityError;
use crate::refusal::{Kind, Refusal};
use crate::sync::model::{Reason, RejectCode};
use crate::sync::service::SyncError;

/// Whether a refusal is a signature image the device has not uploaded yet (then the push
/// stops, retryable, instead of rejecting the mutation).
pub trait MissingBlob {
    /// True for `attendance.signature_missing`, also when another context wraps it.
    fn missing_blob(&self) -> bool {
        false
    }
}

impl MissingBlob for AttendanceError {
    fn missing_blob(&self) -> bool {
        matches!(self, Self::SignatureMissing)
    }
}

impl MissingBlob for ClubsError {
    fn missing_blob(&self) -> bool {
        matches!(self, Self::Attendance(inner) if inner.missing_blob())
    }
}

impl MissingBlob for EnrolmentError {}

impl MissingBlob for QualityError {}

impl MissingBlob for SyncError {
    fn missing_blob(&self) -> bool {
        match self {
            Self::Attendance(inner) => inner.missing_blob(),
            Self::Clubs(inner) => inner.missing_blob(),
            _ => false,
        }
    }
}

/// The reject code of a refusal of this kind; `None` when it is no refusal (internal).
pub fn reject_code(kind: Kind) -> Option<RejectCode> {
    match kind {
        Kind::Unauthenticated | Kind::Forbidden => Some(RejectCode::Forbidden),
        Kind::NotFound => Some(RejectCode::NotFound),
        Kind::Conflict | Kind::RateLimited { .. } => Some(RejectCode::Refused),
        Kind::Invalid | Kind::TooLarge => Some(RejectCode::Validation),
        Kind::Internal => None,
    }
}

/// What sync reads of a refusal, whoever's it is.
struct Read {
    code: Option<&'static str>,
    kind: Kind,
    fields: Option<BTreeMap<String, Vec<String>>>,
    db: Option<DbErr>,
    message: String,
    missing_blob: bool,
}

/// A context's refusal as a rejection; an internal error stops the push (transient).
pub fn refusal<E>(error: E) -> Failure
where
    E: Refusal + MissingBlob + Send + Sync,
{
    let read = Read {
        code: error.code(),
        kind: error.kind(),
        fields: error.fields(),
        db: error.db().cloned(),
        message: error.to_string(),
        missing_blob: error.missing_blob(),
    };
    failure(read, || Box::new(error))
}

/// Sync's own refusal (a `conflict.resolve@1` of an unknown conflict, say) as a rejection.
pub fn sync_refusal(error: SyncError) -> Failure {
    let read = Read {
        code: error.code(),
        kind: error.kind(),
        fields: error.fields(),
        db: error.db().cloned(),
        message: error.to_string(),
        missing_blob: error.missing_blob(),
    };
    failure(read, || Box::new(error))
}

fn failure(
    read: Read,
    internal: impl FnOnce() -> Box<dyn std::error::Error + Send + Sync>,
) -> Failure {
    let Some(code) = reject_code(read.kind) else {
        return Failure::Transient(match read.db {
            Some(db) => Abort::Db(db),
            None => Abort::Internal(internal()),
        });
    };
    // The message the same refusal answers online, with its fields' problems spelled out
    // (when it has any: a refusal without field problems keeps its own sentence whole).
    let details: Vec<String> = read
        .fields
        .iter()
        .flatten()
        .filter(|(_, problems)| !problems.is_empty())
        .map(|(field, problems)| format!("{field}: {}", problems.join(", ")))
        .collect();
    let message = match (details.is_empty(), read.kind) {
        (true, _) => read.message,
        (false, Kind::Invalid) => format!("Some fields are invalid. ({})", details.join("; ")),
        (false, _) => format!("{} ({})", read.message, details.join("; ")),
    };
    Failure::Rejected(Reason {
        code: if read.missing_blob {
            RejectCode::BlobMissing
        } else {
            code
        },
        error: Some(read.code.unwrap_or("internal").to_owned()),
        message,
        retryable: read.missing_blob,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(failure: Failure) -> Reason {
        match failure {
            Failure::Rejected(reason) => reason,
            Failure::Transient(abort) => panic!("expected a rejection, got {abort}"),
        }
    }

    #[test]
    fn each_kind_of_refusal_has_its_reject_code_and_internal_errors_have_none() {
        assert_eq!(reject_code(Kind::Forbidden), Some(RejectCode::Forbidden));
        assert_eq!(
            reject_code(Kind::Unauthenticated),
            Some(RejectCode::Forbidden)
        );
        assert_eq!(reject_code(Kind::NotFound), Some(RejectCode::NotFound));
        assert_eq!(reject_code(Kind::Conflict), Some(RejectCode::Refused));
        assert_eq!(
            reject_code(Kind::RateLimited {
                retry_after_secs: 1
            }),
            Some(RejectCode::Refused)
        );
        assert_eq!(reject_code(Kind::Invalid), Some(RejectCode::Validation));
        assert_eq!(reject_code(Kind::TooLarge), Some(RejectCode::Validation));
        assert_eq!(reject_code(Kind::Internal), None);
    }

    #[test]
    fn a_refusal_wrapped_by_another_context_keeps_its_code_and_kind() {
        let reason = rejected(refusal(AttendanceError::Enrolment(
            EnrolmentError::AlreadyCancelled,
        )));
        assert_eq!(reason.code, RejectCode::Refused);
        assert_eq!(reason.error.as_deref(), Some("enrolment.already_cancelled"));
        assert!(!reason.retryable);
        let reason = rejected(refusal(AttendanceError::TraineeNotFound));
        assert_eq!(reason.code, RejectCode::NotFound);
        assert_eq!(
            reason.error.as_deref(),
            Some("attendance.trainee_not_found")
        );
    }

    #[test]
    fn a_missing_signature_image_is_a_retryable_blob_missing_even_when_wrapped() {
        for failure in [
            refusal(AttendanceError::SignatureMissing),
            refusal(ClubsError::Attendance(AttendanceError::SignatureMissing)),
            sync_refusal(SyncError::Attendance(AttendanceError::SignatureMissing)),
        ] {
            let reason = rejected(failure);
            assert_eq!(reason.code, RejectCode::BlobMissing);
            assert_eq!(
                reason.error.as_deref(),
                Some("attendance.signature_missing")
            );
            assert!(reason.retryable);
            assert_eq!(
                reason.message,
                "the signature image was not uploaded: upload it first, then retry"
            );
        }
    }

    #[test]
    fn a_refusal_without_field_problems_keeps_its_sentence_whole() {
        let reason = rejected(refusal(AttendanceError::Invalid(
            crate::validation::FieldErrors::default(),
        )));
        assert_eq!(reason.message, "invalid input");
        assert!(!reason.message.ends_with("()"));
    }

    #[test]
    fn invalid_fields_are_spelled_out_in_the_message() {
        let mut fields = crate::validation::FieldErrors::default();
        fields.add("late_minutes", "at most 240");
        let reason = rejected(refusal(AttendanceError::Invalid(fields)));
        assert_eq!(reason.code, RejectCode::Validation);
        assert_eq!(
            reason.message,
            "Some fields are invalid. (late_minutes: at most 240)"
        );
    }

    #[test]
    fn a_database_failure_is_transient_not_a_rejection() {
        let failure = refusal(EnrolmentError::Db(DbErr::RecordNotFound("down".into())));
        assert!(matches!(failure, Failure::Transient(Abort::Db(_))));
        let failure = sync_refusal(SyncError::ConflictNotFound);
        assert_eq!(rejected(failure).code, RejectCode::NotFound);
    }
}
