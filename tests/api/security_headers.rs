//! What every answer tells a browser: no sniffing, no referrer, no framing, a content policy
//! on JSON and HTML (Swagger UI's inline code allowed by hash only), HSTS over https, and CORS
//! granted only to configured origins.

use base64::Engine as _;
use poem::http::Method;
use sha2::{Digest, Sha256};

use crate::harness::{Reply, TestApp};

const APP_ORIGIN: &str = "https://app.federation.example";
const OTHER_ORIGIN: &str = "https://evil.example";

fn assert_basics(reply: &Reply, path: &str) {
    assert_eq!(
        reply.header("x-content-type-options"),
        Some("nosniff"),
        "{path}"
    );
    assert_eq!(
        reply.header("referrer-policy"),
        Some("no-referrer"),
        "{path}"
    );
    assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{path}");
}

async fn every_answer_tells_browsers_not_to_sniff_refer_or_frame_it(app: TestApp) {
    for path in [
        "/livez",
        "/api/v1/catalogue/sessions",
        "/api/v1/no-such-thing",
        "/openapi.json",
        "/calendar/catalogue.ics",
    ] {
        let reply = app.get(path, None).await;
        assert_basics(&reply, path);
        assert_eq!(
            reply.header("strict-transport-security"),
            None,
            "no HSTS while the public URL is http"
        );
        let json = reply
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/json"));
        let policy = reply.header("content-security-policy");
        if json {
            assert_eq!(
                policy,
                Some("default-src 'none'; frame-ancestors 'none'"),
                "{path}"
            );
        } else if path.ends_with(".ics") {
            assert_eq!(policy, None, "a download gets no content policy");
        }
    }
    let refused = app.get("/api/v1/me", None).await;
    refused.expect(401);
    assert_basics(&refused, "/api/v1/me");
    assert!(refused.header("content-security-policy").is_some());
}
db_test!(every_answer_tells_browsers_not_to_sniff_refer_or_frame_it);

async fn swagger_ui_runs_only_its_own_inline_code(app: TestApp) {
    let docs = app.get("/docs", None).await;
    docs.expect(200);
    assert_basics(&docs, "/docs");
    let policy = docs.header("content-security-policy").expect("a policy");
    assert!(!policy.contains("unsafe"), "{policy}");
    assert!(policy.contains("default-src 'none'"));
    assert!(policy.contains("frame-ancestors 'none'"));
    // Each inline script and style of the page is allowed by its SHA-256, and only those. The
    // page is read as a browser reads it: an element from its tag's `>` to its first closing
    // tag, the text inside one element never taken for markup.
    let mut expected: Vec<(&str, String)> = Vec::new();
    let mut rest = docs.text.as_str();
    while let Some((at, tag)) = ["script", "style"]
        .into_iter()
        .filter_map(|tag| rest.find(&format!("<{tag}")).map(|at| (at, tag)))
        .min()
    {
        let opened = &rest[at..];
        let body = &opened[opened.find('>').unwrap() + 1..];
        let end = body.find(&format!("</{tag}>")).unwrap();
        let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&body[..end]));
        expected.push((tag, format!("'sha256-{digest}'")));
        rest = &body[end..];
    }
    for (tag, directive) in [("script", "script-src"), ("style", "style-src")] {
        let hashes: Vec<&str> = expected
            .iter()
            .filter(|(t, _)| *t == tag)
            .map(|(_, h)| h.as_str())
            .collect();
        assert!(!hashes.is_empty(), "the page has inline {tag}s");
        let allowed: Vec<&str> = policy
            .split(';')
            .map(str::trim)
            .find_map(|d| d.strip_prefix(directive))
            .unwrap_or_else(|| panic!("no {directive} in {policy}"))
            .split_whitespace()
            .collect();
        assert_eq!(allowed, hashes, "{directive}");
    }
}
db_test!(swagger_ui_runs_only_its_own_inline_code);

async fn a_service_reached_over_https_asks_browsers_to_stay_on_https(mut app: TestApp) {
    app.configure(|s| s.public_url = "https://formations.federation.example".into());
    for path in ["/livez", "/api/v1/catalogue/trainings", "/docs"] {
        let reply = app.get(path, None).await;
        assert_eq!(
            reply.header("strict-transport-security"),
            Some("max-age=31536000; includeSubDomains"),
            "{path}"
        );
    }
}
db_test!(a_service_reached_over_https_asks_browsers_to_stay_on_https);

async fn preflight(app: &TestApp, origin: &str) -> Reply {
    TestApp::read(
        app.client
            .request(Method::OPTIONS, "/api/v1/catalogue/sessions")
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .send()
            .await,
    )
    .await
}

async fn from_origin(app: &TestApp, origin: &str) -> Reply {
    app.get_with("/api/v1/catalogue/sessions", &[("origin", origin)])
        .await
}

async fn other_sites_scripts_are_granted_nothing_by_default(app: TestApp) {
    let read = from_origin(&app, OTHER_ORIGIN).await;
    read.expect(200);
    assert_eq!(read.header("access-control-allow-origin"), None);
    let asked = preflight(&app, OTHER_ORIGIN).await;
    assert_ne!(asked.status.as_u16(), 204);
    assert_eq!(asked.header("access-control-allow-origin"), None);
    assert_eq!(asked.header("access-control-allow-methods"), None);
}
db_test!(other_sites_scripts_are_granted_nothing_by_default);

async fn a_configured_origin_is_granted_and_no_other(mut app: TestApp) {
    app.configure(|s| s.cors_origins = vec![APP_ORIGIN.into()]);

    let asked = preflight(&app, APP_ORIGIN).await;
    asked.expect(204);
    assert_eq!(
        asked.header("access-control-allow-origin"),
        Some(APP_ORIGIN)
    );
    let methods = asked.header("access-control-allow-methods").unwrap();
    assert!(
        methods.contains("GET") && methods.contains("POST"),
        "{methods}"
    );
    let headers = asked.header("access-control-allow-headers").unwrap();
    assert!(headers.contains("authorization"), "{headers}");

    let read = from_origin(&app, APP_ORIGIN).await;
    read.expect(200);
    assert_eq!(read.header("access-control-allow-origin"), Some(APP_ORIGIN));
    assert!(
        read.headers
            .get_all("vary")
            .iter()
            .any(|v| v.to_str().unwrap().contains("Origin")),
        "caches keep one answer per origin"
    );
    assert!(
        read.header("access-control-expose-headers")
            .unwrap()
            .contains("etag")
    );

    // Another site's script is not refused an answer — its browser keeps it from the script.
    let other = from_origin(&app, OTHER_ORIGIN).await;
    other.expect(200);
    assert_eq!(other.header("access-control-allow-origin"), None);
    assert_eq!(
        preflight(&app, OTHER_ORIGIN)
            .await
            .header("access-control-allow-origin"),
        None
    );
}
db_test!(a_configured_origin_is_granted_and_no_other);
