//! Offline sync for the mobile app: devices, pull (`POST /sync/v1/pull`), push
//! (`POST /sync/v1/push`), signature blobs, conflicts, the quarantine of revoked devices and
//! tombstone GC. The protocol for app developers is `docs/sync-protocol.md`; the decisions are
//! in the README's architecture section.
//!
//! Sync owns no domain rule: a pushed mutation is applied by the owning context's service
//! (`mutations`), a row's scopes are declared next to its context (`synced!`), and stamping is
//! `db::write`'s. What sync adds is the protocol: cursors, runs of pages, sequence numbers,
//! stored outcomes, conflicts kept.

pub mod api;
pub mod cursor;
pub mod model;
pub mod mutations;
pub mod service;
mod store;
mod synced;
