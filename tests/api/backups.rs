//! `passerelle backup` and `passerelle restore` on both engines: a backup taken while people
//! enrol restores the database of one instant, exactly; a restore goes only into an empty
//! database unless forced; what is not a backup is refused and changes nothing.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::time::Duration;

use passerelle::ops::backup::{BackupError, Step};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde_json::Value;
use uuid::Uuid;

use crate::harness::TestApp;

/// Before the backup began, while it ran, after it ended.
const BEFORE: u8 = 0;
const DURING: u8 = 1;
const AFTER: u8 = 2;

/// One enrolment request of the writers: who, and in which phase it was sent and answered.
#[derive(Debug)]
struct Write {
    person: Uuid,
    sent: u8,
    answered: u8,
    status: u16,
}

async fn a_backup_taken_while_people_enrol_restores_the_database_of_one_instant(app: TestApp) {
    let admin = app.admin().await;
    let organisation = app.organisation(&admin, "Réseau Sauvegarde", true).await;
    let session = app.open_session(&admin, 100).await;
    let mut people = VecDeque::new();
    for _ in 0..90 {
        people.push_back(app.person_in(Some(organisation)).await);
    }
    let queue = Mutex::new(people);
    let phase = AtomicU8::new(BEFORE);
    let acknowledged_after = AtomicUsize::new(0);
    let acknowledged = AtomicUsize::new(0);
    let sent_during = AtomicUsize::new(0);
    let writes = Mutex::new(Vec::new());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("passerelle.backup");
    let steps = Mutex::new(Vec::<Step>::new());

    // Three administrators' windows enrol people one after the other, before, during and after
    // the backup; the backup starts once ten enrolments are acknowledged. At most 40 are sent
    // during it (a slow backup on a loaded machine would otherwise use up the people meant for
    // after it): the others wait for it to end.
    let writer = || async {
        loop {
            if phase.load(Ordering::SeqCst) == AFTER
                && acknowledged_after.load(Ordering::SeqCst) >= 10
            {
                return;
            }
            if phase.load(Ordering::SeqCst) == DURING
                && sent_during.fetch_add(1, Ordering::SeqCst) >= 40
            {
                tokio::time::sleep(Duration::from_millis(5)).await;
                continue;
            }
            let Some(person) = queue.lock().unwrap().pop_front() else {
                return;
            };
            let sent = phase.load(Ordering::SeqCst);
            let reply = app.enrol(&admin, session, Some(person)).await;
            let answered = phase.load(Ordering::SeqCst);
            if reply.status == 201 {
                acknowledged.fetch_add(1, Ordering::SeqCst);
                if sent == AFTER {
                    acknowledged_after.fetch_add(1, Ordering::SeqCst);
                }
            }
            writes.lock().unwrap().push(Write {
                person,
                sent,
                answered,
                status: reply.status.as_u16(),
            });
        }
    };
    let backup = async {
        while acknowledged.load(Ordering::SeqCst) < 10 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        phase.store(DURING, Ordering::SeqCst);
        let written = app
            .back_up(&file, &|step| steps.lock().unwrap().push(step))
            .await
            .expect("backup under writes");
        phase.store(AFTER, Ordering::SeqCst);
        written
    };
    let (written, (), (), ()) = tokio::join!(backup, writer(), writer(), writer());
    let writes = writes.into_inner().unwrap();
    assert!(
        writes.iter().all(|w| w.status == 201),
        "every enrolment is confirmed: {writes:?}"
    );
    assert!(written.bytes > 0 && file.metadata().unwrap().len() == written.bytes);
    let steps = steps.into_inner().unwrap();
    let last = steps.last().expect("the backup reports its progress");
    assert!(last.total > 0 && last.done == last.total, "{steps:?}");
    assert!(
        steps.windows(2).all(|w| w[0].done <= w[1].done),
        "progress only goes forward: {steps:?}"
    );

    let restored = app.restored_from(&file).await;

    // What the administrator sees on the restored server: every enrolment confirmed before the
    // backup began, none sent after it ended.
    let roster: BTreeSet<Uuid> = restored
        .roster(&admin, session)
        .await
        .iter()
        .map(|e| e["person_id"].as_str().unwrap().parse().unwrap())
        .collect();
    let before: Vec<_> = writes.iter().filter(|w| w.answered == BEFORE).collect();
    let after: Vec<_> = writes.iter().filter(|w| w.sent == AFTER).collect();
    assert!(before.len() >= 10 && after.len() >= 10, "{writes:?}");
    for write in &before {
        assert!(roster.contains(&write.person), "{write:?} is lost");
    }
    for write in &after {
        assert!(
            !roster.contains(&write.person),
            "{write:?} is from the future"
        );
    }

    // The whole database, table by table: the restored one is the live one as it was at one
    // instant, the restored space's version V. Each row it holds is in the live database
    // unchanged, or changed since under a version above V; each row it lacks was written
    // under a version above V, or belongs to a table only the later enrolments wrote.
    let version = space_version(restored.db()).await;
    let live = logical_dump(app.db()).await;
    let past = logical_dump(restored.db()).await;
    assert_eq!(
        live.keys().collect::<Vec<_>>(),
        past.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    let mut grown = BTreeSet::new();
    let mut changed = BTreeSet::new();
    for (name, then) in past.iter().filter(|(name, _)| *name != "sync_space") {
        let now = &live[name];
        for (key, row) in &then.rows {
            if let Some(v) = version_of(row) {
                assert!(v <= version, "{name} {key}: version {v} is after {version}");
            }
            let current = now
                .rows
                .get(key)
                .unwrap_or_else(|| panic!("{name} {key} is gone from the live database"));
            if current != row {
                let later = version_of(current).is_some_and(|v| v > version);
                assert!(
                    later,
                    "{name} {key} changed without a later version: {row:?} → {current:?}"
                );
                changed.insert(name.as_str());
            }
        }
        for (key, row) in now.rows.iter().filter(|(k, _)| !then.rows.contains_key(*k)) {
            if let Some(v) = version_of(row) {
                assert!(
                    v > version,
                    "{name} {key} (version {v}) is missing from the backup"
                );
            }
            grown.insert(name.as_str());
        }
    }
    assert_eq!(
        grown,
        BTreeSet::from(["audit_entry", "enrolment", "outbox_event", "sync_change"]),
        "only what the later enrolments wrote is missing (the administrator's enrolments are audited)"
    );
    assert_eq!(
        changed,
        BTreeSet::from(["sync_change", "training_session"]),
        "only the session's seats changed since"
    );
    let later = writes.len() - roster.len();
    assert_eq!(
        live["enrolment"].rows.len() - past["enrolment"].rows.len(),
        later,
        "the live database has exactly the enrolments the backup did not see"
    );
    assert_ne!(
        space_epoch(restored.db()).await,
        space_epoch(app.db()).await,
        "the restored server starts a new sync epoch"
    );
}
db_test!(a_backup_taken_while_people_enrol_restores_the_database_of_one_instant);

async fn a_restore_goes_into_an_empty_database_unless_forced(mut app: TestApp) {
    let admin = app.admin().await;
    let organisation = app.organisation(&admin, "Réseau d'avant", true).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("before.backup");
    app.back_up(&file, &|_| {}).await.expect("backup");
    let before = std::fs::read(&file).unwrap();
    match app.back_up(&file, &|_| {}).await {
        Err(BackupError::OutputExists(path)) => assert_eq!(path, file),
        other => panic!("a backup over an existing file: {other:?}"),
    }
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the file is untouched"
    );

    // Work goes on after the backup.
    let later = app.organisation(&admin, "Réseau d'après", true).await;

    match app.restore_over(&file, false).await {
        Err(BackupError::NotEmpty { tables }) => assert!(tables > 10, "{tables}"),
        other => panic!("a restore over a database in use: {other:?}"),
    }
    let organisations = format!("/api/v1/organisations/{later}");
    app.get(&organisations, Some(&admin.token))
        .await
        .expect(200);

    let epoch = app.restore_over(&file, true).await.expect("forced restore");
    assert_eq!(space_epoch(app.db()).await, epoch);
    app.get(&organisations, Some(&admin.token))
        .await
        .expect(404);
    let kept = app
        .get(
            &format!("/api/v1/organisations/{organisation}"),
            Some(&admin.token),
        )
        .await;
    kept.expect(200);
    assert_eq!(kept.body["name"], "Réseau d'avant");
}
db_test!(a_restore_goes_into_an_empty_database_unless_forced);

