//! Every failure answers the one JSON error body, never plain text, never a 500.

use crate::harness::TestApp;
use poem::http::Method;

async fn malformed_json_is_a_400_json_error(app: TestApp) {
    let response = app
        .client
        .post("/api/v1/auth/login")
        .content_type("application/json")
        .body("{\"email\": ")
        .send()
        .await;

    crate::harness::TestApp::read(response)
        .await
        .expect_error(400, "request.malformed");
}
db_test!(malformed_json_is_a_400_json_error);

async fn a_wrong_content_type_is_a_415_json_error(app: TestApp) {
    let response = app
        .client
        .post("/api/v1/auth/login")
        .content_type("text/plain")
        .body("email=a")
        .send()
        .await;

    crate::harness::TestApp::read(response)
        .await
        .expect_error(415, "request.unsupported_media_type");
}
db_test!(a_wrong_content_type_is_a_415_json_error);

async fn a_field_of_the_wrong_type_is_a_400_even_a_number_for_a_string(app: TestApp) {
    let number = app
        .post(
            "/api/v1/auth/login",
            None,
            serde_json::json!({ "email": 42, "password": "x" }),
        )
        .await;
    let boolean = app
        .post(
            "/api/v1/auth/login",
            None,
            serde_json::json!({ "email": "a@b.test", "password": true }),
        )
        .await;
    let missing = app
        .post(
            "/api/v1/auth/login",
            None,
            serde_json::json!({ "email": "a@b.test" }),
        )
        .await;

    number.expect_error(400, "request.malformed");
    boolean.expect_error(400, "request.malformed");
    missing.expect_error(400, "request.malformed");
}
db_test!(a_field_of_the_wrong_type_is_a_400_even_a_number_for_a_string);

async fn an_oversized_body_is_a_413_json_error(app: TestApp) {
    let huge = "x".repeat(100 * 1024);
    let body = serde_json::json!({ "email": huge, "password": "x" });

    let reply = app.post("/api/v1/auth/login", None, body).await;

    reply.expect_error(413, "request.too_large");
}
db_test!(an_oversized_body_is_a_413_json_error);

async fn an_oversized_chunked_body_without_length_is_a_413_json_error(app: TestApp) {
    let chunk = bytes_stream(100 * 1024);
    let response = app
        .client
        .post("/api/v1/auth/login")
        .content_type("application/json")
        .body(poem::Body::from_bytes_stream(chunk))
        .send()
        .await;

    crate::harness::TestApp::read(response)
        .await
        .expect_error(413, "request.too_large");
}
db_test!(an_oversized_chunked_body_without_length_is_a_413_json_error);

/// Python's urllib writes the whole body before it reads a byte of the answer. A body far
/// larger than the limit and than the sockets' buffers must still end with the client reading
/// the 413 — not a connection reset in the middle of its writing.
async fn a_client_that_writes_its_whole_oversized_body_first_reads_the_413(app: TestApp) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.serve_on_port().await;
    let size = 12 * 1024 * 1024;
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {size}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let piece = vec![b' '; 64 * 1024];
    for _ in 0..size / piece.len() {
        stream
            .write_all(&piece)
            .await
            .expect("the server reads the whole body before it answers and closes");
    }
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    assert!(reply.contains("request.too_large"), "{reply}");
}
db_test!(a_client_that_writes_its_whole_oversized_body_first_reads_the_413);

fn bytes_stream(
    size: usize,
) -> impl futures::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + 'static {
    futures::stream::iter((0..size / 1024).map(|_| Ok(bytes::Bytes::from(vec![b' '; 1024]))))
}

async fn an_unknown_path_is_a_404_json_error(app: TestApp) {
    app.get("/api/v1/nothing-here", None)
        .await
        .expect_error(404, "route.not_found");
}
db_test!(an_unknown_path_is_a_404_json_error);

async fn a_wrong_method_is_a_405_json_error(app: TestApp) {
    let reply = app
        .call(Method::DELETE, "/api/v1/auth/login", None, None)
        .await;

    reply.expect_error(405, "route.method_not_allowed");
    assert_eq!(reply.header("allow"), Some("POST"));
    let on_person = app
        .call(
            Method::DELETE,
            &format!("/api/v1/people/{}", uuid::Uuid::now_v7()),
            None,
            None,
        )
        .await;
    assert_eq!(on_person.header("allow"), Some("GET, PATCH"));
}
db_test!(a_wrong_method_is_a_405_json_error);

async fn a_path_id_that_is_not_a_uuid_is_a_400_json_error(app: TestApp) {
    let admin = app.admin().await;

    app.get("/api/v1/people/42", Some(&admin.token))
        .await
        .expect_error(400, "request.invalid_parameter");
}
db_test!(a_path_id_that_is_not_a_uuid_is_a_400_json_error);

async fn a_limit_above_the_maximum_is_a_400_json_error(app: TestApp) {
    let admin = app.admin().await;

    app.get("/api/v1/people?limit=500", Some(&admin.token))
        .await
        .expect_error(400, "request.invalid_parameter");
}
db_test!(a_limit_above_the_maximum_is_a_400_json_error);
