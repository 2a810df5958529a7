//! Test harness: spawn the app on a fresh database (SQLite file or PostgreSQL schema), call it
//! like a client would, and build the usual arrangements (an admin, an organisation with a
//! manager, a logged-in member).

#![allow(dead_code)]

use std::collections::BTreeSet;

use passerelle::accounts::model::{NewPerson, Role};
use passerelle::accounts::service;
use passerelle::config::Settings;
use passerelle::state::AppState;
use poem::EndpointExt;
use poem::http::{HeaderMap, Method, StatusCode};
use poem::test::TestClient;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

/// Every test user's password.
pub const PASSWORD: &str = "correct horse battery staple";

/// Runs a test body on SQLite and on PostgreSQL: `db_test!(async fn name(app) { … });`
/// generates `name::on_sqlite` and `name::on_postgres`.
macro_rules! db_test {
    ($(#[$meta:meta])* async fn $name:ident($app:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_sqlite() {
                #[allow(unused_mut)]
                let mut $app = $crate::helpers::TestApp::spawn($crate::helpers::Engine::Sqlite).await;
                $body
            }

            $(#[$meta])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn on_postgres() {
                let Some(engine) = $crate::helpers::Engine::postgres() else { return };
                #[allow(unused_mut)]
                let mut $app = $crate::helpers::TestApp::spawn(engine).await;
                $body
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

/// A running application and a client for it.
pub struct TestApp {
    pub client: TestClient<poem::endpoint::BoxEndpoint<'static>>,
    pub state: AppState,
    pub engine: Engine,
    store: Store,
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

/// A logged-in person.
#[derive(Clone, Debug)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub token: String,
    pub organisation_id: Option<Uuid>,
}

pub fn settings_for(url: &str) -> Settings {
    let mut settings = Settings::for_database(url);
    settings.db_max_connections = 5;
    settings.max_body_bytes = 64 * 1024;
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
        let state = Self::state_for(&store).await;
        TestApp {
            client: Self::client_for(&state),
            state,
            engine,
            store,
        }
    }

    async fn state_for(store: &Store) -> AppState {
        let (settings, db) = match store {
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
        AppState::new(db, settings).expect("state")
    }

    fn client_for(state: &AppState) -> TestClient<poem::endpoint::BoxEndpoint<'static>> {
        TestClient::new(
            passerelle::build_app(state.clone())
                .map_to_response()
                .boxed(),
        )
    }

    /// Stops this instance (closing its pool) and starts a new one on the same database.
    pub async fn restart(&mut self) {
        self.state.db.clone().close().await.expect("close pool");
        self.state = Self::state_for(&self.store).await;
        self.client = Self::client_for(&self.state);
    }

    /// A second, independent connection pool to the same database (for concurrency tests).
    pub async fn second_pool(&self) -> DatabaseConnection {
        Self::state_for(&self.store).await.db
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

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
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

    // ---- arrangements ---------------------------------------------------------------------

    /// A person inserted directly (as the bootstrap or the CLI would), then logged in.
    pub async fn user_with(&self, roles: &[Role], organisation_id: Option<Uuid>) -> User {
        let email = format!("{}@example.test", Uuid::new_v4().simple());
        let new = NewPerson {
            email: email.clone(),
            first_name: "Test".into(),
            last_name: "Person".into(),
            organisation_id,
            roles: roles.iter().copied().collect::<BTreeSet<_>>(),
            password: Some(PASSWORD.into()),
        };
        let person = service::insert_person(self.db(), new, Uuid::now_v7())
            .await
            .expect("insert person");
        let token = self.token(&email).await;
        User {
            id: person.id,
            email,
            token,
            organisation_id,
        }
    }

    pub async fn admin(&self) -> User {
        self.user_with(&[Role::Admin], None).await
    }

    /// An organisation created by `admin` through the API.
    pub async fn organisation(&self, admin: &User, name: &str, is_member: bool) -> Uuid {
        let reply = self
            .post(
                "/api/v1/organisations",
                Some(&admin.token),
                json!({ "name": name, "is_member": is_member, "country": "FR" }),
            )
            .await;
        reply.expect(201);
        reply.id()
    }

    pub async fn member_of(&self, organisation_id: Uuid) -> User {
        self.user_with(&[Role::Member], Some(organisation_id)).await
    }

    pub async fn manager_of(&self, organisation_id: Uuid) -> User {
        self.user_with(&[Role::Member, Role::OrgManager], Some(organisation_id))
            .await
    }
}

// ---- catalogue arrangements ---------------------------------------------------------------

/// A complete, valid programme (hybrid, so every optional field is stated too): everything the
/// public catalogue must show (Qualiopi ind. 1).
pub fn programme(title: &str, minutes: i32) -> Value {
    json!({
        "title": title,
        "summary": "Build a funding application step by step.",
        "themes": ["project_funding"],
        "objectives": ["Write a logical framework", "Draft a budget an AFD officer accepts"],
        "prerequisites": ["Have run a project"],
        "no_prerequisites": false,
        "target_audience": "Project officers of member associations",
        "duration_minutes": minutes,
        "modality": "hybrid",
        "remote_arrangements": "Two hours of reading before the first half-day, followed up by e-mail",
        "pedagogical_methods": "Case studies and peer review",
        "pedagogical_means": "Slides, templates, a training room with a projector",
        "assessment_modalities": "Quiz at the end and assessed case study",
        "access_delay": "Enrolment until 7 days before the session",
        "member_price": { "amount_cents": 45000, "currency": "EUR" },
        "non_member_price": { "amount_cents": 90000, "currency": "EUR" },
        "accessibility": "Step-free access; tell the referent about any need",
        "disability_referent": { "name": "Awa Diallo", "email": "referent@example.test", "phone": "+33 1 23 45 67 89" },
        "contact": { "name": "Training desk", "email": "trainings@example.test", "phone": "+33 1 98 76 54 32" },
        "recognition": "Attestation de fin de formation, non certifiante",
        "financing_modalities": "OPCO or own funds"
    })
}

/// A programme with other themes.
pub fn programme_with_themes(title: &str, minutes: i32, themes: &[&str]) -> Value {
    let mut programme = programme(title, minutes);
    programme["themes"] = json!(themes);
    programme
}

/// A half-day in the session's local time.
pub fn half_day(date: &str, period: &str, start: &str, end: &str) -> Value {
    json!({ "date": date, "period": period, "start": start, "end": end })
}

/// 09:00–12:30: 210 minutes.
pub fn morning(date: &str) -> Value {
    half_day(date, "morning", "09:00", "12:30")
}

/// 14:00–17:30: 210 minutes.
pub fn afternoon(date: &str) -> Value {
    half_day(date, "afternoon", "14:00", "17:30")
}

/// The body of a new session in Paris with these half-days.
pub fn session_body(training_id: Uuid, room_id: Uuid, capacity: i32, slots: Vec<Value>) -> Value {
    json!({ "training_id": training_id, "room_id": room_id, "capacity": capacity, "slots": slots })
}

/// A JSON timestamp as an instant.
#[track_caller]
pub fn instant(value: &Value) -> chrono::DateTime<chrono::Utc> {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("not a timestamp: {value}"));
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .with_timezone(&chrono::Utc)
}

/// The ids of a page's items, in order.
pub fn ids_of(reply: &Reply) -> Vec<String> {
    reply.body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items in {}", reply.text))
        .iter()
        .map(|item| item["id"].as_str().unwrap_or_default().to_owned())
        .collect()
}

impl TestApp {
    /// `POST {resource}/publish`, without a body.
    pub async fn publish(&self, user: &User, resource: &str) -> Reply {
        self.call(
            Method::POST,
            &format!("{resource}/publish"),
            Some(&user.token),
            None,
        )
        .await
    }

    /// A draft training with this programme.
    pub async fn draft_training(&self, admin: &User, programme: Value) -> Uuid {
        let reply = self
            .post("/api/v1/trainings", Some(&admin.token), programme)
            .await;
        reply.expect(201);
        reply.id()
    }

    /// A published training with this programme.
    pub async fn published_training_with(&self, admin: &User, programme: Value) -> Uuid {
        let id = self.draft_training(admin, programme).await;
        self.publish(admin, &format!("/api/v1/trainings/{id}"))
            .await
            .expect(200);
        id
    }

    /// A published training lasting `minutes`.
    pub async fn published_training(&self, admin: &User, minutes: i32) -> Uuid {
        self.published_training_with(admin, programme("Monter un projet AFD", minutes))
            .await
    }

    /// A place in `city` with `capacity` seats.
    pub async fn place_in(&self, admin: &User, city: &str, capacity: i32) -> Uuid {
        let reply = self
            .post(
                "/api/v1/rooms",
                Some(&admin.token),
                json!({
                    "name": format!("Salle {city}"),
                    "is_online": false,
                    "address": "12 rue de la Paix",
                    "city": city,
                    "country": "FR",
                    "capacity": capacity,
                    "accessibility": "Ground floor, step-free"
                }),
            )
            .await;
        reply.expect(201);
        reply.id()
    }

    /// A place in Lyon with `capacity` seats.
    pub async fn place(&self, admin: &User, capacity: i32) -> Uuid {
        self.place_in(admin, "Lyon", capacity).await
    }

    /// An online room without a seat limit.
    pub async fn online_room(&self, admin: &User) -> Uuid {
        let reply = self
            .post(
                "/api/v1/rooms",
                Some(&admin.token),
                json!({
                    "name": "Visio",
                    "is_online": true,
                    "join_url": "https://meet.example.test/secret-room",
                    "accessibility": "Captions on request"
                }),
            )
            .await;
        reply.expect(201);
        reply.id()
    }

    /// A logged-in person holding the trainer role.
    pub async fn trainer(&self) -> User {
        self.user_with(&[Role::Trainer], None).await
    }

    /// A draft session created by `admin` from this body.
    pub async fn draft_session(&self, admin: &User, body: Value) -> Uuid {
        let reply = self
            .post("/api/v1/sessions", Some(&admin.token), body)
            .await;
        reply.expect(201);
        reply.id()
    }

    /// A session created from this body and published (its training must be published).
    pub async fn published_session(&self, admin: &User, body: Value) -> Uuid {
        let id = self.draft_session(admin, body).await;
        self.publish(admin, &format!("/api/v1/sessions/{id}"))
            .await
            .expect(200);
        id
    }
}
