//! The committed spec is the contract: it must match the code.

const REGENERATE: &str = "cargo run -- openapi > openapi/openapi.json";

#[test]
fn the_committed_openapi_spec_matches_the_code() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .unwrap_or_default();
    let current = passerelle::openapi_json();
    assert!(
        committed == current,
        "openapi/openapi.json is stale; regenerate it with:\n\n    {REGENERATE}\n"
    );
}

#[test]
fn every_operation_has_an_operation_id_a_summary_a_tag_and_documented_errors() {
    let spec: serde_json::Value = serde_json::from_str(&passerelle::openapi_json()).unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let at = format!("{method} {path}");
            assert!(
                op["operationId"].as_str().is_some_and(|s| !s.is_empty()),
                "{at}: operationId"
            );
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{at}: summary"
            );
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{at}: tag"
            );
            for (status, response) in op["responses"].as_object().unwrap() {
                assert!(
                    response["description"]
                        .as_str()
                        .is_some_and(|d| !d.is_empty()),
                    "{at} {status}: description"
                );
            }
        }
    }
}

#[test]
fn every_schema_field_is_described() {
    let spec: serde_json::Value = serde_json::from_str(&passerelle::openapi_json()).unwrap();
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        for (field, property) in schema["properties"].as_object().into_iter().flatten() {
            // A property that is a plain `$ref` is described by the schema it refers to (and,
            // for its role here, by its object's description).
            let described = match property["$ref"].as_str() {
                Some(reference) => {
                    let target = reference.trim_start_matches("#/components/schemas/");
                    let object = schema["description"].as_str().unwrap_or_default();
                    spec["components"]["schemas"][target]["description"].is_string()
                        && object.contains(&format!("`{field}`"))
                }
                None => property["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
            };
            assert!(described, "{name}.{field} has no description");
        }
    }
}

#[test]
fn every_cursor_parameter_states_the_cursor_shape_the_server_issues() {
    let spec: serde_json::Value = serde_json::from_str(&passerelle::openapi_json()).unwrap();
    let mut cursors = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for param in op["parameters"].as_array().into_iter().flatten() {
                if param["name"] == "cursor" {
                    cursors += 1;
                    assert_eq!(
                        param["schema"]["pattern"],
                        passerelle::http::pagination::CURSOR_PATTERN,
                        "{method} {path}"
                    );
                }
            }
        }
    }
    assert!(cursors >= 8, "only {cursors} paginated operations");
}

#[test]
fn every_error_code_the_api_can_answer_is_named_in_the_spec() {
    let spec = passerelle::openapi_json();
    let codes = passerelle::error_codes();
    assert!(codes.len() >= 20, "only {} codes listed", codes.len());
    let missing: Vec<&str> = codes
        .iter()
        .copied()
        .filter(|code| !spec.contains(&format!("`{code}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "codes absent from the spec's descriptions: {missing:?}"
    );
    let mut unique = codes.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), codes.len(), "a code is listed twice");
}

#[test]
fn no_property_wraps_a_schema_reference_in_all_of() {
    let spec: serde_json::Value = serde_json::from_str(&passerelle::openapi_json()).unwrap();
    let mut wrapped = Vec::new();
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        for (property, value) in schema["properties"].as_object().into_iter().flatten() {
            if value.get("allOf").is_some() || value["items"].get("allOf").is_some() {
                wrapped.push(format!("{name}.{property}"));
            }
        }
    }
    assert!(
        wrapped.is_empty(),
        "allOf wrappers drop schemas in generated clients: {wrapped:?}"
    );
}

#[test]
fn request_bodies_are_declared_as_plain_application_json_and_the_spec_names_its_server_and_license()
{
    // The one upload of a file is multipart, as browsers and generated clients send files.
    let multipart = ("post", "/api/v1/meetings/{id}/resources/files");
    // Sync's signature blobs are raw PNG bytes, content-addressed by their SHA-256.
    let png = ("put", "/sync/v1/blobs/{sha256}");
    let spec: serde_json::Value = serde_json::from_str(&passerelle::openapi_json()).unwrap();
    let mut bodies = 0;
    for (path, operations) in spec["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            if let Some(content) = operation["requestBody"]["content"].as_object() {
                bodies += 1;
                let types: Vec<&String> = content.keys().collect();
                let expected = if (method.as_str(), path.as_str()) == multipart {
                    "multipart/form-data"
                } else if (method.as_str(), path.as_str()) == png {
                    "image/png"
                } else {
                    "application/json"
                };
                assert_eq!(types, vec![expected], "{method} {path}");
            }
        }
    }
    assert!(bodies >= 10, "only {bodies} request bodies");
    assert_eq!(spec["servers"][0]["url"], passerelle::DEFAULT_PUBLIC_URL);
    assert_eq!(spec["info"]["license"]["name"], "AGPL-3.0-or-later");
}

#[test]
fn patch_fields_that_null_clears_are_nullable_in_the_spec() {
    let spec: serde_json::Value = serde_json::from_str(&passerelle::openapi_json()).unwrap();
    let schemas = &spec["components"]["schemas"];
    for (schema, field) in [
        ("UpdateSessionRequest", "enrolment_deadline"),
        ("UpdateSessionRequest", "duration_note"),
        ("UpdatePersonRequest", "organisation_id"),
    ] {
        assert_eq!(
            schemas[schema]["properties"][field]["nullable"], true,
            "{schema}.{field}: a typed client could not send the null that clears it"
        );
    }
}

