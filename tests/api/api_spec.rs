//! The OpenAPI document the API serves (issue 18): OpenAPI 3.1, valid by the independent
//! Python `openapi-spec-validator` (installed by `.ci/parsers-setup`; required when
//! CSIRT_MEET_REQUIRE_PARSERS=1, as CI sets), and listing exactly the routes served.

use std::{collections::BTreeSet, process::Command};

use csirt_meet::routes::api::{PREFIX, ROUTES};
use serde_json::Value;

use crate::helpers::{ical_parsers::venv_python_with, spawn_app};

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

#[tokio::test]
async fn the_served_document_is_valid_openapi_3_1_and_lists_the_served_routes() {
    let app = spawn_app().await;
    let res = reqwest::get(app.url("/api/v1/openapi.json")).await.expect("sent");
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    let text = res.text().await.expect("body");
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["components"]["securitySchemes"]["token"]["scheme"], "bearer");

    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            METHODS.iter().filter(|m| item.get(**m).is_some()).map(move |m| (path.clone(), (*m).to_owned()))
        })
        .collect();
    let served: BTreeSet<(String, String)> = ROUTES
        .iter()
        .flat_map(|(path, methods)| methods.iter().map(move |m| (format!("{PREFIX}{path}"), (*m).to_owned())))
        .collect();
    assert_eq!(documented, served, "the document lists exactly the routes served");
    // Each documented route answers (no 404 or 405 from the router), here without a token.
    let client = reqwest::Client::new();
    for (path, method) in &documented {
        let filled = path.replace("{slug}", "nope").replace("{session}", "1").replace("{id}", "1");
        let verb = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
        let status = client.request(verb, app.url(&filled)).send().await.expect("sent").status().as_u16();
        assert!(matches!(status, 200 | 401), "{method} {path}: {status}");
    }

    let Some(python) = venv_python_with("openapi_spec_validator") else {
        assert!(
            std::env::var("CSIRT_MEET_REQUIRE_PARSERS").as_deref() != Ok("1"),
            "CSIRT_MEET_REQUIRE_PARSERS=1 but openapi-spec-validator is not installed: run .ci/parsers-setup"
        );
        eprintln!("notice: OpenAPI validation skipped (install with .ci/parsers-setup)");
        return;
    };
    let file = tempfile::Builder::new().suffix(".json").tempfile().expect("a temporary file");
    std::fs::write(file.path(), &text).expect("writing the document");
    let script = "import json, sys\n\
                  from openapi_spec_validator import OpenAPIV31SpecValidator, validate\n\
                  validate(json.load(open(sys.argv[1])), cls=OpenAPIV31SpecValidator)\n\
                  print('valid')";
    let out = Command::new(python).args(["-c", script]).arg(file.path()).output().expect("python runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && stdout.trim() == "valid", "openapi-spec-validator refused it:\n{stderr}");
}
