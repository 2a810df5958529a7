//! Passerelle: Qualiopi-certified trainings and peer clubs for a federation of NGOs.
//!
//! [`api_service`] describes every operation (used by the server, the tests and the spec dump);
//! [`build_app`] wraps it with the middleware and the non-API routes.

pub mod accounts;
pub mod attendance;
pub mod bootstrap;
pub mod calendar;
pub mod catalogue;
pub mod clock;
pub mod clubs;
pub mod config;
pub mod db;
pub mod documents;
pub mod enrolment;
pub mod evidence;
pub mod http;
pub mod notifications;
pub mod ops;
pub mod paging;
pub mod principal;
pub mod privacy;
pub mod quality;
pub mod refusal;
pub mod state;
pub mod sync;
pub mod tables;
pub mod validation;
pub mod values;

use std::sync::Arc;

use poem::endpoint::make_sync;
use poem::middleware::RequestId;
use poem::{Endpoint, EndpointExt, Route, get};
use poem_openapi::{LicenseObject, OpenApiService, ServerObject};

use crate::accounts::api::auth::TokenAuthenticator;
use crate::http::allow::AllowIndex;
use crate::http::auth::SharedAuthenticator;
use crate::http::render_cache::RenderCache;
use crate::state::AppState;

/// Every API of the service, one tuple per context, in spec order.
pub type Apis = (
    (ops::api::OpsApi, ops::audit::AuditApi),
    accounts::api::Apis,
    catalogue::api::Apis,
    enrolment::api::Apis,
    attendance::api::Apis,
    documents::api::Apis,
    clubs::api::Apis,
    quality::api::Apis,
    calendar::api::CalendarApi,
    sync::api::Apis,
    evidence::api::Apis,
    (
        notifications::api::NotificationsApi,
        privacy::api::PrivacyApi,
    ),
);

/// Every error code the API can answer with: the plumbing's and each context's. The spec's
/// descriptions name each one (a test checks it).
pub fn error_codes() -> Vec<&'static str> {
    [
        http::error::PLUMBING_CODES,
        ops::audit::AuditError::CODES,
        accounts::service::AccountsError::CODES,
        catalogue::service::CatalogueError::CODES,
        enrolment::service::EnrolmentError::CODES,
        attendance::service::AttendanceError::CODES,
        documents::service::DocumentsError::CODES,
        clubs::service::ClubsError::CODES,
        quality::service::QualityError::CODES,
        calendar::service::CalendarError::CODES,
        sync::service::SyncError::CODES,
        evidence::service::EvidenceError::CODES,
        notifications::errors::NotificationsError::CODES,
        privacy::service::PrivacyError::CODES,
    ]
    .concat()
}

pub use config::DEFAULT_PUBLIC_URL;

/// The OpenAPI service: the single description of every operation, as committed.
pub fn api_service() -> OpenApiService<Apis, ()> {
    api_service_at(DEFAULT_PUBLIC_URL)
}

/// The OpenAPI service naming `public_url` as its server (what a running instance serves).
pub fn api_service_at(public_url: &str) -> OpenApiService<Apis, ()> {
    OpenApiService::new(Apis::default(), "Passerelle", env!("CARGO_PKG_VERSION"))
        .server(ServerObject::new(public_url).description("This Passerelle instance"))
        .license(
            LicenseObject::new("AGPL-3.0-or-later")
                .url("https://www.gnu.org/licenses/agpl-3.0.html"),
        )
        .description(
            "Qualiopi-certified trainings and peer clubs for a federation of NGOs. Every error \
         answers the same JSON body: `{\"code\", \"message\", \"fields\"?, \"error_id\"?}`. \
         Any path answers `route.not_found` (404) when it does not exist and \
         `route.method_not_allowed` (405, with `Allow`) for a method it does not serve.",
        )
}

/// The spec as pretty JSON, exactly as committed in `openapi/openapi.json`.
pub fn openapi_json() -> String {
    render_spec(&api_service())
}

