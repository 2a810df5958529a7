//! Watermarks: for each synced table, the space version of the last commit that wrote it, as
//! this process knows it. A rendered response keyed by the watermark of the tables it reads is
//! fresh exactly as long as none of them was written: the next read after such a commit asks for
//! a new key, so there is no TTL and nothing to purge.
//!
//! [`WriteTx::commit`](super::write::WriteTx::commit) advances the tables it wrote, after the
//! database commit and before the response leaves, so the very next request sees it. Writes from
//! another process (the CLI's `demo-data`, a second instance on the same PostgreSQL) are not seen
//! that way: [`Watermarks::observe_space`], called about once a second with the space version
//! read from the database, advances every table when the database is ahead of what this process
//! wrote.
//!
//! A reader takes the watermark **before** it reads the database. A commit that lands during the
//! read then moves the watermark past the key the render is stored under, so a body built from
//! older rows can never be served under a newer key.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};

use super::synced::registry;

/// Per synced table, the last version written (see the module documentation).
#[derive(Debug)]
pub struct Watermarks {
    /// The highest version this process knows of, from its own commits or the database.
    space: AtomicI64,
    tables: HashMap<&'static str, AtomicI64>,
    /// Woken when a commit wrote outbox events (the notifications sender waits on it).
    outbox: tokio::sync::Notify,
}

impl Default for Watermarks {
    fn default() -> Self {
        Self::new()
    }
}

impl Watermarks {
    /// Every table of the synced registry at 0: nothing is cached yet, so any start value is
    /// fresh, and the first [`Watermarks::observe_space`] moves them to the database's version.
    pub fn new() -> Self {
        Self {
            space: AtomicI64::new(0),
            tables: registry()
                .into_iter()
                .map(|t| (t.table, AtomicI64::new(0)))
                .collect(),
            outbox: tokio::sync::Notify::new(),
        }
    }

    /// Tells the waiting sender that a commit wrote outbox events.
    pub fn outbox_written(&self) {
        self.outbox.notify_one();
    }

    /// Waits until a commit writes outbox events (or returns at once if one did since the last
    /// wait).
    pub async fn outbox_changed(&self) {
        self.outbox.notified().await;
    }

    /// The highest watermark among `tables`: the key of anything rendered from them.
    /// Unknown table names are a programming error (they are the registry's table names).
    pub fn of(&self, tables: &[&str]) -> i64 {
        tables
            .iter()
            .map(|t| {
                self.tables
                    .get(t)
                    .unwrap_or_else(|| panic!("{t} is not a synced table"))
                    .load(Ordering::Acquire)
            })
            .max()
            .unwrap_or(0)
    }

    /// A commit of this process wrote `tables` at `version`.
    pub fn advance<'a>(&self, version: i64, tables: impl IntoIterator<Item = &'a str>) {
        for table in tables {
            if let Some(mark) = self.tables.get(table) {
                mark.fetch_max(version, Ordering::AcqRel);
            }
        }
        self.space.fetch_max(version, Ordering::AcqRel);
    }

    /// The database's space version is `version`: if it is ahead of everything this process
    /// wrote, someone else wrote, and every table advances (their caches start again).
    pub fn observe_space(&self, version: i64) {
        if self.space.fetch_max(version, Ordering::AcqRel) < version {
            for mark in self.tables.values() {
                mark.fetch_max(version, Ordering::AcqRel);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_moves_only_the_tables_it_wrote() {
        let marks = Watermarks::new();
        marks.advance(3, ["training"]);
        assert_eq!(marks.of(&["training", "room"]), 3);
        assert_eq!(marks.of(&["room"]), 0);
        marks.advance(2, ["training", "room"]);
        assert_eq!(marks.of(&["training"]), 3, "never backwards");
        assert_eq!(marks.of(&["room"]), 2);
    }

    #[test]
    fn a_database_ahead_of_the_process_moves_every_table() {
        let marks = Watermarks::new();
        marks.advance(5, ["person"]);
        marks.observe_space(5);
        assert_eq!(marks.of(&["room"]), 0, "our own write: nothing else moved");
        marks.observe_space(9);
        assert_eq!(marks.of(&["room"]), 9);
        assert_eq!(marks.of(&["person"]), 9);
    }
}
