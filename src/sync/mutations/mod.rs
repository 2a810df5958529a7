//! The mutations devices push, by name. Each is versioned by its name (`attendance.set@1`); a
//! new version is a new entry, and old ones stay as long as a device may come back with them
//! queued (the tombstone retention at least).
//!
//! A handler parses its arguments, calls the owning context's service in the push's
//! transaction (inside the mutation's own savepoint) and says what became of it. A refusal of
//! the service becomes the mutation's `rejected` outcome; only a database failure aborts the
//! push. Adding a mutation (a survey answer, say) is one file here and one line in
//! [`REGISTRY`].

use std::future::Future;
use std::pin::Pin;

use sea_orm::{ActiveEnum, DbErr};
use serde::de::DeserializeOwned;
use serde_json::Value;
use uuid::Uuid;

use crate::config::Settings;
use crate::db::write::WriteTx;
use crate::principal::Principal;
use crate::sync::model::{ConflictRef, EntityRef, Reason, RejectCode, Status};

mod attendance;
mod conflicts;
mod enrolment;
mod meetings;
mod rejection;
mod surveys;

pub use rejection::{MissingBlob, refusal, reject_code, sync_refusal};

/// What a handler knows of the mutation besides its arguments.
pub struct Context<'a> {
    pub principal: &'a Principal,
    pub settings: &'a Settings,
    pub device_id: Uuid,
    pub seq: i64,
    pub mutation_id: Uuid,
    /// The device's clock, clamped.
    pub hlc: i64,
    pub base_version: Option<i64>,
    pub prev_local_seq: Option<i64>,
    /// When the server received the push that brought it.
    pub received_at: chrono::DateTime<chrono::Utc>,
    /// The device's clock minus the server's at that push, when the device said its time.
    pub clock_offset_ms: Option<i64>,
}

/// A mutation that went through: applied, or decided against a concurrent change.
#[derive(Debug, Clone)]
pub struct Done {
    pub status: Status,
    pub entity: Option<EntityRef>,
    pub state: Option<Value>,
    pub conflict: Option<ConflictRef>,
}

impl Done {
    /// Applied to `entity`, which is now `state`.
    pub fn applied(entity_type: &str, id: Uuid, state: Option<Value>) -> Self {
        Self {
            status: Status::Applied,
            entity: Some(EntityRef {
                entity_type: entity_type.to_owned(),
                id,
            }),
            state,
            conflict: None,
        }
    }
}

/// A mutation that did not go through.
#[derive(Debug)]
pub enum Failure {
    /// Refused; stored as `rejected` (and the queue moves on, unless retryable).
    Rejected(Reason),
    /// The database (or a context, inside) failed: the push stops and answers 503.
    Transient(Abort),
}

/// What stops a push or a decision: not a refusal, a failure.
#[derive(Debug, thiserror::Error)]
pub enum Abort {
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
    /// Another context failed internally, with no database error behind it.
    #[error(transparent)]
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

impl Failure {
    pub fn reject(code: RejectCode, message: impl Into<String>) -> Self {
        Self::Rejected(Reason {
            code,
            error: None,
            message: message.into(),
            retryable: code == RejectCode::BlobMissing,
        })
    }
}

impl From<DbErr> for Failure {
    fn from(error: DbErr) -> Self {
        Self::Transient(Abort::Db(error))
    }
}

/// Parses a mutation's arguments (unknown fields refused).
pub fn args<T: DeserializeOwned>(args: Value) -> Result<T, Failure> {
    serde_json::from_value(args)
        .map_err(|e| Failure::reject(RejectCode::Validation, format!("invalid arguments: {e}")))
}

/// A string argument naming a stored enumeration's value.
pub fn choice<E: ActiveEnum<Value = String>>(field: &str, value: &str) -> Result<E, Failure> {
    E::try_from_value(&value.to_owned()).map_err(|_| {
        Failure::reject(
            RejectCode::Validation,
            format!("{field}: `{value}` is not one of the allowed values"),
        )
    })
}

/// The future a handler returns, borrowing the transaction and the context.
pub type Applying<'a> = Pin<Box<dyn Future<Output = Result<Done, Failure>> + Send + 'a>>;

/// A mutation handler.
pub type Handler = for<'a> fn(&'a mut WriteTx, &'a Context<'a>, Value) -> Applying<'a>;

/// Every mutation this server applies, by name.
pub const REGISTRY: &[(&str, Handler)] = &[
    ("attendance.set@1", attendance::set),
    ("attendance.countersign@1", attendance::countersign),
    ("enrolment.request@1", enrolment::request),
    ("enrolment.cancel@1", enrolment::cancel),
    ("meeting.rsvp@1", meetings::rsvp),
    ("survey.answer@1", surveys::answer),
    ("survey.submit@1", surveys::submit),
    ("conflict.resolve@1", conflicts::resolve),
];

/// The names devices may push.
pub fn names() -> impl Iterator<Item = &'static str> {
    REGISTRY.iter().map(|(name, _)| *name)
}

/// Applies one mutation by name.
pub async fn apply(
    tx: &mut WriteTx,
    ctx: &Context<'_>,
    name: &str,
    args: Value,
) -> Result<Done, Failure> {
    let Some((_, handler)) = REGISTRY.iter().find(|(n, _)| *n == name) else {
        return Err(Failure::reject(
            RejectCode::UnknownMutation,
            format!("this server does not know the mutation `{name}`"),
        ));
    };
    handler(tx, ctx, args).await
}
