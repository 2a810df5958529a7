//! Scenario 7: transactions that commit in another order than they started. The pull's cursor
//! is a version handed out at commit, so a transaction that commits after a pull is never
//! skipped; a naive `updated_at` cursor, run against the same interleaving, loses its row (which
//! shows these tests can catch the bug); and a randomized run of concurrent writers against a
//! pulling device converges.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::attendance_mark;
use entity::status::MarkStatus;
use passerelle::clock::Clock;
use passerelle::db::write::WriteTx;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::device::{Device, mark_id};
use super::oracle::pull_and_check;
use super::session_day;
use crate::harness::TestApp;

/// How long a test lets a blocked writer wait before it looks (as in `sync_stamping`).
const SETTLE: Duration = Duration::from_millis(300);

/// The version of a row of the device's synced base.
fn version_in(device: &Device, entity_type: &str, id: Uuid) -> Option<i64> {
    device
        .base
        .get(&(entity_type.to_owned(), id))
        .map(|row| row.version)
}

/// The version a mark has on the server.
async fn mark_version(db: &DatabaseConnection, id: Uuid) -> i64 {
    attendance_mark::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .expect("the mark")
        .version
}

/// T1: stamps a half-day's row in a transaction of its own, on another pool, left open.
async fn touch_slot(other: &DatabaseConnection, clock: &Clock, slot: Uuid) -> WriteTx {
    let mut tx = WriteTx::begin(other, clock).await.unwrap();
    let row = tx
        .lock::<entity::slot::Entity>(slot)
        .await
        .unwrap()
        .unwrap();
    tx.touch::<entity::slot::Entity>(&row).await.unwrap();
    tx
}

/// Scenario 7: T1 stamps a half-day of the session and stays open; T2 records a mark of the
/// same session through the API; the device pulls; then T1 commits. On PostgreSQL, T2 does
/// not wait (it locks neither that half-day nor anything T1 holds): it commits first, the
/// device pulls it and moves its cursor past it, and T1, committing later, still gets the
/// higher version, so the next pull brings it. On SQLite T2 waits for T1's write lock. Either
/// way versions follow commit order and the device ends with both rows.
async fn a_transaction_that_commits_after_a_pull_is_not_skipped_by_the_next_pull(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 1).await;
    let trainee = running.trainees[0].id;
    let (marked_slot, touched_slot) = (running.slots[0], running.slots[1]);
    let app = Arc::new(app);
    let mut device = Device::register(&app, &running.trainer).await;
    pull_and_check(&app, &mut device).await;
    let slot_before = version_in(&device, "slot", touched_slot).expect("the half-day");

    let other = app.second_pool().await;
    let t1 = touch_slot(&other, &running.clock, touched_slot).await;
    let t2 = {
        let app = app.clone();
        let token = admin.token.clone();
        tokio::spawn(async move {
            let reply = app
                .put(
                    &format!("/api/v1/slots/{marked_slot}/marks/{trainee}"),
                    Some(&token),
                    json!({ "status": "absent" }),
                )
                .await;
            reply.expect(201);
        })
    };
    let mut t2 = t2;
    if app.engine.is_postgres() {
        tokio::time::timeout(Duration::from_secs(10), &mut t2)
            .await
            .expect("PostgreSQL: T2 commits while T1 is open")
            .unwrap();
    } else {
        tokio::time::sleep(SETTLE).await;
    }
    let between = device.pull(&app, None).await;
    between.expect(200);
    let mark = mark_id(marked_slot, trainee);
    if app.engine.is_postgres() {
        assert!(
            version_in(&device, "attendance_mark", mark).is_some(),
            "T2's mark is pulled while T1 is open"
        );
    } else {
        assert!(!t2.is_finished(), "SQLite: T2 waits for T1's write lock");
        assert!(version_in(&device, "attendance_mark", mark).is_none());
    }
    assert_eq!(
        version_in(&device, "slot", touched_slot),
        Some(slot_before),
        "T1 is not visible before it commits"
    );

    let t1_version = t1.commit().await.unwrap().expect("T1 stamped its row");
    if !t2.is_finished() {
        t2.await.unwrap();
    }
    let t2_version = mark_version(app.db(), mark).await;
    if app.engine.is_postgres() {
        assert!(
            t1_version > t2_version,
            "T1 committed last, so its version is higher: {t1_version} vs {t2_version}"
        );
    } else {
        assert!(t2_version > t1_version, "{t2_version} vs {t1_version}");
    }
    pull_and_check(&app, &mut device).await;
    assert_eq!(
        version_in(&device, "slot", touched_slot),
        Some(t1_version),
        "the late commit is pulled"
    );
    assert_eq!(
        version_in(&device, "attendance_mark", mark),
        Some(t2_version)
    );
}
db_test!(a_transaction_that_commits_after_a_pull_is_not_skipped_by_the_next_pull);

