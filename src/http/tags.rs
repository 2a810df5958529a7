//! The tags that group operations in the spec.

use poem_openapi::Tags;

#[derive(Tags)]
pub enum ApiTags {
    /// Logging in and out, and the current account.
    Auth,
    /// Organisations: members of the federation or not.
    Organisations,
    /// People and their roles.
    People,
    /// Liveness and readiness probes.
    Operations,
}
