//! Rendered public responses, kept as bytes and keyed by what they were rendered from.
//!
//! A public read (the catalogue's lists and items; later the public feeds) names its route, the
//! query as parsed (so `?limit=50` and `?limit=050` share one entry and two queries never share
//! one), and the synced tables it reads. The key carries the highest [`Watermarks`] of those
//! tables, so a commit that writes one of them makes the next read a miss: no TTL, no purge, no
//! stale seat count. A body that also depends on the clock (sessions still open for enrolment)
//! says until when it holds ([`Rendering::fresh_until`]).
//!
//! Memory is bounded by [`quick_cache`] weighing entries by their bytes (entries of superseded
//! watermarks are never asked for again and are the first to go). Concurrent misses of one key
//! render once: the others wait for that render. Every answer carries a strong `ETag` (a hash of
//! the bytes) and `Cache-Control: no-cache`, and `If-None-Match` with it answers 304.

use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use poem::http::StatusCode;
use poem::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG};
use poem::{IntoResponse, Response};
use poem_openapi::registry::{
    MetaHeader, MetaMediaType, MetaResponse, MetaResponses, MetaSchema, MetaSchemaRef,
};
use poem_openapi::types::{ToJSON, Type};
use quick_cache::Weighter;
use quick_cache::sync::Cache;
use sha2::{Digest, Sha256};

use super::metrics::{CacheOutcome, Metrics};
use crate::db::watermarks::Watermarks;

const JSON: &str = "application/json; charset=utf-8";

/// Bodies larger than this are streamed to the client rather than handed over whole.
const STREAM_ABOVE: usize = 256 * 1024;

/// What identifies one rendered body.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    route: &'static str,
    query: String,
    watermark: i64,
}

/// A body rendered once and served many times.
#[derive(Debug)]
pub struct Rendered {
    body: Bytes,
    etag: String,
    fresh_until: Option<DateTime<Utc>>,
    content_type: &'static str,
    cache_control: &'static str,
    last_modified: Option<String>,
}

impl Rendered {
    fn new(rendering: Rendering) -> Self {
        let digest = Sha256::digest(&rendering.body);
        Self {
            etag: format!("\"{}\"", hex::encode(&digest[..16])),
            body: Bytes::from(rendering.body),
            fresh_until: rendering.fresh_until,
            content_type: rendering.content_type,
            cache_control: rendering.cache_control,
            last_modified: rendering.last_modified,
        }
    }

    fn fresh_at(&self, now: DateTime<Utc>) -> bool {
        self.fresh_until.is_none_or(|until| now < until)
    }

    /// The strong entity tag of the body.
    pub fn etag(&self) -> &str {
        &self.etag
    }
}

/// What a miss produces: the bytes and how to serve them, and until when they hold if the clock
/// matters.
#[derive(Debug)]
pub struct Rendering {
    body: Vec<u8>,
    fresh_until: Option<DateTime<Utc>>,
    content_type: &'static str,
    cache_control: &'static str,
    last_modified: Option<String>,
}

impl Rendering {
    /// The JSON of a response object, exactly as poem-openapi would write it.
    pub fn json<T: ToJSON>(value: &T) -> Self {
        let body = value
            .to_json()
            .map(|v| serde_json::to_vec(&v).unwrap_or_default())
            .unwrap_or_default();
        Self {
            body,
            fresh_until: None,
            content_type: JSON,
            cache_control: "no-cache",
            last_modified: None,
        }
    }

    /// Bytes of another media type (an iCalendar feed), with their `Last-Modified` (an HTTP
    /// date) and `Cache-Control`.
    pub fn bytes(
        body: Vec<u8>,
        content_type: &'static str,
        cache_control: &'static str,
        last_modified: String,
    ) -> Self {
        Self {
            body,
            fresh_until: None,
            content_type,
            cache_control,
            last_modified: Some(last_modified),
        }
    }

    /// The body holds until `until` (exclusive) even if no table changes.
    pub fn fresh_until(mut self, until: Option<DateTime<Utc>>) -> Self {
        self.fresh_until = until;
        self
    }
}

#[derive(Clone)]
struct ByBytes;