/// Scenario 7, T2 blocked: T1 stamps the session's own row and stays open; a mark of that
/// session through the API locks the session row first, so it waits for T1 on both engines
/// (row lock on PostgreSQL, write lock on SQLite) and gets the higher version. A pull meanwhile
/// sees neither; the next one sees both.
async fn a_write_waiting_on_an_open_transaction_gets_the_higher_version_and_both_are_pulled(
    mut app: TestApp,
) {
    let (admin, running) = session_day(&mut app, 1).await;
    let trainee = running.trainees[0].id;
    let slot = running.slots[0];
    let app = Arc::new(app);
    let mut device = Device::register(&app, &running.trainer).await;
    pull_and_check(&app, &mut device).await;
    let session_before = version_in(&device, "session", running.session).unwrap();

    let other = app.second_pool().await;
    let mut t1 = WriteTx::begin(&other, &running.clock).await.unwrap();
    let session = t1
        .lock::<entity::training_session::Entity>(running.session)
        .await
        .unwrap()
        .unwrap();
    t1.touch::<entity::training_session::Entity>(&session)
        .await
        .unwrap();
    let t2 = {
        let app = app.clone();
        let token = admin.token.clone();
        tokio::spawn(async move {
            app.put(
                &format!("/api/v1/slots/{slot}/marks/{trainee}"),
                Some(&token),
                json!({ "status": "excused" }),
            )
            .await
            .expect(201);
        })
    };
    tokio::time::sleep(SETTLE).await;
    assert!(!t2.is_finished(), "T2 waits for T1");
    let between = device.pull(&app, None).await;
    between.expect(200);
    assert_eq!(between.body["changes"], json!([]), "nothing committed yet");
    let t1_version = t1.commit().await.unwrap().unwrap();
    t2.await.unwrap();
    let t2_version = mark_version(app.db(), mark_id(slot, trainee)).await;
    assert!(t2_version > t1_version, "{t2_version} vs {t1_version}");

    pull_and_check(&app, &mut device).await;
    let session_after = version_in(&device, "session", running.session).unwrap();
    assert_eq!(session_after, t1_version);
    assert!(session_after > session_before);
    assert_eq!(
        version_in(&device, "attendance_mark", mark_id(slot, trainee)),
        Some(t2_version)
    );
}
db_test!(a_write_waiting_on_an_open_transaction_gets_the_higher_version_and_both_are_pulled);

