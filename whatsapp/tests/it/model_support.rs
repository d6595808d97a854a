//! Helpers for the `model_*` tests: Graph API fixtures and validation errors.

use std::path::PathBuf;

use metabiz_whatsapp::{Error, ErrorKind, ValidationError};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A fixture of `tests/fixtures/graph/`, as JSON.
pub(crate) fn graph_json(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/graph")
        .join(name);
    let bytes =
        std::fs::read(&path).unwrap_or_else(|err| panic!("reading {}: {err}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|err| panic!("{name} is not JSON: {err}"))
}

/// A fixture parsed into `T`, as a client would parse the response body.
pub(crate) fn graph<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_value(graph_json(name)).unwrap_or_else(|err| panic!("{name}: {err}"))
}

/// The `data` items of a Graph list fixture, with the raw JSON of each.
pub(crate) fn graph_list<T: DeserializeOwned>(name: &str) -> Vec<(T, Value)> {
    let Value::Array(items) = graph_json(name)["data"].take() else {
        panic!("{name} has no data list")
    };
    items
        .into_iter()
        .map(|item| {
            let parsed = serde_json::from_value(item.clone())
                .unwrap_or_else(|err| panic!("{name}: {err}\n{item}"));
            (parsed, item)
        })
        .collect()
}

/// The detail of a failed validation, after checking it is a validation error.
pub(crate) fn invalid(result: Result<(), Error>) -> ValidationError {
    let error = result.expect_err("validation must fail");
    assert_eq!(error.kind(), ErrorKind::Validation);
    error
        .validation()
        .expect("a validation error carries its detail")
        .clone()
}
