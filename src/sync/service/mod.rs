//! The rules of sync: who may register, pull, push and review; the pull's runs of pages; the
//! push's one transaction with a savepoint per mutation; GC of tombstones.

mod blobs;
mod conflicts;
mod devices;
mod errors;
mod gc;
mod pull;
mod push;
mod quarantine;
mod replays;
mod scopes;

pub use blobs::*;
pub use conflicts::*;
pub use devices::*;
pub use errors::SyncError;
pub use gc::*;
pub use pull::*;
pub use push::*;
pub use quarantine::*;
pub use scopes::*;

pub type Result<T> = std::result::Result<T, SyncError>;

use crate::sync::model::{MIN_PROTOCOL, PROTOCOL};

/// Refuses a protocol version this server does not speak.
pub fn check_protocol(given: i32) -> Result<()> {
    if given < MIN_PROTOCOL {
        Err(SyncError::ProtocolTooOld {
            given,
            min: MIN_PROTOCOL,
        })
    } else if given > PROTOCOL {
        Err(SyncError::ProtocolUnknown(given))
    } else {
        Ok(())
    }
}

/// Only administrators review conflicts, quarantines and GC (403 for others).
fn require_admin(principal: &crate::principal::Principal) -> Result<()> {
    if principal.is_admin() {
        Ok(())
    } else {
        Err(SyncError::Forbidden(
            "only administrators review devices' conflicts and quarantine",
        ))
    }
}
