//! Test harness: spawn the app on a fresh database (SQLite file or PostgreSQL schema) and call
//! it like a client would. The arrangements each context's tests share are in `fixtures`.

#![allow(dead_code)]

use passerelle::config::Settings;
use passerelle::state::AppState;
use poem::EndpointExt;
use poem::http::{HeaderMap, Method, StatusCode};
use poem::test::TestClient;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::fixtures::PASSWORD;

/// Runs a test on SQLite and on PostgreSQL: after `async fn name(app: TestApp) { … }`,
/// `db_test!(name);` generates `name::on_sqlite` and `name::on_postgres`. The body is an
/// ordinary function, so rustfmt and clippy see it.
macro_rules! db_test {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                let app = $crate::harness::TestApp::spawn($crate::harness::Engine::Sqlite).await;
                super::$name(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                let Some(engine) = $crate::harness::Engine::postgres() else {
                    return;
                };
                super::$name($crate::harness::TestApp::spawn(engine).await).await;
            }
        }
    };
}

/// Where a test's database lives.
#[derive(Clone, Debug)]
pub enum Engine {
    Sqlite,
    /// `TEST_DATABASE_URL`; each test gets its own schema.
    Postgres(String),
}

impl Engine {
    /// PostgreSQL when `TEST_DATABASE_URL` is set. Without it the test is skipped with a
    /// message — and fails when `CI` is set, so CI can never skip PostgreSQL silently.
    pub fn postgres() -> Option<Engine> {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => Some(Engine::Postgres(url)),
            _ => {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "CI is set but TEST_DATABASE_URL is not: PostgreSQL tests cannot be skipped in CI"
                );
                eprintln!("PostgreSQL skipped: TEST_DATABASE_URL is not set");
                None
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Engine::Postgres(_))
    }
}

/// Keeps a test's database alive and says how to reconnect to it.
enum Store {
    Sqlite {
        _dir: tempfile::TempDir,
        url: String,
    },
    Postgres {
        url: String,
        schema: String,
    },
}

impl Store {
    fn url_and_schema(&self) -> (&str, Option<&str>) {
        match self {
            Store::Sqlite { url, .. } => (url, None),
            Store::Postgres { url, schema } => (url, Some(schema)),
        }
    }
}

/// A new, empty database on the server of `url` (`<test database>_r_<random>`, which the test
/// command drops with the test database); answers its URL.
async fn fresh_postgres_database(url: &str) -> String {
    let (server, name) = url.rsplit_once('/').expect("a database URL");
    let name = name.split('?').next().unwrap_or(name);
    let fresh = format!("{name}_r_{}", &Uuid::new_v4().simple().to_string()[..12]);
    let admin = Database::connect(url).await.expect("connect");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {fresh}"))
        .await
        .expect("create database");
    admin.close().await.expect("close");
    format!("{server}/{fresh}")
}

/// A running application and a client for it.
pub struct TestApp {
    pub client: TestClient<poem::endpoint::BoxEndpoint<'static>>,
    pub state: AppState,
    pub engine: Engine,
    store: Store,
    /// The instance's `--data-dir` (audit bundles), kept across restarts.
    data: tempfile::TempDir,
}

/// What a call answered.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `code` of an error body.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or_default()
    }

    /// Asserts the status, printing the body when it differs.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text
        );
        self
    }

    /// Asserts the one JSON error body of the API, with this status and code.
    #[track_caller]
    pub fn expect_error(&self, status: u16, code: &str) -> &Self {
        self.expect(status);
        let content_type = self.header("content-type").unwrap_or_default();
        assert!(
            content_type.starts_with("application/json"),
            "error content type {content_type}: {}",
            self.text
        );
        assert_eq!(self.code(), code, "error body {}", self.text);
        assert!(
            passerelle::error_codes().contains(&code),
            "{code} is not in passerelle::error_codes()"
        );
        assert!(
            self.body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "error without message: {}",
            self.text
        );
        self
    }

    pub fn id(&self) -> Uuid {
        self.body["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no id in {}", self.text))
    }
}

/// Sends one HTTP/1.1 request on a fresh TCP connection and returns the status and raw reply.
pub async fn raw_request(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.expect("read");
    let status = reply
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, reply)
}

pub fn settings_for(url: &str) -> Settings {
    let mut settings = Settings::for_database(url);
    settings.db_max_connections = 5;
    // Small enough for the 413 tests' 100 KiB bodies, large enough for a 64 KiB signature in
    // base64.
    settings.max_body_bytes = 96 * 1024;
    // A meeting file over 64 KiB is refused by the clubs' own limit (413 `clubs.file_too_large`).
    settings.max_resource_bytes = 64 * 1024;
    settings
}

