//! Shared HTTP plumbing: the error body, authentication, strict strings, pagination, tags and
//! the middleware that every request crosses.

pub mod allow;
pub mod audit;
pub mod auth;
pub mod cancel;
pub mod dates;
pub mod day_param;
pub mod error;
pub mod errors_of;
pub mod formats;
pub mod headers;
pub mod json;
pub mod links;
pub mod metrics;
pub mod middleware;
pub mod nullable;
pub mod pagination;
pub mod patch;
pub mod png;
pub mod render_cache;
pub mod responses;
pub mod scalar;
pub mod tags;
pub mod text;
pub mod timestamp;
