//! The pull: one page of the changes a device has not seen, for the scopes it may see now.
//!
//! A device pulls runs of pages. A run starts from the cursor's scopes: those it still may see
//! continue after the cursor's version `v`; newly granted ones are backfilled from version 0;
//! those it lost have their rows answered as deletes (unless another kept scope still shows
//! them) and are named in `scope_removed`. All of them are read in one keyset order,
//! `(version, entity type, entity id)`, so a page may end anywhere, even inside one
//! transaction's rows. When the scopes change during a run, the run starts again from its
//! beginning (answering a row twice is harmless; missing one is not).
//!
//! Each page is read in one read-only snapshot (REPEATABLE READ on PostgreSQL, a read
//! transaction on SQLite), together with the space version `S`. Versions are handed out in
//! commit order (see `db::write`), so every change at or below `S` is in that snapshot: when a
//! page comes back short, the run is complete up to `S`, which becomes the cursor's `v`. The
//! cursor never depends on a clock.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::{AccessMode, DatabaseConnection, DbBackend, IsolationLevel, TransactionTrait};
use uuid::Uuid;

use super::devices::own_live_device;
use super::{Result, scopes_of};
use crate::db::synced::registry;
use crate::principal::Principal;
use crate::sync::cursor::{Cursor, Run};
use crate::sync::model::{Change, Checksum, DEFAULT_PAGE, MAX_PAGE, Pulled, ResetReason};
use crate::sync::store::{self, PageQuery};

/// What a device asks.
#[derive(Debug, Clone)]
pub struct PullRequest {
    pub device_id: Uuid,
    pub schema_version: i32,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
    /// Answer the checksum even if the run brought nothing (an integrity check).
    pub verify: bool,
}

/// Answers one page (see the module).
pub async fn pull(
    db: &DatabaseConnection,
    principal: &Principal,
    request: PullRequest,
) -> Result<Pulled> {
    let device = own_live_device(principal, store::device(db, request.device_id).await?)?;
    let limit = request.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    // The page's own read-only snapshot, opened here rather than by the handler: it writes
    // nothing, so it is no write transaction to share, and its isolation (REPEATABLE READ,
    // read only) is the pull's rule — the space version and the rows must come from one
    // snapshot for the cursor to be exact (see the module).
    let txn = if db.get_database_backend() == DbBackend::Postgres {
        db.begin_with_config(
            Some(IsolationLevel::RepeatableRead),
            Some(AccessMode::ReadOnly),
        )
        .await?
    } else {
        db.begin().await?
    };
    let space = store::space(&txn).await?;
    let key = hex::decode(&space.cursor_key).unwrap_or_default();
    let reset = |reason| Pulled {
        changes: Vec::new(),
        scopes: Vec::new(),
        scope_removed: Vec::new(),
        cursor: None,
        has_more: false,
        reset: Some(reason),
        checksum: None,
        last_seq: device.last_seq,
    };
    let cursor = match &request.cursor {
        None => Cursor {
            epoch: space.epoch,
            sv: request.schema_version,
            ..Cursor::default()
        },
        Some(text) => match Cursor::decode(text, &key) {
            None => return Ok(reset(ResetReason::CursorInvalid)),
            Some(c) if c.epoch != space.epoch => return Ok(reset(ResetReason::EpochChanged)),
            Some(c) if c.v > space.version => return Ok(reset(ResetReason::ServerRewound)),
            // The app was upgraded since the cursor was made: its new tables and columns
            // come with a full sync.
            Some(c) if c.sv != request.schema_version => {
                return Ok(reset(ResetReason::SchemaChanged));
            }
            // Scopes continuing after `v` need its tombstones; a run that only backfills from
            // 0 (a first or replacement sync) needs none.
            Some(c) if !c.full.is_empty() && c.v < space.gc_version => {
                return Ok(reset(ResetReason::CursorTooOld));
            }
            Some(c) => c,
        },
    };
    let allowed = scopes_of(&txn, principal).await?;
    let (full, run) = plan(&cursor, &allowed);
    let kept: Vec<String> = full.iter().chain(&run.added).cloned().collect();
    let from_start: Vec<String> = run.added.iter().chain(&run.removed).cloned().collect();
    let full: Vec<String> = full.into_iter().collect();
    let keys = store::page(
        &txn,
        PageQuery {
            full: &full,
            since: cursor.v,
            from_start: &from_start,
            kept: &kept,
            after: run.k.as_ref(),
            limit: u64::from(limit),
        },
    )
    .await?;
    let has_more = keys.len() == limit as usize;
    let last_key = keys
        .last()
        .map(|k| (k.version, k.entity_type.clone(), k.entity_id));
    let changes = changes_of(&txn, keys, &kept).await?;
    let scope_removed = run.removed.clone();
    let (next, checksum) = if has_more {
        let next = Cursor {
            full: full.clone(),
            run: Some(Run { k: last_key, ..run }),
            ..cursor
        };
        (next, None)
    } else {
        // The checksum of the device's whole base costs a read of every row it holds: answered
        // at the end of a run that brought changes, or when the device asks for it, not on
        // every poll of a device already up to date.
        let brought = !changes.is_empty() || run.k.is_some();
        let checksum = if brought || request.verify {
            let rows = store::live_keys(&txn, &kept).await?;
            Some(Checksum::of(
                rows.iter().map(|(t, id, v)| (t.as_str(), *id, *v)),
            ))
        } else {
            None
        };
        let mut done: Vec<String> = kept.clone();
        done.sort();
        let next = Cursor {
            epoch: space.epoch,
            sv: cursor.sv,
            v: space.version,
            full: done,
            run: None,
        };
        (next, checksum)
    };
    txn.commit().await?;
    Ok(Pulled {
        changes,
        scopes: kept,
        scope_removed,
        cursor: Some(next.encode(&key)),
        has_more,
        reset: None,
        checksum,
        last_seq: device.last_seq,
    })
}

