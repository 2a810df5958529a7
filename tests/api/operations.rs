//! Probes, docs, spec, metrics and request ids.

use crate::harness::TestApp;

async fn livez_and_readyz_answer_ok_with_a_database(app: TestApp) {
    let live = app.get("/livez", None).await;
    let ready = app.get("/readyz", None).await;

    live.expect(200);
    assert_eq!(live.body["status"], "ok");
    ready.expect(200);
    assert_eq!(ready.body["status"], "ok");
}
db_test!(livez_and_readyz_answer_ok_with_a_database);

async fn readyz_turns_503_once_shutdown_begins(app: TestApp) {
    app.state.begin_shutdown();

    let ready = app.get("/readyz", None).await;

    ready.expect(503);
    assert_eq!(ready.body["status"], "shutting down");
}
db_test!(readyz_turns_503_once_shutdown_begins);

async fn swagger_ui_and_the_spec_are_served(app: TestApp) {
    let docs = app.get("/docs", None).await;
    let spec = app.get("/openapi.json", None).await;

    docs.expect(200);
    assert!(docs.text.contains("swagger"), "no Swagger UI in /docs");
    spec.expect(200);
    assert_eq!(spec.body["info"]["title"], "Passerelle");
    assert!(spec.body["paths"]["/api/v1/auth/login"]["post"].is_object());
}
db_test!(swagger_ui_and_the_spec_are_served);

async fn metrics_count_requests_by_operation_and_status(app: TestApp) {
    app.get("/livez", None).await.expect(200);
    app.login("nobody@example.test", "wrong password!")
        .await
        .expect(401);

    let metrics = app.get("/metrics", None).await;

    metrics.expect(200);
    assert!(
        metrics.text.contains(
            r#"http_server_requests_total{method="POST",operation="login",status="401"} 1"#
        ),
        "{}",
        metrics.text
    );
    assert!(
        metrics
            .text
            .contains(r#"http_server_request_duration_seconds_bucket{operation="livez""#)
    );
}
db_test!(metrics_count_requests_by_operation_and_status);

async fn every_response_carries_a_request_id_errors_included(app: TestApp) {
    let ok = app.get("/livez", None).await;
    let missing = app.get("/nowhere", None).await;

    assert!(ok.header("x-request-id").is_some_and(|id| !id.is_empty()));
    assert!(
        missing
            .header("x-request-id")
            .is_some_and(|id| !id.is_empty())
    );
    assert_ne!(ok.header("x-request-id"), missing.header("x-request-id"));
}
db_test!(every_response_carries_a_request_id_errors_included);
