//! Integration tests for `metabiz-webhook-verify`, one binary with a module per concern.

#[cfg(feature = "axum")]
mod axum;
mod handshake;
mod known_answer;
mod redaction;
mod signature;
mod signed_request;

use std::path::Path;

use metabiz_webhook_verify::AppSecret;

/// The app secret the fixtures were signed with.
const SECRET: &str = "6b4a1f0e2d3c59788a9bcdef01234567";
/// A second app secret, for rotation.
const SECOND_SECRET: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

fn secret() -> AppSecret {
    AppSecret::new(SECRET)
}

fn second_secret() -> AppSecret {
    AppSecret::new(SECOND_SECRET)
}

/// The bytes of `tests/fixtures/<name>`, exactly as stored.
fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|err| panic!("reading {}: {err}", path.display()))
}