impl Weighter<Key, Arc<Rendered>> for ByBytes {
    fn weight(&self, key: &Key, value: &Arc<Rendered>) -> u64 {
        (value.body.len() + key.query.len() + 128) as u64
    }
}

/// The cache of rendered public responses (one per server).
pub struct RenderCache {
    entries: Option<Cache<Key, Arc<Rendered>, ByBytes>>,
    watermarks: Arc<Watermarks>,
    metrics: Metrics,
}

impl RenderCache {
    /// A cache of at most `mib` MiB of bodies; 0 renders every read.
    pub fn new(mib: u64, watermarks: Arc<Watermarks>, metrics: Metrics) -> Self {
        let bytes = mib * 1024 * 1024;
        let entries = (bytes > 0).then(|| {
            let estimated = usize::try_from((bytes / 16_384).max(16)).unwrap_or(1024);
            // One shard: quick_cache splits the capacity between shards and refuses an entry
            // heavier than its shard, and a whole-catalogue calendar feed weighs megabytes.
            // Reads take the shard's lock shared, so hits do not queue behind each other.
            let options = quick_cache::OptionsBuilder::new()
                .estimated_items_capacity(estimated)
                .weight_capacity(bytes)
                .shards(1)
                .build();
            match options {
                Ok(options) => {
                    Cache::with_options(options, ByBytes, Default::default(), Default::default())
                }
                Err(_) => Cache::with_weighter(estimated, bytes, ByBytes),
            }
        });
        Self {
            entries,
            watermarks,
            metrics,
        }
    }

    /// The answer to a public read: the cached bytes for (`route`, `query`, the watermark of
    /// `tables`), or `render`'s, kept for the next reader. `if_none_match` is the request's
    /// header; when it names the body's tag the answer is a 304.
    pub async fn answer<E, F, Fut>(
        &self,
        route: &'static str,
        tables: &[&str],
        query: String,
        now: DateTime<Utc>,
        if_none_match: Option<&str>,
        render: F,
    ) -> Result<Cached, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Rendering, E>>,
    {
        // Before any read of the database: see the module documentation of `Watermarks`.
        let watermark = self.watermarks.of(tables);
        let key = Key {
            route,
            query,
            watermark,
        };
        let (rendered, outcome) = match &self.entries {
            None => (Arc::new(Rendered::new(render().await?)), CacheOutcome::Miss),
            Some(entries) => match entries.get_value_or_guard_async(&key).await {
                Ok(hit) if hit.fresh_at(now) => (hit, CacheOutcome::Hit),
                Ok(_) => {
                    let fresh = Arc::new(Rendered::new(render().await?));
                    entries.insert(key, fresh.clone());
                    (fresh, CacheOutcome::Miss)
                }
                Err(guard) => {
                    let fresh = Arc::new(Rendered::new(render().await?));
                    let _ = guard.insert(fresh.clone());
                    (fresh, CacheOutcome::Miss)
                }
            },
        };
        let not_modified = if_none_match.is_some_and(|header| matches(header, &rendered.etag));
        let outcome = if not_modified {
            CacheOutcome::NotModified
        } else {
            outcome
        };
        let held = self.entries.as_ref().map_or(0, Cache::weight);
        self.metrics.observe_cache(outcome, held);
        Ok(Cached {
            rendered,
            not_modified,
        })
    }
}

/// `If-None-Match`: `*`, or a list of entity tags (weak ones compare by their opaque part, as
/// RFC 9110 §13.1.2 asks for this header).
fn matches(header: &str, etag: &str) -> bool {
    header.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == etag
    })
}

/// A cached answer: the body with its tag, or a 304.
#[derive(Debug)]
pub struct Cached {
    rendered: Arc<Rendered>,
    not_modified: bool,
}

impl Cached {
    /// The strong entity tag of the body.
    pub fn etag(&self) -> &str {
        self.rendered.etag()
    }
}

