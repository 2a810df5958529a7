//! Crash safety: the real `passerelle serve` process is killed with SIGKILL in the middle of a
//! burst of concurrent enrolments, several times (kill points drawn from a seed), and restarted
//! on the same database. Every enrolment it acknowledged with a 2xx is there after the restart;
//! nothing is half-applied: no seat over capacity, the session's seat count agrees with its
//! confirmed enrolments, and every enrolment is in the sync change index under a version the
//! space has handed out (a device's next pull brings it).
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

const CAPACITY: i32 = 40;
const WRITERS: usize = 8;

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

async fn acknowledged_enrolments_survive_a_kill_9_of_the_server(app: TestApp) {
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
    let mut people = VecDeque::new();
    for _ in 0..rounds * 150 {
        people.push_back(app.person_in(Some(organisation)).await);
    }
    let queue = Arc::new(Mutex::new(people));
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
                        let Some(person) = queue.lock().unwrap().pop_front() else {
                            return;
                        };
                        let body = format!("{{\"person_id\":\"{person}\"}}");
                        let path = format!("/api/v1/sessions/{session}/enrolments");
                        match request(addr, "POST", &path, Some(&token), &body).await {
                            Some((200 | 201, _)) => acked.lock().unwrap().push(person),
                            Some((status, text)) => {
                                assert!(status < 500, "{status} before the kill: {text}");
                            }
                            None => return,
                        }
                    }
                })
            })
            .collect();
        tokio::time::sleep(kill_after).await;
        server.kill();
        for writer in writers {
            writer.await.unwrap();
        }
        let acked = std::mem::take(&mut *acked.lock().unwrap());
        acknowledged.extend(acked.iter().copied());

        // Restarted on the same database, the server answers for every acknowledged write.
        let server = Server::start(&app).await;
        let roster = all_enrolments(&server, &admin.token, session).await;
        let present: BTreeSet<Uuid> = roster.iter().map(|(person, _, _)| *person).collect();
        let lost: Vec<_> = acknowledged.difference(&present).collect();
        assert!(
            lost.is_empty(),
            "round {round}: acknowledged and lost: {lost:?}"
        );
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
        for (_, _, id) in &roster {
            let changes = entity::sync_change::Entity::find()
                .filter(entity::sync_change::Column::EntityId.eq(*id))
                .all(app.db())
                .await
                .unwrap();
            assert!(
                !changes.is_empty() && changes.iter().all(|c| c.version <= version),
                "enrolment {id} is in the change index under a handed-out version: {changes:?}"
            );
        }
        println!(
            "crash round {round} on {engine} (seed {seed}, kill after {} ms): {} writes acknowledged before the kill, {} of {} acknowledged so far present after the restart",
            kill_after.as_millis(),
            acked.len(),
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
db_test!(acknowledged_enrolments_survive_a_kill_9_of_the_server);

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