impl TestApp {
    pub async fn spawn(engine: Engine) -> TestApp {
        let store = match &engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/passerelle.db?mode=rwc", dir.path().display());
                Store::Sqlite { _dir: dir, url }
            }
            Engine::Postgres(url) => {
                let schema = format!("t_{}", Uuid::new_v4().simple());
                let admin = Database::connect(url.as_str())
                    .await
                    .expect("connect to TEST_DATABASE_URL");
                admin
                    .execute_raw(Statement::from_string(
                        admin.get_database_backend(),
                        format!("CREATE SCHEMA {schema}"),
                    ))
                    .await
                    .expect("create schema");
                admin.close().await.expect("close");
                Store::Postgres {
                    url: url.clone(),
                    schema,
                }
            }
        };
        let data = tempfile::tempdir().expect("data dir");
        let state = Self::state_for(&store, data.path()).await;
        TestApp {
            client: Self::client_for(&state),
            state,
            engine,
            store,
            data,
        }
    }

    async fn state_for(store: &Store, data: &std::path::Path) -> AppState {
        let (mut settings, db) = match store {
            Store::Sqlite { url, .. } => {
                let settings = settings_for(url);
                let db = passerelle::db::connect(&settings)
                    .await
                    .expect("connect sqlite");
                (settings, db)
            }
            Store::Postgres { url, schema } => {
                let settings = settings_for(url);
                let db = passerelle::db::connect_with_schema(&settings, schema)
                    .await
                    .expect("connect postgres");
                (settings, db)
            }
        };
        settings.data_dir = data.to_path_buf();
        AppState::new(db, settings).expect("state")
    }

    pub fn client_for(state: &AppState) -> TestClient<poem::endpoint::BoxEndpoint<'static>> {
        TestClient::new(
            passerelle::build_app(state.clone())
                .map_to_response()
                .boxed(),
        )
    }

    /// Stops this instance as a crash would (its background jobs aborted, its pool closed) and
    /// starts a new one on the same database and data directory, which resumes the jobs left
    /// unfinished as `serve` does.
    pub async fn restart(&mut self) {
        self.state.background.stop();
        self.state.db.clone().close().await.expect("close pool");
        self.state = Self::state_for(&self.store, self.data.path()).await;
        self.client = Self::client_for(&self.state);
        passerelle::resume_background(&self.state)
            .await
            .expect("resume background jobs");
    }

    /// Serves the same database with `clock` as the application's clock (a manual clock lets a
    /// test move time without sleeping).
    pub fn use_clock(&mut self, clock: passerelle::clock::Clock) {
        let settings = (*self.state.settings).clone();
        self.state = AppState::with_clock(self.state.db.clone(), settings, clock).expect("state");
        self.client = Self::client_for(&self.state);
    }

    /// Serves the same database with changed settings (a shorter sync retention, say), keeping
    /// the clock.
    pub fn configure(&mut self, change: impl FnOnce(&mut passerelle::config::Settings)) {
        let mut settings = (*self.state.settings).clone();
        change(&mut settings);
        let clock = self.state.clock.clone();
        self.state = AppState::with_clock(self.state.db.clone(), settings, clock).expect("state");
        self.client = Self::client_for(&self.state);
    }

    /// A second, independent connection pool to the same database (for concurrency tests).
    pub async fn second_pool(&self) -> DatabaseConnection {
        Self::state_for(&self.store, self.data.path()).await.db
    }

    /// Serves the app on a real loopback port (for what only real connections show, such as
    /// client addresses); the server stops with the test's runtime.
    pub async fn serve_on_port(&self) -> std::net::SocketAddr {
        use poem::listener::{Acceptor, Listener};
        let acceptor = poem::listener::TcpListener::bind("127.0.0.1:0")
            .into_acceptor()
            .await
            .expect("bind");
        let addr = acceptor.local_addr()[0]
            .as_socket_addr()
            .copied()
            .expect("socket address");
        let app = passerelle::build_app(self.state.clone());
        tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(app));
        addr
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    /// The `--database-url` under which a `passerelle serve` process reaches this instance's
    /// database (on PostgreSQL, its schema through the connection's `search_path`).
    pub fn database_url_for_a_process(&self) -> String {
        match &self.store {
            Store::Sqlite { url, .. } => url.clone(),
            Store::Postgres { url, schema } => {
                let separator = if url.contains('?') { '&' } else { '?' };
                format!("{url}{separator}options%5Bsearch_path%5D={schema}")
            }
        }
    }

    /// Where this instance's database lives, as `passerelle backup` sees it.
    fn database_place(&self) -> passerelle::ops::backup::Place<'_> {
        match &self.store {
            Store::Sqlite { url, .. } => passerelle::ops::backup::Place { url, schema: None },
            Store::Postgres { url, schema } => passerelle::ops::backup::Place {
                url,
                schema: Some(schema),
            },
        }
    }

    /// `passerelle backup --output FILE` of this instance's database, while it serves.
    pub async fn back_up(
        &self,
        output: &std::path::Path,
        progress: passerelle::ops::backup::Progress<'_>,
    ) -> Result<passerelle::ops::backup::Backup, passerelle::ops::backup::BackupError> {
        passerelle::ops::backup::backup(self.db(), self.database_place(), output, progress).await
    }

    /// `passerelle restore --input FILE` into a fresh, empty database of the same engine (a
    /// new PostgreSQL database, dropped with the test run's), served by a new instance.
    pub async fn restored_from(&self, backup: &std::path::Path) -> TestApp {
        let store = match &self.store {
            Store::Sqlite { .. } => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/restored.db?mode=rwc", dir.path().display());
                Store::Sqlite { _dir: dir, url }
            }
            Store::Postgres { url, schema } => Store::Postgres {
                url: fresh_postgres_database(url).await,
                schema: schema.clone(),
            },
        };
        let data = tempfile::tempdir().expect("data dir");
        let (url, schema) = store.url_and_schema();
        passerelle::ops::backup::restore(&settings_for(url), schema, backup, false, &|_| {})
            .await
            .expect("restore into an empty database")
            .db
            .close()
            .await
            .expect("close");
        let state = Self::state_for(&store, data.path()).await;
        TestApp {
            client: Self::client_for(&state),
            state,
            engine: self.engine.clone(),
            store,
            data,
        }
    }

    /// `passerelle restore --input FILE [--force]` into this instance's own database, the
    /// service stopped for it and started again whatever the outcome; answers the new epoch.
    pub async fn restore_over(
        &mut self,
        backup: &std::path::Path,
        force: bool,
    ) -> Result<Uuid, passerelle::ops::backup::BackupError> {
        self.state.background.stop();
        self.state.db.clone().close().await.expect("close pool");
        let (url, schema) = self.store.url_and_schema();
        let restored =
            passerelle::ops::backup::restore(&settings_for(url), schema, backup, force, &|_| {})
                .await;
        let epoch = match restored {
            Ok(restored) => {
                restored.db.close().await.expect("close");
                Ok(restored.epoch)
            }
            Err(error) => Err(error),
        };
        self.state = Self::state_for(&self.store, self.data.path()).await;
        self.client = Self::client_for(&self.state);
        epoch
    }

    /// Sends a request like a client would and reads the reply.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut request = self.client.request(method, path);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        if let Some(body) = body {
            request = request.body_json(&body);
        }
        Self::read(request.send().await).await
    }

    pub async fn read(response: poem::test::TestResponse) -> Reply {
        let response = response.0;
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.into_body().into_string().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            text,
            body,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.call(Method::GET, path, token, None).await
    }

    /// A GET with extra request headers (`If-None-Match`…), without a token.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.client.get(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Self::read(request.send().await).await
    }

    /// A GET answered by an instance of the same database with no render cache: what a cached
    /// answer must be byte for byte.
    pub async fn get_uncached(&self, path: &str) -> Reply {
        let mut settings = (*self.state.settings).clone();
        settings.render_cache_mib = 0;
        let state = AppState::with_clock(self.state.db.clone(), settings, self.state.clock.clone())
            .expect("state");
        Self::read(Self::client_for(&state).get(path).send().await).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::PUT, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::PATCH, path, token, Some(body)).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.post(
            "/api/v1/auth/login",
            None,
            json!({ "email": email, "password": password }),
        )
        .await
    }

    /// Logs in and returns the token, failing the test otherwise.
    pub async fn token(&self, email: &str) -> String {
        let reply = self.login(email, PASSWORD).await;
        reply.expect(200);
        reply.body["token"].as_str().expect("token").to_owned()
    }

    /// Follows `next_cursor` from `path` (which may already carry a query) to the last page and
    /// returns every item, failing the test on any page that is not a 200.
    pub async fn all_pages(&self, path: &str, token: Option<&str>) -> Vec<Value> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        let separator = if path.contains('?') { '&' } else { '?' };
        loop {
            let url = match &cursor {
                Some(c) => format!("{path}{separator}cursor={c}"),
                None => path.to_owned(),
            };
            let reply = self.get(&url, token).await;
            reply.expect(200);
            items.extend(reply.body["items"].as_array().cloned().unwrap_or_default());
            match reply.body["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => return items,
            }
        }
    }
}
