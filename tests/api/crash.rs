//! Crash safety: the real `passerelle serve` process is killed with SIGKILL in the middle of a
//! burst of concurrent writes — enrolments, online attendance marks and two devices' sync pushes
//! of marks — several times (kill points drawn from a seed), and restarted on the same database.
//! Every write it acknowledged with a 2xx is there after the restart; nothing is half-applied: no
//! seat over capacity, the session's seat count agrees with its confirmed enrolments, every
//! enrolment and mark is in the sync change index under a version the space has handed out (a
//! device's next pull brings it), a push whose answer the kill cut off is applied once when the
//! device sends it again, and an acknowledged push sent again is answered with its stored
//! outcomes (`replayed`) and changes nothing.
//!
//! `PASSERELLE_CRASH_SEED=<n>` replays a run; `PASSERELLE_CRASH_ROUNDS=<n>` runs more kills
//! (3 in the test command).

use std::collections::{BTreeSet, VecDeque};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

use crate::harness::TestApp;

const CAPACITY: i32 = 70;
const WRITERS: usize = 8;
/// Devices pushing marks beside the writers, and the marks in one push.
const DEVICES: usize = 2;
const PER_PUSH: usize = 2;

/// A device's push of marks (`attendance.set@1`, absent): its mutations' seqs, ids, half-days
/// and trainees.
#[derive(Clone, Debug)]
struct Push {
    items: Vec<(i64, Uuid, Uuid, Uuid)>,
}

impl Push {
    fn body(&self, device: Uuid) -> String {
        let mutations: Vec<serde_json::Value> = self
            .items
            .iter()
            .map(|&(seq, id, slot, person)| {
                serde_json::json!({
                    "seq": seq,
                    "id": id,
                    "name": "attendance.set@1",
                    "hlc": (1_800_000_000_000_i64 + seq) << 16,
                    "base_version": null,
                    "prev_local_seq": null,
                    "args": { "slot_id": slot, "person_id": person, "status": "absent" },
                })
            })
            .collect();
        serde_json::json!({
            "protocol": 1,
            "schema_version": 1,
            "device_id": device,
            "mutations": mutations,
        })
        .to_string()
    }
}

/// A device of the burst: what it has left to push, the push in flight whose answer the kill
/// may have cut off, and the pushes the server acknowledged with their answers.
#[derive(Debug, Default)]
struct DeviceRun {
    id: Uuid,
    todo: VecDeque<(Uuid, Uuid)>,
    next_seq: i64,
    unanswered: Option<Push>,
    acknowledged: Vec<(Push, serde_json::Value)>,
}

impl DeviceRun {
    fn next_push(&mut self) -> Option<Push> {
        if let Some(push) = self.unanswered.clone() {
            return Some(push);
        }
        let mut items = Vec::new();
        while items.len() < PER_PUSH {
            let Some((slot, person)) = self.todo.pop_front() else {
                break;
            };
            self.next_seq += 1;
            items.push((self.next_seq, Uuid::now_v7(), slot, person));
        }
        (!items.is_empty()).then_some(Push { items })
    }
}

/// Pushes until the device has nothing left or the server is gone (the push in flight then
/// stays unanswered: its outcome is unknown until it is sent again).
async fn push_until_killed(addr: SocketAddr, token: String, device: Arc<Mutex<DeviceRun>>) {
    loop {
        let (id, push) = {
            let mut run = device.lock().unwrap();
            let Some(push) = run.next_push() else { return };
            run.unanswered = Some(push.clone());
            (run.id, push)
        };
        match request(addr, "POST", "/sync/v1/push", Some(&token), &push.body(id)).await {
            Some((200, body)) => {
                let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
                let last = push.items.last().unwrap().0;
                assert_eq!(answer["last_seq"].as_i64(), Some(last), "{body}");
                let mut run = device.lock().unwrap();
                run.unanswered = None;
                run.acknowledged.push((push, answer));
            }
            Some((status, text)) => panic!("push answered {status} before the kill: {text}"),
            None => return,
        }
    }
}

