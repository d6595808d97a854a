//! Integration tests of `messaging-core`, run as a separate crate, as its users would use it.

mod error;
mod event;
mod ids;
mod message;
mod model;
mod platform;
mod status;

/// Reads a fixture from `tests/fixtures/`.
fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}