/// The PostgreSQL backend process of a transaction.
async fn backend_pid(conn: &impl sea_orm::ConnectionTrait) -> i32 {
    conn.query_one_raw(sea_orm::Statement::from_string(
        sea_orm::DbBackend::Postgres,
        "SELECT pg_backend_pid() AS pid",
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get("", "pid")
    .unwrap()
}

/// How many PostgreSQL backends wait for a lock that backend `pid` holds.
async fn blocked_by(db: &DatabaseConnection, pid: i32) -> i64 {
    db.query_one_raw(sea_orm::Statement::from_sql_and_values(
        sea_orm::DbBackend::Postgres,
        "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))",
        [pid.into()],
    ))
    .await
    .unwrap()
    .unwrap()
    .try_get("", "n")
    .unwrap()
}

/// An administrator's edit of `person` (their last name), by the server's own code on another
/// pool, left open: it holds the person's row `FOR UPDATE` (`lock_person`) until committed.
async fn open_edit_of(other: &DatabaseConnection, clock: &Clock, person: Uuid) -> WriteTx {
    use passerelle::accounts::model::PersonChanges;
    use passerelle::accounts::service as accounts;
    let changes = accounts::prepare_person_changes(PersonChanges {
        last_name: Some("Renamed".into()),
        ..PersonChanges::default()
    })
    .await
    .unwrap();
    let mut edit = WriteTx::begin(other, clock).await.unwrap();
    accounts::update_person(
        &mut edit,
        &passerelle::principal::Principal::system(),
        person,
        changes,
    )
    .await
    .unwrap();
    edit
}

/// Commits `edit` once `writer` waits for it (on PostgreSQL, a backend blocked by the edit's),
/// or is done if it need not wait; answers how the commit went.
async fn commit_when_waited_on<T>(
    app: &TestApp,
    edit: WriteTx,
    writer: &tokio::task::JoinHandle<T>,
) -> Result<Option<i64>, sea_orm::DbErr> {
    if app.engine.is_postgres() {
        let pid = backend_pid(edit.conn()).await;
        let waited = std::time::Instant::now();
        while !writer.is_finished() && blocked_by(app.db(), pid).await == 0 {
            assert!(
                waited.elapsed() < Duration::from_secs(10),
                "the writer never came"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    } else {
        // SQLite: the writer waits for the edit's write lock.
        tokio::time::sleep(SETTLE).await;
    }
    edit.commit().await
}

/// On PostgreSQL a row that a transaction already updated is stamped at commit by a second
/// `UPDATE` (`version = -1`, then `version = V`). Because that row version is the
/// transaction's own, PostgreSQL checks its foreign keys again on the second `UPDATE`, taking
/// `FOR KEY SHARE` on each parent row — after `sync_space` is locked. A mark's parent is its
/// trainee's `person` row, which an edit of that person holds `FOR UPDATE` (`lock_person`). So
/// a mark of P that reaches its commit while an edit of P is open waits for the edit while
/// holding the space row, and the edit, committing, waits for the space row: a deadlock, and
/// one of the two fails (500 or a failed commit). Both must succeed, one after the other.
///
/// The edit runs the server's own code (`accounts::service::update_person`) on another pool,
/// its commit late; the mark goes through the API.
async fn a_mark_and_an_edit_of_its_trainee_committing_together_both_succeed(mut app: TestApp) {
    let (admin, running) = session_day(&mut app, 1).await;
    let trainee = running.trainees[0].id;
    let slot = running.slots[0];
    app.mark(&admin, slot, trainee, json!({ "status": "absent" }))
        .await
        .expect(201);
    let app = Arc::new(app);
    let other = app.second_pool().await;
    let edit = open_edit_of(&other, &running.clock, trainee).await;
    let mark = {
        let app = app.clone();
        let token = admin.token.clone();
        tokio::spawn(async move {
            app.put(
                &format!("/api/v1/slots/{slot}/marks/{trainee}"),
                Some(&token),
                json!({ "status": "excused" }),
            )
            .await
        })
    };
    let edited = commit_when_waited_on(&app, edit, &mark).await;
    let marked = mark.await.unwrap();
    assert!(
        edited.is_ok(),
        "the edit of the trainee failed at commit: {edited:?}"
    );
    assert_eq!(
        marked.status, 200,
        "the mark of the trainee failed: {}",
        marked.text
    );
    let mut device = Device::register(&app, &running.trainer).await;
    pull_and_check(&app, &mut device).await;
}
db_test!(a_mark_and_an_edit_of_its_trainee_committing_together_both_succeed);

/// The same deadlock through sync: a device pushes a trainee's mark while an administrator's
/// edit of that trainee is open; on PostgreSQL the push, stamping the mark while it holds the
/// space row, waits for the edit, which waits for the space row. The push must go through (not
/// a spurious 503) and the edit commit.
async fn a_pushed_mark_and_an_edit_of_its_trainee_committing_together_both_succeed(
    mut app: TestApp,
) {
    let (_admin, running) = session_day(&mut app, 1).await;
    let trainee = running.trainees[0].id;
    let slot = running.slots[0];
    let app = Arc::new(app);
    let mut device = Device::register(&app, &running.trainer).await;
    device.set_mark(&app, slot, trainee, Some("absent"), None);
    device.push(&app).await.expect(200);
    device.set_mark(&app, slot, trainee, Some("excused"), None);

    let other = app.second_pool().await;
    let edit = open_edit_of(&other, &running.clock, trainee).await;
    let push = {
        let app = app.clone();
        tokio::spawn(async move {
            let reply = device.push(&app).await;
            (device, reply)
        })
    };
    let edited = commit_when_waited_on(&app, edit, &push).await;
    let (mut device, pushed) = push.await.unwrap();
    assert!(
        edited.is_ok(),
        "the edit of the trainee failed at commit: {edited:?}"
    );
    assert_eq!(pushed.status, 200, "the push failed: {}", pushed.text);
    assert_eq!(pushed.body["results"][0]["status"], "applied");
    pull_and_check(&app, &mut device).await;
}
db_test!(a_pushed_mark_and_an_edit_of_its_trainee_committing_together_both_succeed);

// ----- the same interleaving against a naive cursor ------------------------------------------

/// What the protocol must not do: pull a table's rows with `updated_at > last_seen`, in
/// `updated_at` order, and move `last_seen` to the latest `updated_at` seen.
struct NaivePuller {
    session: Uuid,
    last_seen: Option<DateTime<Utc>>,
    seen: BTreeMap<Uuid, attendance_mark::Model>,
}

impl NaivePuller {
    fn new(session: Uuid) -> Self {
        Self {
            session,
            last_seen: None,
            seen: BTreeMap::new(),
        }
    }

    async fn pull(&mut self, db: &DatabaseConnection) {
        let mut query = attendance_mark::Entity::find()
            .filter(attendance_mark::Column::ContextId.eq(self.session));
        if let Some(last) = self.last_seen {
            query = query.filter(attendance_mark::Column::UpdatedAt.gt(last));
        }
        let rows = query
            .order_by_asc(attendance_mark::Column::UpdatedAt)
            .all(db)
            .await
            .unwrap();
        for row in rows {
            self.last_seen = Some(
                self.last_seen
                    .map_or(row.updated_at, |l| l.max(row.updated_at)),
            );
            self.seen.insert(row.id, row);
        }
    }

    fn status(&self, id: Uuid) -> Option<MarkStatus> {
        self.seen.get(&id).map(|row| row.status)
    }
}

/// T1: sets a mark to `excused`, stamped `updated_at` = the instant its transaction began.
async fn excuse(tx: &mut WriteTx, mark: Uuid) {
    let before = tx
        .lock::<attendance_mark::Entity>(mark)
        .await
        .unwrap()
        .unwrap();
    let mut row: attendance_mark::ActiveModel = before.clone().into();
    row.status = Set(MarkStatus::Excused);
    row.updated_at = Set(tx.now());
    tx.update::<attendance_mark::Entity, _>(&before, row)
        .await
        .unwrap();
}

/// Scenario 7 against a naive cursor (the Hasura #8632 reproduction): T1 is stamped at t0 but
/// commits after T2, stamped t1 > t0, and after a puller saw T2. The naive `updated_at` cursor
/// has moved to t1 and never returns T1's row — this test passes when the naive cursor LOSES
/// it — while the device, on the server's version cursor, gets it.
///
/// On PostgreSQL the interleaving is real (T1 open on another pool while T2 commits through the
/// API). SQLite has one writer, so T1's timestamp is taken at its start and its write
/// transaction runs after T2 (a timestamp taken outside the writer's critical section:
/// khive #780).
async fn a_naive_updated_at_cursor_loses_the_row_of_a_transaction_that_commits_late(
    mut app: TestApp,
) {
    let (admin, running) = session_day(&mut app, 2).await;
    let slot = running.slots[0];
    let (late, early) = (running.trainees[0].id, running.trainees[1].id);
    let (late_mark, early_mark) = (mark_id(slot, late), mark_id(slot, early));
    for person in [late, early] {
        app.mark(&admin, slot, person, json!({ "status": "absent" }))
            .await
            .expect(201);
    }
    let mut naive = NaivePuller::new(running.session);
    naive.pull(app.db()).await;
    assert_eq!(naive.seen.len(), 2);
    let mut device = Device::register(&app, &running.trainer).await;
    pull_and_check(&app, &mut device).await;

    // T1 starts at t0.
    running.clock.advance(chrono::Duration::minutes(1));
    let t0 = running.clock.now();
    let other = app.second_pool().await;
    let mut t1 = if app.engine.is_postgres() {
        let mut tx = WriteTx::begin(&other, &running.clock).await.unwrap();
        excuse(&mut tx, late_mark).await;
        Some(tx)
    } else {
        None
    };
    // T2 at t1 > t0 commits first.
    running.clock.advance(chrono::Duration::minutes(1));
    app.mark(&admin, slot, early, json!({ "status": "excused" }))
        .await
        .expect(200);
    naive.pull(app.db()).await;
    device.pull(&app, None).await.expect(200);
    assert_eq!(naive.status(early_mark), Some(MarkStatus::Excused));
    assert!(
        naive.last_seen.unwrap() > t0,
        "the naive cursor moved past t0"
    );

    // T1 commits last, stamped t0.
    let t1_version = match t1.take() {
        Some(tx) => tx.commit().await.unwrap().unwrap(),
        None => {
            let mut tx = WriteTx::begin(&other, &Clock::manual(t0)).await.unwrap();
            excuse(&mut tx, late_mark).await;
            tx.commit().await.unwrap().unwrap()
        }
    };
    let stored = attendance_mark::Entity::find_by_id(late_mark)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, MarkStatus::Excused);
    assert_eq!(stored.updated_at, t0, "T1 is stamped earlier than T2");
    assert_eq!(stored.version, t1_version);

    // Later writes move the naive cursor on; T1's row never comes.
    for _ in 0..2 {
        naive.pull(app.db()).await;
        running.clock.advance(chrono::Duration::minutes(1));
        app.mark(&admin, slot, early, json!({ "status": "absent" }))
            .await
            .expect(200);
    }
    naive.pull(app.db()).await;
    assert_eq!(
        naive.status(late_mark),
        Some(MarkStatus::Absent),
        "the naive updated_at cursor lost T1's row (if it has it, this test no longer \
         reproduces the bug it is meant to catch)"
    );

    // The device, on the version cursor, has it.
    pull_and_check(&app, &mut device).await;
    let row = &device.base[&("attendance_mark".to_owned(), late_mark)];
    assert_eq!(row.data["status"], "excused");
    assert_eq!(row.version, t1_version);
}
db_test!(a_naive_updated_at_cursor_loses_the_row_of_a_transaction_that_commits_late);

// ----- randomized concurrent writers and a pulling device -------------------------------------

/// A small deterministic generator (xorshift64*), so a run's writes can be replayed by seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

/// What the pulling device checked while the writers ran.
#[derive(Debug, Default)]
struct Watched {
    runs: usize,
    pages: usize,
    changes: usize,
}

/// Pulls runs of small pages until `done`, checking that versions never go back: inside a run
/// they follow the keyset order, each run starts above what the run before it brought, and no
/// row is ever replaced by an older version of itself.
async fn watch(app: Arc<TestApp>, mut device: Device, done: Arc<AtomicBool>) -> (Device, Watched) {
    let mut watched = Watched::default();
    let mut highest: BTreeMap<(String, String), i64> = BTreeMap::new();
    let mut previous_run_max = 0i64;
    loop {
        let last = done.load(Ordering::SeqCst);
        let mut run_max = previous_run_max;
        let mut previous: Option<i64> = None;
        loop {
            let page = device.pull_page(&app, Some(4)).await;
            page.expect(200);
            assert!(page.body["reset"].is_null(), "{}", page.text);
            watched.pages += 1;
            for change in page.body["changes"].as_array().unwrap() {
                let version = change["version"].as_i64().unwrap();
                let key = (
                    change["type"].as_str().unwrap().to_owned(),
                    change["id"].as_str().unwrap().to_owned(),
                );
                if let Some(before) = previous {
                    assert!(
                        version >= before,
                        "a version went back inside a run: {before} then {version}"
                    );
                }
                if watched.runs > 0 {
                    assert!(
                        version > previous_run_max,
                        "a run brought {version}, not above the last run's {previous_run_max}: {change}"
                    );
                }
                if let Some(held) = highest.get(&key) {
                    assert!(
                        version >= *held,
                        "{key:?} went back from {held} to {version}"
                    );
                }
                highest.insert(key, version);
                previous = Some(version);
                run_max = run_max.max(version);
                watched.changes += 1;
            }
            if page.body["has_more"] == false {
                break;
            }
        }
        previous_run_max = run_max;
        watched.runs += 1;
        if last {
            return (device, watched);
        }
        tokio::time::sleep(Duration::from_millis(3)).await;
    }
}

/// Scenario 7, randomized: two writers through the API (each a transaction that locks the
/// session) and two writers of their own (on other pools on PostgreSQL, each holding its
/// transaction open a few milliseconds, so commits finish out of start order) write a few
/// hundred changes to one session while a device pulls in small pages. The device never sees a
/// version go back, and a final pull converges with the server.
async fn concurrent_writers_and_a_pulling_device_converge_without_a_version_going_back(
    mut app: TestApp,
) {
    const API_WRITES: usize = 60;
    const OWN_WRITES: usize = 80;
    let seed = 0x5eed_0007_u64;
    eprintln!("seed {seed:#x}");
    let (admin, running) = session_day(&mut app, 6).await;
    let people: Vec<Uuid> = running.trainees.iter().map(|t| t.id).collect();
    for slot in &running.slots {
        for person in &people {
            app.mark(&admin, *slot, *person, json!({ "status": "absent" }))
                .await
                .expect(201);
        }
    }
    let app = Arc::new(app);
    let mut device = Device::register(&app, &running.trainer).await;
    pull_and_check(&app, &mut device).await;
    let done = Arc::new(AtomicBool::new(false));
    let watcher = tokio::spawn(watch(app.clone(), device, done.clone()));

    let mut writers = Vec::new();
    for w in 0..2u64 {
        // Through the API: trainees 0–2.
        let (app, token) = (app.clone(), admin.token.clone());
        let (slots, people) = (running.slots.clone(), people[..3].to_vec());
        writers.push(tokio::spawn(async move {
            let mut rng = Rng::new(seed + w);
            for _ in 0..API_WRITES {
                let slot = slots[rng.below(slots.len() as u64) as usize];
                let person = people[rng.below(people.len() as u64) as usize];
                let status = ["absent", "excused"][rng.below(2) as usize];
                let reply = app
                    .put(
                        &format!("/api/v1/slots/{slot}/marks/{person}"),
                        Some(&token),
                        json!({ "status": status }),
                    )
                    .await;
                assert!(reply.status.is_success(), "{}", reply.text);
            }
        }));
    }
    for w in 0..2u64 {
        // Writers of their own: trainees 3–5 and the half-days' rows.
        let app = app.clone();
        let pool = if app.engine.is_postgres() {
            Some(app.second_pool().await)
        } else {
            None
        };
        let (slots, people) = (running.slots.clone(), people[3..].to_vec());
        let session = running.session;
        writers.push(tokio::spawn(async move {
            let mut rng = Rng::new(seed + 100 + w);
            for _ in 0..OWN_WRITES {
                let mut tx = match &pool {
                    Some(pool) => WriteTx::begin(pool, &Clock::system()).await.unwrap(),
                    // SQLite: in the server's writer queue, as its own requests are.
                    None => app.state.writer().begin().await.unwrap(),
                };
                let slot = slots[rng.below(slots.len() as u64) as usize];
                if rng.below(10) < 7 {
                    let person = people[rng.below(people.len() as u64) as usize];
                    let before = tx
                        .lock::<attendance_mark::Entity>(mark_id(slot, person))
                        .await
                        .unwrap()
                        .unwrap();
                    let mut row: attendance_mark::ActiveModel = before.clone().into();
                    row.status = Set(if rng.below(2) == 0 {
                        MarkStatus::Absent
                    } else {
                        MarkStatus::Excused
                    });
                    row.updated_at = Set(tx.now());
                    tx.update::<attendance_mark::Entity, _>(&before, row)
                        .await
                        .unwrap();
                } else {
                    // The server's lock order: the session, then the half-day.
                    tx.lock::<entity::training_session::Entity>(session)
                        .await
                        .unwrap()
                        .unwrap();
                    let row = tx
                        .lock::<entity::slot::Entity>(slot)
                        .await
                        .unwrap()
                        .unwrap();
                    tx.touch::<entity::slot::Entity>(&row).await.unwrap();
                }
                tokio::time::sleep(Duration::from_millis(rng.below(4))).await;
                tx.commit().await.unwrap().unwrap();
            }
        }));
    }
    for writer in writers {
        writer.await.unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let (mut device, watched) = watcher.await.unwrap();
    eprintln!("{watched:?}");
    assert!(
        watched.runs > 2,
        "the device pulled while the writers ran: {watched:?}"
    );
    pull_and_check(&app, &mut device).await;
    let marks: Vec<&Value> = device
        .base
        .iter()
        .filter(|((t, _), _)| t == "attendance_mark")
        .map(|(_, row)| &row.data)
        .collect();
    assert_eq!(marks.len(), running.slots.len() * people.len());
}
db_test!(concurrent_writers_and_a_pulling_device_converge_without_a_version_going_back);