/// One write of the burst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Write {
    /// An administrator enrols this person.
    Enrol(Uuid),
    /// An administrator records this trainee absent at this half-day.
    Mark { slot: Uuid, person: Uuid },
}

impl Write {
    fn request(self, session: Uuid) -> (&'static str, String, String) {
        match self {
            Write::Enrol(person) => (
                "POST",
                format!("/api/v1/sessions/{session}/enrolments"),
                format!("{{\"person_id\":\"{person}\"}}"),
            ),
            Write::Mark { slot, person } => (
                "PUT",
                format!("/api/v1/slots/{slot}/marks/{person}"),
                "{\"status\":\"absent\"}".to_owned(),
            ),
        }
    }
}

/// A `passerelle serve` process on the test's database.
struct Server {
    child: Child,
    addr: SocketAddr,
    _data: tempfile::TempDir,
}

impl Server {
    async fn start(app: &TestApp) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let data = tempfile::tempdir().unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_passerelle"))
            .arg("serve")
            .args(["--bind", &addr.to_string()])
            .args(["--database-url", &app.database_url_for_a_process()])
            .arg("--data-dir")
            .arg(data.path())
            .args(["--log-format", "json", "--db-max-connections", "4"])
            .env("RUST_LOG", "error")
            // The session's half-days lie in 2027: marks open that far ahead.
            .env("PASSERELLE_MARK_OPENS_BEFORE_MINUTES", "10000000")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start passerelle serve");
        let server = Server {
            child,
            addr,
            _data: data,
        };
        for _ in 0..600 {
            if let Some((200, _)) = request(addr, "GET", "/readyz", None, "").await {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("passerelle serve did not become ready on {addr}");
    }

    /// SIGKILL: no shutdown, no flush, nothing but what the storage already holds.
    fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reap");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request on its own connection; `None` when the server is gone (refused, reset,
/// cut off mid-answer): the write's outcome is then unknown.
async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Option<(u16, String)> {
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
        let auth = token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(head.as_bytes()).await.ok()?;
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).await.ok()?;
        let reply = String::from_utf8_lossy(&reply).into_owned();
        let status = reply.split(' ').nth(1)?.parse().ok()?;
        let (_, body) = reply.split_once("\r\n\r\n")?;
        Some((status, body.to_owned()))
    };
    tokio::time::timeout(Duration::from_secs(30), exchange)
        .await
        .ok()
        .flatten()
}

