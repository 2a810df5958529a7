//! `/livez` and `/readyz`; `/metrics` is served beside the API (Prometheus text, not JSON).

use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};

use crate::http::auth::Public;
use crate::http::tags::ApiTags;
use crate::state::AppState;

/// A probe's answer.
#[derive(Debug, Object)]
pub struct Health {
    /// `ok`, or what is wrong.
    pub status: String,
}

#[derive(ApiResponse)]
pub enum ReadyResponse {
    /// The service can take traffic.
    #[oai(status = 200)]
    Ready(Json<Health>),
    /// The database does not answer, or the service is shutting down.
    #[oai(status = 503)]
    NotReady(Json<Health>),
}

#[derive(ApiResponse)]
pub enum LiveResponse {
    /// The process runs.
    #[oai(status = 200)]
    Live(Json<Health>),
}

#[derive(Default)]
pub struct OpsApi;

#[OpenApi(tag = "ApiTags::Operations")]
impl OpsApi {
    /// Liveness
    ///
    /// Answers 200 while the process runs; checks nothing else.
    #[oai(path = "/livez", method = "get", operation_id = "livez")]
    async fn livez(&self, _public: Public) -> LiveResponse {
        LiveResponse::Live(Json(Health {
            status: "ok".into(),
        }))
    }

    /// Readiness
    ///
    /// 200 when the database answers; 503 when it does not or when shutdown has begun.
    #[oai(path = "/readyz", method = "get", operation_id = "readyz")]
    async fn readyz(&self, _public: Public, state: Data<&AppState>) -> ReadyResponse {
        if state.is_shutting_down() {
            return ReadyResponse::NotReady(Json(Health {
                status: "shutting down".into(),
            }));
        }
        match crate::db::ping(&state.db).await {
            Ok(()) => ReadyResponse::Ready(Json(Health {
                status: "ok".into(),
            })),
            Err(error) => {
                tracing::warn!(%error, "readiness: database unavailable");
                ReadyResponse::NotReady(Json(Health {
                    status: "database unavailable".into(),
                }))
            }
        }
    }
}
