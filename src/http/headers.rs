//! The security headers every answer carries (ASVS 5.0 V3.4, OWASP's REST cheat sheet) and the
//! CORS policy, closed unless origins are configured (`--cors-origin`).
//!
//! - Every answer: `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`,
//!   `X-Frame-Options: DENY`; `Strict-Transport-Security` when the public URL is https.
//! - JSON: `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'` (an API answer
//!   opened in a browser runs nothing and is framed by no one).
//! - HTML: a strict policy with no inline script; Swagger UI's inline scripts and style are
//!   allowed by their SHA-256, computed from the page at start-up, never by `'unsafe-inline'`.
//! - Documents (PDF, iCalendar, CSV, images) get no policy: they are downloads, and a policy
//!   on a PDF can keep a browser's viewer from showing it.
//! - CORS: an answer to a listed origin carries `Access-Control-Allow-Origin` (and `Vary:
//!   Origin`); a preflight from a listed origin is answered 204 with the methods and headers the
//!   API uses. Any other origin simply gets no grant, and its browser keeps the answer from the
//!   script. (poem's `Cors` instead refuses such requests with a 403 that is not our JSON error,
//!   which would also refuse same-origin form posts and server-side callers that send `Origin`.)

use base64::Engine as _;
use poem::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use poem::{Request, Response};
use sha2::{Digest, Sha256};

/// What an API answer may do in a browser: nothing.
const JSON_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";
/// What a page of ours may load: its own stylesheet and images, forms posted to itself.
const PAGE_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
                           form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const HSTS: &str = "max-age=31536000; includeSubDomains";
const CORS_METHODS: &str = "GET, POST, PUT, PATCH, DELETE";
const CORS_HEADERS: &str = "authorization, content-type, if-none-match, idempotency-key";
const CORS_EXPOSED: &str = "etag, location, retry-after, x-request-id";

/// The headers, prepared once.
#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    docs_prefix: &'static str,
    docs_policy: HeaderValue,
    hsts: bool,
    /// The origins granted CORS (none by default).
    origins: Vec<HeaderValue>,
}