async fn acknowledged_writes_survive_a_kill_9_of_the_server(app: TestApp) {
    let seed: u64 = std::env::var("PASSERELLE_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261207);
    let rounds: usize = std::env::var("PASSERELLE_CRASH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let engine = if app.engine.is_postgres() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let admin = app.admin().await;
    let organisation = app.organisation(&admin, "Réseau Coupure", true).await;
    let session = app.open_session(&admin, CAPACITY).await;
    // Thirty trainees hold a seat before the burst: the burst marks them at both half-days.
    let slots: Vec<Uuid> = app
        .get(&format!("/api/v1/sessions/{session}"), Some(&admin.token))
        .await
        .body["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().parse().unwrap())
        .collect();
    let mut marks = Vec::new();
    for _ in 0..30 {
        let person = app.person_in(Some(organisation)).await;
        app.enrol(&admin, session, Some(person)).await.expect(201);
        marks.extend(slots.iter().map(|&slot| Write::Mark { slot, person }));
    }
    // Twenty-four more hold a seat: two devices of the administrator push their marks, two at a
    // time, so that pushes are in flight at each kill.
    let mut devices = Vec::new();
    for _ in 0..DEVICES {
        let registered = app
            .post(
                "/api/v1/devices",
                Some(&admin.token),
                serde_json::json!({ "name": "Tablette", "platform": "android" }),
            )
            .await;
        registered.expect(201);
        let mut run = DeviceRun {
            id: registered.id(),
            ..DeviceRun::default()
        };
        for _ in 0..12 {
            let person = app.person_in(Some(organisation)).await;
            app.enrol(&admin, session, Some(person)).await.expect(201);
            run.todo.extend(slots.iter().map(|&slot| (slot, person)));
        }
        devices.push(Arc::new(Mutex::new(run)));
    }
    let mut work = VecDeque::new();
    let mut marks = marks.into_iter();
    for i in 0..rounds * 150 {
        work.push_back(Write::Enrol(app.person_in(Some(organisation)).await));
        if i % 3 == 0
            && let Some(mark) = marks.next()
        {
            work.push_back(mark);
        }
    }
    work.extend(marks);
    let queue = Arc::new(Mutex::new(work));
    let mut acknowledged = BTreeSet::new();

    for round in 1..=rounds {
        let mut server = Server::start(&app).await;
        let kill_after = Duration::from_millis(rng.random_range(40..400));
        let acked = Arc::new(Mutex::new(Vec::new()));
        let writers: Vec<_> = (0..WRITERS)
            .map(|_| {
                let (queue, acked) = (queue.clone(), acked.clone());
                let (addr, token) = (server.addr, admin.token.clone());
                tokio::spawn(async move {
                    loop {
                        let Some(write) = queue.lock().unwrap().pop_front() else {
                            return;
                        };
                        let (method, path, body) = write.request(session);
                        match request(addr, method, &path, Some(&token), &body).await {
                            Some((200 | 201, _)) => acked.lock().unwrap().push(write),
                            Some((status, text)) => {
                                assert!(status < 500, "{status} before the kill: {text}");
                            }
                            None => return,
                        }
                    }
                })
            })
            .collect();
        let pushers: Vec<_> = devices
            .iter()
            .map(|device| {
                tokio::spawn(push_until_killed(
                    server.addr,
                    admin.token.clone(),
                    device.clone(),
                ))
            })
            .collect();
        tokio::time::sleep(kill_after).await;
        server.kill();
        for writer in writers.into_iter().chain(pushers) {
            writer.await.unwrap();
        }
        let acked = std::mem::take(&mut *acked.lock().unwrap());
        acknowledged.extend(acked.iter().copied());

        // Restarted on the same database, the server answers for every acknowledged write.
        let server = Server::start(&app).await;
        let roster = all_enrolments(&server, &admin.token, session).await;
        let present: BTreeSet<Uuid> = roster.iter().map(|(person, _, _)| *person).collect();
        let mut lost = Vec::new();
        for write in &acknowledged {
            let there = match *write {
                Write::Enrol(person) => present.contains(&person),
                Write::Mark { slot, person } => {
                    let path = format!("/api/v1/slots/{slot}/marks/{person}");
                    let (status, body) = request(server.addr, "GET", &path, Some(&admin.token), "")
                        .await
                        .expect("the restarted server answers");
                    status == 200 && body.contains("\"absent\"")
                }
            };
            if !there {
                lost.push(*write);
            }
        }
        assert!(
            lost.is_empty(),
            "round {round}: acknowledged and lost: {lost:?}"
        );
        let (pushed, replayed) = check_pushes(&server, &admin.token, &devices).await;
        let confirmed = roster.iter().filter(|(_, s, _)| s == "confirmed").count();
        assert!(confirmed <= CAPACITY as usize, "{confirmed} confirmed");
        let (status, body) = request(
            server.addr,
            "GET",
            &format!("/api/v1/sessions/{session}"),
            Some(&admin.token),
            "",
        )
        .await
        .unwrap();
        assert_eq!(status, 200, "{body}");
        let seats: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            seats["seats_taken"].as_u64(),
            Some(confirmed as u64),
            "the seat count agrees with the confirmed enrolments"
        );
        let version = passerelle::db::space_version(app.db()).await.unwrap();
        let mark_ids = entity::attendance_mark::Entity::find()
            .all(app.db())
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.id);
        for id in roster.iter().map(|(_, _, id)| *id).chain(mark_ids) {
            let changes = entity::sync_change::Entity::find()
                .filter(entity::sync_change::Column::EntityId.eq(id))
                .all(app.db())
                .await
                .unwrap();
            assert!(
                !changes.is_empty() && changes.iter().all(|c| c.version <= version),
                "{id} is in the change index under a handed-out version: {changes:?}"
            );
        }
        let marked = acked
            .iter()
            .filter(|w| matches!(w, Write::Mark { .. }))
            .count();
        println!(
            "crash round {round} on {engine} (seed {seed}, kill after {} ms): {} writes acknowledged before the kill ({} enrolments, {marked} marks), {} of {} acknowledged so far present after the restart; {pushed} pushed marks acknowledged so far present, {replayed} pushes whose answer was cut off applied once when sent again",
            kill_after.as_millis(),
            acked.len(),
            acked.len() - marked,
            acknowledged.len() - lost.len(),
            acknowledged.len()
        );
        drop(server);
    }
    assert!(
        !acknowledged.is_empty(),
        "the kills came before any write was acknowledged"
    );
}
db_test!(acknowledged_writes_survive_a_kill_9_of_the_server);

/// Sends `push` again to the restarted server: answered 200, up to its last mutation.
async fn push_again(server: &Server, token: &str, device: Uuid, push: &Push) -> serde_json::Value {
    let (status, body) = request(
        server.addr,
        "POST",
        "/sync/v1/push",
        Some(token),
        &push.body(device),
    )
    .await
    .expect("the restarted server answers");
    assert_eq!(status, 200, "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        answer["last_seq"].as_i64(),
        Some(push.items.last().unwrap().0),
        "{body}"
    );
    answer
}

/// After a restart: every acknowledged push's marks are there, and sent again it is answered
/// with its stored outcomes and changes nothing; the push whose answer the kill cut off is
/// applied once when sent again. Answers (marks of acknowledged pushes checked, cut-off pushes
/// sent again).
async fn check_pushes(
    server: &Server,
    token: &str,
    devices: &[Arc<Mutex<DeviceRun>>],
) -> (usize, usize) {
    let (mut marks, mut resent) = (0, 0);
    for device in devices {
        let (id, unanswered) = {
            let run = device.lock().unwrap();
            (run.id, run.unanswered.clone())
        };
        if let Some(push) = unanswered {
            let answer = push_again(server, token, id, &push).await;
            let mut run = device.lock().unwrap();
            run.unanswered = None;
            run.acknowledged.push((push, answer));
            resent += 1;
        }
        let acknowledged = device.lock().unwrap().acknowledged.clone();
        for (push, answer) in &acknowledged {
            for &(_, _, slot, person) in &push.items {
                let path = format!("/api/v1/slots/{slot}/marks/{person}");
                let (status, body) = request(server.addr, "GET", &path, Some(token), "")
                    .await
                    .expect("the restarted server answers");
                assert!(
                    status == 200 && body.contains("\"absent\""),
                    "pushed and lost: {path}: {body}"
                );
                marks += 1;
            }
            let results = answer["results"].as_array().unwrap();
            assert_eq!(results.len(), push.items.len(), "{answer}");
        }
        // The last acknowledged push sent again: its stored outcomes, nothing applied twice.
        if let Some((push, answer)) = acknowledged.last() {
            let replay = push_again(server, token, id, push).await;
            for (first, again) in answer["results"]
                .as_array()
                .unwrap()
                .iter()
                .zip(replay["results"].as_array().unwrap())
            {
                assert_eq!(again["replayed"], true, "{again}");
                assert_eq!(
                    (&again["id"], &again["status"]),
                    (&first["id"], &first["status"])
                );
            }
        }
    }
    (marks, resent)
}

/// Every enrolment of the session through the restarted server: (person, status, id).
async fn all_enrolments(server: &Server, token: &str, session: Uuid) -> Vec<(Uuid, String, Uuid)> {
    let mut found = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/enrolments?session_id={session}&limit=200");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let (status, body) = request(server.addr, "GET", &path, Some(token), "")
            .await
            .expect("the restarted server answers");
        assert_eq!(status, 200, "{body}");
        let page: serde_json::Value = serde_json::from_str(&body).unwrap();
        for item in page["items"].as_array().unwrap() {
            found.push((
                item["person_id"].as_str().unwrap().parse().unwrap(),
                item["status"].as_str().unwrap().to_owned(),
                item["id"].as_str().unwrap().parse().unwrap(),
            ));
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return found,
        }
    }
}