impl IntoResponse for Cached {
    fn into_response(self) -> Response {
        let mut builder = Response::builder()
            .header(ETAG, self.rendered.etag.as_str())
            .header(CACHE_CONTROL, self.rendered.cache_control);
        if let Some(last_modified) = &self.rendered.last_modified {
            builder = builder.header(poem::http::header::LAST_MODIFIED, last_modified.as_str());
        }
        if self.not_modified {
            return builder.status(StatusCode::NOT_MODIFIED).finish();
        }
        let bytes = self.rendered.body.clone();
        let length = bytes.len();
        // The HTTP layer copies a body handed over whole into the connection's write buffer, so
        // each download of a feed of megabytes would hold a copy of it until sent; streamed,
        // only a small buffer per connection is held (and the bytes stay shared).
        let body = if length > STREAM_ABOVE {
            poem::Body::from_async_read(std::io::Cursor::new(bytes))
        } else {
            poem::Body::from(bytes)
        };
        builder
            .status(StatusCode::OK)
            .header(CONTENT_TYPE, self.rendered.content_type)
            .header(poem::http::header::CONTENT_LENGTH, length)
            .body(body)
    }
}

/// The spec of a cached answer whose body is a `T`: 200 with the body, `ETag` and
/// `Cache-Control`, or 304.
pub fn meta<T: Type>(description: &'static str) -> MetaResponses {
    meta_with(
        description,
        JSON,
        T::schema_ref(),
        "`no-cache`: a cache may keep the body but must revalidate it with `If-None-Match`.",
        false,
    )
}

/// The spec of a cached answer of any media type; `last_modified` adds that header.
pub fn meta_with(
    description: &'static str,
    content_type: &'static str,
    schema: MetaSchemaRef,
    cache_control: &'static str,
    last_modified: bool,
) -> MetaResponses {
    let header = |name: &str, text: &str| MetaHeader {
        name: name.to_owned(),
        description: Some(text.to_owned()),
        required: true,
        deprecated: false,
        schema: MetaSchemaRef::Inline(Box::new(MetaSchema::new("string"))),
    };
    let etag = || {
        header(
            "ETag",
            "Strong entity tag of the body; send it back in `If-None-Match` to get a 304 while nothing changed.",
        )
    };
    let mut headers = vec![etag(), header("Cache-Control", cache_control)];
    if last_modified {
        headers.push(header(
            "Last-Modified",
            "When what the body shows last changed (an HTTP date); it never goes backwards.",
        ));
    }
    MetaResponses {
        responses: vec![
            MetaResponse {
                description,
                status: Some(200),
                status_range: None,
                content: vec![MetaMediaType {
                    content_type,
                    schema,
                }],
                headers,
            },
            MetaResponse {
                description: "Not modified: the body tagged by `If-None-Match` is still current.",
                status: Some(304),
                status_range: None,
                content: vec![],
                headers: vec![etag()],
            },
        ],
    }
}

/// A cached 200/304 answer whose body is documented as `$body`:
/// `cached_response!(PublicSessionOk, PublicSession, "The published session.");`
macro_rules! cached_response {
    ($name:ident, $body:ty, $doc:literal) => {
        pub struct $name(pub $crate::http::render_cache::Cached);

        impl $name {
            /// Renders the body this answer documents (so the bytes cannot be of another type).
            pub fn render(value: &$body) -> $crate::http::render_cache::Rendering {
                $crate::http::render_cache::Rendering::json(value)
            }
        }

        impl poem_openapi::ApiResponse for $name {
            fn meta() -> poem_openapi::registry::MetaResponses {
                $crate::http::render_cache::meta::<$body>($doc)
            }

            fn register(registry: &mut poem_openapi::registry::Registry) {
                <$body as poem_openapi::types::Type>::register(registry);
            }
        }

        impl poem::IntoResponse for $name {
            fn into_response(self) -> poem::Response {
                self.0.into_response()
            }
        }
    };
}

pub(crate) use cached_response;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_takes_lists_stars_and_weak_forms() {
        let tag = "\"abc\"";
        assert!(matches("\"abc\"", tag));
        assert!(matches("\"x\", \"abc\"", tag));
        assert!(matches("W/\"abc\"", tag));
        assert!(matches("*", tag));
        assert!(!matches("\"abd\"", tag));
        assert!(!matches("abc", tag));
    }
}