/// The run this page belongs to: the scopes complete as of `v` that continue, and the run's
/// added and removed scopes and position (a new run, or the cursor's own while the scopes it
/// was planned for still hold).
fn plan(cursor: &Cursor, allowed: &BTreeSet<String>) -> (BTreeSet<String>, Run) {
    let full: BTreeSet<String> = cursor.full.iter().cloned().collect();
    if let Some(run) = &cursor.run {
        let planned: BTreeSet<String> = full.iter().chain(&run.added).cloned().collect();
        if &planned == allowed {
            return (full, run.clone());
        }
    }
    // A new run, or the scopes changed during one: start it (again) from its beginning.
    let (added_before, removed_before) = cursor
        .run
        .as_ref()
        .map(|r| (r.added.clone(), r.removed.clone()))
        .unwrap_or_default();
    let known: BTreeSet<String> = full
        .iter()
        .chain(&added_before)
        .chain(&removed_before)
        .cloned()
        .collect();
    let kept: BTreeSet<String> = full.intersection(allowed).cloned().collect();
    let run = Run {
        k: None,
        added: allowed.difference(&kept).cloned().collect(),
        removed: known.difference(allowed).cloned().collect(),
    };
    (kept, run)
}

/// The fields the pull adds to the rows of these types: their person's first and last names.
pub const NAME_FIELDS: [&str; 2] = ["person_first_name", "person_last_name"];

/// Whether rows of this type carry their person's names ([`NAME_FIELDS`]).
pub fn named(entity_type: &str) -> bool {
    matches!(entity_type, "enrolment" | "club_membership")
}

/// A roster shows names: enrolments and club memberships carry their person's first and last
/// names (`person_first_name`, `person_last_name`) as of this pull. (A renamed person's rows
/// show the new name on their next change or a full sync.)
async fn name_people(
    txn: &sea_orm::DatabaseTransaction,
    rows: &mut BTreeMap<(String, Uuid), crate::db::synced::DeviceRow>,
) -> Result<()> {
    let person_of = |row: &crate::db::synced::DeviceRow| {
        row.data
            .get("person_id")
            .and_then(|v| v.as_str())
            .and_then(|s| s.parse::<Uuid>().ok())
    };
    let ids: Vec<Uuid> = rows
        .iter()
        .filter(|((t, _), _)| named(t))
        .filter_map(|(_, row)| person_of(row))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    let cards = crate::accounts::service::person_cards(txn, &ids).await?;
    for ((t, _), row) in rows.iter_mut() {
        if !named(t) {
            continue;
        }
        if let Some(card) = person_of(row).and_then(|id| cards.get(&id)) {
            let [first, last] = NAME_FIELDS;
            row.data
                .insert(first.into(), card.first_name.clone().into());
            row.data.insert(last.into(), card.last_name.clone().into());
        }
    }
    Ok(())
}

