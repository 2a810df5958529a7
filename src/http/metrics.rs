//! Prometheus metrics: requests by operation and status, a latency histogram, and the rendered
//! response cache (hits, misses, 304s, bytes held).

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

/// The service's metric registry and its request series.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    duration: HistogramVec,
    cache: IntCounterVec,
    cache_bytes: IntGauge,
}

/// What the rendered response cache did for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheOutcome {
    /// Served from bytes rendered earlier.
    Hit,
    /// Rendered now (and kept).
    Miss,
    /// The client's `If-None-Match` matched: 304, no body.
    NotModified,
}

impl CacheOutcome {
    fn label(self) -> &'static str {
        match self {
            CacheOutcome::Hit => "hit",
            CacheOutcome::Miss => "miss",
            CacheOutcome::NotModified => "not_modified",
        }
    }
}

/// Latency buckets in seconds (the OpenTelemetry HTTP advice).
const BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
];

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "http_server_requests_total",
                "HTTP requests by operation, method and status",
            ),
            &["operation", "method", "status"],
        )?;
        let duration = HistogramVec::new(
            HistogramOpts::new(
                "http_server_request_duration_seconds",
                "HTTP request duration by operation, in seconds",
            )
            .buckets(BUCKETS.to_vec()),
            &["operation"],
        )?;
        let cache = IntCounterVec::new(
            Opts::new(
                "passerelle_render_cache_requests_total",
                "Cached public reads by outcome (hit, miss, not_modified)",
            ),
            &["outcome"],
        )?;
        let cache_bytes = IntGauge::new(
            "passerelle_render_cache_bytes",
            "Bytes of rendered responses held in the cache",
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(duration.clone()))?;
        registry.register(Box::new(cache.clone()))?;
        registry.register(Box::new(cache_bytes.clone()))?;
        Ok(Self {
            registry,
            requests,
            duration,
            cache,
            cache_bytes,
        })
    }

    /// Records what the rendered response cache did; `held` is the bytes it now holds.
    pub fn observe_cache(&self, outcome: CacheOutcome, held: u64) {
        self.cache.with_label_values(&[outcome.label()]).inc();
        self.cache_bytes
            .set(i64::try_from(held).unwrap_or(i64::MAX));
    }

    /// Records one finished request. `operation` is an operation id or a fixed route label,
    /// never a raw path, so the number of series stays bounded.
    pub fn observe(&self, operation: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .with_label_values(&[operation, method, &status.to_string()])
            .inc();
        self.duration
            .with_label_values(&[operation])
            .observe(seconds);
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut buffer = Vec::new();
        let encoder = TextEncoder::new();
        if let Err(error) = encoder.encode(&self.registry.gather(), &mut buffer) {
            tracing::error!(%error, "cannot encode metrics");
        }
        String::from_utf8_lossy(&buffer).into_owned()
    }
}