impl SecurityHeaders {
    /// `docs_html` is the Swagger UI page served under `docs_prefix`; `public_url` says whether
    /// the service is reached over https; `origins` are granted CORS.
    pub fn new(
        docs_prefix: &'static str,
        docs_html: &str,
        public_url: &str,
        origins: &[String],
    ) -> Self {
        let docs_policy = HeaderValue::from_str(&docs_policy(docs_html))
            .unwrap_or_else(|_| HeaderValue::from_static(PAGE_POLICY));
        SecurityHeaders {
            docs_prefix,
            docs_policy,
            hsts: public_url.starts_with("https://"),
            origins: origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o).ok())
                .collect(),
        }
    }

    /// The origin of a request, when CORS grants it.
    pub fn granted_origin(&self, req: &Request) -> Option<HeaderValue> {
        let origin = req.headers().get(header::ORIGIN)?;
        self.origins.contains(origin).then(|| origin.clone())
    }

    /// The answer to a CORS preflight from a granted origin; `None` for any other request
    /// (a preflight from another origin goes on to the routes, which grant nothing).
    pub fn preflight(&self, req: &Request) -> Option<Response> {
        if req.method() != Method::OPTIONS
            || !req
                .headers()
                .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
        {
            return None;
        }
        let origin = self.granted_origin(req)?;
        Some(
            Response::builder()
                .status(StatusCode::NO_CONTENT)
                .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                .header(header::ACCESS_CONTROL_ALLOW_METHODS, CORS_METHODS)
                .header(header::ACCESS_CONTROL_ALLOW_HEADERS, CORS_HEADERS)
                .header(header::ACCESS_CONTROL_MAX_AGE, "600")
                .header(header::VARY, "Origin")
                .finish(),
        )
    }

    /// Adds the headers to an answer (and the CORS grant to `origin`, from
    /// [`Self::granted_origin`]), keeping a policy a handler set itself.
    pub fn apply(&self, path: &str, origin: Option<HeaderValue>, response: &mut Response) {
        let policy = {
            let content_type = response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if content_type.starts_with("text/html") {
                Some(if path.starts_with(self.docs_prefix) {
                    self.docs_policy.clone()
                } else {
                    HeaderValue::from_static(PAGE_POLICY)
                })
            } else if content_type.starts_with("application/json")
                || content_type.starts_with("application/problem+json")
            {
                Some(HeaderValue::from_static(JSON_POLICY))
            } else {
                None
            }
        };
        let headers = response.headers_mut();
        let mut set = |name: HeaderName, value: HeaderValue| {
            headers.entry(name).or_insert(value);
        };
        set(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        set(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        set(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        if let Some(policy) = policy {
            set(header::CONTENT_SECURITY_POLICY, policy);
        }
        if self.hsts {
            set(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static(HSTS),
            );
        }
        if !self.origins.is_empty() {
            // The answer depends on the Origin: caches must keep one per origin.
            headers.append(header::VARY, HeaderValue::from_static("Origin"));
        }
        if let Some(origin) = origin {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static(CORS_EXPOSED),
            );
        }
    }
}

/// The policy of a page whose only scripts and styles are inline: each allowed by its hash.
pub fn docs_policy(html: &str) -> String {
    let blocks = inline_blocks(html);
    let hashes = |tag: &str| {
        blocks
            .iter()
            .filter(|(t, _)| *t == tag)
            .map(|(_, block)| {
                let digest = Sha256::digest(block.as_bytes());
                format!(
                    " 'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(digest)
                )
            })
            .collect::<String>()
    };
    format!(
        "default-src 'none'; script-src{}; style-src{}; img-src 'self' data:; \
         font-src 'self' data:; connect-src 'self'; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'",
        hashes("script"),
        hashes("style")
    )
}

/// The `<script>` and `<style>` elements of `html` in document order, with their contents, as
/// a browser reads them: an element runs from its tag's `>` to its first closing tag, and what
/// is inside one (a script mentioning `<style`) is not read as markup.
fn inline_blocks(html: &str) -> Vec<(&'static str, &str)> {
    let mut blocks = Vec::new();
    let mut rest = html;
    loop {
        let next = ["script", "style"]
            .into_iter()
            .filter_map(|tag| rest.find(&format!("<{tag}")).map(|at| (at, tag)))
            .min();
        let Some((at, tag)) = next else {
            return blocks;
        };
        let opened = &rest[at..];
        let Some(body_start) = opened.find('>') else {
            return blocks;
        };
        let body = &opened[body_start + 1..];
        let close = format!("</{tag}>");
        let Some(end) = body.find(&close) else {
            return blocks;
        };
        blocks.push((tag, &body[..end]));
        rest = &body[end + close.len()..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_inline_block_is_allowed_by_its_own_hash() {
        let html = "<html><style>a{}</style><script charset=\"UTF-8\">x()</script>\
                    <body><script>y()</script></body></html>";
        let blocks = inline_blocks(html);
        assert_eq!(
            blocks,
            [("style", "a{}"), ("script", "x()"), ("script", "y()")]
        );
        let tricky = "<script>var s = '<style>';</script><style>b{}</style>";
        assert_eq!(
            inline_blocks(tricky),
            [("script", "var s = '<style>';"), ("style", "b{}")],
            "a script's text is not markup"
        );
        let policy = docs_policy(html);
        let hash = |s: &str| {
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))
        };
        assert!(policy.contains(&format!(
            "script-src 'sha256-{}' 'sha256-{}';",
            hash("x()"),
            hash("y()")
        )));
        assert!(policy.contains(&format!("style-src 'sha256-{}';", hash("a{}"))));
        assert!(!policy.contains("unsafe"));
    }
}