/// The page's keys as changes: upserts with their rows, each trimmed to the columns the
/// device's scopes that see it carry (`db::synced::Fields`); deletes for keys no kept scope
/// shows. A key of a lost scope whose row another kept scope still shows comes again as an
/// upsert, trimmed to what the kept scopes carry (it may have come wider through the lost one).
async fn changes_of(
    txn: &sea_orm::DatabaseTransaction,
    keys: Vec<store::ChangeKey>,
    kept: &[String],
) -> Result<Vec<Change>> {
    let candidates: Vec<(String, Uuid)> = keys
        .iter()
        .filter(|k| k.live == 0)
        .map(|k| (k.entity_type.clone(), k.entity_id))
        .collect();
    let still_live = store::live_in(txn, kept, &candidates).await?;
    let shown = |k: &store::ChangeKey| {
        k.live != 0 || still_live.contains(&(k.entity_type.clone(), k.entity_id))
    };
    let mut wanted: BTreeMap<&str, BTreeSet<Uuid>> = BTreeMap::new();
    for key in keys.iter().filter(|k| shown(k)) {
        wanted
            .entry(&key.entity_type)
            .or_default()
            .insert(key.entity_id);
    }
    let kept_set: BTreeSet<&str> = kept.iter().map(String::as_str).collect();
    let mut rows: BTreeMap<(String, Uuid), crate::db::synced::DeviceRow> = BTreeMap::new();
    for table in registry() {
        let Some(ids) = wanted.get(table.entity_type) else {
            continue;
        };
        for mut row in (table.load)(txn, ids.iter().copied().collect()).await? {
            let seen_by: Vec<_> = row
                .scopes
                .iter()
                .filter(|s| kept_set.contains(s.key().as_str()))
                .map(|s| s.kind())
                .collect();
            if !seen_by.is_empty() {
                table.project(&mut row, seen_by);
                rows.insert((table.entity_type.to_owned(), row.id), row);
            }
        }
    }
    name_people(txn, &mut rows).await?;
    let mut changes = Vec::with_capacity(keys.len());
    for key in keys {
        let row_key = (key.entity_type.clone(), key.entity_id);
        if shown(&key) {
            // Once per page, though two of its keys may name it (a lost scope's and a kept
            // one's).
            if let Some(row) = rows.remove(&row_key) {
                changes.push(Change {
                    entity_type: key.entity_type,
                    id: row.id,
                    version: row.version,
                    data: Some(row.data),
                });
            }
        } else {
            changes.push(Change {
                entity_type: key.entity_type,
                id: key.entity_id,
                version: key.version,
                data: None,
            });
        }
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(keys: &[&str]) -> BTreeSet<String> {
        keys.iter().map(|k| (*k).to_owned()).collect()
    }

    fn strings(keys: &[&str]) -> Vec<String> {
        keys.iter().map(|k| (*k).to_owned()).collect()
    }

    fn cursor(full: &[&str], run: Option<Run>) -> Cursor {
        Cursor {
            v: 10,
            full: strings(full),
            run,
            ..Cursor::default()
        }
    }

    #[test]
    fn a_new_run_adds_what_was_granted_and_removes_what_was_lost() {
        let (full, run) = plan(&cursor(&["a", "b"], None), &set(&["b", "c"]));
        assert_eq!(full, set(&["b"]));
        assert_eq!(run.added, strings(&["c"]));
        assert_eq!(run.removed, strings(&["a"]));
        assert_eq!(run.k, None);
    }

    #[test]
    fn a_run_goes_on_from_its_position_while_the_scopes_hold() {
        let run = Run {
            k: Some((5, "slot".into(), Uuid::nil())),
            added: strings(&["c"]),
            removed: strings(&["a"]),
        };
        let (full, same) = plan(&cursor(&["b"], Some(run.clone())), &set(&["b", "c"]));
        assert_eq!(full, set(&["b"]));
        assert_eq!(same, run);
    }

    #[test]
    fn a_run_whose_scopes_change_starts_again_and_forgets_nothing() {
        let run = Run {
            k: Some((5, "slot".into(), Uuid::nil())),
            added: strings(&["c"]),
            removed: strings(&["a"]),
        };
        // "c" (half backfilled) is lost and "a" (half deleted) granted again.
        let (full, again) = plan(&cursor(&["b"], Some(run)), &set(&["a", "b"]));
        assert_eq!(again.k, None, "from the beginning");
        assert_eq!(full, set(&["b"]));
        assert_eq!(again.added, strings(&["a"]), "sent in full again");
        assert_eq!(again.removed, strings(&["c"]), "its partial rows deleted");
    }
}