#[test]
fn each_operation_documents_the_errors_it_can_return_not_every_status() {
    let spec: serde_json::Value = serde_json::from_str(&passerelle::openapi_json()).unwrap();
    let statuses = |path: &str, method: &str| -> Vec<String> {
        spec["paths"][path][method]["responses"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    let login = statuses("/api/v1/auth/login", "post");
    for absent in ["403", "404", "409"] {
        assert!(
            !login.contains(&absent.to_owned()),
            "login documents {absent}"
        );
    }
    assert!(login.contains(&"429".to_owned()));
    for public in ["/api/v1/catalogue/trainings", "/api/v1/catalogue/sessions"] {
        let documented = statuses(public, "get");
        assert!(
            !documented.contains(&"401".to_owned()) && !documented.contains(&"403".to_owned()),
            "{public} documents authentication errors: {documented:?}"
        );
    }
    let update = statuses("/api/v1/sessions/{id}", "patch");
    for present in ["400", "401", "403", "404", "409", "422", "500", "503"] {
        assert!(
            update.contains(&present.to_owned()),
            "update_session lacks {present}"
        );
    }
}

#[test]
fn every_operation_states_its_security_public_ones_as_an_empty_list() {
    let spec: serde_json::Value = serde_json::from_str(&passerelle::openapi_json()).unwrap();
    let public = [
        "livez",
        "readyz",
        "login",
        "list_catalogue_trainings",
        "get_catalogue_training",
        "list_catalogue_sessions",
        "get_catalogue_session",
        "catalogue_feed",
        "training_feed",
        "personal_feed",
        "club_feed",
        "verify_certificate",
        "submit_complaint",
        "submit_report",
        "get_report_status",
        "get_training_results",
        "get_funder_survey",
        "save_funder_answers",
        "submit_funder_survey",
        "read_unsubscribe_link",
        "unsubscribe",
    ];
    for operations in spec["paths"].as_object().unwrap().values() {
        for operation in operations.as_object().unwrap().values() {
            let id = operation["operationId"].as_str().unwrap();
            let security = &operation["security"];
            if public.contains(&id) {
                assert_eq!(security, &serde_json::json!([]), "{id}");
            } else {
                assert_eq!(security, &serde_json::json!([{ "BearerAuth": [] }]), "{id}");
            }
        }
    }
}

#[test]
fn nullable_fields_of_responses_are_required_so_clients_need_not_handle_absence() {
    let spec: serde_json::Value = serde_json::from_str(&passerelle::openapi_json()).unwrap();
    let responses = |name: &str| {
        name.ends_with("View") || name.starts_with("Page_") || name.starts_with("Public")
    };
    let mut checked = 0;
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        if !responses(name) {
            continue;
        }
        let required: Vec<&str> = schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_str())
            .collect();
        for (field, property) in schema["properties"].as_object().into_iter().flatten() {
            if property["nullable"] == true {
                checked += 1;
                assert!(
                    required.contains(&field.as_str()),
                    "{name}.{field} is nullable but optional"
                );
            }
        }
    }
    assert!(checked >= 15, "only {checked} nullable response fields");
}

#[test]
fn e_mail_fields_of_requests_state_their_format() {
    let spec: serde_json::Value = serde_json::from_str(&passerelle::openapi_json()).unwrap();
    let schemas = &spec["components"]["schemas"];
    for (schema, field) in [
        ("CreatePersonRequest", "email"),
        ("UpdatePersonRequest", "email"),
        ("Contact", "email"),
    ] {
        assert_eq!(
            schemas[schema]["properties"][field]["format"], "email",
            "{schema}.{field}"
        );
    }
}

#[test]
fn patch_fields_where_absence_means_unchanged_are_not_nullable() {
    let spec: serde_json::Value = serde_json::from_str(&passerelle::openapi_json()).unwrap();
    let schemas = &spec["components"]["schemas"];
    for (schema, field) in [
        ("UpdateSessionRequest", "capacity"),
        ("UpdateSessionRequest", "room_id"),
        ("UpdateSessionRequest", "trainer_ids"),
        ("UpdatePersonRequest", "roles"),
        ("UpdateOrganisationRequest", "name"),
    ] {
        let property = &schemas[schema]["properties"][field];
        assert!(property.is_object(), "{schema}.{field} missing");
        assert!(
            property.get("nullable").is_none(),
            "{schema}.{field} says null is a value"
        );
    }
}

#[test]
fn sync_pull_and_push_describe_their_own_403_and_404_codes() {
    let spec: serde_json::Value = serde_json::from_str(&passerelle::openapi_json()).unwrap();
    for path in ["/sync/v1/pull", "/sync/v1/push"] {
        let responses = &spec["paths"][path]["post"]["responses"];
        for (status, code) in [
            ("403", "sync.device_revoked"),
            ("404", "sync.device_not_found"),
        ] {
            let description = responses[status]["description"].as_str().unwrap();
            assert!(
                description.contains(&format!("`{code}`")),
                "{path} {status} does not name {code}: {description}"
            );
            assert!(
                !description.contains("`accounts.") && !description.contains("`enrolment."),
                "{path} {status} names another context's codes: {description}"
            );
        }
        let unprocessable = responses["422"]["description"].as_str().unwrap();
        assert!(unprocessable.contains("`sync.protocol_unknown`"), "{path}");
    }
    let push_503 = spec["paths"]["/sync/v1/push"]["post"]["responses"]["503"]["description"]
        .as_str()
        .unwrap();
    assert!(push_503.contains("`sync.unavailable`"), "{push_503}");
}
