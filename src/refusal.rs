//! What every context's error says about itself: a stable code and a [`Kind`]. The HTTP status
//! (`http/error.rs`) and sync's reject code (`sync/mutations`) are both derived from the kind, in
//! one place each, so a refusal that crosses contexts keeps its meaning: a context that calls
//! another wraps its error in a variant (`EnrolmentError::Catalogue(CatalogueError)`) and
//! delegates these methods to it.

use std::collections::BTreeMap;

use sea_orm::DbErr;

/// What sort of refusal an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Wrong or missing credentials (401).
    Unauthenticated,
    /// The principal may not do this (403).
    Forbidden,
    /// No such object, or one the principal may not see (404).
    NotFound,
    /// The object's state forbids the operation (409).
    Conflict,
    /// A body or file over its size limit (413).
    TooLarge,
    /// Well-formed, but breaks a rule (422); [`Refusal::fields`] names the fields when it can.
    Invalid,
    /// Too many attempts; retry after this many seconds (429).
    RateLimited { retry_after_secs: u64 },
    /// Not a refusal: the server failed (500, or 503 when the database is busy).
    Internal,
}

/// A context's error, as every caller reads it.
pub trait Refusal: std::error::Error + 'static {
    /// The stable code (`enrolment.session_full`); `None` for internal errors.
    fn code(&self) -> Option<&'static str>;

    /// What sort of refusal this is.
    fn kind(&self) -> Kind;

    /// Field-level problems, when the refusal is about fields.
    fn fields(&self) -> Option<BTreeMap<String, Vec<String>>> {
        None
    }

    /// The database error behind an internal error (a busy pool answers 503, not 500).
    fn db(&self) -> Option<&DbErr> {
        None
    }
}

/// Converts lower contexts' errors into a context's own (`lower_faults!(OurError: TheirError,
/// …)`): their database error as ours (`Db`), any other — which a read of ours never provokes —
/// as an internal fault with its message. Each error type named has a `Db(DbErr)` variant.
macro_rules! lower_faults {
    ($target:ty: $($error:ty),* $(,)?) => {$(
        impl From<$error> for $target {
            fn from(error: $error) -> Self {
                type Lower = $error;
                match error {
                    Lower::Db(db) => Self::Db(db),
                    other => Self::Db(sea_orm::DbErr::Custom(other.to_string())),
                }
            }
        }
    )*};
}
pub(crate) use lower_faults;