/// The spec of `service` as pretty JSON. Operations marked [`http::auth::Public`] come out of
/// poem-openapi as `security: [{}]` ("anonymous allowed"); they are written `security: []`,
/// the form OpenAPI tools read as "no credentials" (generated clients then accept an
/// unauthenticated client for them, linters see the choice is deliberate). Multipart forms are
/// closed (`additionalProperties: false`), as their types deny unknown parts. The time zone
/// enumeration gets the member names generated clients need (`ZoneName::name_members`).
pub fn render_spec(service: &OpenApiService<Apis, ()>) -> String {
    let mut spec: serde_json::Value = match serde_json::from_str(&service.spec()) {
        Ok(spec) => spec,
        Err(_) => return service.spec(),
    };
    let anonymous = serde_json::json!([{}]);
    for operations in spec["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|p| p.values_mut())
    {
        for operation in operations
            .as_object_mut()
            .into_iter()
            .flat_map(|o| o.values_mut())
        {
            if operation.get("security") == Some(&anonymous) {
                operation["security"] = serde_json::json!([]);
            }
            // A multipart form takes no other part (the form types deny unknown fields).
            if let Some(form) = operation
                .pointer_mut("/requestBody/content/multipart~1form-data/schema")
                .and_then(serde_json::Value::as_object_mut)
            {
                form.insert("additionalProperties".into(), serde_json::json!(false));
            }
        }
    }
    http::dates::ZoneName::name_members(&mut spec);
    let mut text = serde_json::to_string_pretty(&spec).unwrap_or_else(|_| service.spec());
    text.push('\n');
    text
}

/// Resumes the background jobs a stopped process left unfinished (audit bundles); `serve` calls
/// it at start. Returns how many were resumed.
pub async fn resume_background(state: &AppState) -> Result<usize, sea_orm::DbErr> {
    evidence::jobs::bundles::resume_interrupted(state).await
}

/// The whole application: API, Swagger UI at `/docs`, the spec at `/openapi.json`, metrics.
pub fn build_app(state: AppState) -> impl Endpoint {
    let api = api_service_at(&state.settings.public_url);
    let docs = api.swagger_ui();
    let spec = render_spec(&api);
    let allow = Arc::new(AllowIndex::from_spec(
        &serde_json::from_str(&spec).unwrap_or_default(),
        &["/metrics", "/openapi.json", "/docs"],
    ));
    let metrics = state.metrics.clone();
    let audit_log = http::audit::AuditLog::new(state.writer(), state.clock.clone());
    let observer = http::middleware::Observer {
        settings: state.settings.clone(),
        metrics: state.metrics.clone(),
        allow,
        headers: Arc::new(http::headers::SecurityHeaders::new(
            "/docs",
            &api.swagger_ui_html(),
            &state.settings.public_url,
            &state.settings.cors_origins,
        )),
    };
    let render_cache = Arc::new(RenderCache::new(
        state.settings.render_cache_mib,
        state.watermarks.clone(),
        state.metrics.clone(),
    ));
    let authenticator: SharedAuthenticator = Arc::new(TokenAuthenticator {
        db: state.db.clone(),
        clock: state.clock.clone(),
    });
    let results: catalogue::api::public::SharedResults =
        Arc::new(quality::service::ResultIndicators {
            rules: quality::model::surveys::SurveyRules::of(&state.settings),
            completion_threshold_percent: state.settings.completion_threshold_percent,
        });
    Route::new()
        .at(
            "/openapi.json",
            get(make_sync(move |_| {
                poem::Response::builder()
                    .content_type("application/json")
                    .body(spec.clone())
            })),
        )
        .nest("/docs", docs)
        .at(
            "/metrics",
            get(make_sync(move |_| {
                poem::Response::builder()
                    .content_type("text/plain; version=0.0.4")
                    .body(metrics.render())
            })),
        )
        .nest("/", api)
        .around(move |ep, req| http::audit::audit(ep, req, audit_log.clone()))
        .data(state)
        .data(authenticator)
        .data(render_cache)
        .data(results)
        .data(Arc::new(calendar::blocks::Blocks::new()))
        .around(move |ep, req| http::middleware::observe(ep, req, observer.clone()))
        .with(RequestId::default())
}