async fn what_is_not_a_backup_is_refused_and_changes_nothing(mut app: TestApp) {
    let admin = app.admin().await;
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "ceci n'est pas une sauvegarde\n".repeat(100)).unwrap();
    let missing = dir.path().join("missing.backup");
    for (input, force) in [(&text, true), (&missing, true), (&text, false)] {
        match app.restore_over(input, force).await {
            Err(BackupError::NotABackup(path, why)) => {
                assert_eq!(&path, input);
                assert!(!why.is_empty());
            }
            other => panic!("{} restored: {other:?}", input.display()),
        }
    }
    app.get("/api/v1/me", Some(&admin.token)).await.expect(200);
}
db_test!(what_is_not_a_backup_is_refused_and_changes_nothing);

/// A table's rows by primary key (as JSON text), each a map of column to value.
pub struct Table {
    pub rows: BTreeMap<String, serde_json::Map<String, Value>>,
}

/// Every table of the database, each row a JSON object (SQLite: each column's `quote()`;
/// PostgreSQL: `row_to_json`) keyed by its primary key: two databases hold the same data when
/// their dumps are equal.
pub async fn logical_dump(db: &DatabaseConnection) -> BTreeMap<String, Table> {
    let sqlite = db.get_database_backend() == DbBackend::Sqlite;
    let tables_sql = if sqlite {
        "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    } else {
        "SELECT table_name::text AS t FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
    };
    let mut dump = BTreeMap::new();
    for table in strings(db, tables_sql, "t").await {
        let (rows_sql, key_sql) = if sqlite {
            let columns = strings(
                db,
                &format!("SELECT name AS c FROM pragma_table_info('{table}') ORDER BY cid"),
                "c",
            )
            .await;
            let fields = columns
                .iter()
                .map(|c| format!("'{c}', quote(\"{c}\")"))
                .collect::<Vec<_>>()
                .join(", ");
            (
                format!("SELECT json_object({fields}) AS r FROM \"{table}\""),
                format!(
                    "SELECT name AS c FROM pragma_table_info('{table}') WHERE pk > 0 ORDER BY pk"
                ),
            )
        } else {
            (
                format!("SELECT row_to_json(t)::text AS r FROM \"{table}\" t"),
                format!(
                    "SELECT a.attname::text AS c FROM pg_index i JOIN pg_attribute a \
                     ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
                     WHERE i.indrelid = to_regclass('\"{table}\"') AND i.indisprimary \
                     ORDER BY array_position(i.indkey, a.attnum)"
                ),
            )
        };
        let key = strings(db, &key_sql, "c").await;
        assert!(!key.is_empty(), "{table} has no primary key");
        let mut rows = BTreeMap::new();
        for text in strings(db, &rows_sql, "r").await {
            let Value::Object(row) = serde_json::from_str::<Value>(&text).unwrap() else {
                panic!("{table}: {text} is not an object");
            };
            let id =
                serde_json::to_string(&key.iter().map(|c| &row[c]).collect::<Vec<_>>()).unwrap();
            assert!(rows.insert(id, row).is_none(), "{table}: duplicate key");
        }
        dump.insert(table, Table { rows });
    }
    dump
}

/// A synced row's version (SQLite's `quote()` gives it as text).
fn version_of(row: &serde_json::Map<String, Value>) -> Option<i64> {
    match row.get("version")? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

async fn strings(db: &DatabaseConnection, sql: &str, column: &str) -> Vec<String> {
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|row| row.try_get::<String>("", column).unwrap())
        .collect()
}

async fn space_version(db: &DatabaseConnection) -> i64 {
    passerelle::db::space_version(db).await.unwrap()
}

async fn space_epoch(db: &DatabaseConnection) -> Uuid {
    use sea_orm::EntityTrait;
    entity::sync_space::Entity::find_by_id(passerelle::db::DEFAULT_SPACE)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .epoch
}
